"""``eval`` validates every case: one line naming the case and the problem, then the others run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inprocess import invoke, use_fake_embedder

A_TEXT = "Alpha met Beta. They discussed trade. Alpha raised Ukraine.\n"
B_TEXT = "Beta met Alpha today. Trade was discussed at length. Beta spoke of climate.\n"


def _case() -> dict:
    return {
        "id": "x",
        "readouts": [{"side": "A", "label": "LA", "file": "a.txt"}, {"side": "B", "label": "LB", "file": "b.txt"}],
        "statements": {
            "A": [{"id": "A1", "start": 0, "end": 15}, {"id": "A2", "start": 16, "end": 37}],
            "B": [{"id": "B1", "start": 0, "end": 21}, {"id": "B2", "start": 22, "end": 52}],
        },
        "links": [{"a": ["A1"], "b": ["B1"], "label": "shared"}],
    }


def _write(folder: Path, case: dict | str) -> None:
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(A_TEXT, encoding="utf-8")
    (folder / "b.txt").write_text(B_TEXT, encoding="utf-8")
    text = case if isinstance(case, str) else json.dumps(case)
    (folder / "case.json").write_text(text, encoding="utf-8")


def _with(**changes: object) -> dict:
    case = _case()
    for path, value in changes.items():
        target: dict = case
        *heads, last = path.split("__")
        for head in heads:
            target = target[head] if not head.isdigit() else target[int(head)]  # type: ignore[index]
        if last.isdigit():
            target[int(last)] = value  # type: ignore[index]
        else:
            target[last] = value
    return case


GOOD = json.dumps(_case())
BAD_CASES: dict[str, tuple[dict | str, str]] = {
    "huge-number": (GOOD.replace('"end": 15', '"end": 1e400'), "1e400 is out of range"),
    "infinity": (GOOD.replace('"end": 15', '"end": Infinity'), "Infinity is not a JSON number"),
    "nan": (GOOD.replace('"end": 15', '"end": NaN'), "NaN is not a JSON number"),
    "float-offset": (GOOD.replace('"end": 15', '"end": 15.5'), "offset 15.5 is not a whole number"),
    "deep": ('{"id": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested 100001 levels deep"),
    "empty-gold-side": (_with(statements__B=[], links=[]), "side B has no gold statements"),
    "duplicate-id": (_with(statements__A__1={"id": "A1", "start": 16, "end": 37}), "'A1' appears more than once"),
    "unknown-link": (_with(links=[{"a": ["A9"], "b": ["B1"], "label": "shared"}]), "link 1 names 'A9'"),
    "wrong-side": (_with(links=[{"a": ["B1"], "b": ["B2"], "label": "shared"}]), "not a side A statement"),
    "bad-label": (_with(links=[{"a": ["A1"], "b": ["B1"], "label": "same"}]), "link 1 has label 'same'"),
    "out-of-range": (_with(statements__B__1={"id": "B2", "start": 22, "end": 9999}), "spans 22..9999, outside b.txt"),
    "negative": (_with(statements__A__0={"id": "A1", "start": -3, "end": 15}), "spans -3..15"),
    "outside-folder": (_with(readouts__0={"side": "A", "label": "LA", "file": "../../secret.txt"}),
                       "'../../secret.txt' is outside the case folder"),
    "absolute": (_with(readouts__1={"side": "B", "label": "LB", "file": "/etc/hostname"}),
                 "'/etc/hostname' is outside the case folder"),
}


def test_every_bad_case_is_one_line_and_the_good_ones_are_scored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_fake_embedder(monkeypatch)
    (tmp_path / "secret.txt").write_text("not part of any case\n", encoding="utf-8")
    root = tmp_path / "cases"
    _write(root / "00-good", _case())
    for name, (case, _) in BAD_CASES.items():
        _write(root / name, case)
    _write(root / "zz-good", _case())
    run = invoke("eval", str(root))
    assert run.code == 1
    assert "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == len(BAD_CASES), run.err
    for name, (_, problem) in BAD_CASES.items():
        line = next((x for x in lines if f"/{name}/case.json" in x), None)
        assert line is not None, (name, run.err)
        assert line.startswith("diffreadout: error: ") and problem in line, (name, line)
    assert "00-good" not in run.err and "zz-good" not in run.err
    assert "micro-average over 2 cases" in run.out


def test_only_bad_cases_exit_1_without_a_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_embedder(monkeypatch)
    _write(tmp_path / "cases" / "one", _with(statements__A=[], links=[]))
    run = invoke("eval", str(tmp_path / "cases"))
    assert run.code == 1 and run.out == ""
    assert len(run.err.strip().splitlines()) == 1
