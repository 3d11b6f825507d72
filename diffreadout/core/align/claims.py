"""Three or more readouts: pairwise alignment of every pair, then claim groups across all.

Each readout is embedded once; every pair is aligned by the same pipeline as two readouts;
the links of all pairs are joined into claim groups (connected statements across readouts).
Pairwise alignment is symmetric and the joining is a set operation, so the groups do not
depend on the order the readouts are given.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from diffreadout.config import AnalysisConfig
from diffreadout.core.pipeline import Progress, compare, default_embedder
from diffreadout.core.similarity.embed import Embedder, MemoEmbedder
from diffreadout.core.union_find import UnionFind
from diffreadout.model import ClaimGroup, Comparison, MultiComparison, Readout, Relation, SourceStatus


def compare_many(
    readouts: Sequence[Readout],
    config: AnalysisConfig | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> MultiComparison:
    """Align every pair of readouts and group their statements into claims."""
    if len(readouts) < 2:
        raise ValueError("compare_many needs at least two readouts")
    config = config or AnalysisConfig()
    memo = MemoEmbedder(embedder or default_embedder(config))
    report = progress or (lambda stage, fraction: None)
    for k, readout in enumerate(readouts):
        report(f"embedding {readout.label}", 0.6 * k / len(readouts))
        memo.prefill([st.text for st in readout.statements])
    pairs: list[Comparison] = []
    all_pairs = list(combinations(range(len(readouts)), 2))
    for k, (i, j) in enumerate(all_pairs):
        report(f"aligning {readouts[i].label} with {readouts[j].label}", 0.6 + 0.4 * k / len(all_pairs))
        pairs.append(compare([readouts[i], readouts[j]], config, embedder=memo))
    report("done", 1.0)
    return MultiComparison(
        readouts=tuple(readouts),
        pairs=tuple(pairs),
        groups=claim_groups(readouts, pairs),
        model=pairs[0].model,
        thresholds=pairs[0].thresholds,
    )


def claim_groups(readouts: Sequence[Readout], pairs: Sequence[Comparison]) -> tuple[ClaimGroup, ...]:
    """Connected statements across all pairwise links, each with its label and per-side status."""
    sets = UnionFind(st.id for r in readouts for st in r.statements)
    edges: list[tuple[str, str, str]] = []
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
    for a, b, label in edges:
        root = sets.find(a)
        labels.setdefault(root, set()).add(label)
        if label == "emphasis":
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
