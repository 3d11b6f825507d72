"""Dialogs of the corrections keys: pick statements of the other side (nearest first), write a note."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from diffreadout.tui.screens import DIALOGS_CSS
from diffreadout.tui.text import visible
from diffreadout.tui.widgets.inert_fields import InertInput

NOTE_MAX_LENGTH = 500


class PickerScreen(ModalScreen["list[str] | None"]):
    """Statements of the other side, nearest candidates first; space marks, Enter links, Esc cancels."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding("enter", "submit", "Link", priority=True, id="picker-submit"),
        Binding("escape", "cancel", "Cancel", id="picker-cancel"),
    ]

    def __init__(self, title: str, candidates: Sequence[tuple[str, float, str]], chosen: Sequence[str] = ()) -> None:
        super().__init__()
        self._title = title
        self._candidates = list(candidates)
        self._chosen = set(chosen)

    def compose(self) -> ComposeResult:
        """Title, the list, a hint."""
        with Vertical(id="picker-box", classes="dialog"):
            yield Static(visible(self._title), id="picker-title", markup=False)
            yield InertInput(placeholder="or type ids, e.g. B6 B7 (Tab here)", id="picker-ids", max_length=200)
            yield SelectionList[str](
                *(
                    Selection(Text(visible(f"{sid}  {score:.2f}  {text}")[:200]), sid, sid in self._chosen)
                    for sid, score, text in self._candidates
                ),
                id="picker-list",
            )
            yield Label("space: mark · Enter: link to the marked (or the highlighted, or the typed ids) · Esc: cancel",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        """Focus the list, on the nearest candidate."""
        selection = self.query_one(SelectionList)
        selection.focus()
        if self._candidates:
            selection.highlighted = 0

    def action_submit(self) -> None:
        """Link to the marked statements, or to the highlighted one when none is marked."""
        selection = self.query_one(SelectionList)
        known = {sid.casefold(): sid for sid, _, _ in self._candidates}
        typed = self.query_one("#picker-ids", Input).value.replace(",", " ").split()
        if typed:
            unknown = [t for t in typed if t.casefold() not in known]
            if unknown:
                self.notify(visible(f"Not a statement here: {', '.join(unknown)}"), severity="warning", markup=False)
                return
            self.dismiss([known[t.casefold()] for t in dict.fromkeys(typed)])
            return
        chosen = list(selection.selected)
        if not chosen and selection.highlighted is not None:
            chosen = [selection.get_option_at_index(selection.highlighted).value]
        order = {sid: k for k, (sid, _, _) in enumerate(self._candidates)}
        self.dismiss(sorted(chosen, key=lambda sid: order.get(sid, 0)) or None)

    def action_cancel(self) -> None:
        """Close without linking."""
        self.dismiss(None)


class NoteScreen(ModalScreen["str | None"]):
    """A one-line note for a link or an omission; Enter keeps it, Esc cancels, empty removes it."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note-cancel")]

    def __init__(self, title: str, note: str = "") -> None:
        super().__init__()
        self._title = title
        self._note = note

    def compose(self) -> ComposeResult:
        """Title, the field, a hint."""
        with Vertical(id="note-box", classes="dialog"):
            yield Static(visible(self._title), id="note-title", markup=False)
            yield InertInput(value=self._note, id="note-input", max_length=NOTE_MAX_LENGTH)
            yield Label("Enter: keep the note (empty: remove it) · Esc: cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        """Focus the field."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Keep the note."""
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without changing the note."""
        self.dismiss(None)
