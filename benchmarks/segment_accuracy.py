"""How well the segmenter's statements match the gold statements of annotated readout pairs.

Usage: python benchmarks/segment_accuracy.py [CASES_DIR] [--mode sentences|lines] [-v]

CASES_DIR holds one folder per case with a.txt, b.txt and case.json (see
../shared/eval/FORMAT.md); it defaults to ../shared/eval/dev next to the repository. For each
readout it prints:

- ours / gold: the number of statements;
- exact: our spans identical to a gold span;
- boundary P / R: statement ends (where one statement stops and the next may begin) that we
  and the gold share, over ours and over the gold's;
- found: gold statements that some span of ours overlaps by at least half of the shorter of
  the two spans (the mapping of FORMAT.md; lenient: a merged span "finds" both halves);
- 1:1: gold statements mapped by exactly one of our spans that maps to nothing else;
- clause: gold statements that end mid-sentence (the gold split one sentence into clauses),
  and how many of those ends we miss.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from diffreadout.core.text.segment import segment  # noqa: E402
from diffreadout.evaluation.cases import CaseError, find_cases, load_case  # noqa: E402

Span = tuple[int, int]
_SENTENCE_END = frozenset(".!?…。！？")
_CLOSERS = "\"'”’»」』）)]"


@dataclass
class Tally:
    """Counts for one readout, or summed over many."""

    ours: int = 0
    gold: int = 0
    exact: int = 0
    ends_shared: int = 0
    found: int = 0
    one_to_one: int = 0
    clause: int = 0
    clause_missed: int = 0

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self, label: str) -> str:
        """Format the tally as one table row."""
        precision = self.ends_shared / self.ours if self.ours else 0.0
        recall = self.ends_shared / self.gold if self.gold else 0.0
        return (
            f"{label:<58} {self.ours:>4} {self.gold:>4} {self.exact:>5} "
            f"{precision:>6.1%} {recall:>6.1%} {self.found:>5} {self.one_to_one:>4} "
            f"{self.clause:>6} {self.clause_missed:>6}"
        )


HEADER = (
    f"{'case / side':<58} {'ours':>4} {'gold':>4} {'exact':>5} "
    f"{'bnd P':>6} {'bnd R':>6} {'found':>5} {'1:1':>4} {'clause':>6} {'missed':>6}"
)


def _overlaps(a: Span, b: Span) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared * 2 >= min(a[1] - a[0], b[1] - b[0])


def _ends_mid_sentence(text: str, end: int) -> bool:
    """True if a gold statement ending at end stops inside a sentence (a clause split)."""
    rest = text[end:]
    if not rest.strip() or rest.lstrip(" \t").startswith("\n"):
        return False  # the end of a line or of the text
    body = text[:end].rstrip().rstrip(_CLOSERS)
    return not body or body[-1] not in _SENTENCE_END


def score_side(text: str, ours: list[Span], gold: list[Span]) -> Tally:
    """Compare our spans with the gold spans of one readout."""
    tally = Tally(ours=len(ours), gold=len(gold))
    tally.exact = len(set(ours) & set(gold))
    tally.ends_shared = len({e for _, e in ours} & {e for _, e in gold})
    our_ends = {e for _, e in ours}
    maps = {i: [j for j, g in enumerate(gold) if _overlaps(o, g)] for i, o in enumerate(ours)}
    for j, g in enumerate(gold):
        mapped_by = [i for i, js in maps.items() if j in js]
        if mapped_by:
            tally.found += 1
        if len(mapped_by) == 1 and maps[mapped_by[0]] == [j]:
            tally.one_to_one += 1
        if _ends_mid_sentence(text, g[1]):
            tally.clause += 1
            tally.clause_missed += g[1] not in our_ends
    return tally


def _show_misses(text: str, ours: list[Span], gold: list[Span]) -> None:
    our_set = set(ours)
    for g in gold:
        if g in our_set:
            continue
        near = [o for o in ours if _overlaps(o, g)]
        print(f"    gold {g}: {text[g[0]:g[1]][:100]!r}")
        for o in near:
            print(f"      ours {o}: {text[o[0]:o[1]][:100]!r}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", default=str(REPO.parent / "shared" / "eval" / "dev"))
    parser.add_argument("--mode", choices=("sentences", "lines"), default="sentences")
    parser.add_argument("-v", "--verbose", action="store_true", help="show gold statements we miss")
    args = parser.parse_args(argv)
    root = Path(args.cases)
    if not root.is_dir():
        print(
            f"segment_accuracy: no cases folder at {root} (pass one as the first argument)",
            file=sys.stderr,
        )
        return 1
    cases = find_cases(root)
    if not cases:
        print(f"segment_accuracy: no case folders with a case.json under {root}", file=sys.stderr)
        return 1
    total = Tally()
    print(HEADER)
    for case_dir in cases:
        try:
            case = load_case(case_dir)
        except CaseError as exc:
            print(f"segment_accuracy: {exc}", file=sys.stderr)
            return 1
        for side, text in zip("AB", case.texts):
            gold = [(start, end) for _, start, end in case.statements[side]]
            ours = segment(text, args.mode)
            tally = score_side(text, ours, gold)
            total.add(tally)
            print(tally.row(f"{case_dir.name[:54]} {side}"))
            if args.verbose:
                _show_misses(text, ours, gold)
    print(total.row("TOTAL"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
