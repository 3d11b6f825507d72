"""Every write error is one line and a non-zero exit; SIGTERM cleans up like Ctrl-C; stale
temporary files left by a killed run are swept."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diffreadout import output
from diffreadout.output import OutputError, write_output
from diffreadout.storage.pages import PageCache

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEAD_PID = 4_194_399  # above Linux's largest pid_max: no such process
FIXTURE = ROOT / "fixtures" / "lavrov-wang-2025-02"

_DRIVER = (
    "import sys, os, time\n"
    "sys.path.insert(0, sys.argv.pop(1))\n"
    "from inprocess import ModelLikeFake\n"
    "import diffreadout.core.pipeline as pipeline\n"
    "from diffreadout.cli import commands as cli\n"
    "cli._embedder = lambda config: ModelLikeFake()\n"
    "pipeline.default_embedder = lambda config: ModelLikeFake()\n"
    "if os.environ.get('SLOW_FSYNC'):\n"
    "    import diffreadout.output as out\n"
    "    real = os.fsync\n"
    "    def slow(fd):\n"
    "        print('fsync', flush=True, file=sys.stderr)\n"
    "        time.sleep(30)\n"
    "        real(fd)\n"
    "    out.os.fsync = slow\n"
    "cli.run(sys.argv[1:])\n"
)


def _cli(*args: str, stdout: object, extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(extra_env or {})}
    return subprocess.Popen(
        [sys.executable, "-c", _DRIVER, str(HERE), *args],
        stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,  # type: ignore[arg-type]
    )


def _report_args() -> list[str]:
    return ["report", str(FIXTURE / "a.txt"), str(FIXTURE / "b.txt"), "--no-cache"]


def _one_error_line(err: bytes) -> str:
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("diffreadout: error: "), lines[0]
    return lines[0]


def test_full_disk_on_standard_output_is_one_line_and_exit_1() -> None:
    with open("/dev/full", "wb") as full:
        proc = _cli(*_report_args(), stdout=full)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert "No space left on device" in _one_error_line(err)


def test_closed_pipe_on_standard_output_is_one_line_and_exit_1() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    try:
        proc = _cli(*_report_args(), stdout=write_end)
    finally:
        os.close(write_end)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert "closed the pipe" in _one_error_line(err)


def test_a_short_write_is_continued_and_a_failing_one_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = "x" * 13_404
    real_write = os.write
    calls: list[int] = []

    def short(fd: int, data: bytes) -> int:
        calls.append(len(data))
        return real_write(fd, bytes(data[:4096]))

    with open(tmp_path / "out", "w") as stream:
        monkeypatch.setattr(sys, "stdout", stream)
        monkeypatch.setattr(output.os, "write", short)
        write_output("-", content, force=False)
    assert (tmp_path / "out").read_text() == content  # every short write was continued
    assert len(calls) == 4

    def nearly_full(fd: int, data: bytes) -> int:
        if calls and calls[-1] == -1:
            raise OSError(errno.ENOSPC, "No space left on device")
        calls.append(-1)
        return real_write(fd, bytes(data[:4096]))

    with open(tmp_path / "out2", "w") as stream:
        monkeypatch.setattr(sys, "stdout", stream)
        monkeypatch.setattr(output.os, "write", nearly_full)
        monkeypatch.setattr(output, "_silence_stdout", lambda: None)
        with pytest.raises(OutputError) as info:
            write_output("-", content, force=False)
    assert str(info.value) == "standard output: cannot write: No space left on device (4096 of 13404 bytes written)"


def test_sigterm_while_writing_the_report_removes_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    proc = _cli(*_report_args(), "-o", str(target), stdout=subprocess.DEVNULL, extra_env={"SLOW_FSYNC": "1"})
    assert proc.stderr is not None
    deadline = time.monotonic() + 90
    line = b""
    while b"fsync" not in line and time.monotonic() < deadline:
        line = proc.stderr.readline()
    assert b"fsync" in line
    temps = [p.name for p in tmp_path.iterdir()]
    assert len(temps) == 1 and temps[0].startswith(".r.md.") and temps[0].endswith(".tmp")
    proc.send_signal(signal.SIGTERM)
    err = proc.stderr.read()
    proc.wait(timeout=30)
    assert proc.returncode == 143
    assert err.decode().strip() == "diffreadout: terminated"
    assert list(tmp_path.iterdir()) == []


def test_a_stale_report_temp_from_a_killed_run_is_swept(tmp_path: Path) -> None:
    stale = tmp_path / f".r.md.{DEAD_PID}.deadbeef.tmp"
    stale.write_bytes(b"x" * 10_000)
    live = tmp_path / f".r.md.{os.getppid()}.cafebabe.tmp"  # a running process's: kept
    live.write_bytes(b"y")
    unrelated = tmp_path / ".other.md.123.abcd.tmp"
    unrelated.write_bytes(b"z")
    write_output(str(tmp_path / "r.md"), "# report\n", force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, unrelated.name, "r.md"])


def test_cache_clear_removes_temporary_page_files(tmp_path: Path) -> None:
    cache = PageCache(tmp_path)
    cache.put("http://example.org/a", "http://example.org/a", "text/html", b"<html>a</html>")
    for name in (f".tmp-{DEAD_PID}-abc.page", ".tmp-oldstyle.page"):
        (tmp_path / name).write_bytes(b"half a page")
    assert cache.clear() == 1
    assert list(tmp_path.iterdir()) == []


def test_a_stale_page_temp_is_swept_by_the_next_put(tmp_path: Path) -> None:
    cache = PageCache(tmp_path)
    stale = tmp_path / f".tmp-{DEAD_PID}-abc.page"
    tmp_path.mkdir(exist_ok=True)
    stale.write_bytes(b"half a page")
    mine = tmp_path / f".tmp-{os.getppid()}-xyz.page"  # a live writer's: kept
    mine.write_bytes(b"being written")
    cache.put("http://example.org/a", "http://example.org/a", "text/html", b"<html>a</html>")
    assert not stale.exists() and mine.exists()
    assert cache.stats()[0] == 1
