"""The summary header: both labels, counts per relation, and each readout's word shares as bars."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from diffreadout.tui.rows import SideSummary
from diffreadout.tui.styles import layer_style
from diffreadout.tui.text import visible

_RELATIONS = (("shared", "shared"), ("emphasis", "emphasis"), ("omission", "omitted"))


class SummaryHeader(Widget, can_focus=False):
    """Two lines, one per readout: label, counts per relation, and a bar of word shares."""

    COMPONENT_CLASSES = {
        "summary-header--label",
        "summary-header--shared",
        "summary-header--emphasis",
        "summary-header--omission",
        "summary-header--empty",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._summaries: tuple[SideSummary, ...] = ()
        self._pending_note = "analysing…"

    def set_summaries(self, summaries: tuple[SideSummary, SideSummary], pending_note: str | None) -> None:
        """Show these summaries, left readout first; pending_note replaces the counts before a result."""
        self._summaries = summaries
        self._pending_note = pending_note
        self.refresh()

    def _line(self, summary: SideSummary, label_width: int, width: int) -> Text:
        label = visible(summary.label)
        if len(label) > label_width:
            label = label[: max(1, label_width - 1)] + "…"
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{summary.side} ", style=layer_style(self, "summary-header--label"))
        line.append(label.ljust(label_width), style=layer_style(self, "summary-header--label"))
        line.append(f" {summary.statements:>4} st ")
        if self._pending_note is not None:
            line.append(f"  {self._pending_note}", style=layer_style(self, "summary-header--empty"))
            return line
        for relation, word in _RELATIONS:
            count = f" {summary.counts[relation]:>3} {word}"
            line.append(count, style=layer_style(self, f"summary-header--{relation}"))
        used = line.cell_len
        show_percent = width - used >= 46
        bar_width = max(8, min(30, width - used - (26 if show_percent else 0) - 3))
        line.append("  ")
        filled = 0
        for relation, _ in _RELATIONS:
            cells = round(summary.word_shares[relation] * bar_width)
            cells = min(cells, bar_width - filled)
            line.append("█" * cells, style=layer_style(self, f"summary-header--{relation}"))
            filled += cells
        line.append("░" * (bar_width - filled), style=layer_style(self, "summary-header--empty"))
        if show_percent:
            line.append("  words ")
            for number, (relation, _) in enumerate(_RELATIONS):
                separator = " · " if number else ""
                line.append(separator)
                share = f"{summary.word_shares[relation]:.0%}"
                line.append(share, style=layer_style(self, f"summary-header--{relation}"))
        line.truncate(width, overflow="ellipsis")
        return line

    def render(self) -> Text:
        """Both readouts' lines."""
        if not self._summaries:
            return Text("")
        width = self.content_region.width or self.size.width
        label_width = max(6, min(max(len(s.label) for s in self._summaries), width // 5))
        return Text("\n").join(self._line(summary, label_width, width) for summary in self._summaries)
