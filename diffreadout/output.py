"""Safe writing of reports: standard output for "-", otherwise an atomic, no-clobber file write.

A report is written to a temporary file in the destination folder, flushed to disk, then
renamed over the destination, so an interrupted export never leaves half a report; the
temporary file is removed on any failure, Ctrl-C and SIGTERM included (the CLI turns SIGTERM
into an exception), and one left by a killed run (kill -9) is swept by the next write.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys


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


def _write_stdout(content: str) -> None:
    """Write UTF-8 to standard output whatever its locale, all of it or an OutputError.

    The bytes go to the file descriptor with os.write in a loop, so a short write (a nearly
    full disk) is continued and then reported, never taken for success; a full disk, a closed
    pipe or any other write error is one line, and the caller exits non-zero.
    """
    data = content.encode("utf-8")
    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        fd = None  # not a real file (a test runner's capture): write through the stream
    written = 0
    try:
        if fd is None:
            sys.stdout.write(content)
            sys.stdout.flush()
            return
        view = memoryview(data)
        while written < len(data):
            n = os.write(fd, view[written:])
            if n <= 0:
                raise OSError(errno.EIO, "the write made no progress")
            written += n
    except BrokenPipeError:
        _silence_stdout()
        raise OutputError(
            f"standard output: the reader closed the pipe ({written} of {len(data)} bytes written)"
        ) from None
    except OSError as exc:
        _silence_stdout()
        raise OutputError(
            f"standard output: cannot write: {_reason(exc)} ({written} of {len(data)} bytes written)"
        ) from None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's flush at exit adds no second error."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _write_in_place(path: str, target: str, data: bytes) -> None:
    try:
        with open(target, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise OutputError(f"{path}: {_reason(exc)}") from None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's live process, or cannot tell: leave its file alone
    return True


def sweep_stale_temps(folder: str, name: str) -> int:
    """Remove the temporary files earlier runs left beside ``name`` when killed (kill -9, power
    loss): ``.NAME.PID.HEX.tmp`` whose process is gone. Returns how many were removed."""
    removed = 0
    prefix = f".{name}."
    try:
        entries = os.listdir(folder)
    except OSError:
        return 0
    for entry in entries:
        if not (entry.startswith(prefix) and entry.endswith(".tmp")):
            continue
        parts = entry[len(prefix):-len(".tmp")].split(".")
        if len(parts) != 2 or not parts[0].isdigit():
            continue
        pid = int(parts[0])
        if pid == os.getpid() or _pid_alive(pid):
            continue
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, entry))
            removed += 1
    return removed


def _create_temp(folder: str, name: str) -> tuple[int, str]:
    """Create a new private-named file next to the destination; the umask sets its mode.

    The name carries this process's id, so a later run can tell a stale one (its process gone)."""
    sweep_stale_temps(folder, name)
    for _ in range(100):
        temp = os.path.join(folder, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "cannot create a temporary file", folder)


def _write_atomic(path: str, target: str, folder: str, data: bytes, *, replace: bool, mode: int | None) -> None:
    temp: str | None = None
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
