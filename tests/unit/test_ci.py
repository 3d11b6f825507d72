"""CI runs the README's two commands as the README writes them, then mypy; they cannot drift."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"
EXTRACTOR = ROOT / ".ci" / "readme_commands.py"


def _extractor():
    spec = importlib.util.spec_from_file_location("readme_commands", EXTRACTOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ci_lines() -> list[str]:
    """The commands of .ci/run, without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in CI_RUN.read_text(encoding="utf-8").splitlines()[1:])
    return [line for line in lines if line]


def test_dry_run_prints_the_readme_sh_blocks_verbatim() -> None:
    blocks = re.findall(r"^```sh\n(.*?)\n```$", README.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    out = subprocess.run(
        [sys.executable, str(EXTRACTOR), "--dry-run"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    assert out.splitlines() == blocks[:2]


def test_the_readme_keeps_its_install_and_test_commands() -> None:
    run, test = _extractor().readme_commands(README.read_text(encoding="utf-8"))
    assert "pip install ." in run and "diffreadout report" in run
    assert 'pip install ".[test]"' in test and test.endswith("pytest")
    for command in (run, test):
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate")


def test_extractor_refuses_a_readme_that_lost_a_command() -> None:
    extractor = _extractor()
    with pytest.raises(ValueError):
        extractor.readme_commands("# x\n\n```sh\npip install .\n```\n\nno second block\n")


def test_ci_runs_the_readme_commands_and_adds_nothing_a_user_would_not_do() -> None:
    lines = _ci_lines()
    assert "python3 .ci/readme_commands.py" in lines
    # No install or test step of its own: those come from the README.
    assert not [line for line in lines if re.search(r"\bpip\b|\bpytest\b|-m venv", line)]
    # Offline by default, with a throwaway cache, as the test suite expects.
    assert "export HF_HUB_OFFLINE=1" in lines
    assert any(line.startswith("DIFFREADOUT_CACHE_DIR=") and "mktemp" in line for line in lines)
    assert lines.index("python3 .ci/readme_commands.py") > lines.index("export HF_HUB_OFFLINE=1")


def test_ci_type_checks_with_the_mypy_the_test_extra_installs() -> None:
    lines = _ci_lines()
    assert lines[-1] == ".venv/bin/mypy"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(req.startswith("mypy") for req in project["project"]["optional-dependencies"]["test"])
    assert project["tool"]["mypy"]["files"]
