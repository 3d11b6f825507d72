"""Alignment time and peak memory on generated pairs of 100 to 2,000 statements a side.

    python benchmarks/bench_scale.py [--sizes 100,500,1000,2000] [--model]

Each size runs in its own process (so peak memory is that size's own). By default the
deterministic fake embedder is used, which isolates the aligner (segmentation, lexical and
keyword matrices, features, selection, labels, reasons for every link, topics). With --model
the real bundled model embeds the statements too, through the embedding cache as the CLI does:
once cold (an empty cache: model load and encoding included) and once warm (the same pair
again, its embeddings cached, in a fresh process).
Target (issue 6): 2,000 x 2,000 within 10 s and 1 GiB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from _measure import ROOT, compiled_bytecode, python, run_measured

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
    from diffreadout.storage.embeddings import cached_embedder
    from diffreadout.core.similarity.embed import SentenceTransformerEmbedder
    model = SentenceTransformerEmbedder()
    model_time, depth = [0.0], [0]
    def timed(bare):
        def call(*args, **kwargs):  # outermost call only: encode() calls load() itself
            depth[0] += 1; start = time.perf_counter()
            try:
                return bare(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    model_time[0] += time.perf_counter() - start
        return call
    model.load, model.encode = timed(model.load), timed(model.encode)
    emb = cached_embedder(model)
else:
    from diffreadout.core.similarity.embed import HashingEmbedder
    emb = HashingEmbedder()
    model_time = [0.0]
c = compare([ra, rb], AnalysisConfig(), embedder=emb)
print(len(ra.statements), len(rb.statements), round(time.perf_counter() - t0, 3), len(c.links),
      int("torch" in sys.modules), round(model_time[0], 3))
""".replace("ROOT", repr(str(ROOT)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,500,1000,2000")
    parser.add_argument("--model", action="store_true", help="embed with the real bundled model, cold then warm")
    args = parser.parse_args()
    compiled_bytecode()  # children run from .pyc files, as an installed package does
    runs = ("cold", "warm") if args.model else ("fake",)
    print(f"embedder: {'bundled all-MiniLM-L6-v2 through the embedding cache' if args.model else 'fake (aligner alone)'}; "
          f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    print(f"{'statements a side':>18s} {'run':>5s} {'compare s':>10s} {'of it model':>12s} {'process s':>10s} "
          f"{'peak MiB':>9s} {'links':>6s} {'torch':>6s}")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="diffreadout-bench-scale-") as cache:
            env = {"DIFFREADOUT_CACHE_DIR": cache, "HF_HUB_OFFLINE": "1"}
            for run in runs:
                command = python("-c", CHILD, str(size), "0" if run == "fake" else "1")
                wall, peak, out = run_measured(command, env)
                n_a, n_b, inner, links, torch, model_s = out.split()
                print(f"{n_a + ' x ' + n_b:>18s} {run:>5s} {float(inner):10.2f} {float(model_s):12.2f} {wall:10.2f} "
                      f"{peak:9.0f} {links:>6s} {'yes' if torch == '1' else 'no':>6s}")
    print("'of it model': time spent loading the model and encoding (0 when every embedding was cached)")
    print("target: 2,000 x 2,000 within 10 s and 1,024 MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
