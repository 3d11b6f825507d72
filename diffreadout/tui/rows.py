"""The view model of the aligned view: rows built from a Comparison, filters, counts, search.

Pure functions over the engine's frozen result; no widgets, so they are tested without an App
and run in linear time on thousands of statements (no per-statement scans of all links).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
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


def relation_index(comparison: Comparison) -> dict[str, Relation]:
    """Relation of every statement in one pass over the links (emphasis wins over shared)."""
    relations: dict[str, Relation] = {}
    for readout in comparison.readouts:
        for st in readout.statements:
            relations[st.id] = "omission"
    for link in comparison.links:
        for sid in link.a + link.b:
            if link.label == "emphasis" or relations.get(sid) == "omission":
                relations[sid] = link.label
    return relations


def build_rows(left: Readout, right: Readout, comparison: Comparison | None) -> list[AlignedRow]:
    """Arrange links and omissions into rows in the left readout's order.

    One row per link (a one-to-many link spans its group); a statement that belongs to several
    links appears in each, marked as repeated after its first row. A right-side omission sits
    after the row of the nearest preceding right statement that is linked, so each column
    reads roughly in its own order even when the readouts order topics differently.
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
    left_pos = {st.id: st.index for st in left.statements}
    right_pos = {st.id: st.index for st in right.statements}
    left_is_a = left.side == comparison.a.side
    keyed: list[tuple[tuple[int, int, int], AlignedRow]] = []
    for link in comparison.links:
        left_ids, right_ids = (link.a, link.b) if left_is_a else (link.b, link.a)
        left_sts = tuple(sorted((left.statements[left_pos[i]] for i in left_ids), key=lambda s: s.index))
        right_sts = tuple(sorted((right.statements[right_pos[i]] for i in right_ids), key=lambda s: s.index))
        key = (left_sts[0].index if left_sts else -1, 1, right_sts[0].index if right_sts else -1)
        keyed.append((key, AlignedRow(left_sts, right_sts, link.label, link=link)))
    for sid in comparison.omissions.get(left.side, ()):
        st = left.statements[left_pos[sid]]
        keyed.append(((st.index, 0, -1), AlignedRow((st,), (), "omission", nearest=comparison.nearest.get(sid))))
    keyed.sort(key=lambda item: item[0])
    rows = [row for _, row in keyed]
    # Right-side omissions: anchor each after the first row holding its preceding linked neighbour.
    first_row_of: dict[str, int] = {}
    for index, row in enumerate(rows):
        for st in row.right:
            first_row_of.setdefault(st.id, index)
    omitted_right = set(comparison.omissions.get(right.side, ()))
    attached: dict[int, list[AlignedRow]] = {}
    anchor = -1
    for st in right.statements:
        if st.id in omitted_right:
            row = AlignedRow((), (st,), "omission", nearest=comparison.nearest.get(st.id))
            attached.setdefault(anchor, []).append(row)
        elif st.id in first_row_of:
            anchor = first_row_of[st.id]
    ordered: list[AlignedRow] = list(attached.get(-1, []))
    for index, row in enumerate(rows):
        ordered.append(row)
        ordered.extend(attached.get(index, []))
    return _mark_repeats(ordered)


def _mark_repeats(rows: list[AlignedRow]) -> list[AlignedRow]:
    """Mark statements already shown in an earlier row."""
    seen: set[str] = set()
    out: list[AlignedRow] = []
    for row in rows:
        repeated = frozenset(sid for sid in row.ids if sid in seen)
        seen.update(row.ids)
        if repeated:
            row = AlignedRow(row.left, row.right, row.relation, row.link, row.nearest, repeated)
        out.append(row)
    return out


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
    """Counts and word shares per relation for one readout (all pending before analysis)."""
    counts = {"shared": 0, "emphasis": 0, "omission": 0}
    words = {"shared": 0, "emphasis": 0, "omission": 0}
    relations = relation_index(comparison) if comparison is not None else {}
    total_words = 0
    for st in readout.statements:
        n_words = len(st.text.split())
        total_words += n_words
        relation = relations.get(st.id)
        if relation is None:
            continue
        counts[relation] += 1
        words[relation] += n_words
    shares = {key: (value / total_words if total_words else 0.0) for key, value in words.items()}
    # The detected language rides with the label, so a cross-language pair is visible at a glance.
    label = f"{readout.label} ({readout.language})" if readout.language != "und" else readout.label
    return SideSummary(label, readout.side, len(readout.statements), counts, shares)
