"""Alignment time and peak memory on generated pairs of 100 to 2,000 statements a side.

    python benchmarks/bench_scale.py [--sizes 100,500,1000,2000] [--model]

Each size runs in its own process (so peak memory is that size's own). By default the
deterministic fake embedder is used, which isolates the aligner (segmentation, lexical and
keyword matrices, features, selection, grouping). With --model the real bundled model embeds
the statements too (cold, no cache), which adds the encoding time.
Target (issue 6): 2,000 x 2,000 within 10 s and 1 GiB.
"""

from __future__ import annotations

import argparse
import sys

from _measure import ROOT, run_measured, python

CHILD = r"""
import random, sys, time
sys.path.insert(0, ROOT)
from diffreadout.core.pipeline import compare, make_readout
from diffreadout.config import AnalysisConfig
n = int(sys.argv[1]); use_model = sys.argv[2] == "1"
rng = random.Random(n)
vocab = ("ministers discussed trade security Ukraine Taiwan sanctions cooperation agreed stressed "
         "investment energy climate visas students dialogue consultations embassy missiles summit "
         "partnership coordination region crisis settlement ceasefire talks export controls").split()
vocab += [f"term{i}" for i in range(2000)]
def text(n):
    out, k = [], 0
    while k < n:
        para = []
        for _ in range(min(rng.randint(1, 5), n - k)):
            words = [rng.choice(vocab) for _ in range(rng.randint(8, 35))]
            para.append(" ".join(words).capitalize() + ".")
            k += 1
        out.append(" ".join(para))
    return "\n".join(out) + "\n"
ta, tb = text(n), text(n)
t0 = time.perf_counter()
ra = make_readout("A", "a", "a", ta); rb = make_readout("B", "b", "b", tb)
if use_model:
    from diffreadout.core.embed import SentenceTransformerEmbedder
    emb = SentenceTransformerEmbedder()
else:
    from diffreadout.core.embed import HashingEmbedder
    emb = HashingEmbedder()
c = compare([ra, rb], AnalysisConfig(), embedder=emb)
print(len(ra.statements), len(rb.statements), round(time.perf_counter() - t0, 3), len(c.links))
""".replace("ROOT", repr(str(ROOT)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,500,1000,2000")
    parser.add_argument("--model", action="store_true", help="embed with the real bundled model (cold)")
    args = parser.parse_args()
    print(f"embedder: {'bundled all-MiniLM-L6-v2, cold' if args.model else 'fake (aligner alone)'}; python {sys.version.split()[0]}")
    print(f"{'statements a side':>18s} {'compare s':>10s} {'process s':>10s} {'peak MiB':>9s} {'links':>6s}")
    for size in (int(s) for s in args.sizes.split(",")):
        wall, peak, out = run_measured(python("-c", CHILD, str(size), "1" if args.model else "0"))
        n_a, n_b, inner, links = out.split()
        print(f"{n_a + ' x ' + n_b:>18s} {float(inner):10.2f} {wall:10.2f} {peak:9.0f} {links:>6s}")
    print("target: 2,000 x 2,000 within 10 s and 1,024 MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
