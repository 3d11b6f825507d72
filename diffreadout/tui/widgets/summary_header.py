"""The summary header: per readout, its label, counts and shares per relation, and a bar.

Every figure says what it is: "3 shared 34%" is 3 statements holding 34% of the readout's
words (characters for Chinese and Japanese, as the line says); the bar draws the same shares
in the same colours. A model used outside its language is warned about on a line of its own.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from diffreadout.tui.rows import SideSummary
from diffreadout.tui.styles import layer_style
from diffreadout.tui.text import visible

_RELATIONS = (("shared", "shared"), ("emphasis", "emphasis"), ("omission", "omitted"))
_UNITS = {"words": "of words", "characters": "of characters"}


class SummaryHeader(Widget, can_focus=False):
    """One line per readout, then one per warning."""

    COMPONENT_CLASSES = {
        "summary-header--label",
        "summary-header--shared",
        "summary-header--emphasis",
        "summary-header--omission",
        "summary-header--empty",
        "summary-header--warning",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._summaries: tuple[SideSummary, ...] = ()
        self._pending_note: str | None = "analysing…"
        self._warnings: tuple[str, ...] = ()

    def set_summaries(
        self, summaries: tuple[SideSummary, SideSummary], pending_note: str | None, warnings: tuple[str, ...] = ()
    ) -> None:
        """Show these summaries, left readout first; pending_note replaces the counts before a result."""
        self._summaries = summaries
        self._pending_note = pending_note
        self._warnings = warnings
        self.styles.height = len(summaries) + len(warnings)
        self.refresh()

    def _line(self, summary: SideSummary, label_width: int, width: int) -> Text:
        label = visible(summary.label)
        if len(label) > label_width:
            label = label[: max(1, label_width - 1)] + "…"
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{summary.side} ", style=layer_style(self, "summary-header--label"))
        line.append(label.ljust(label_width), style=layer_style(self, "summary-header--label"))
        line.append(f" {summary.statements:>3} st")
        if self._pending_note is not None:
            line.append(f"  {self._pending_note}", style=layer_style(self, "summary-header--empty"))
            return line
        for relation, word in _RELATIONS:
            style = layer_style(self, f"summary-header--{relation}")
            line.append(f" {summary.counts[relation]} {word} ", style=style)
            line.append(f"{summary.word_shares[relation]:.0%}", style=style)
            line.append(" ·" if relation != "omission" else "")
        line.append(f" {_UNITS.get(summary.unit, summary.unit)}")
        bar_width = min(30, width - line.cell_len - 2)
        if bar_width >= 6:
            line.append("  ")
            filled = 0
            for relation, _ in _RELATIONS:
                cells = min(round(summary.word_shares[relation] * bar_width), bar_width - filled)
                line.append("█" * cells, style=layer_style(self, f"summary-header--{relation}"))
                filled += cells
            line.append("░" * (bar_width - filled), style=layer_style(self, "summary-header--empty"))
        line.truncate(width, overflow="ellipsis")
        return line

    def render(self) -> Text:
        """The readouts' lines, then the warnings."""
        if not self._summaries:
            return Text("")
        width = self.content_region.width or self.size.width
        label_width = max(6, min(max(len(s.label) for s in self._summaries), width // (7 if width < 100 else 5)))
        lines = [self._line(summary, label_width, width) for summary in self._summaries]
        for warning in self._warnings:
            line = Text(f"⚠ {visible(warning)}", style=layer_style(self, "summary-header--warning"), no_wrap=True)
            line.truncate(width, overflow="ellipsis")
            lines.append(line)
        return Text("\n").join(lines)
