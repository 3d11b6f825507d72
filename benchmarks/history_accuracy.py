"""Precision and recall of ``history`` per status on fixtures/history-cn-kz (gold.json).

Every readout of the series is added to a fresh library; the history of each readout after
the first is taken against the ones before it and compared with the gold: statement status
(stock, variant, new), stock clauses inside other sentences, and dropped formulations (a
found and a gold formulation agree when one's words contain the other's).

    python3 benchmarks/history_accuracy.py [FIXTURE_DIR]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from diffreadout.core.history import history_of, normalise  # noqa: E402
from diffreadout.core.text.readouts import make_readout  # noqa: E402
from diffreadout.storage.library import Library, NewReadout  # noqa: E402
from diffreadout.storage.library_query import LibraryScope  # noqa: E402

STATUSES = ("stock", "variant", "new", "dropped")


def _same(a: str, b: str) -> bool:
    na, nb = normalise(a), normalise(b)
    return na in nb or nb in na


def score_series(folder: Path) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Counts (tp, fp, fn) per status, and one line per disagreement."""
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    counts = {s: {"tp": 0, "fp": 0, "fn": 0} for s in (*STATUSES, "clause")}
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        library = Library(Path(tmp) / "library.sqlite")
        readouts = [make_readout("A", r["file"], r["file"], (folder / r["file"]).read_text(encoding="utf-8"))
                    for r in gold["readouts"]]
        library.add_many([NewReadout(ro, gold["publisher"], r["date"], gold["meeting"])
                          for ro, r in zip(readouts, gold["readouts"])])
        with library.connect() as conn:
            for readout, g in list(zip(readouts, gold["readouts"]))[1:]:
                scope = LibraryScope(conn, gold["publisher"], g["date"], exclude_sha256=readout.sha256, meeting=gold["meeting"])
                history = history_of(readout, scope, publisher=gold["publisher"], date=g["date"], meeting=gold["meeting"])
                by_text = {readout.statement(st.id).text: st for st in history.statements}
                for item in g["statements"]:
                    st = by_text.get(item["text"])
                    found = st.status if st else "missing"
                    if found == item["status"]:
                        counts[found]["tp"] += 1
                    else:
                        counts[item["status"]]["fn"] += 1
                        if found in counts:
                            counts[found]["fp"] += 1
                        misses.append(f"{g['date']} {item['status']} -> {found}: {item['text'][:80]}")
                for item in g["clauses"]:
                    hit = any(c.status == item["status"] and _same(c.text, item["text"])
                              for st in history.statements for c in st.clauses)
                    counts["clause"]["tp" if hit else "fn"] += 1
                    if not hit:
                        misses.append(f"{g['date']} clause {item['status']} not found: {item['text'][:80]}")
                for text in g["dropped"]:
                    if any(_same(d.text, text) for d in history.dropped):
                        counts["dropped"]["tp"] += 1
                    else:
                        counts["dropped"]["fn"] += 1
                        misses.append(f"{g['date']} dropped not found: {text[:80]}")
                for d in history.dropped:
                    if not any(_same(d.text, text) for text in g["dropped"]):
                        counts["dropped"]["fp"] += 1
                        misses.append(f"{g['date']} dropped, not in gold: {d.text[:80]}")
    return counts, misses


def figures(counts: dict[str, dict[str, int]]) -> dict[str, tuple[float, float]]:
    """Precision and recall per status."""
    out = {}
    for status, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        out[status] = (p, r)
    return out


def main() -> None:
    """Print the figures and the disagreements."""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "fixtures" / "history-cn-kz"
    counts, misses = score_series(folder)
    print(f"{'status':8} {'precision':>9} {'recall':>7}   tp  fp  fn")
    for status, (p, r) in figures(counts).items():
        c = counts[status]
        print(f"{status:8} {p:9.3f} {r:7.3f} {c['tp']:4d} {c['fp']:3d} {c['fn']:3d}")
    for line in misses:
        print("  " + line)


if __name__ == "__main__":
    main()
