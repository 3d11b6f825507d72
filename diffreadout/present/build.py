"""The presentation of one Comparison: rows, counts, marked words, reasons and warnings, once.

The Markdown report, the JSON and the TUI render this, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from diffreadout.model import Comparison, Link, Reason, Span, Statement
from diffreadout.present.marks import marked_spans, runs
from diffreadout.present.rows import Row, build_rows
from diffreadout.present.summary import SideCounts, side_counts
from diffreadout.present.warnings import language_warnings

LinkKey = tuple[tuple[str, ...], tuple[str, ...]]


def link_key(link: Link) -> LinkKey:
    """A link's statements, which identify it within a comparison."""
    return (link.a, link.b)


@dataclass(frozen=True)
class PresentedLink:
    """A link as shown: its reasons (at least one with evidence for emphasis, none for shared)
    and, for a shared link, the differences too small to change its label."""

    link: Link
    reasons: tuple[Reason, ...]
    minor: tuple[Reason, ...]


@dataclass(frozen=True)
class Presentation:
    """Everything a front end shows of a comparison."""

    comparison: Comparison
    rows: tuple[Row, ...]
    counts: tuple[SideCounts, ...]
    marks: dict[str, tuple[tuple[int, int], ...]]
    links: dict[LinkKey, PresentedLink]
    warnings: tuple[str, ...]

    def presented(self, link: Link) -> PresentedLink:
        """The presented form of one of the comparison's links."""
        return self.links[link_key(link)]

    def counts_of(self, side: str) -> SideCounts:
        """The counts of one readout."""
        return next(c for c in self.counts if c.side == side)


def _statements(comparison: Comparison, side: str, ids: tuple[str, ...]) -> list[Statement]:
    readout = comparison.readout(side)
    out = []
    for sid in ids:
        try:
            out.append(readout.statement(sid))
        except KeyError:
            continue
    return out


def _absolute(comparison: Comparison, side: str, sid: str, spans: tuple[tuple[int, int], ...]) -> list[Span]:
    st = comparison.readout(side).statement(sid)
    return [Span(side, st.start + s, st.start + e) for s, e in runs(st.text, spans)]


def _emphasis_reasons(comparison: Comparison, link: Link, marks: dict[str, tuple[tuple[int, int], ...]]) -> tuple[Reason, ...]:
    """The link's reasons, each with evidence; a wording reason from the marked words when the
    engine gave none, so an emphasis label is never left unexplained."""
    a, b = comparison.a.side, comparison.b.side
    marked: list[Span] = []
    for side, ids in ((a, link.a), (b, link.b)):
        for sid in ids:
            if sid in marks:
                marked += _absolute(comparison, side, sid, marks[sid])
    whole = [Span(st.side, st.start, st.end) for side, ids in ((a, link.a), (b, link.b)) for st in _statements(comparison, side, ids)]
    fallback = tuple(marked) or tuple(whole)
    reasons = tuple(r if r.evidence else Reason(r.code, r.summary, fallback, r.detail) for r in link.reasons)
    if reasons:
        return reasons
    shared = dict(comparison.thresholds).get("shared")
    if marked:
        only_a = sum(1 for sp in marked if sp.side == a)
        only_b = len(marked) - only_a
        def passages(n: int) -> str:
            return f"{n} passage" + ("" if n == 1 else "s")

        summary = (
            f"worded differently: {passages(only_a)} only in {a}, {passages(only_b)} only in {b} (the marked words)"
            + (f"; the shared probability is below the shared threshold {shared:g}" if shared is not None else "")
        )
        return (Reason("wording", summary, tuple(marked)),)
    summary = "the same words in another order or sense" + (
        f"; the shared probability is below the shared threshold {shared:g}" if shared is not None else ""
    )
    return (Reason("score", summary, tuple(whole)),)


def present(comparison: Comparison, first: str | None = None) -> Presentation:
    """Compute the presentation of a comparison; rows follow readout ``first`` (default A)."""
    rows = build_rows(comparison, first)
    marks: dict[str, tuple[tuple[int, int], ...]] = {}
    a, b = comparison.a.side, comparison.b.side
    for row in rows:
        if row.relation != "emphasis":
            continue
        left, right = marked_spans(_statements(comparison, a, row.a), _statements(comparison, b, row.b))
        marks.update(left)
        marks.update(right)
    links: dict[LinkKey, PresentedLink] = {}
    for link in comparison.links:
        if link.label == "emphasis":
            links[link_key(link)] = PresentedLink(link, _emphasis_reasons(comparison, link, marks), ())
        else:
            links[link_key(link)] = PresentedLink(link, (), link.reasons)
    counts = tuple(side_counts(comparison, rows, r) for r in comparison.readouts)
    return Presentation(comparison, rows, counts, marks, links, language_warnings(comparison.readouts, comparison.model.name))
