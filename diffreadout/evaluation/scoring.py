"""Score a Comparison against a gold case, exactly as ../shared/eval/FORMAT.md defines it.

System statements are mapped onto gold statements by span overlap (at least half of the
shorter span); each link stands for every (gold A, gold B) pair under it; counts are summed
over cases (micro-average) before ratios are taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from diffreadout.evaluation.cases import GoldCase
from diffreadout.model import Comparison


@dataclass
class Counts:
    """True/false positive and false negative counts for one measure."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        """Accumulate another count (micro-averaging)."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted and nothing was expected."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Pair, labelled-pair and omission counts for one case or a whole set."""

    pairs: Counts = field(default_factory=Counts)
    labelled: Counts = field(default_factory=Counts)
    omissions: Counts = field(default_factory=Counts)

    def add(self, other: Score) -> None:
        """Accumulate another score."""
        self.pairs.add(other.pairs)
        self.labelled.add(other.labelled)
        self.omissions.add(other.omissions)

    def as_dict(self) -> dict[str, float]:
        """The figures FORMAT.md names, rounded for display and JSON."""
        return {
            "pair_precision": round(self.pairs.precision, 4),
            "pair_recall": round(self.pairs.recall, 4),
            "pair_f1": round(self.pairs.f1, 4),
            "labelled_f1": round(self.labelled.f1, 4),
            "omission_precision": round(self.omissions.precision, 4),
            "omission_recall": round(self.omissions.recall, 4),
            "omission_f1": round(self.omissions.f1, 4),
        }


def _counts(system: set, gold: set) -> Counts:  # type: ignore[type-arg]
    return Counts(tp=len(system & gold), fp=len(system - gold), fn=len(gold - system))


def map_spans(
    system: Sequence[tuple[str, int, int]], gold: Sequence[tuple[str, int, int]]
) -> dict[str, set[str]]:
    """Map each system statement id to the gold ids it overlaps by >= half the shorter span."""
    mapping: dict[str, set[str]] = {}
    for sid, s_start, s_end in system:
        hits: set[str] = set()
        for gid, g_start, g_end in gold:
            if g_start >= s_end:
                break
            overlap = min(s_end, g_end) - max(s_start, g_start)
            shorter = min(s_end - s_start, g_end - g_start)
            if overlap > 0 and shorter > 0 and 2 * overlap >= shorter:
                hits.add(gid)
        mapping[sid] = hits
    return mapping


def score_comparison(comparison: Comparison, case: GoldCase) -> Score:
    """Score one system comparison against one gold case."""
    maps = {}
    for readout, side in zip(comparison.readouts, ("A", "B")):
        system = [(st.id, st.start, st.end) for st in readout.statements]
        gold = sorted(case.statements[side], key=lambda g: g[1])
        maps[side] = map_spans(system, gold)
    system_pairs: set[tuple[str, str, str]] = set()
    for link in comparison.links:
        gold_a = set().union(*(maps["A"].get(x, set()) for x in link.a)) if link.a else set()
        gold_b = set().union(*(maps["B"].get(x, set()) for x in link.b)) if link.b else set()
        system_pairs.update((ga, gb, link.label) for ga in gold_a for gb in gold_b)
    gold_pairs = case.gold_pairs()
    touched = {x for a, b, _ in system_pairs for x in (a, b)}
    all_gold = {sid for side in ("A", "B") for sid, _, _ in case.statements[side]}
    return Score(
        pairs=_counts({(a, b) for a, b, _ in system_pairs}, {(a, b) for a, b, _ in gold_pairs}),
        labelled=_counts(system_pairs, gold_pairs),
        omissions=_counts(all_gold - touched, case.gold_omissions()),
    )


def total(scores: Iterable[Score]) -> Score:
    """Micro-average: the sum of all counts."""
    out = Score()
    for s in scores:
        out.add(s)
    return out
