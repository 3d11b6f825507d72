"""One deadline for a whole fetch: connecting, headers, every redirect and the body.

httpx's time-outs are per operation, so a server that sends its headers a byte a second, or a
chain of slow redirects, never trips them. A ``Deadline`` watches the sockets httpx opens (through
httpcore's ``trace`` request extension) and shuts them when the time is up, which ends whatever
read is blocked; it also records what the fetch was doing, so the message can say it.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

__all__ = ["Deadline"]


class Deadline:
    """A timer over one fetch; ``trace`` is passed as the request's ``trace`` extension."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.phase = "connecting"
        self.responses = 0  # response heads received: more than one means redirects were followed
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    @property
    def expired(self) -> bool:
        return self._expired or time.monotonic() >= self.end

    def remaining(self) -> float:
        return max(0.001, self.end - time.monotonic())

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event.endswith("connect_tcp.started"):
            self.phase = "connecting"
        elif event.endswith("connect_tcp.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                with self._lock:
                    self._sockets.append(sock)
                    expired = self._expired
                if expired:
                    _shut(sock)
        elif event.endswith("receive_response_headers.started"):
            self.phase = "headers"
        elif event.endswith("receive_response_headers.complete"):
            self.responses += 1
            self.phase = "body"

    def message(self, host: str) -> str:
        """What the fetch was doing when the time ran out, in words."""
        redirects = max(0, self.responses - 1) if self.phase == "body" else self.responses
        doing = {
            "connecting": f"connecting to {host}",
            "headers": f"no complete response from {host}",
            "body": "the page kept downloading",
        }[self.phase]
        if redirects:
            doing = f"{doing}, after {redirects} redirect{'s' if redirects != 1 else ''}"
        return f"timed out after {self.seconds:g} s ({doing})"


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
