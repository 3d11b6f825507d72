"""Export prompts: ask for a path, and ask again before replacing an existing file."""

from __future__ import annotations

import os
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from diffreadout.tui.screens import DIALOGS_CSS
from diffreadout.tui.text import visible
from diffreadout.tui.widgets.inert_fields import InertInput

PATH_MAX_LENGTH = 4096


@dataclass(frozen=True)
class ExportRequest:
    """Where to write the report, and whether the user agreed to replace an existing file."""

    path: str
    overwrite: bool


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; Cancel is focused, so Enter alone never confirms."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str, confirm_label: str = "Overwrite") -> None:
        super().__init__()
        self._question = question
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        """Question and two buttons."""
        with Vertical(id="confirm-box", classes="dialog"):
            yield Static(visible(self._question), id="confirm-question", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._confirm_label, id="confirm-yes", variant="error")
                yield Button("Cancel", id="confirm-no", variant="primary")
            yield Label("y: replace · n or Esc: keep the file", classes="dialog-hint")

    def on_mount(self) -> None:
        """Focus Cancel."""
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer with the button."""
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        """Answer from a key."""
        self.dismiss(answer)


class ExportScreen(ModalScreen["ExportRequest | None"]):
    """Ask where to write the Markdown report; an existing file needs an explicit yes."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export-cancel")]

    def __init__(self, default_path: str, cursor_blink: bool = True) -> None:
        super().__init__()
        self._default_path = default_path
        self._cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        """Prompt, path field, and a line for problems."""
        with Vertical(id="export-box", classes="dialog"):
            yield Label("Export the Markdown report to:")
            path_input = InertInput(value=self._default_path, id="export-path", max_length=PATH_MAX_LENGTH)
            path_input.cursor_blink = self._cursor_blink
            yield path_input
            yield Static("", id="export-problem", markup=False)
            yield Label("Enter to write · Esc to cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        """Focus the path field."""
        self.query_one("#export-path", Input).focus()

    def _problem(self, message: str) -> None:
        self.query_one("#export-problem", Static).update(visible(message))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Check the path; confirm before replacing a file."""
        event.stop()
        path = os.path.expanduser(event.value.strip())
        if not path:
            self._problem("Give a file path.")
            return
        if os.path.isdir(path):
            self._problem(f"{path} is a folder; give a file name.")
            return
        if os.path.lexists(path):

            def answered(overwrite: bool | None) -> None:
                if overwrite:
                    self.dismiss(ExportRequest(path, overwrite=True))
                else:
                    self._problem(f"{path} exists and was kept; choose another name.")

            self.app.push_screen(ConfirmScreen(f"{path} already exists. Replace it?"), answered)
            return
        self.dismiss(ExportRequest(path, overwrite=False))

    def action_cancel(self) -> None:
        """Close without writing."""
        self.dismiss(None)
