"""The paste screen (bare ``diffreadout``): two labels and two text areas, then compare."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static, TextArea

Sources = list[tuple[str, str, str]]


class PasteScreen(Screen["Sources | None"]):
    """Paste two readouts (analysts copy them from web pages) and compare them."""

    BINDINGS = [
        Binding("ctrl+s", "compare", "Compare", id="paste-compare"),
        Binding("escape", "cancel", "Quit", id="paste-cancel"),
    ]

    def __init__(self, cursor_blink: bool = True) -> None:
        super().__init__()
        self._cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        """Two columns of label + text, a compare button and a line for problems."""
        yield Static("Paste two readouts of the same meeting, then press Compare (ctrl+s).", id="paste-intro")
        with Horizontal(id="paste-columns"):
            for side in ("a", "b"):
                with Vertical(classes="paste-column"):
                    yield Label(f"Readout {side.upper()}")
                    example = "Russian MFA" if side == "a" else "Chinese MFA"
                    label = Input(placeholder=f"label, e.g. {example}", id=f"paste-label-{side}")
                    label.cursor_blink = self._cursor_blink
                    yield label
                    area = TextArea(id=f"paste-text-{side}", soft_wrap=True, show_line_numbers=False)
                    area.cursor_blink = self._cursor_blink
                    yield area
        with Horizontal(id="paste-actions"):
            yield Button("Compare", id="paste-compare", variant="primary")
            yield Static("", id="paste-problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Start in the first label."""
        self.query_one("#paste-label-a", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Compare on the button."""
        if event.button.id == "paste-compare":
            self.action_compare()

    def sources(self) -> Sources | None:
        """The pasted (label, source, text) pairs, or None with a problem shown if one is empty."""
        out: Sources = []
        for side in ("a", "b"):
            label = self.query_one(f"#paste-label-{side}", Input).value.strip() or f"Readout {side.upper()}"
            text = self.query_one(f"#paste-text-{side}", TextArea).text
            if not text.strip():
                problem = f"Readout {side.upper()} is empty: paste its text first."
                self.query_one("#paste-problem", Static).update(problem)
                return None
            out.append((label, f"pasted {side.upper()}", text))
        return out

    def action_compare(self) -> None:
        """Hand the pasted texts to the app."""
        sources = self.sources()
        if sources is not None:
            self.dismiss(sources)

    def action_cancel(self) -> None:
        """Leave without comparing."""
        self.dismiss(None)
