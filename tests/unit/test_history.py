"""History of a readout: the fixture series, the JSON shape, the library and bad input."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from diffreadout.cli import main
from diffreadout.core.history import split_clauses, word_diff
from diffreadout.core.text.readouts import make_readout
from diffreadout.storage.library import Library, NewReadout

ROOT = Path(__file__).resolve().parents[2]
SERIES = ROOT / "fixtures" / "history-cn-kz"
PUB = "Chinese MFA"


def _bench():
    spec = importlib.util.spec_from_file_location("history_accuracy", ROOT / "benchmarks" / "history_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cli(args: list[str], library: Path, input: str | None = None):
    return CliRunner().invoke(main, args, env={"DIFFREADOUT_LIBRARY": str(library)}, input=input)


@pytest.fixture()
def filled(tmp_path: Path) -> Path:
    lib = tmp_path / "lib.sqlite"
    for path in sorted(SERIES.glob("20*.txt"))[:-1]:
        result = _cli(["library", "add", str(path), "--publisher", PUB, "--date", path.stem, "--meeting", "Kazakhstan"], lib)
        assert result.exit_code == 0, result.output
    return lib


def test_the_series_is_found_per_status() -> None:
    bench = _bench()
    counts, misses = bench.score_series(SERIES)
    figures = bench.figures(counts)
    for status in ("stock", "variant", "new", "dropped"):
        precision, recall = figures[status]
        assert precision >= 0.9 and recall >= 0.9, (status, figures[status], misses)
    assert counts["dropped"]["tp"] >= 10 and counts["clause"]["tp"] == 1


def test_clauses_keep_names_whole_and_offsets() -> None:
    text = "Wang Yi said that China and Kazakhstan are good neighbours, and the Belt and Road cooperation grew."
    spans = split_clauses(text)
    pieces = [text[a:b] for a, b in spans]
    assert pieces == ["Wang Yi said", "China and Kazakhstan are good neighbours", "the Belt and Road cooperation grew"]


def test_word_diff_points_into_the_new_text() -> None:
    new = "the permanent comprehensive strategic partnership"
    (change,) = word_diff("the comprehensive strategic partnership", new, 10)
    assert change.op == "insert" and change.after == "permanent" and new[change.start - 10:change.end - 10] == "permanent"


def test_history_json_shape_and_spans(filled: Path) -> None:
    target = SERIES / "2025-11-20.txt"
    result = _cli(["history", str(target), "--publisher", PUB, "--date", "2025-11-20", "--meeting", "Kazakhstan",
                   "--format", "json"], filled)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["version"] == 1 and data["earlier_readouts"] == 8
    text = target.read_text(encoding="utf-8")
    for st in data["readout"]["statements"]:
        assert text[st["start"]:st["end"]] == st["text"]
        assert st["status"] in {"stock", "variant", "new"}
        for clause in st.get("clauses", []):
            assert text[clause["start"]:clause["end"]] == clause["text"]
    good = next(s for s in data["readout"]["statements"] if s["text"].startswith("Wang Yi said that China"))
    assert good["status"] == "stock" and good["count"] == 6 and good["first"] == "2018-06-07"
    assert good["earlier"][0]["date"] == "2024-07-02" and good["earlier"][0]["score"] == 1.0
    variant = next(s for s in data["readout"]["statements"] if s["text"].startswith("Kosherbayev"))
    assert variant["status"] == "variant" and "Nurtleu" in variant["diff"] and "Kosherbayev" in variant["diff"]
    dropped = " ".join(d["text"] for d in data["dropped"])
    assert "not directed against any third party" in dropped and "security cooperation" in dropped


def test_add_is_deduplicated_and_search_finds_uses_with_dates(filled: Path) -> None:
    again = _cli(["library", "add", str(SERIES / "2018-06-07.txt"), "--publisher", PUB, "--date", "2018-06-07"], filled)
    assert again.exit_code == 0 and "already in the library" in again.output
    assert len(Library(filled).entries()) == 8
    found = _cli(["library", "search", "permanent comprehensive strategic partnership"], filled)
    assert found.exit_code == 0
    dates = [line.split("\t")[0] for line in found.output.splitlines() if "\t" in line]
    assert "2021-05-12" in dates and "2018-06-07" not in dates
    fuzzy = _cli(["library", "search", "not directed against any third parties"], filled)
    assert "fuzzy" in fuzzy.output and "2018-06-07" in fuzzy.output


def test_remove_and_import(tmp_path: Path, filled: Path) -> None:
    removed = _cli(["library", "remove", "1"], filled)
    assert removed.exit_code == 0 and len(Library(filled).entries()) == 7
    csv_path = tmp_path / "archive.csv"
    csv_path.write_text(f"publisher,date,path\n{PUB},2018-06-07,{SERIES / '2018-06-07.txt'}\n", encoding="utf-8")
    imported = _cli(["library", "import", str(csv_path)], filled)
    assert imported.exit_code == 0, imported.output
    assert [e.date for e in Library(filled).entries()][0] == "2018-06-07"


def _snapshot(lib: Path) -> list[tuple]:
    with sqlite3.connect(lib) as conn:
        return conn.execute("SELECT sha256, date FROM readouts ORDER BY id").fetchall()


@pytest.mark.parametrize("args, message", [
    (["library", "add", "X", "--publisher", " ", "--date", "2025-01-01"], "--publisher is empty"),
    (["library", "add", "X", "--publisher", PUB, "--date", "2025-13-40"], "not a date"),
    (["library", "add", "X", "--publisher", PUB, "--date", "21 Feb 2025"], "not a date"),
    (["history", "X", "--publisher", PUB, "--date", "2017-01-01"], "no readouts of 'Chinese MFA' dated before 2017-01-01"),
    (["history", "X", "--publisher", PUB, "--date", "2020-01-01", "--since", "2021-01-01"], "is after the readout's date"),
    (["history", "X", "--publisher", "Russian MFA"], "no readouts of 'Russian MFA'"),
])
def test_bad_input_is_one_line_and_leaves_the_library(filled: Path, args: list[str], message: str) -> None:
    args = [str(SERIES / "2025-11-20.txt") if a == "X" else a for a in args]
    before = _snapshot(filled)
    result = _cli(args, filled)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert _snapshot(filled) == before


def test_empty_library_and_a_bad_file_mid_add(tmp_path: Path) -> None:
    lib = tmp_path / "lib.sqlite"
    empty = _cli(["history", str(SERIES / "2025-11-20.txt"), "--publisher", PUB], lib)
    assert empty.exit_code == 1 and "library is empty" in empty.output and not lib.exists()
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    bad = _cli(["library", "add", str(SERIES / "2018-06-07.txt"), str(tmp_path / "empty.txt"), "--publisher", PUB,
                "--date", "2018-06-07"], lib)
    assert bad.exit_code == 1 and "empty.txt" in bad.output
    assert Library(lib).entries() == []


def test_an_interrupted_add_leaves_the_library_as_it_was(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib.sqlite")
    readouts = [make_readout("A", p.name, p.name, p.read_text(encoding="utf-8")) for p in sorted(SERIES.glob("20*.txt"))]
    lib.add_many([NewReadout(readouts[0], PUB, "2018-06-07")])

    def interrupt(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        lib.add_many([NewReadout(r, PUB, f"2019-01-0{i + 1}") for i, r in enumerate(readouts[1:])], progress=interrupt)
    assert [e.source for e in lib.entries()] == [readouts[0].source]
    with lib.connect() as conn:
        assert conn.execute("SELECT COUNT(DISTINCT readout_id) FROM uses").fetchone()[0] == 1


def test_report_adds_new_language_and_dropped_per_side(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from inprocess import invoke, use_fake_embedder

    use_fake_embedder(monkeypatch)
    monkeypatch.setenv("DIFFREADOUT_LIBRARY", str(filled))
    a, b = SERIES / "2025-11-20.txt", ROOT / "fixtures" / "lavrov-wang-2025-02" / "a.txt"
    plain = invoke("report", str(a), str(b))
    assert plain.code == 0 and "New language" not in plain.out
    md = invoke("report", str(a), str(b), "--publisher-a", PUB)
    assert md.code == 0, md.err
    assert "## New language — A" in md.out and "## Dropped formulations — A" in md.out
    assert "not directed against any third party" in md.out.split("## Dropped formulations — A")[1]
    assert "— B" not in md.out
    data = json.loads(invoke("report", str(a), str(b), "--publisher-a", PUB, "--format", "json").out)
    assert set(data["history"]) == {"A"} and data["links"] is not None
    statuses = {s["status"] for s in data["history"]["A"]["readout"]["statements"]}
    assert statuses == {"stock", "variant", "new"}


def test_folders_stdin_and_two_writers_at_once(tmp_path: Path) -> None:
    import threading

    lib = tmp_path / "lib.sqlite"
    folder = tmp_path / "folder"
    folder.mkdir()
    for path in sorted(SERIES.glob("20*.txt"))[:3]:
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    added = _cli(["library", "add", str(folder), "--publisher", PUB, "--date", "2020-01-01"], lib)
    assert added.exit_code == 0 and "added 3 readouts" in added.output
    piped = _cli(["library", "add", "-", "--publisher", "Russian MFA", "--date", "2020-01-02"], lib,
                 input="Lavrov held talks with Wang Yi. The ministers discussed the bilateral agenda.\n")
    assert piped.exit_code == 0 and "added 1 readout" in piped.output
    readouts = [make_readout("A", p.name, p.name, p.read_text(encoding="utf-8")) for p in sorted(SERIES.glob("20*.txt"))[3:]]
    errors: list[BaseException] = []

    def add(part: list) -> None:
        try:
            Library(lib).add_many([NewReadout(r, "Kazakh MFA", "2021-01-01") for r in part])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(readouts[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(Library(lib).entries("Kazakh MFA")) == len(readouts) and len(Library(lib).entries()) == 4 + len(readouts)


def test_history_is_the_same_under_two_hash_seeds(filled: Path) -> None:
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT), "DIFFREADOUT_LIBRARY": str(filled)}
        outputs.append(subprocess.run(
            [sys.executable, "-m", "diffreadout", "history", str(SERIES / "2025-11-20.txt"), "--publisher", PUB,
             "--date", "2025-11-20", "--format", "json"], env=env, capture_output=True, check=True).stdout)
    assert outputs[0] == outputs[1] and b'"dropped"' in outputs[0]
