"""The README's screen capture is what the app shows for the bundled pair with the bundled model.

Made by benchmarks/readme_capture.py; after a change to the screen, run
``python benchmarks/readme_capture.py --write`` and read the new capture before committing it.
"""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[2]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("readme_capture", ROOT / "benchmarks" / "readme_capture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_capture_matches_the_app() -> None:
    script = _script()
    shown = script.readme_capture((ROOT / "README.md").read_text(encoding="utf-8"))
    assert shown is not None, "README.md has lost its capture markers"
    made = script.capture()
    if made != shown:
        diff = "".join(difflib.unified_diff(shown.splitlines(True), made.splitlines(True), "README.md", "the app"))
        pytest.fail("the README's capture is out of date; run python benchmarks/readme_capture.py --write\n" + diff)


def test_capture_block_is_replaced_whole() -> None:
    script = _script()
    text = f"before\n{script.BEGIN}\n```text\nold\n```\n{script.END}\nafter\n"
    assert script.with_capture(text, "new\n") == f"before\n{script.BEGIN}\n```text\nnew\n```\n{script.END}\nafter\n"
    assert script.readme_capture(script.with_capture(text, "x\n")) == "x\n"
