"""Run the command line inside the test process, exactly as the console script does.

``invoke`` calls ``diffreadout.cli.commands.run`` (the console-script entry point, with its exit-code
handling) under click's stream isolation, and returns the exit code and the raw bytes written
to standard output and standard error. Colour stripping is off, so any escape sequence that
would reach a terminal shows up in the bytes. ``use_fake_embedder`` swaps the model for the
hashing fake so that tests stay fast; subprocess tests elsewhere run the real model.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytest
from click.testing import CliRunner

from diffreadout.core.similarity.embed import HashingEmbedder

# What must never reach a terminal from readout text: ESC, BEL, the other C0 controls except
# tab and newline, DEL, C1 controls (8-bit CSI/OSC), bidi overrides and isolates.
UNSAFE_FOR_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class ModelLikeFake(HashingEmbedder):
    """The hashing fake, reading at most the first 2,000 characters of each statement.

    The real model reads at most 256 tokens, so a 5 MB statement costs it no more than a
    short one; the plain fake would hash every character of it.
    """

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of the statements' first 2,000 characters."""
        return super().encode([text[:2000] for text in texts])


def use_fake_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every command use the model-free fake instead of loading the model."""
    monkeypatch.setattr("diffreadout.cli.commands._embedder", lambda config: ModelLikeFake())
    monkeypatch.setattr("diffreadout.core.pipeline.default_embedder", lambda config: ModelLikeFake())


@dataclass(frozen=True)
class Run:
    """The outcome of one command: exit code and raw output bytes."""

    code: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        """Standard output as text."""
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self) -> str:
        """Standard error as text."""
        return self.stderr.decode("utf-8", "replace")


def invoke(*args: str, stdin: bytes | None = None) -> Run:
    """Run ``diffreadout ARGS`` in this process; never raises for a failing command."""
    from diffreadout.cli import commands as cli

    runner = CliRunner()
    with runner.isolation(input=stdin, color=True) as (out, err, _):
        try:
            cli.run(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        sys.stdout.flush()  # what the interpreter flushes at exit
        sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    return Run(code, stdout, stderr)


def assert_one_line_error(run: Run, *needles: str, code: int = 1) -> str:
    """The command failed with one line on stderr holding every needle, nothing on stdout."""
    assert run.code == code, (run.code, run.err[-2000:])
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err[-2000:]
    assert lines[0].startswith("diffreadout: error: "), lines[0]
    assert "Traceback" not in run.err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert run.stdout == b""
    return lines[0]


_FAKE_DRIVER = (
    "import sys\n"
    "sys.path.insert(0, sys.argv.pop(1))\n"
    "from inprocess import ModelLikeFake\n"
    "import diffreadout.core.pipeline as pipeline\n"
    "from diffreadout.cli import commands as cli\n"
    "cli._embedder = lambda config: ModelLikeFake()\n"
    "pipeline.default_embedder = lambda config: ModelLikeFake()\n"
    "cli.run(sys.argv[1:])\n"
)


def invoke_bounded(*args: str, timeout: int = 120) -> Run:
    """Like invoke, but in a child process with the same fake, so a hang fails after timeout.

    For long inputs, where a quadratic slip would otherwise stall the whole test run.
    """
    import os
    import subprocess
    from pathlib import Path

    here = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": str(here.parents[1])}
    result = subprocess.run(
        [sys.executable, "-c", _FAKE_DRIVER, str(here), *args],
        capture_output=True,
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Run(result.returncode, result.stdout, result.stderr)
