"""Safe writing of reports: standard output for "-", otherwise an atomic, no-clobber file write.

A report is written to a temporary file in the destination folder, flushed to disk, then
renamed over the destination, so an interrupted export never leaves half a report; the
temporary file is removed on any failure, Ctrl-C and SIGTERM included (the CLI turns SIGTERM
into an exception so that cleanup runs); what a kill -9 leaves is swept by the next write to
the same path once it is ten minutes old.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys
import time


class OutputError(Exception):
    """The report cannot be written where asked; str() is one line naming the path."""


def write_output(path: str, content: str, *, force: bool) -> None:
    """Write content (UTF-8) to path, or to standard output when path is "-".

    Refuses an existing file unless ``force``, and refuses a folder. A device or pipe (for
    example ``/dev/stdout``) is written in place, since there is no file to replace.
    """
    if path == "-":
        _write_stdout(content)
        return
    if not path:
        raise OutputError("output path is empty")
    if "\x00" in path:  # a path pasted into the TUI keeps what was pasted
        raise OutputError("output path contains a NUL character")
    data = content.encode("utf-8")
    if os.path.isdir(path):
        raise OutputError(f"{path}: is a directory, not a file")
    target = os.path.realpath(path) if os.path.islink(path) else path
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{path}: {_reason(exc)}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_in_place(path, target, data)
        return
    if os.path.lexists(path) and not force:
        raise OutputError(f"{path}: already exists (use --force to overwrite)")
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(folder):
        raise OutputError(f"{path}: folder {folder} does not exist")
    _write_atomic(path, target, folder, data, replace=force, mode=info.st_mode if info else None)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EACCES or isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or type(exc).__name__


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's exit flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _write_stdout(content: str) -> None:
    """Write UTF-8 to standard output whatever its locale, every byte or a one-line OutputError.

    The bytes go to the file descriptor directly and each write's count is checked, so a nearly
    full disk (``report A B > r.md``), a closed pipe or an I/O error is said, with how much was
    written, instead of exiting 0 with a truncated report or a traceback.
    """
    data = content.encode("utf-8")
    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        fd = None  # no real descriptor (a test's captured stream): the stream itself
    if fd is None:
        sys.stdout.write(content)
        sys.stdout.flush()
        return
    written = 0
    try:
        while written < len(data):
            count = os.write(fd, data[written : written + (1 << 20)])
            if count <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written += count
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.fsync(fd)  # a redirect to a file: a late write error shows now, not never
    except OSError as exc:
        _silence_stdout()
        what = "the reader closed the pipe" if exc.errno == errno.EPIPE else f"cannot write: {_reason(exc)}"
        raise OutputError(f"standard output: {what} ({written} of {len(data)} bytes written)") from None


def stdout_failure(exc: OSError) -> str:
    """The one line for a write error that reached the top (a progress line, click.echo)."""
    _silence_stdout()
    if exc.errno == errno.EPIPE:
        return "standard output: the reader closed the pipe"
    return f"standard output: cannot write: {_reason(exc)}"


def _write_in_place(path: str, target: str, data: bytes) -> None:
    try:
        with open(target, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise OutputError(f"{path}: {_reason(exc)}") from None


# A temporary file of ours this old belongs to no live write: a kill -9 left it.
STALE_TEMP_SECONDS = 600.0
_TEMP_NAME = re.compile(r"\A\.(?P<name>.+)\.[0-9a-f]{8}\.tmp\Z")


def sweep_stale_temps(folder: str, name: str, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove the leftovers of killed writes of `name` in folder (only our own pattern); how many."""
    removed = 0
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _TEMP_NAME.match(entry.name)
            if match is None or match.group("name") != name or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                if now - entry.stat(follow_symlinks=False).st_mtime >= older_than:
                    os.unlink(entry.path)
                    removed += 1
    return removed


def _create_temp(folder: str, name: str) -> tuple[int, str]:
    """Create a new private-named file next to the destination; the umask sets its mode."""
    for _ in range(100):
        temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "cannot create a temporary file", folder)


def _write_atomic(path: str, target: str, folder: str, data: bytes, *, replace: bool, mode: int | None) -> None:
    temp: str | None = None
    sweep_stale_temps(folder, os.path.basename(target))
    try:
        fd, temp = _create_temp(folder, os.path.basename(target))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(temp, stat.S_IMODE(mode))
        if replace:
            os.replace(temp, target)
        else:
            _link_no_clobber(path, temp, target)
        temp = None
        _fsync_folder(folder)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_reason(exc)}") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _link_no_clobber(path: str, temp: str, target: str) -> None:
    """Move temp to target only if target does not exist (a file created meanwhile is kept)."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise OutputError(f"{path}: already exists (use --force to overwrite)") from None
    except OSError:
        # No hard links on this file system: check again, then rename.
        if os.path.lexists(target):
            raise OutputError(f"{path}: already exists (use --force to overwrite)") from None
        os.replace(temp, target)
        return
    with contextlib.suppress(OSError):
        os.unlink(temp)


def _fsync_folder(folder: str) -> None:
    """Make the rename durable where the platform allows opening a folder."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
