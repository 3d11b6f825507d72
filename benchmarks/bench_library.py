"""Library at scale: add N generated readouts (default 10,000), then time a warm ``history``.

Readouts are generated from the stock sentences of fixtures/history-cn-kz plus invented
sentences of random vocabulary, for a few publishers and counterparts, so the library holds
many distinct formulations, as an archive does. Prints the add time, the history time of a
new readout (best of 5, warm database) and the database size.

    python3 benchmarks/bench_library.py [N]
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from diffreadout.core.history import history_of  # noqa: E402
from diffreadout.core.text.readouts import make_readout  # noqa: E402
from diffreadout.storage.library import Library, NewReadout  # noqa: E402
from diffreadout.storage.library_query import LibraryScope  # noqa: E402

WORDS = ("cooperation trade energy transport agriculture security digital green investment culture tourism "
         "education health finance connectivity corridor pipeline railway port logistics summit mechanism "
         "dialogue exchanges youth media science technology innovation industry minerals water climate "
         "border customs visa aviation satellite space nuclear solar wind grain cotton wool steel").split()
COUNTERPARTS = ["Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Mongolia", "Pakistan", "Russia"]
PUBLISHERS = ["Chinese MFA", "Russian MFA", "Kazakh MFA"]


def _stock() -> list[str]:
    gold = json.loads((ROOT / "fixtures" / "history-cn-kz" / "gold.json").read_text(encoding="utf-8"))
    return sorted({s["text"] for r in gold["readouts"] for s in r["statements"] if s["status"] != "new"})


def _sentence(rng: random.Random, country: str) -> str:
    """An invented sentence: a dozen vocabulary words in random order, so it is new."""
    picked = rng.sample(WORDS, 12)
    picked.insert(rng.randrange(12), country)
    return " ".join(picked).capitalize() + f" {rng.randint(1, 999)}."


def make_text(rng: random.Random, stock: list[str], country: str, edit: float = 0.2) -> str:
    """A readout: title, dateline, a dozen stock sentences (some edited) and a few new ones."""
    lines = [f"Wang Yi Holds Talks with the Foreign Minister of {country}",
             f"On {rng.choice(['May', 'June', 'July'])} {rng.randint(1, 28)}, Wang Yi held talks with the foreign minister of {country}."]
    for sentence in rng.sample(stock, 12):
        lines.append(sentence.replace("Kazakhstan", country) if rng.random() >= edit else sentence.replace(" the ", f" the {rng.choice(WORDS)} {rng.choice(WORDS)} ", 1))
    lines += [_sentence(rng, country) for _ in range(4)]
    return "\n\n".join(lines) + "\n"


def main() -> None:
    """Build the library, time add and history, print the figures."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(17)
    stock = _stock()
    with tempfile.TemporaryDirectory() as tmp:
        library = Library(Path(tmp) / "library.sqlite")
        t0 = time.perf_counter()
        items = []
        for i in range(n):
            country = COUNTERPARTS[i % len(COUNTERPARTS)]
            day = f"{2010 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            text = make_text(rng, stock, country) + f"\nReference {i}.\n"
            items.append(NewReadout(make_readout("A", f"gen-{i}.txt", f"gen-{i}.txt", text), PUBLISHERS[i % 3], day, country))
        t1 = time.perf_counter()
        library.add_many(items)
        t2 = time.perf_counter()
        new_text = make_text(random.Random(99), stock, "Kazakhstan", edit=0.5)
        new = make_readout("A", "new.txt", "new.txt", new_text)
        times = []
        with library.connect() as conn:
            for _ in range(5):
                start = time.perf_counter()
                h = history_of(new, LibraryScope(conn, "Chinese MFA", "2026-01-01", meeting="Kazakhstan"),
                               publisher="Chinese MFA", date="2026-01-01", meeting="Kazakhstan")
                times.append(time.perf_counter() - start)
        size = library.size_bytes()
        new_path = Path(tmp) / "new.txt"
        new_path.write_text(new_text, encoding="utf-8")
        env = {**os.environ, "DIFFREADOUT_LIBRARY": str(library.path), "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "diffreadout", "history", str(new_path), "--publisher", "Chinese MFA",
                        "--date", "2026-01-01", "--meeting", "Kazakhstan", "--format", "json", "-o", os.devnull],
                       env=env, check=True)
        cli = time.perf_counter() - start
    print(f"readouts: {n:,}  statements per readout: {len(items[0].readout.statements)}")
    print(f"segment {n:,} readouts: {t1 - t0:.1f} s; library add (one transaction): {t2 - t1:.1f} s; total {t2 - t0:.1f} s")
    print(f"history of a new readout, warm: best {min(times) * 1000:.0f} ms, first {times[0] * 1000:.0f} ms "
          f"({h.earlier_readouts:,} earlier readouts; {h.count('stock')} stock, {h.count('variant')} variant, "
          f"{h.count('new')} new, {len(h.dropped)} dropped)")
    print(f"diffreadout history (the whole command, a new process, warm page cache): {cli * 1000:.0f} ms")
    print(f"database size: {size / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
