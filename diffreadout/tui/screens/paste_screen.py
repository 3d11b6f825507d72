"""The paste screen (bare ``diffreadout``): two labels and two text areas, then compare.

Pasted text is checked as a file is (empty, binary, too many statements to compare) and
segmented here, so a readout that cannot be compared is refused with a message on this screen
rather than opening an empty or unanalysable comparison. A paste that would take a text area
past PASTE_LIMIT_BYTES never reaches it: Textual's TextArea grows slow past about a megabyte,
and no readout is that long (a longer text can still be compared from a file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, Static

from diffreadout.tui.screens import DIALOGS_CSS
from diffreadout.tui.text import visible
from diffreadout.tui.widgets.inert_fields import InertInput, InertTextArea

if TYPE_CHECKING:
    from diffreadout.config import AnalysisConfig
    from diffreadout.model import Readout

PASTE_LIMIT_BYTES = 1024 * 1024
# A pasted line this long turns soft wrap off in its area: re-wrapping it on every key is slow.
LONG_LINE = 10_000
LABEL_MAX_LENGTH = 200
SIDES = ("a", "b")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class PasteArea(InertTextArea):
    """A text area for one readout that refuses a paste past the paste limit."""

    class Refused(Message):
        """A paste was refused: the area would have held size bytes."""

        def __init__(self, area: PasteArea, size: int) -> None:
            super().__init__()
            self.area = area
            self.size = size

    async def _on_paste(self, event: events.Paste) -> None:
        size = len(self.text.encode("utf-8", "replace")) + len(event.text.encode("utf-8", "replace"))
        if size > PASTE_LIMIT_BYTES:
            event.prevent_default()  # TextArea's own handler would insert it
            event.stop()
            self.post_message(self.Refused(self, size))
            return
        if self.soft_wrap and any(len(line) > LONG_LINE for line in event.text.splitlines()):
            self.soft_wrap = False


class PasteScreen(Screen["tuple[Readout, Readout] | None"]):
    """Paste two readouts (analysts copy them from web pages) and compare them."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding("ctrl+s", "compare", "Compare", id="paste-compare"),
        Binding("escape", "cancel", "Quit", id="paste-cancel"),
    ]

    def __init__(self, config: AnalysisConfig, cursor_blink: bool = True) -> None:
        super().__init__()
        self._config = config
        self._cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        """Two columns of label + text, a compare button and a line for problems."""
        yield Static("Paste two readouts of the same meeting, then press Compare (ctrl+s).", id="paste-intro")
        with Horizontal(id="paste-columns"):
            for side in SIDES:
                with Vertical(classes="paste-column"):
                    yield Label(f"Readout {side.upper()}")
                    example = "Russian MFA" if side == "a" else "Chinese MFA"
                    label = InertInput(
                        placeholder=f"label, e.g. {example}", id=f"paste-label-{side}", max_length=LABEL_MAX_LENGTH
                    )
                    label.cursor_blink = self._cursor_blink
                    yield label
                    area = PasteArea(id=f"paste-text-{side}", soft_wrap=True, show_line_numbers=False)
                    area.cursor_blink = self._cursor_blink
                    yield area
        with Horizontal(id="paste-actions"):
            yield Button("Compare", id="paste-compare", variant="primary")
            yield Static("", id="paste-problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Start in the first label."""
        self.query_one("#paste-label-a", InertInput).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Compare on the button."""
        if event.button.id == "paste-compare":
            self.action_compare()

    def on_paste_area_refused(self, message: PasteArea.Refused) -> None:
        """Say why a paste did not arrive."""
        side = (message.area.id or "?")[-1].upper()
        self.show_problem(
            f"Readout {side}: that paste would make it {_megabytes(message.size)}, over the "
            f"{_megabytes(PASTE_LIMIT_BYTES)} a text area takes; save it to a file and run: diffreadout A.txt B.txt"
        )

    def show_problem(self, problem: str) -> None:
        """Show one line saying what stops the comparison."""
        self.query_one("#paste-problem", Static).update(visible(" ".join(problem.split())))

    def readouts(self) -> tuple[Readout, Readout] | None:
        """The pasted readouts, segmented; or None, with the problem shown."""
        from diffreadout.inputs.sources import InputError, check_statement_count, decode_bytes
        from diffreadout.tui.analysis import build_readouts

        sources: list[tuple[str, str, str]] = []
        for side in SIDES:
            name = f"Readout {side.upper()}"
            label = self.query_one(f"#paste-label-{side}", InertInput).value.strip() or name
            text = self.query_one(f"#paste-text-{side}", PasteArea).text
            if not text.strip():
                self.show_problem(f"{name} is empty: paste its text first.")
                return None
            if "\x00" in text:
                self.show_problem(f"{name}: looks like binary data (NUL bytes), not text")
                return None
            try:
                # The same checks as a file's (binary-looking text, newlines), on the pasted text.
                text, _ = decode_bytes(text.encode("utf-8", "replace"), name)
            except InputError as exc:
                self.show_problem(str(exc))
                return None
            sources.append((label, f"pasted {side.upper()}", text))
        readouts = build_readouts(sources, self._config)
        for readout in readouts:
            name = f"Readout {readout.side}"
            if not readout.statements:
                self.show_problem(f"{name}: no statements found in the text")
                return None
            try:
                check_statement_count(name, len(readout.statements))
            except InputError as exc:
                self.show_problem(str(exc))
                return None
        return readouts

    def action_compare(self) -> None:
        """Hand the pasted readouts to the app."""
        readouts = self.readouts()
        if readouts is not None:
            self.dismiss(readouts)

    def action_cancel(self) -> None:
        """Leave without comparing."""
        self.dismiss(None)
