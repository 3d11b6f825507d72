"""Golden files: the Markdown report and the JSON of every fixture pair, reviewed as documents.

Any difference fails with a unified diff. After reviewing a change, accept it with
``DIFFREADOUT_UPDATE_GOLDEN=1 pytest tests/unit/test_golden.py`` and read the new files
(``python -m rich.markdown tests/golden/<case>.md``) before committing them.

The comparison is made as ``diffreadout report`` makes it (our segmentation, the default
config) but with the deterministic HashingEmbedder, a fixed version and a fixed date, so the
goldens change only when the report, the segmentation or the alignment changes.
"""

from __future__ import annotations

import difflib
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from diffreadout.core.pipeline import compare, make_readout
from diffreadout.core.similarity.embed import Embedder, HashingEmbedder
from diffreadout.evaluation.cases import load_case
from diffreadout.export.json import dumps, loads
from diffreadout.export.markdown import render_markdown
from diffreadout.model import Comparison

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.parent for p in FIXTURES.glob("*/case.json") if not p.parent.name.startswith("_"))
GOLDEN_VERSION = "0.1.0"
GOLDEN_DATE = datetime(2025, 1, 1, tzinfo=timezone.utc)
UPDATE = os.environ.get("DIFFREADOUT_UPDATE_GOLDEN") == "1"


def comparison_of(case: Path, embedder: Embedder | None = None) -> Comparison:
    """Compare a fixture pair the way the report command does (with the fake embedder unless told)."""
    gold = load_case(case)
    readouts = [
        make_readout(side, label, name, text)
        for side, label, name, text in zip("AB", gold.labels, gold.files, gold.texts)
    ]
    return compare(readouts, embedder=embedder or HashingEmbedder())


# Scores are printed to 4 decimals; another numpy build may sum in another order and move the
# last digit of a value that sits on a rounding boundary. That is not a change of the report.
FLOAT_TOLERANCE = 2e-4


def _close(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= FLOAT_TOLERANCE
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    return a == b


def _same_json(expected: str, actual: str) -> bool:
    """True when two JSON texts differ at most in the last printed digit of some numbers."""
    import json

    return _close(json.loads(expected), json.loads(actual))


def check_golden(path: Path, actual: str) -> None:
    """Compare with the stored golden file (or write it in update mode)."""
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing; create it with DIFFREADOUT_UPDATE_GOLDEN=1 and review it")
    expected = path.read_text(encoding="utf-8")
    if actual != expected and not (path.suffix == ".json" and _same_json(expected, actual)):
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{path.relative_to(ROOT)} (golden)",
                tofile="generated now",
            )
        )
        pytest.fail(
            f"{path.relative_to(ROOT)} differs from the generated output; if the change is intended, "
            f"review it and run with DIFFREADOUT_UPDATE_GOLDEN=1\n{diff}",
            pytrace=False,
        )


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def case(request: pytest.FixtureRequest) -> tuple[Path, Comparison]:
    return request.param, comparison_of(request.param)


def test_there_are_fixture_pairs() -> None:
    assert CASES, "no fixture pairs under fixtures/*/case.json"


def test_markdown_golden(case: tuple[Path, Comparison]) -> None:
    folder, comparison = case
    report = render_markdown(comparison, version=GOLDEN_VERSION, generated=GOLDEN_DATE)
    check_golden(GOLDEN / f"{folder.name}.md", report)


def test_json_golden(case: tuple[Path, Comparison]) -> None:
    folder, comparison = case
    text = dumps(comparison, version=GOLDEN_VERSION)
    check_golden(GOLDEN / f"{folder.name}.json", text)
    assert loads(text) == comparison


@pytest.mark.parametrize("folder", CASES, ids=[c.name for c in CASES])
def test_golden_reports_are_valid_gfm(folder: Path) -> None:
    path = GOLDEN / f"{folder.name}.md"
    if not path.exists():
        pytest.skip("golden not written yet")
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(path.read_text(encoding="utf-8"))
    assert not any(t.type.startswith("html") for t in tokens)
    widths: list[set[int]] = []
    for token in tokens:
        if token.type == "table_open":
            widths.append(set())
            cells = 0
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            widths[-1].add(cells)
    assert widths and all(len(w) == 1 for w in widths)
    assert [w.pop() for w in widths] == [5, 3, 4, 6]  # coverage, aligned, meeting, topics


def test_no_stale_goldens() -> None:
    names = {c.name for c in CASES}
    stale = sorted(
        p.name
        for p in GOLDEN.glob("*")
        if re.fullmatch(r".+\.(md|json)", p.name) and p.stem not in names and p.stem != "README"
    )
    if UPDATE:
        for name in stale:
            (GOLDEN / name).unlink()
        return
    assert not stale, f"golden files without a fixture pair: {stale}"
