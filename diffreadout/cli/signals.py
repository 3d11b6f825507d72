"""SIGTERM unwinds like Ctrl-C: ``finally`` blocks run, so a half-written ``-o`` temporary file
or a page being cached is removed, and the CLI exits 143 with one line."""

from __future__ import annotations

import signal
import threading
from types import FrameType

__all__ = ["Terminated", "terminate_as_exception"]


class Terminated(BaseException):
    """Raised in the main thread when the process receives SIGTERM."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


def terminate_as_exception() -> None:
    """Turn SIGTERM into a Terminated exception (main thread only; no-op elsewhere)."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _raise_terminated)
