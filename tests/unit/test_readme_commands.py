"""The README's two commands are what CI runs: the test fails when they drift apart."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _extractor():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("readme_commands", ROOT / ".ci" / "readme_commands.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_starts_with_the_two_commands() -> None:
    install_and_run, install_and_test = _extractor().readme_commands()
    for command in (install_and_run, install_and_test):
        steps = [step.strip() for step in command.split("&&")]
        assert steps[0] == "python3 -m venv .venv"
        assert steps[1] == ". .venv/bin/activate"
        # torch's CPU build first, or pip pulls a CUDA build; never a pip upgrade.
        assert steps[2] == "pip install torch==2.13.0"
        assert "upgrade" not in command
    assert "pip install ." in install_and_run
    run = shlex.split(install_and_run.split("&&")[-1])
    assert run[:2] == ["diffreadout", "report"]
    for path in run[2:4]:
        assert (ROOT / path).is_file(), f"the README's example {path} does not exist"
    assert 'pip install ".[test]"' in install_and_test
    assert install_and_test.split("&&")[-1].strip() == "pytest"


def test_ci_runs_the_readme_commands_and_nothing_else() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    code = [line for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert "python3 .ci/readme_commands.py" in code
    assert not any(re.search(r"\bpip\b", line) for line in code), "CI installs something the README does not"
    assert not any("pytest" in line for line in code), "CI runs tests another way than the README"
    assert any("mypy" in line for line in code)


def test_the_test_extra_installs_what_ci_runs() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    test_extra = pyproject.split("test = [", 1)[1].split("]", 1)[0]
    for package in ("pytest", "mypy"):
        assert f'"{package}' in test_extra
