"""`eval` on bad cases: every problem is one line naming the case, and the other cases are
still scored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from inprocess import invoke, use_fake_embedder

from diffreadout.evaluation.cases import CaseError, load_case

A_TEXT = "Alpha met Beta. They discussed trade. Alpha raised Ukraine.\n"
B_TEXT = "Beta met Alpha today. Trade was discussed at length. Beta spoke of climate.\n"


def _case() -> dict[str, Any]:
    return {
        "id": "c",
        "readouts": [{"side": "A", "label": "LA", "file": "a.txt"}, {"side": "B", "label": "LB", "file": "b.txt"}],
        "statements": {
            "A": [{"id": "A1", "start": 0, "end": 15}, {"id": "A2", "start": 16, "end": 37}],
            "B": [{"id": "B1", "start": 0, "end": 21}, {"id": "B2", "start": 22, "end": 52}],
        },
        "links": [{"a": ["A1"], "b": ["B1"], "label": "shared"}, {"a": ["A2"], "b": ["B2"], "label": "emphasis"}],
    }


def _write(folder: Path, case: dict[str, Any] | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(A_TEXT, encoding="utf-8")
    (folder / "b.txt").write_text(B_TEXT, encoding="utf-8")
    (folder / "case.json").write_text(case if isinstance(case, str) else json.dumps(case), encoding="utf-8")
    return folder


def _with(path: str, value: Any) -> dict[str, Any]:
    case = _case()
    target: Any = case
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    target[int(last) if last.isdigit() else last] = value
    return case


BAD: list[tuple[str, dict[str, Any] | str, str]] = [
    ("1e400", json.dumps(_case()).replace('"end": 15', '"end": 1e400'), "1e400 is out of range"),
    ("infinity", json.dumps(_case()).replace('"end": 15', '"end": Infinity'), "Infinity is not a number JSON allows"),
    ("nan", json.dumps(_case()).replace('"end": 15', '"end": NaN'), "NaN is not a number JSON allows"),
    ("deep", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("missing-side", _with("statements", {"A": []}), "statements of side B: the list is missing"),
    ("duplicate-id", _with("statements.A.1.id", "A1"), "statement id A1 is used twice"),
    ("id-on-both-sides", _with("statements.B.0.id", "A1"), "statement id A1 is used twice"),
    ("unknown-id", _with("links.0.b", ["B9"]), "link 1: B9 is not a statement of side B"),
    ("wrong-side", _with("links.0.a", ["B1"]), "link 1: B1 is not a statement of side A"),
    ("empty-link-side", _with("links.1.a", []), "link 2: 'a' must be a non-empty list of statement ids"),
    ("offset-past-end", _with("statements.A.1.end", 999), "statement A2: span 16-999 is outside the text of side A"),
    ("negative-offset", _with("statements.A.0.start", -1), "statement A1: span -1-15 is outside the text of side A"),
    ("float-offset", _with("statements.A.0.end", 15.0), "statement A1: start and end must be whole numbers"),
    ("bool-offset", _with("statements.A.0.start", True), "statement A1: start and end must be whole numbers"),
    ("outside-folder", _with("readouts.0.file", "../a.txt"), "readout A: file '../a.txt' is outside the case folder"),
    ("absolute-file", _with("readouts.1.file", "/etc/hostname"), "readout B: file '/etc/hostname' is outside the case folder"),
    ("three-sides", _with("readouts", [{"side": "A", "file": "a.txt"}, {"side": "A", "file": "a.txt"},
                                       {"side": "B", "file": "b.txt"}]), "exactly one side A and one side B"),
    ("bad-label", _with("links.0.label", "same"), "link 1: label must be shared or emphasis (is 'same')"),
]


@pytest.mark.parametrize(("name", "case", "problem"), BAD, ids=[b[0] for b in BAD])
def test_each_bad_case_is_one_line_naming_the_case(tmp_path: Path, name: str, case: Any, problem: str) -> None:
    folder = _write(tmp_path / name, case)
    with pytest.raises(CaseError) as info:
        load_case(folder)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(folder / "case.json") + ": "), message
    assert problem in message, message


def test_an_empty_gold_side_is_scored_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A readout the annotator found nothing in: every statement of the other side is an omission.
    use_fake_embedder(monkeypatch)
    case = _with("statements.B", [])
    case["links"] = []
    _write(tmp_path / "cases" / "empty-b", case)
    result = invoke("eval", str(tmp_path / "cases"), "--format", "json")
    assert result.code == 0, result.err
    figures = json.loads(result.out)["micro_average"]
    assert figures["pair_recall"] == 1.0 and figures["omission_recall"] == 1.0  # nothing to find, all A omitted


def test_a_sound_case_still_loads(tmp_path: Path) -> None:
    case = load_case(_write(tmp_path / "ok", _case()))
    assert case.gold_pairs() == {("A1", "B1", "shared"), ("A2", "B2", "emphasis")}


def test_eval_scores_the_good_cases_and_names_the_bad_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_embedder(monkeypatch)
    _write(tmp_path / "cases" / "a-good", _case())
    _write(tmp_path / "cases" / "b-bad", _with("links.0.b", ["B9"]))
    _write(tmp_path / "cases" / "c-good", _case())
    result = invoke("eval", str(tmp_path / "cases"), "--format", "json")
    assert result.code == 1
    payload = json.loads(result.out)
    assert [c["id"] for c in payload["cases"]] == ["c", "c"]
    errors = [line for line in result.err.splitlines() if line.startswith("diffreadout: error:")]
    assert len(errors) == 1 and "b-bad" in errors[0] and "B9 is not a statement of side B" in errors[0]
    assert "1 of 3 cases skipped" in result.err
    assert "Traceback" not in result.err
