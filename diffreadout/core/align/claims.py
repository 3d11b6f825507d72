"""N-way claims: the links of every pair of readouts joined into claim groups.

The joining is a set operation over symmetric pairwise alignments, so the groups do not depend
on the order the readouts are given (``pipeline.compare_many`` aligns the pairs).
"""

from __future__ import annotations

from collections.abc import Sequence

from diffreadout.core.union_find import UnionFind
from diffreadout.model import ClaimGroup, Comparison, Readout, Relation, SourceStatus


def claim_groups(readouts: Sequence[Readout], pairs: Sequence[Comparison]) -> tuple[ClaimGroup, ...]:
    """Connected statements across all pairwise links, each with its label and per-side status."""
    sets = UnionFind(st.id for r in readouts for st in r.statements)
    edges: list[tuple[str, str, Relation]] = []
    for comparison in pairs:
        for link in comparison.links:
            for a in link.a:
                for b in link.b:
                    edges.append((a, b, link.label))
                    sets.union(a, b)
    members: dict[str, list[str]] = {}
    for r in readouts:
        for st in r.statements:
            members.setdefault(sets.find(st.id), []).append(st.id)
    side_of = {st.id: r.side for r in readouts for st in r.statements}
    position = {st.id: st.index / max(1, len(r.statements) - 1) for r in readouts for st in r.statements}
    text_of = {st.id: st.text for r in readouts for st in r.statements}
    emphasis_sides: dict[str, set[str]] = {}
    labels: dict[str, set[str]] = {}
    for a, b, edge_label in edges:
        root = sets.find(a)
        labels.setdefault(root, set()).add(edge_label)
        if edge_label == "emphasis":
            emphasis_sides.setdefault(root, set()).update((side_of[a], side_of[b]))
    groups = []
    for root, ids in members.items():
        sides = sorted({side_of[x] for x in ids})
        statements = tuple((side, tuple(x for x in ids if side_of[x] == side)) for side in sides)
        found = labels.get(root, set())
        label: Relation = "omission" if not found else ("emphasis" if "emphasis" in found else "shared")
        status: list[tuple[str, SourceStatus]] = []
        for r in readouts:
            if r.side not in sides:
                status.append((r.side, "absent"))
            elif r.side in emphasis_sides.get(root, set()):
                status.append((r.side, "differs"))
            else:
                status.append((r.side, "present"))
        groups.append(ClaimGroup(statements=statements, label=label, status=tuple(status)))

    def order(group: ClaimGroup) -> tuple[float, float, str]:
        ids = [x for _, xs in group.statements for x in xs]
        # Claims most sources carry first, then by mean relative position of first mention:
        # both are independent of the order the readouts were given.
        firsts = [min(position[x] for x in xs) for _, xs in group.statements]
        return (-len(group.statements), sum(firsts) / len(firsts), min(text_of[x] for x in ids))

    return tuple(sorted(groups, key=order))
