"""Write errors and signals: a full disk, a closed pipe, SIGTERM mid-write and the leftovers of
a kill -9 each end in one line and a non-zero exit, and leave nothing behind."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diffreadout.output import OutputError, sweep_stale_temps, write_output
from diffreadout.storage.pages import PageCache

ROOT = Path(__file__).resolve().parents[2]
PAIR = [str(ROOT / "fixtures" / "lavrov-wang-2025-02" / name) for name in ("a.txt", "b.txt")]
# The command line as the console script runs it, with the model-free fake embedder.
WITH_FAKE = (
    "import sys\n"
    "sys.path.insert(0, sys.argv.pop(1))\n"
    "from inprocess import ModelLikeFake\n"
    "from diffreadout.cli import commands as cli\n"
    "cli._embedder = lambda config: ModelLikeFake()\n"
    "{patch}"
    "cli.run(sys.argv[1:])\n"
)


def _command(patch: str = "") -> list[str]:
    return [sys.executable, "-c", WITH_FAKE.format(patch=patch), str(Path(__file__).parent)]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "DIFFREADOUT_CACHE_DIR": str(tmp_path / "cache")}


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_on_standard_output_is_one_line_and_non_zero(tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*_command(), "report", *PAIR], stdout=full, stderr=subprocess.PIPE,
                                env=_env(tmp_path), timeout=120, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("diffreadout: error: standard output: cannot write: No space left on device (0 of ")


def test_a_short_write_is_caught_not_reported_as_success(tmp_path: Path) -> None:
    # The disk fills after 4,096 bytes: os.write then fails, as on a nearly full disk.
    patch = (
        "import errno, os\n"
        "real = os.write\n"
        "sent = [0]\n"
        "def write(fd, data):\n"
        "    if fd == 1:\n"
        "        if sent[0] >= 4096: raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "        data = data[:4096 - sent[0]]; sent[0] += len(data)\n"
        "    return real(fd, data)\n"
        "os.write = write\n"
    )
    with open(tmp_path / "r.md", "wb") as out:
        result = subprocess.run([*_command(patch), "report", *PAIR], stdout=out, stderr=subprocess.PIPE,
                                env=_env(tmp_path), timeout=120, text=True)
    assert result.returncode == 1
    assert "cannot write: No space left on device (4096 of " in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_closed_pipe_is_one_line_and_non_zero(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    try:
        result = subprocess.run([*_command(), "report", *PAIR], stdout=write_end, stderr=subprocess.PIPE,
                                env=_env(tmp_path), timeout=120, text=True)
    finally:
        os.close(write_end)
    assert result.returncode == 1
    assert result.stderr.strip() .startswith("diffreadout: error: standard output: the reader closed the pipe")
    assert "Traceback" not in result.stderr


def test_a_closed_pipe_in_process_raises_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Closed())
    with pytest.raises((OutputError, BrokenPipeError)):
        write_output("-", "report", force=False)


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    patch = "import os, time\nos.fsync = lambda fd: time.sleep(60)\n"  # hold the write open
    process = subprocess.Popen([*_command(patch), "report", *PAIR, "-o", str(out / "report.md")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(tmp_path), text=True)
    try:
        deadline = time.monotonic() + 60
        while not list(out.glob(".report.md.*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(out.glob(".report.md.*.tmp")), "the write never started"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    assert process.returncode == 143
    assert stderr.strip() == "diffreadout: terminated"
    assert list(out.iterdir()) == []


def test_what_a_kill_9_left_is_swept_by_the_next_write(tmp_path: Path) -> None:
    stale = tmp_path / ".report.md.0badc0de.tmp"
    fresh = tmp_path / ".report.md.12345678.tmp"  # a live write of another process
    other = tmp_path / ".notes.md.0badc0de.tmp"   # not ours to touch
    for path in (stale, fresh, other):
        path.write_text("half a report")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_output(str(tmp_path / "report.md"), "# Report\n", force=False)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".notes.md.0badc0de.tmp", ".report.md.12345678.tmp", "report.md"]
    assert sweep_stale_temps(str(tmp_path), "report.md", older_than=0) == 1


def test_cache_clear_removes_page_temporaries(tmp_path: Path) -> None:
    cache = PageCache(tmp_path)
    cache.put("http://127.0.0.1/a", "http://127.0.0.1/a", "text/html", b"<html>a</html>")
    leftover = tmp_path / ".tmp-abc123.page"
    leftover.write_bytes(b"half a page")
    assert cache.clear() == 1
    assert list(tmp_path.iterdir()) == []


def test_stale_page_temporaries_are_swept_on_the_next_put(tmp_path: Path) -> None:
    cache = PageCache(tmp_path)
    leftover = tmp_path / ".tmp-abc123.page"
    leftover.write_bytes(b"half a page")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    cache.put("http://127.0.0.1/a", "http://127.0.0.1/a", "text/html", b"<html>a</html>")
    assert not leftover.exists() and cache.stats()[0] == 1
