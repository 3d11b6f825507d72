"""How the process ends: SIGTERM unwinds like Ctrl-C (``finally`` blocks run, so a half-written
``-o`` temporary file or a page being cached is removed, and the CLI exits 143 with one line),
and a failed write to standard output is one line, never a traceback."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from diffreadout.textsafe import printable

__all__ = ["Terminated", "report_write_error", "terminate_as_exception"]


class Terminated(BaseException):
    """Raised in the main thread when the process receives SIGTERM."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


@contextlib.contextmanager
def terminate_as_exception() -> Iterator[None]:
    """While inside, SIGTERM raises Terminated (main thread only; elsewhere nothing changes);
    the previous handler is put back on the way out."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def report_write_error(exc: OSError) -> None:
    """One line on standard error (if it can still be written), and stdout silenced for exit."""
    reason = "the reader closed the pipe" if isinstance(exc, BrokenPipeError) else (exc.strerror or str(exc))
    writing = isinstance(exc, BrokenPipeError) or exc.errno in (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT)
    if writing or not exc.filename:
        line = f"cannot write the output: {reason}"
    else:
        line = f"{exc.filename}: {reason}"
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"diffreadout: error: {printable(line, keep_newlines=False)}\n")
        sys.stderr.flush()
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
