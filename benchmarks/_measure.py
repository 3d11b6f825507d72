"""Helpers for the benchmarks: run a command in a child process and read its wall time and peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
def compiled_bytecode() -> None:
    """Let child processes run from compiled bytecode, as an installed package does.

    pip writes .pyc files for what it installs; with PYTHONDONTWRITEBYTECODE set (as on some
    machines), every measured run would compile diffreadout from source, a cost no user pays.
    The children may write __pycache__ folders in the checkout (git ignores them). A
    PYTHONPYCACHEPREFIX is dropped too: it would hide the installed packages' own .pyc files
    and make the first run compile all of torch.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.pop("PYTHONPYCACHEPREFIX", None)
    subprocess.run(
        [sys.executable, "-c", "import diffreadout.cli.commands, diffreadout.core.pipeline, diffreadout.core.align.claims, "
         "diffreadout.export.markdown, diffreadout.export.json, diffreadout.tui.app"],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True,
    )


def run_measured(args: list[str], env: dict[str, str] | None = None, stdin: bytes | None = None) -> tuple[float, float, str]:
    """Run a command; return (wall seconds, peak RSS MiB of that child, stdout)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}: {err.decode(errors='replace')[-500:]}")
    return wall, usage.ru_maxrss / 1024.0, out.decode(errors="replace")


def python(*code_or_args: str) -> list[str]:
    """The current interpreter with arguments."""
    return [sys.executable, *code_or_args]


def best_of(n: int, args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Fastest wall time and the peak memory of that run, over n runs."""
    runs = [run_measured(args, env)[:2] for _ in range(n)]
    return min(runs)
