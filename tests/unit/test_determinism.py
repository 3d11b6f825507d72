"""Same inputs, same bytes out, whatever PYTHONHASHSEED: the CLI run twice in fresh processes.

Set and dict order of strings changes with the hash seed, so a result that depended on it
would differ between the two runs. The Markdown report's "Generated:" line is the clock's, so
it is the one line left out of the comparison.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inprocess import _FAKE_DRIVER

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
PAIR = [str(FIXTURES / "biden-xi-call-2024" / "a.txt"), str(FIXTURES / "biden-xi-call-2024" / "b.txt")]
THREE = [*PAIR, str(FIXTURES / "blinken-kuleba-2024" / "a.txt")]


def _run(argv: list[str], seed: str, *, real_model: bool = False) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
    here = str(Path(__file__).resolve().parent)
    command = [sys.executable, "-m", "diffreadout", *argv] if real_model else [sys.executable, "-c", _FAKE_DRIVER, here, *argv]
    result = subprocess.run(command, capture_output=True, env=env, timeout=300, stdin=subprocess.DEVNULL, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    return b"".join(line for line in result.stdout.splitlines(keepends=True) if not line.startswith(b"- Generated: "))


@pytest.mark.parametrize("fmt", ["json", "md"])
@pytest.mark.parametrize("paths", [PAIR, THREE], ids=["two", "three"])
def test_report_bytes_do_not_depend_on_the_hash_seed(paths: list[str], fmt: str) -> None:
    argv = ["report", *paths, "--format", fmt]
    first, second = _run(argv, "0"), _run(argv, "4242")
    assert first and first == second


@pytest.mark.model
def test_real_model_report_bytes_do_not_depend_on_the_hash_seed() -> None:
    argv = ["report", *PAIR, "--format", "json"]
    first, second = _run(argv, "1", real_model=True), _run(argv, "987654", real_model=True)
    assert first and first == second
