"""A hostile local server against the fetcher: peak memory under decompression bombs, and the
time a run is held by headers sent a byte at a time and by a chain of slow redirects.

Every server is a socket on 127.0.0.1 started here. Each case runs `read_url` in a fresh child
process, so its peak resident memory (ru_maxrss) is its own.

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import gzip
import os
import resource
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MB = 1024 * 1024


def _serve(handler) -> int:  # type: ignore[no-untyped-def]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)

    def loop() -> None:
        while True:
            conn, _ = sock.accept()
            threading.Thread(target=_one, args=(conn, handler), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return int(sock.getsockname()[1])


def _one(conn: socket.socket, handler) -> None:  # type: ignore[no-untyped-def]
    with conn:
        request = b""
        while b"\r\n\r\n" not in request:
            data = conn.recv(4096)
            if not data:
                return
            request += data
        try:
            handler(conn, request.split(b" ", 2)[1].decode())
        except OSError:
            pass


def _bomb(layers: int, size: int) -> bytes:
    """gzip applied `layers` times over `size` bytes of text, built in chunks (never `size` in memory)."""
    import zlib

    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [inner.compress(b"<html><body><p>")]
    chunk = b"a" * MB
    for _ in range(size // MB):
        parts.append(inner.compress(chunk))
    parts.append(inner.flush())
    body = b"".join(parts)
    for _ in range(layers - 1):
        body = gzip.compress(body, compresslevel=9)
    return body


def _peak_mb() -> float:
    """This process's own peak resident memory (VmHWM: reset by exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(url: str, timeout: float) -> None:
    from diffreadout.inputs import InputError, read_url

    started = time.monotonic()
    try:
        read_url(url, max_bytes=5 * MB, timeout=timeout, cache_dir=Path(os.environ["BENCH_CACHE"]))
        outcome = "fetched"
    except InputError as exc:
        outcome = str(exc).split(": ", 1)[1]
    elapsed = time.monotonic() - started
    peak = _peak_mb()
    print(f"{elapsed:6.2f} s  peak RSS {peak:7.1f} MB  -> {outcome}")


def main() -> None:
    import subprocess
    import tempfile

    bomb2 = _bomb(2, 2048 * MB)  # two gzip layers over 2 GB of text
    bomb1 = _bomb(1, 1024 * MB)

    def handler(conn: socket.socket, path: str) -> None:
        if path.startswith("/bomb"):
            body, enc = (bomb2, "gzip, gzip") if path == "/bomb2" else (bomb1, "gzip")
            head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: {enc}\r\nContent-Length: {len(body)}\r\n\r\n"
            conn.sendall(head.encode() + body)
        elif path == "/drip":
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
                time.sleep(1.0)
                conn.sendall(bytes([byte]))
        elif path.startswith("/hop/"):
            hop = int(path.rsplit("/", 1)[1])
            time.sleep(15)
            conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: /hop/{hop + 1}\r\nContent-Length: 0\r\n\r\n".encode())

    port = _serve(handler)
    base = f"http://127.0.0.1:{port}"
    print(f"bomb sizes on the wire: 1 layer {len(bomb1) / 1024:.0f} KB, 2 layers {len(bomb2) / 1024:.1f} KB")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "BENCH_CACHE": tempfile.mkdtemp(),
           "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    cases = [("gzip bomb, 1 layer (1 GB decoded)", "/bomb1"), ("gzip bomb, 2 layers (2 GB decoded)", "/bomb2"),
             ("headers a byte a second", "/drip"), ("redirects, 15 s each", "/hop/0")]
    for name, path in cases:
        print(f"{name:38s}", end=" ", flush=True)
        code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_hostile as b; b._child({base + path!r}, 20.0)"
        subprocess.run([sys.executable, "-c", code], env=env, check=False, timeout=120)


if __name__ == "__main__":
    main()
