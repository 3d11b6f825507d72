"""The detail panel: everything known about the selected row, so the analyst can judge it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from diffreadout.model import Comparison, Statement
from diffreadout.tui.history_text import describe_history
from diffreadout.tui.rows import AlignedRow
from diffreadout.tui.styles import layer_style
from diffreadout.tui.text import visible

_MEANING = {
    "shared": "both readouts report the same substance",
    "emphasis": "the same topic or exchange, framed differently",
    "omission": "no counterpart on the other side",
    "pending": "the analysis is still running",
}


def _side_line(label: str, statements: Sequence[Statement]) -> Text:
    out = Text()
    out.append(f"{label}\n", style="bold")
    if not statements:
        out.append("  (nothing: this side leaves it out)\n", style="dim")
    for st in statements:
        out.append(f"  {st.id} ", style="bold")
        out.append(visible(st.text))
        out.append("\n")
    return out


def describe_row(
    row: AlignedRow | None,
    comparison: Comparison | None,
    left_label: str,
    right_label: str,
    styles: Mapping[str, Style] | None = None,
    failed: bool = False,
) -> Text:
    """Full texts, relation, scores, reasons, and for an omission the nearest candidate.

    ``styles`` maps a relation to its style (from the stylesheet); readout text is added as
    plain text, never parsed as markup.
    """
    if row is None:
        return Text("No row selected.", style="dim")
    text = Text()
    text.append(row.relation.upper(), style=(styles or {}).get(row.relation, Style(bold=True)))
    meaning = _MEANING[row.relation]
    if row.relation == "pending" and failed:
        meaning = "not analysed (see the status line), so the texts are shown in their own order"
    text.append(f"  {meaning}")
    link = row.link
    if link is not None:
        text.append(f"   score {link.score:.2f}", style="bold")
        if link.scores:
            parts = " · ".join(f"{name} {value:.2f}" for name, value in link.scores)
            text.append(f"  ({parts})")
    text.append("\n")
    issue_line = _issue_line(row, left_label, right_label)
    if issue_line:
        text.append(issue_line + "\n", style="bold")
    for shown in row.shown:
        if len(row.shown) > 1:
            ids = f"{', '.join(shown.link.a)} ↔ {', '.join(shown.link.b)}"
            text.append(f"{visible(ids)}: {shown.link.label} {shown.link.score:.2f}\n", style="bold")
        for reason in shown.reasons:
            text.append(f"• {visible(reason.code)}: ", style="bold")
            text.append(f"{visible(reason.summary)}\n")
        if shown.minor:
            minor = "; ".join(visible(reason.summary) for reason in shown.minor)
            text.append(f"  minor differences, too small to change the label: {minor}\n", style="dim")
    text.append_text(_side_line(left_label, row.left))
    text.append_text(_side_line(right_label, row.right))
    if row.relation == "omission" and comparison is not None:
        text.append_text(_nearest(row, comparison))
    if comparison is not None:
        text.append_text(analyst_lines(row, comparison))
    if comparison is not None and comparison.thresholds:
        thresholds = " · ".join(f"{name} {value:.2f}" for name, value in comparison.thresholds)
        text.append(f"thresholds: {thresholds}", style="dim")
    text.rstrip()
    return text


def _issue_line(row: AlignedRow, left_label: str, right_label: str) -> str:
    """The issue of the row: "Issue: Taiwan" for a link, "Taiwan: only in Chinese MFA" for an omission."""
    if row.shown:
        names = [name for name in dict.fromkeys((row.issue, *(n for s in row.shown for n in s.link.issues))) if name]
        return f"Issue: {visible(', '.join(names))}" if names else ""
    if row.relation != "omission" or not row.issue:
        return ""
    label = left_label if row.left else right_label
    return f"{visible(row.issue)}: only in {visible(label)}"


def analyst_lines(row: AlignedRow, comparison: Comparison) -> Text:
    """Who decided the row, the analyst's note, and the engine's own proposal for a corrected row."""
    out = Text()
    review = comparison.review
    sid = row.ids[0] if row.ids else ""
    by_analyst = (row.link is not None and row.link.by == "analyst") or (
        row.link is None and review is not None and sid in review.analyst_omissions
    )
    if not by_analyst:
        return out
    note = row.link.note if row.link is not None else (review.omission_note(sid) if review else "")
    out.append("Decided by the analyst", style="bold")
    out.append(f": {visible(note)}\n" if note else "\n")
    proposal = review.engine_proposal(sid) if review is not None else None
    if proposal is not None:
        shown = "; ".join(
            f"{'+'.join(lk.a)} ~ {'+'.join(lk.b)} {lk.label} {lk.score:.2f}" for lk in proposal
        ) or f"no link ({sid} an omission)"
        out.append("Engine proposed: ", style="bold")
        out.append(f"{visible(shown)}\n")
    return out


def _nearest(row: AlignedRow, comparison: Comparison) -> Text:
    out = Text()
    nearest = row.nearest
    if nearest is None or nearest.other_id is None:
        out.append("Nearest candidate on the other side: none\n", style="bold")
        return out
    other_side = nearest.other_id[0]
    try:
        other = comparison.readout(other_side).statement(nearest.other_id)
    except KeyError:
        return out
    out.append(f"Nearest candidate in {visible(comparison.readout(other_side).label)}", style="bold")
    if nearest.note:
        out.append(f" (score {nearest.score:.2f}; {visible(nearest.note)})\n")
    else:
        out.append(f" (score {nearest.score:.2f}, below the link threshold)\n")
    out.append(f"  {other.id} ", style="bold")
    out.append(f"{visible(other.text)}\n")
    return out


class DetailPanel(VerticalScroll, can_focus=False):
    """The selected row in full: both texts, relation, scores, reasons, nearest candidate."""

    COMPONENT_CLASSES = {
        "detail-panel--shared",
        "detail-panel--emphasis",
        "detail-panel--omission",
        "detail-panel--pending",
    }

    HELP = """
## Detail panel

Both full texts of the selected row, its relation and scores, the reasons for an emphasis
when the engine gives them, and for an omission the closest statement on the other side.
"""

    history: dict[str, Any] | None = None  # the sides' histories while history mode is on

    def compose(self) -> ComposeResult:
        """One body of text."""
        yield Static(id="detail-body")

    def show(
        self,
        row: AlignedRow | None,
        comparison: Comparison | None,
        left_label: str,
        right_label: str,
        *,
        failed: bool = False,
    ) -> None:
        """Describe this row (failed: the analysis failed, so nothing is known yet)."""
        styles = {
            relation: layer_style(self, f"detail-panel--{relation}")
            for relation in _MEANING
        }
        body = describe_row(row, comparison, visible(left_label), visible(right_label), styles, failed)
        if self.history and row is not None:
            body = Text.assemble(body, describe_history(row.ids, self.history))
        self.query_one("#detail-body", Static).update(body)
        self.scroll_home(animate=False)
