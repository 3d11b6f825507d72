"""N-way claims: the links of every pair of readouts joined into claims, one issue at a time.

A claim is one issue's exchange across the readouts: every pairwise link is filed under the
first specific issue its two statements share (lexicon order, core/issues), each statement
under the issue most of its links have, and only links whose issue is both statements' issue
join them into a claim. So a chain of links across different issues (communication, then
Taiwan, then the South China Sea) no longer merges them into one claim; links on no issue join
as before. The grouping is a set operation over symmetric pairwise alignments, so the claims do
not depend on the order the readouts are given (``pipeline.compare_many`` aligns the pairs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from diffreadout.core.issues.lexicon import load_lexicon
from diffreadout.core.union_find import UnionFind
from diffreadout.model import ClaimGroup, Comparison, IssueTag, Readout, Relation, SourceStatus


def _issue_order() -> dict[str, int]:
    return {issue.id: k for k, issue in enumerate(load_lexicon())}


def edge_issue(a_tags: Sequence[IssueTag], b_tags: Sequence[IssueTag], order: Mapping[str, int]) -> tuple[str, str]:
    """(id, name) of the issue a link between two statements is filed under; ("", "") if none."""
    b_specific = {t.id for t in b_tags if t.kind == "specific"}
    common = sorted((t for t in a_tags if t.kind == "specific" and t.id in b_specific),
                    key=lambda t: (order.get(t.id, len(order)), t.id))
    return (common[0].id, common[0].name) if common else ("", "")


def claim_groups(readouts: Sequence[Readout], pairs: Sequence[Comparison]) -> tuple[ClaimGroup, ...]:
    """Claims across all pairwise links, grouped by issue, each with its label and per-side status."""
    order = _issue_order()
    issues: dict[str, tuple[IssueTag, ...]] = {}
    for comparison in pairs:
        for sid, tags in comparison.issues.items():
            # Lexicon tags depend on the statement alone, so every pair gives the same ones.
            issues.setdefault(sid, tuple(t for t in tags if t.kind != "name"))
    edges: list[tuple[str, str, str, str]] = []  # (a, b, label, issue id)
    names: dict[str, str] = {"": ""}
    for comparison in pairs:
        for link in comparison.links:
            for a in link.a:
                for b in link.b:
                    key, name = edge_issue(issues.get(a, ()), issues.get(b, ()), order)
                    names[key] = name
                    edges.append((a, b, link.label, key))
    # Each statement is filed under the issue most of its links share (then lexicon order);
    # only links whose issue is both ends' issue join claims, so a chain across issues breaks.
    votes: dict[str, dict[str, int]] = {}
    for a, b, _, key in edges:
        for sid in (a, b):
            votes.setdefault(sid, {})[key] = votes.setdefault(sid, {}).get(key, 0) + 1
    primary = {
        sid: min(counts, key=lambda k: (-counts[k], k == "", order.get(k, len(order)), k))
        for sid, counts in votes.items()
    }
    sets = UnionFind(sorted(st.id for r in readouts for st in r.statements))
    joined = [edge for edge in edges if primary[edge[0]] == edge[3] == primary[edge[1]]]
    for a, b, _, _ in joined:
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
    for a, b, link_label, _ in joined:
        root = sets.find(a)
        labels.setdefault(root, set()).add(link_label)
        if link_label == "emphasis":
            emphasis_sides.setdefault(root, set()).update((side_of[a], side_of[b]))
    own_labels: dict[str, set[str]] = {}
    for a, b, link_label, _ in edges:
        own_labels.setdefault(a, set()).add(link_label)
        own_labels.setdefault(b, set()).add(link_label)
    groups = []
    for root, ids in members.items():
        sides = sorted({side_of[x] for x in ids})
        statements = tuple((side, tuple(x for x in ids if side_of[x] == side)) for side in sides)
        # A statement left alone by the issue rule is still reported by the others: not an omission.
        found = labels.get(root) or set().union(*(own_labels.get(x, set()) for x in ids))
        label: Relation = "omission" if not found else ("emphasis" if "emphasis" in found else "shared")
        status: list[tuple[str, SourceStatus]] = []
        for r in readouts:
            if r.side not in sides:
                status.append((r.side, "absent"))
            elif r.side in emphasis_sides.get(root, set()):
                status.append((r.side, "differs"))
            else:
                status.append((r.side, "present"))
        issue = names.get(primary.get(root, ""), "")
        if not issue:
            specific = [t for x in ids for t in issues.get(x, ()) if t.kind == "specific"]
            issue = min(specific, key=lambda t: (order.get(t.id, len(order)), t.id)).name if specific else ""
        groups.append(ClaimGroup(statements=statements, label=label, status=tuple(status), issue=issue))

    def rank(group: ClaimGroup) -> tuple[float, float, str, str]:
        ids = [x for _, xs in group.statements for x in xs]
        # Claims most sources carry first, then by mean relative position of first mention:
        # both are independent of the order the readouts were given.
        firsts = [min(position[x] for x in xs) for _, xs in group.statements]
        return (-len(group.statements), sum(firsts) / len(firsts), min(text_of[x] for x in ids), group.issue)

    return tuple(sorted(groups, key=rank))
