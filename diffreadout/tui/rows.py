"""The view model of the aligned view: rows built from a Comparison, filters, counts, search.

Pure functions over the engine's frozen result; no widgets, so they are tested without an App
and run in linear time on thousands of statements (no per-statement scans of all links).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from diffreadout.present import Presentation, PresentedLink
    from diffreadout.model import (
        Comparison,
        Link,
        Nearest,
        Readout,
        Relation,
        Statement,
    )

RowRelation = Literal["shared", "emphasis", "omission", "pending"]
FilterMode = Literal["all", "differences", "omitted-by-A", "omitted-by-B"]
FILTERS: tuple[FilterMode, ...] = ("all", "differences", "omitted-by-A", "omitted-by-B")


class AlignedRow(NamedTuple):
    """One row of the aligned view: a link, an omission, or (before analysis) a plain pair.

    A named tuple rather than a frozen dataclass: as immutable, and far cheaper to define,
    which the first paint pays for.
    """

    left: tuple[Statement, ...]
    right: tuple[Statement, ...]
    relation: RowRelation
    link: Link | None = None
    nearest: Nearest | None = None
    repeated: frozenset[str] = frozenset()
    shown: tuple[PresentedLink, ...] = ()
    marks: dict[str, tuple[tuple[int, int], ...]] | None = None

    @property
    def statements(self) -> tuple[Statement, ...]:
        """Every statement of the row, left first."""
        return self.left + self.right

    @property
    def ids(self) -> tuple[str, ...]:
        """Ids of every statement of the row."""
        return tuple(st.id for st in self.statements)

    @property
    def is_difference(self) -> bool:
        """True for emphasis and omission rows."""
        return self.relation in ("emphasis", "omission")


class SideSummary(NamedTuple):
    """Counts per relation and each relation's share of one readout's statement words."""

    label: str
    side: str
    statements: int
    counts: dict[str, int]
    word_shares: dict[str, float]
    unit: str = "words"


_VIEW_CACHE: dict[tuple[int, str], tuple[Comparison, Presentation]] = {}


def presentation(comparison: Comparison, first: str) -> Presentation:
    """The presentation of the comparison in readout ``first``'s order (the last few kept)."""
    from diffreadout.present import present

    key = (id(comparison), first)
    cached = _VIEW_CACHE.get(key)
    if cached is not None and cached[0] is comparison:
        return cached[1]
    view = present(comparison, first)
    if len(_VIEW_CACHE) >= 4:
        _VIEW_CACHE.clear()
    _VIEW_CACHE[key] = (comparison, view)
    return view


def relation_index(comparison: Comparison) -> dict[str, Relation]:
    """Relation of every statement: that of the one row it is in (present/rows.py)."""
    relations: dict[str, Relation] = {st.id: "omission" for r in comparison.readouts for st in r.statements}
    for row in presentation(comparison, comparison.a.side).rows:
        for sid in row.ids:
            relations[sid] = row.relation
    return relations


def build_rows(left: Readout, right: Readout, comparison: Comparison | None) -> list[AlignedRow]:
    """The presentation's rows (present/rows.py) in the left readout's order, as Statements.

    Before a result, the texts are paired line by line in their own order (pending).
    """
    if comparison is None:
        pending: list[AlignedRow] = []
        for i in range(max(len(left.statements), len(right.statements))):
            pending.append(
                AlignedRow(
                    left=left.statements[i : i + 1],
                    right=right.statements[i : i + 1],
                    relation="pending",
                )
            )
        return pending
    view = presentation(comparison, left.side)
    left_is_a = left.side == comparison.a.side
    by_id = {st.id: st for r in (left, right) for st in r.statements}
    rows: list[AlignedRow] = []
    for row in view.rows:
        left_ids, right_ids = (row.a, row.b) if left_is_a else (row.b, row.a)
        left_sts = tuple(by_id[i] for i in left_ids if i in by_id)
        right_sts = tuple(by_id[i] for i in right_ids if i in by_id)
        shown = tuple(view.presented(link) for link in row.links)
        marks = {sid: view.marks[sid] for sid in row.ids if view.marks.get(sid)}
        rows.append(
            AlignedRow(
                left_sts,
                right_sts,
                row.relation,
                link=min(row.links, key=lambda l: l.score) if row.links else None,
                nearest=row.nearest,
                shown=shown,
                marks=marks,
            )
        )
    return rows


def row_filter(mode: FilterMode) -> Callable[[AlignedRow], bool]:
    """Predicate for a filter mode; 'omitted-by-A' keeps the statements of B that A leaves out."""
    if mode == "differences":
        return lambda row: row.relation in ("emphasis", "omission")
    if mode in ("omitted-by-A", "omitted-by-B"):
        omitting_side = mode[-1]
        return lambda row: row.relation == "omission" and all(st.side != omitting_side for st in row.statements)
    return lambda row: True


def filter_rows(rows: Sequence[AlignedRow], mode: FilterMode) -> list[AlignedRow]:
    """The rows a filter mode keeps, in order."""
    keep = row_filter(mode)
    return [row for row in rows if keep(row)]


def next_filter(mode: FilterMode) -> FilterMode:
    """The filter after this one in the f cycle."""
    return FILTERS[(FILTERS.index(mode) + 1) % len(FILTERS)]


def find_row(
    rows: Sequence[AlignedRow], start: int, predicate: Callable[[AlignedRow], bool], step: int = 1
) -> int | None:
    """Index of the next row after start (wrapping) that satisfies predicate, or None."""
    count = len(rows)
    for offset in range(1, count + 1):
        index = (start + step * offset) % count
        if predicate(rows[index]):
            return index
    return None


def text_matcher(query: str) -> Callable[[AlignedRow], bool]:
    """Predicate: the row has a statement (or id) containing query, case-insensitively."""
    needle = query.casefold()
    return lambda row: any(needle in st.text.casefold() or needle == st.id.casefold() for st in row.statements)


def row_of_statement(rows: Sequence[AlignedRow], statement_id: str) -> int | None:
    """Index of the first row that shows this statement, or None."""
    for index, row in enumerate(rows):
        if statement_id in row.ids:
            return index
    return None


def summarise(comparison: Comparison | None, readout: Readout) -> SideSummary:
    """The presentation's counts and shares for one readout (all pending before analysis)."""
    from diffreadout.present.summary import size_unit

    counts = {"shared": 0, "emphasis": 0, "omission": 0}
    shares = {"shared": 0.0, "emphasis": 0.0, "omission": 0.0}
    if comparison is not None:
        side_counts = presentation(comparison, comparison.a.side).counts_of(readout.side)
        counts = dict(side_counts.counts)
        shares = {key: side_counts.share(key) for key in shares}
    # The detected language rides with the label, so a cross-language pair is visible at a glance.
    label = f"{readout.label} ({readout.language})" if readout.language != "und" else readout.label
    return SideSummary(label, readout.side, len(readout.statements), counts, shares, size_unit(readout))


def header_warnings(readouts: Sequence[Readout], model_name: str) -> tuple[str, ...]:
    """The warnings the header shows: the model used outside its language (present/warnings.py)."""
    from diffreadout.present.warnings import language_warnings

    return language_warnings(readouts, model_name)
