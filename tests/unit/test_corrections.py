"""Corrections: the gold-format file, applying it by span overlap, edits, the store, and the CLI."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from inprocess import assert_one_line_error, invoke, use_fake_embedder

from diffreadout.config import AnalysisConfig
from diffreadout.core.corrections import (
    apply,
    from_comparison,
    from_dict,
    join,
    link_statements,
    set_label,
    set_note,
    split_link,
    to_dict,
    unlink,
)
from diffreadout.core.pipeline import align, analyse, make_readout
from diffreadout.core.similarity.embed import HashingEmbedder
from diffreadout.evaluation.cases import load_case, read_case_data
from diffreadout.evaluation.scoring import score_comparison
from diffreadout.export.json import dumps, loads
from diffreadout.export.markdown import render_markdown
from diffreadout.storage.corrections import CorrectionsFileError, read_json, write_json

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = sorted(p.parent for p in FIXTURES.glob("*/case.json") if not p.parent.name.startswith("_"))
SHOWCASE = FIXTURES / "lavrov-wang-2025-02"


def engine(case: Path):  # type: ignore[no-untyped-def]
    gold = load_case(case)
    readouts = [make_readout(s, lab, f, t) for s, lab, f, t in zip("AB", gold.labels, gold.files, gold.texts)]
    analysis = analyse(readouts, AnalysisConfig(), HashingEmbedder())
    return gold, analysis, align(analysis, AnalysisConfig())


@pytest.mark.parametrize("case", [c for c in CASES if c.name != "biden-xi-call-2024"], ids=lambda c: c.name)
def test_gold_case_as_corrections_reproduces_gold(case: Path) -> None:
    gold, analysis, comparison = engine(case)
    before = score_comparison(comparison, gold).as_dict()
    assert before["pair_f1"] < 1.0  # the engine alone is not perfect, so the test can fail
    corrected, report = apply(comparison, from_dict(read_case_data(case / "case.json")), analysis)
    score = score_comparison(corrected, gold).as_dict()
    assert score["pair_f1"] == 1.0 and score["labelled_f1"] == 1.0 and score["omission_f1"] == 1.0
    assert report.stale == ()
    # page furniture (a dateline) is no statement of ours: reported, and never a gold link's
    linked = {x for a, b, _ in gold.links for x in (*a, *b)}
    assert all("matches no statement" in line and line.split()[0] not in linked for line in report.unmatched)
    assert all(link.by == "analyst" for link in corrected.links)


def test_edits_round_trip_through_the_file() -> None:
    _, analysis, comparison = engine(SHOWCASE)
    a1 = comparison.a.statements[0].id
    b_last = comparison.b.statements[-1].id
    corr = link_statements(comparison, [a1], [b_last], "emphasis", analysis)
    current, _ = apply(comparison, corr, analysis)
    (new,) = [lk for lk in current.links if a1 in lk.a]
    assert new.a == (a1,) and new.b == (b_last,) and new.label == "emphasis" and new.by == "analyst"
    assert current.review is not None and current.review.engine_proposal(a1) == comparison.links_of(a1)
    corr = set_label(current, new, "shared")
    current, _ = apply(comparison, corr, analysis)
    corr = set_note(current, a1, "check the Chinese text")
    current, _ = apply(comparison, corr, analysis)
    (new,) = current.links_of(a1)
    assert new.label == "shared" and new.note == "check the Chinese text"
    corr = unlink(current, a1)
    current, _ = apply(comparison, corr, analysis)
    assert a1 in current.omissions["A"] and a1 in current.review.analyst_omissions
    corr = set_note(current, a1, "not in B")
    again, report = apply(comparison, from_dict(json.loads(json.dumps(to_dict(corr)))), analysis)
    assert report.applied >= 1
    assert again.review.omission_note(a1) == "not in B"
    assert [(lk.a, lk.b, lk.label) for lk in again.links] == [(lk.a, lk.b, lk.label) for lk in current.links]


def test_split_makes_one_to_one_links() -> None:
    _, analysis, comparison = engine(SHOWCASE)
    a = [st.id for st in comparison.a.statements[:2]]
    b = [st.id for st in comparison.b.statements[:2]]
    current, _ = apply(comparison, link_statements(comparison, a, b, "shared", analysis), analysis)
    (block,) = [lk for lk in current.links if set(lk.a) == set(a)]
    current, _ = apply(comparison, split_link(current, block, analysis), analysis)
    mine = [lk for lk in current.links if set(lk.a) & set(a)]
    assert len(mine) == 2 and all(len(lk.a) == len(lk.b) == 1 for lk in mine)


def test_changed_text_keeps_present_statements_and_lists_stale() -> None:
    _, analysis, comparison = engine(SHOWCASE)
    a1, a2 = comparison.a.statements[0], comparison.a.statements[1]
    b1 = comparison.b.statements[0].id
    corr = link_statements(comparison, [a1.id], [b1], "emphasis", analysis)
    corr = from_comparison(apply(comparison, corr, analysis)[0], {a1.id, a2.id}, {a2.id: "x"})
    data = to_dict(corr)
    data["statements"]["A"] = [s for s in data["statements"]["A"] if s["id"] in (a1.id, a2.id)]
    for s in data["statements"]["A"]:
        if s["id"] == a2.id:
            s["text"] = "A sentence that the new text does not hold."
    data["readouts"][0]["sha256"] = "0" * 64  # the text has changed since
    corrected, report = apply(comparison, from_dict(data), analysis)
    assert any(a2.id in line for line in report.stale)
    assert any(a1.id in lk.a and lk.by == "analyst" and lk.label == "emphasis" for lk in corrected.links)


def test_unmatched_correction_is_reported() -> None:
    _, analysis, comparison = engine(SHOWCASE)
    data = read_case_data(SHOWCASE / "case.json")
    data["statements"]["A"].append({"id": "A99", "start": 10**6, "end": 10**6 + 5})
    corrected, report = apply(comparison, from_dict(data), analysis)
    assert report.stale and "A99" in report.stale[0]


def test_json_and_markdown_mark_the_analyst() -> None:
    _, analysis, comparison = engine(SHOWCASE)
    a1, b1 = comparison.a.statements[0].id, comparison.b.statements[0].id
    current, _ = apply(comparison, link_statements(comparison, [a1], [b1], "shared", analysis), analysis)
    current, _ = apply(comparison, set_note(current, a1, "B says it first"), analysis, source="f.json", sha256="ab")
    data = json.loads(dumps(current))
    (link,) = [lk for lk in data["links"] if a1 in lk["a"]]
    assert link["by"] == "analyst" and link["note"] == "B says it first"
    assert all(lk["by"] in ("engine", "analyst") for lk in data["links"])
    assert set(data["omitted_by"]) == {x for ids in data["omissions"].values() for x in ids}
    assert data["corrections"]["file"] == "f.json" and data["corrections"]["sha256"] == "ab"
    back = loads(dumps(current))
    assert [lk.by for lk in back.links] == [lk.by for lk in current.links]
    md = render_markdown(current, version="0", generated="today")
    assert "(analyst; note: B says it first)" in md
    assert "analyst corrections applied from f.json, sha256 ab" in md or "analyst correction applied" in md


def test_store_is_atomic_and_reports_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "corrections" / "x-y.json"
    write_json(path, {"a": 1})
    assert read_json(path) == {"a": 1}
    assert [p.name for p in path.parent.iterdir()] == ["x-y.json"]  # no temp file left
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CorrectionsFileError, match="x-y.json: not valid JSON"):
        read_json(path)
    assert read_json(tmp_path / "absent.json") is None


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    use_fake_embedder(monkeypatch)
    monkeypatch.setenv("DIFFREADOUT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DIFFREADOUT_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("a.txt", "b.txt"):
        shutil.copy(SHOWCASE / name, tmp_path / name)
    return tmp_path / "a.txt", tmp_path / "b.txt"


def test_cli_report_applies_named_and_stored_corrections(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    run = invoke("report", str(a), str(b), "--format", "json", "--corrections", str(SHOWCASE / "case.json"))
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["corrections"]["applied"] > 0 and all(lk["by"] == "analyst" for lk in data["links"])
    stored = Path(invoke("corrections", "path", str(a), str(b)).out.strip())
    assert str(stored).startswith(str(tmp_path / "data" / "corrections"))
    stored.parent.mkdir(parents=True)
    shutil.copy(SHOWCASE / "case.json", stored)
    run = invoke("report", str(a), str(b), "--format", "json")
    assert json.loads(run.out)["corrections"]["file"] == str(stored)
    run = invoke("report", str(a), str(b), "--format", "json", "--no-corrections")
    assert "corrections" not in json.loads(run.out)
    assert "link A14 ~ B16 shared" in invoke("corrections", "show", str(a), str(b)).out
    assert invoke("cache", "clear").code == 0
    assert stored.exists()  # cache clear never touches the analyst's work
    stored.write_text("{broken", encoding="utf-8")
    run = invoke("report", str(a), str(b), "--format", "json")
    assert run.code == 0 and "not valid JSON" in run.err and len(run.err.strip().splitlines()) == 1
    assert_one_line_error(invoke("report", str(a), str(b), "--corrections", str(stored)), "not valid JSON")


def test_cli_export_writes_a_case_eval_accepts(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    stored = Path(invoke("corrections", "path", str(a), str(b)).out.strip())
    stored.parent.mkdir(parents=True)
    shutil.copy(SHOWCASE / "case.json", stored)
    out = tmp_path / "mycase"
    run = invoke("corrections", "export", str(a), str(b), "-o", str(out))
    assert run.code == 0, run.err
    mine = load_case(out)
    gold = load_case(SHOWCASE)
    assert mine.gold_pairs() == gold.gold_pairs()
    run = invoke("eval", str(out), "--format", "json")
    assert run.code == 0, run.err


def test_gold_case_of_another_pair_is_stale_not_misapplied(pair: tuple[Path, Path]) -> None:
    a, b = pair
    other = FIXTURES / "iwaya-cho-2025" / "case.json"
    run = invoke("report", str(a), str(b), "--format", "json", "--corrections", str(other))
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["corrections"]["applied"] == 0 and data["corrections"]["stale"]
    assert all(lk["by"] == "engine" for lk in data["links"])


def test_join_adds_an_omission_to_the_link_of_the_chosen_statement() -> None:
    _, analysis, comparison = engine(SHOWCASE)
    a1 = comparison.a.statements[0].id
    (link,) = comparison.links_of(a1)
    lonely = next(st.id for st in comparison.b.statements if st.id in comparison.omissions["B"])
    current, _ = apply(comparison, join(comparison, lonely, [a1], analysis), analysis)
    (joined,) = current.links_of(lonely)
    assert set(joined.a) == set(link.a) and set(joined.b) == set(link.b) | {lonely}
    assert joined.label == link.label and joined.by == "analyst"
    # from the link's row, choosing only the other statement moves the link there
    b_new = lonely
    current, _ = apply(comparison, join(comparison, a1, [b_new], analysis), analysis)
    assert current.counterparts(a1) == (b_new,)


def test_a_failed_write_keeps_the_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.json"
    write_json(path, {"version": 1})

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # Ctrl-C between the temp file and the rename

    monkeypatch.setattr("diffreadout.storage.corrections.os.replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_json(path, {"version": 2})
    assert read_json(path) == {"version": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]


def test_tui_data_dir_option(pair: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr("diffreadout.cli.commands._run_tui", lambda sources, config: seen.append(os.environ["DIFFREADOUT_DATA_DIR"]))
    a, b = pair
    assert invoke(str(a), str(b), "--data-dir", str(tmp_path / "mine")).code == 0
    assert seen[-1] == str(tmp_path / "mine")
