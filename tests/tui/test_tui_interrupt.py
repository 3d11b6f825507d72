"""Ctrl-C, SIGINT and SIGTERM in the real app, in a pseudo-terminal, as a person would meet them.

Each test starts ``python -m diffreadout`` (through a small driver that swaps in the fake
embedder) in a pty and checks the exit code, that no traceback was printed, that the terminal
was handed back (alternate screen left), and that an interrupted export left no partial file.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_helpers import TEXT_A, TEXT_B

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pty")

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 60.0

DRIVER = r'''
import os, sys, time
from pathlib import Path

import diffreadout.cli.commands as cli
from diffreadout.core.similarity.embed import HashingEmbedder

cli.build_embedder = lambda config: HashingEmbedder()
mark = os.environ.get("SLOW_FSYNC_MARK")
if mark:
    real_fsync = os.fsync

    def slow_fsync(fd):
        Path(mark).touch()  # the report is being written: now is the time to interrupt
        time.sleep(1.5)
        real_fsync(fd)

    os.fsync = slow_fsync
sys.argv = ["diffreadout", *sys.argv[1:]]
cli.run()
'''


_STARTED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_app_outlives_its_test() -> Iterator[None]:
    """Kill the app's whole process group if a test ends (or fails) with it still running."""
    yield
    while _STARTED:
        process = _STARTED.pop()
        if process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class PtyApp:
    """The app running in a pseudo-terminal, with everything it wrote so far."""

    def __init__(self, tmp_path: Path, env: dict[str, str] | None = None) -> None:
        (tmp_path / "a.txt").write_text(TEXT_A, encoding="utf-8")
        (tmp_path / "b.txt").write_text(TEXT_B, encoding="utf-8")
        driver = tmp_path / "driver.py"
        driver.write_text(DRIVER, encoding="utf-8")
        master, slave = pty.openpty()
        full_env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "DIFFREADOUT_CACHE_DIR": str(tmp_path / "cache"),
            "COLUMNS": "100",
            "LINES": "30",
            **(env or {}),
        }
        self.process = subprocess.Popen(
            [sys.executable, str(driver), "--segment", "lines", "a.txt", "b.txt"],
            stdin=slave, stdout=slave, stderr=slave, cwd=tmp_path, env=full_env, start_new_session=True,
        )
        _STARTED.append(self.process)
        os.close(slave)
        self.master = master
        self.output = b""

    def read_until(self, *needles: bytes) -> None:
        """Read output until every needle has appeared (or fail on timeout or exit)."""
        deadline = time.monotonic() + TIMEOUT_S
        while not all(needle in self.output for needle in needles):
            assert time.monotonic() < deadline, f"timed out waiting for {needles}: {self.output[-2000:]!r}"
            if not self._read(0.2) and self.process.poll() is not None:
                pytest.fail(f"exited {self.process.returncode} before {needles}: {self.output[-2000:]!r}")

    def _read(self, timeout: float) -> bool:
        if not select.select([self.master], [], [], timeout)[0]:
            return False
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:
            return False
        self.output += data
        return bool(data)

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def finish(self) -> int:
        """Wait for the exit (reading on, so the app never blocks on a full terminal); the code."""
        deadline = time.monotonic() + TIMEOUT_S
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"did not exit: {self.output[-2000:]!r}")
            self._read(0.05)
        while self._read(0.05):
            pass
        os.close(self.master)
        return self.process.returncode

    def assert_clean_exit(self, code: int, message: bytes) -> None:
        assert self.finish() == code, self.output[-2000:]
        assert b"Traceback" not in self.output
        assert b"\x1b[?1049l" in self.output  # left the alternate screen: the terminal is handed back
        assert self.output.rstrip().endswith(message), self.output[-300:]


def test_ctrl_c_key_exits_130_without_a_traceback(tmp_path: Path) -> None:
    app = PtyApp(tmp_path)
    app.read_until(b"A1 ", b"B1 ")
    app.send(b"\x03")
    app.assert_clean_exit(130, b"diffreadout: interrupted")


@pytest.mark.parametrize(("signum", "code", "message"), [
    (signal.SIGINT, 130, b"diffreadout: interrupted"),
    (signal.SIGTERM, 143, b"diffreadout: terminated"),
])
def test_signals_from_outside_restore_the_terminal(tmp_path: Path, signum: int, code: int, message: bytes) -> None:
    app = PtyApp(tmp_path)
    app.read_until(b"A1 ", b"B1 ")
    app.process.send_signal(signum)
    app.assert_clean_exit(code, message)


@pytest.mark.parametrize("interrupt", ["ctrl-c key", "SIGINT"])
def test_an_export_interrupted_while_writing_leaves_no_partial_file(tmp_path: Path, interrupt: str) -> None:
    mark = tmp_path / "writing"
    app = PtyApp(tmp_path, {"SLOW_FSYNC_MARK": str(mark)})
    app.read_until(b"A1 ", b"B1 ", b"1.00")  # a link score: analysed, so a report can be exported
    app.send(b"x")
    app.read_until(b"Export the Markdown report to")
    app.send(b"\r")  # the default path, diffreadout-report.md, in tmp_path
    deadline = time.monotonic() + TIMEOUT_S
    while not mark.exists():
        assert time.monotonic() < deadline, app.output[-2000:]
        app._read(0.05)
    if interrupt == "SIGINT":
        app.process.send_signal(signal.SIGINT)
    else:
        app.send(b"\x03")
    app.assert_clean_exit(130, b"diffreadout: interrupted")
    report = tmp_path / "diffreadout-report.md"
    leftovers = [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
    assert leftovers == []
    # The write was under way: it finishes whole (atomic rename) or leaves nothing, never half.
    if report.exists():
        text = report.read_text(encoding="utf-8")
        assert text.startswith("# ") and text.endswith("\n") and "thresholds" in text.lower()
