"""Safe writing of reports: standard output for "-", otherwise an atomic, no-clobber file write.

A report is written to a temporary file in the destination folder, flushed to disk, then
renamed over the destination, so an interrupted export never leaves half a report; the
temporary file is removed on any failure, Ctrl-C included.
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
    """Write UTF-8 to standard output whatever its locale; a closed pipe is not an error."""
    try:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            sys.stdout.flush()
            buffer.write(content.encode("utf-8"))
            buffer.flush()
        else:
            sys.stdout.write(content)
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``| head``); silence the flush at interpreter exit.
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
