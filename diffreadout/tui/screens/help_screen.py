"""The help screen (? and F1): what shared, emphasis and omission mean, and every key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from diffreadout.tui.screens import DIALOGS_CSS
from diffreadout.tui.styles import layer_style

TERMS: tuple[tuple[str, str, str], ...] = (
    (
        "shared",
        "shared",
        "Both readouts report the same substance: the same claim, decision or exchange, "
        "in words that may differ but say the same thing.",
    ),
    (
        "emphasis",
        "emphasis",
        "The same topic or exchange, reported with materially different framing: strength "
        "(\"noted\" vs \"firmly opposed\"), attribution (who raised it, who initiated the call), "
        "stance, or detail (numbers, names, conditions). Words only one side uses are underlined.",
    ),
    (
        "omission",
        "omission",
        "A statement with no counterpart on the other side: what one government chose to "
        "report and the other left out. The detail panel shows the nearest candidate and its "
        "score, so you can judge whether it is really absent.",
    ),
)


# The matrix screen (three or more readouts): what each cell of a claim's row says.
MATRIX_TERMS: tuple[tuple[str, str, str], ...] = (
    ("present", "shared", "This readout reports the claim as the others that report it do."),
    ("differs", "emphasis", "This readout reports the claim with a difference in emphasis (strength, attribution, "
     "stance or detail) from at least one other readout."),
    ("absent", "omission", "This readout does not report the claim at all."),
)


def help_text(
    keys: Sequence[tuple[str, str]], styles: Mapping[str, Style] | None = None, *, matrix: bool = False
) -> Text:
    """The help body: the relations (or, for the matrix, the cells), then the keys."""
    styles = styles or {}
    text = Text()
    if matrix:
        text.append(
            "diffreadout compares three or more readouts of one meeting: each row is one claim (statements "
            "linked across readouts), each column one readout.\n\n",
            style="bold",
        )
    else:
        text.append("diffreadout compares two readouts of one meeting statement by statement.\n\n", style="bold")
    for name, style_name, meaning in MATRIX_TERMS if matrix else TERMS:
        text.append(f"{name:<10}", style=styles.get(style_name, Style(bold=True)))
        text.append(f"{meaning}\n\n")
    if matrix:
        text.append(
            "The panel under the matrix quotes every statement of the selected claim. Thresholds decide which "
            "pairs link and which links count as shared; + and - move them and align every pair again.\n\n"
        )
    else:
        text.append(
            "The score in the gutter is the link's probability (0 to 1) from similarity and structure. Thresholds decide which "
            "pairs link and which links count as shared; + and - move them and re-label at once, "
            "without re-embedding.\n\n"
        )
    text.append("Keys\n", style="bold")
    for key, description in keys:
        text.append(f"  {key:<16}", style="bold")
        text.append(f"{description}\n")
    text.append("\nCommand palette: ctrl+p lists every action by name. Esc closes this screen.")
    return text


class _HelpBody(Static):
    """The help text, styled from the screen's component classes whenever it is drawn.

    Drawn, not filled in on mount: this screen's stylesheet is read as the screen opens, and
    its styles reach the screen only after mount (and change with the theme).
    """

    def __init__(self, keys: Sequence[tuple[str, str]], *, matrix: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys = tuple(keys)
        self._matrix = matrix

    def render(self) -> Text:
        """The help body in the screen's current styles."""
        screen = self.screen
        styles = {name: layer_style(screen, f"help-screen--{name}") for name, _, _ in TERMS}
        return help_text(self._keys, styles, matrix=self._matrix)


class HelpScreen(ModalScreen[None]):
    """Explains the relations and lists every key; any of Esc, q, ? or F1 closes it."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help-close"),
    ]
    COMPONENT_CLASSES = {"help-screen--shared", "help-screen--emphasis", "help-screen--omission"}

    def __init__(self, keys: Sequence[tuple[str, str]], *, matrix: bool = False) -> None:
        super().__init__()
        self._keys = tuple(keys)
        self._matrix = matrix

    def compose(self) -> ComposeResult:
        """A scrollable box of help text."""
        with VerticalScroll(id="help-box"):
            yield _HelpBody(self._keys, matrix=self._matrix, id="help-body")

    def on_mount(self) -> None:
        """Title the box."""
        self.query_one("#help-box").border_title = "Help"

    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
