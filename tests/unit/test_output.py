"""Safe writing: stdout for "-", no clobbering without force, atomic, nothing left on failure."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest

from diffreadout import output
from diffreadout.output import OutputError, write_output

REPORT = "# Рапорт 报告\n\nquote | text\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_dash_writes_utf8_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    write_output("-", REPORT, force=False)
    assert capsysbinary.readouterr().out == REPORT.encode("utf-8")


def test_dash_without_a_byte_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.StringIO()
    monkeypatch.setattr(sys, "stdout", fake)
    write_output("-", REPORT, force=False)
    assert fake.getvalue() == REPORT


def test_writes_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    write_output(str(target), REPORT, force=False)
    assert target.read_bytes() == REPORT.encode("utf-8")
    assert leftovers(tmp_path) == ["report.md"]


def test_new_file_mode_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_output(str(tmp_path / "report.md"), REPORT, force=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.md").stat().st_mode) == 0o644


def test_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("keep me")
    with pytest.raises(OutputError) as info:
        write_output(str(target), REPORT, force=False)
    assert str(info.value) == f"{target}: already exists (use --force to overwrite)"
    assert target.read_text() == "keep me"
    assert leftovers(tmp_path) == ["report.md"]


def test_force_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o600)
    write_output(str(target), REPORT, force=True)
    assert target.read_text(encoding="utf-8") == REPORT
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == ["report.md"]


def test_refuses_a_folder_even_with_force(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory, not a file$"):
        write_output(str(tmp_path), REPORT, force=True)


def test_missing_folder_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "report.md"
    with pytest.raises(OutputError) as info:
        write_output(str(target), REPORT, force=False)
    assert str(info.value) == f"{target}: folder {tmp_path / 'nope'} does not exist"
    assert leftovers(tmp_path) == []


def test_empty_path_is_refused() -> None:
    with pytest.raises(OutputError, match="output path is empty"):
        write_output("", REPORT, force=False)


def test_a_path_with_a_nul_character_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="output path contains a NUL character"):
        write_output(str(tmp_path / "a\x00b.md"), REPORT, force=False)


def test_interrupt_while_writing_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_output(str(tmp_path / "report.md"), REPORT, force=False)
    assert leftovers(tmp_path) == []


def test_interrupt_keeps_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.md"
    target.write_text("old report")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_output(str(target), REPORT, force=True)
    assert target.read_text() == "old report"
    assert leftovers(tmp_path) == ["report.md"]


def test_disk_error_is_one_line_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full)
    target = tmp_path / "report.md"
    with pytest.raises(OutputError) as info:
        write_output(str(target), REPORT, force=False)
    assert str(info.value) == f"{target}: cannot write: No space left on device"
    assert leftovers(tmp_path) == []


def test_a_file_that_appears_meanwhile_is_not_clobbered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.md"
    create_temp = output._create_temp

    def racing(folder: str, name: str) -> tuple[int, str]:
        result = create_temp(folder, name)
        target.write_text("someone else's")
        return result

    monkeypatch.setattr(output, "_create_temp", racing)
    with pytest.raises(OutputError, match="already exists"):
        write_output(str(target), REPORT, force=False)
    assert target.read_text() == "someone else's"
    assert leftovers(tmp_path) == ["report.md"]


def test_without_hard_links_the_rename_still_refuses_to_clobber(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: str, dst: str) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(output.os, "link", no_links)
    target = tmp_path / "report.md"
    write_output(str(target), REPORT, force=False)
    assert target.read_text(encoding="utf-8") == REPORT
    assert leftovers(tmp_path) == ["report.md"]


def test_force_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    with pytest.raises(OutputError, match="already exists"):
        write_output(str(link), REPORT, force=False)
    write_output(str(link), REPORT, force=True)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == REPORT


def test_a_dangling_symlink_counts_as_existing(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "missing.md")
    with pytest.raises(OutputError, match="already exists"):
        write_output(str(link), REPORT, force=False)


def test_a_device_is_written_in_place() -> None:
    if not os.path.exists(os.devnull) or sys.platform == "win32":
        pytest.skip("no /dev/null")
    write_output(os.devnull, REPORT, force=False)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no fifos")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_output(str(fifo), "hello", force=False)
        assert os.read(reader, 100) == b"hello"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
