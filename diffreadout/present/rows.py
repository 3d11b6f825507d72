"""The rows of the aligned table, computed once for the report, the JSON and the TUI.

Each statement is in exactly one row: links that share a statement are one row (so a
statement linked twice is not shown twice), and a row is ``emphasis`` when any of its links
differs. Rows follow the reading order of the first readout; a statement of the second that
has no counterpart comes right after the row holding the nearest earlier statement of its own
readout (or opens the table when there is none), so both columns read in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from diffreadout.model import Comparison, Link, Nearest, Relation

ORDER_RULE = (
    "Rows follow the reading order of {first}, and every statement is quoted once, in full: "
    "links that share a statement make one row. A statement with no counterpart has a row of "
    "its own; one of {second} comes right after the row of the {second} statement before it."
)


@dataclass(frozen=True)
class Row:
    """One row: the statements of each side (in text order), its links, and its relation."""

    a: tuple[str, ...]
    b: tuple[str, ...]
    relation: Relation
    links: tuple[Link, ...] = ()
    nearest: Nearest | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """Every statement id of the row, A's first."""
        return self.a + self.b

    @property
    def score(self) -> float | None:
        """The lowest link score of the row (the one that decided its label), None for an omission."""
        return min((link.score for link in self.links), default=None)


def _groups(comparison: Comparison) -> list[list[Link]]:
    """Links joined when they share a statement (connected components), in input order."""
    parent = list(range(len(comparison.links)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    owner: dict[str, int] = {}
    for k, link in enumerate(comparison.links):
        for sid in (*link.a, *link.b):
            if sid in owner:
                r1, r2 = root(owner[sid]), root(k)
                if r1 != r2:
                    parent[max(r1, r2)] = min(r1, r2)
            else:
                owner[sid] = k
    groups: dict[int, list[Link]] = {}
    for k, link in enumerate(comparison.links):
        groups.setdefault(root(k), []).append(link)
    return list(groups.values())


def build_rows(comparison: Comparison, first: str | None = None) -> tuple[Row, ...]:
    """The rows in the reading order of readout ``first`` (default A); see the module docstring."""
    a, b = comparison.a, comparison.b
    first_readout = b if first == b.side else a
    second_readout = a if first_readout is b else b
    index = {st.id: st.index for r in comparison.readouts for st in r.statements}
    sides = {st.id: r.side for r in comparison.readouts for st in r.statements}

    def ordered(ids: set[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=lambda i: (index.get(i, 1 << 30), i)))

    linked: list[Row] = []
    for links in _groups(comparison):
        a_ids = ordered({sid for link in links for sid in link.a})
        b_ids = ordered({sid for link in links for sid in link.b})
        links_sorted = tuple(
            sorted(links, key=lambda l: (min(index.get(i, 1 << 30) for i in l.a or ("",)), min(index.get(i, 1 << 30) for i in l.b or ("",))))
        )
        relation: Relation = "emphasis" if any(link.label == "emphasis" for link in links) else "shared"
        linked.append(Row(a_ids, b_ids, relation, links_sorted))

    def first_ids(row: Row) -> tuple[str, ...]:
        return row.a if first_readout is a else row.b

    def second_ids(row: Row) -> tuple[str, ...]:
        return row.b if first_readout is a else row.a

    keyed: list[tuple[tuple[int, int, int], Row]] = []
    for row in linked:
        ids_first, ids_second = first_ids(row), second_ids(row)
        key = (index[ids_first[0]] if ids_first else -1, 1, index[ids_second[0]] if ids_second else -1)
        keyed.append((key, row))
    omitted = {side: set(ids) for side, ids in comparison.omissions.items()}
    for st in first_readout.statements:
        if st.id in omitted.get(first_readout.side, ()):
            ids = (st.id,)
            row = Row(ids if first_readout is a else (), () if first_readout is a else ids, "omission", nearest=comparison.nearest.get(st.id))
            keyed.append(((st.index, 0, -1), row))
    keyed.sort(key=lambda item: item[0])
    table = [row for _, row in keyed]
    row_of = {sid: k for k, row in enumerate(table) for sid in second_ids(row)}
    placed: list[tuple[tuple[int, int, int], Row]] = [((k, 0, 0), row) for k, row in enumerate(table)]
    anchor = -1
    for st in second_readout.statements:
        if st.id in omitted.get(second_readout.side, ()):
            ids = (st.id,)
            row = Row(() if first_readout is a else ids, ids if first_readout is a else (), "omission", nearest=comparison.nearest.get(st.id))
            placed.append(((anchor, 1, st.index), row))
        elif st.id in row_of:
            anchor = row_of[st.id]
    placed.sort(key=lambda item: item[0])
    del sides
    return tuple(row for _, row in placed)


def relations(rows: tuple[Row, ...]) -> dict[str, Relation]:
    """Each statement's relation: the relation of the one row it is in."""
    return {sid: row.relation for row in rows for sid in row.ids}
