"""Time from launching the TUI to both readouts painted on screen, as a person sees it.

    python benchmarks/bench_tui.py [--runs N] [--size COLSxROWS]

Each run starts ``python -m diffreadout A B`` (the lavrov-wang fixture pair) in a
pseudo-terminal, reads what it writes through a terminal emulator (pyte) and stops the clock
at the arrival of the output that puts text from both readouts on the screen (the emulator's
own parsing is not counted: a real terminal draws a frame in a millisecond). Nothing inside
the app is instrumented: this is the wall time from exec to the first frame a person could
read. Beside it, the CPU time the child had used by then (all its threads, from /proc on
Linux), which a busy machine disturbs far less than wall time.

Cold runs use an empty DIFFREADOUT_CACHE_DIR; warm runs one filled by a report first.
Floors measured in the same run, interleaved with the app's runs: ``python -c pass``,
``python -c "from textual.app import App"``, and a minimal Textual app that paints two
lines in the same pseudo-terminal (what any Textual app pays before its first frame).
Target (issue 6): <= 0.3 s, cold or warm.

Bytecode is compiled once (into a temporary PYTHONPYCACHEPREFIX) before timing, as for an
installed package. Needs pyte, a benchmark-only dependency: ``pip install pyte``.
"""

from __future__ import annotations

import argparse
import fcntl
import glob
import os
import pty
import queue
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from _measure import ROOT, compiled_bytecode, python

try:
    import pyte
except ImportError:  # pragma: no cover - a benchmark dependency only
    sys.exit("bench_tui.py needs pyte, a terminal emulator: pip install pyte")

PAIR = ROOT / "fixtures" / "lavrov-wang-2025-02"
TARGET_S = 0.3
TIMEOUT_S = 30.0

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Static("A1 Foreign Minister Sergey Lavrov")
        yield Static("B1 Wang Yi Meets with Russian")

Minimal().run()
"""


class Timing(NamedTuple):
    """Wall seconds to the moment measured, and the CPU seconds the child had used by then."""

    wall: float
    cpu: float


def _needle(side: str, path: Path) -> str:
    """What the aligned view shows first for a readout: its first statement's id and first words."""
    first_line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return f"{side}1 " + " ".join(first_line.split()[:2])


def _set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by every thread of a live process (nanosecond schedstat), or NaN."""
    total = 0
    found = False
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(path, encoding="ascii") as fh:
                total += int(fh.read().split()[0])
                found = True
        except (OSError, ValueError, IndexError):
            continue
    return total / 1e9 if found else float("nan")


def _child_env(env: dict[str, str]) -> dict[str, str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLORTERM": "truecolor", **env}
    for name in ("COLUMNS", "LINES", "TEXTUAL", "TEXTUAL_DEBUG"):
        full_env.pop(name, None)
    return full_env


def _read_chunks(master: int, pid: int, chunks: queue.Queue[tuple[float, float, bytes] | None]) -> None:
    """Read the terminal as fast as it is written, stamping each chunk with its arrival time.

    A thread of its own, so that the emulator's parsing (pure Python, slow on a full frame of
    escape sequences) never delays the clock: a real terminal draws a frame in a millisecond.
    """
    while True:
        try:
            ready, _, _ = select.select([master], [], [], 0.5)
            data = os.read(master, 1 << 16) if ready else b""
        except OSError:  # the child closed the terminal, or we closed it
            break
        if ready and not data:
            break
        if data:
            chunks.put((time.perf_counter(), _cpu_seconds(pid), data))
    chunks.put(None)


def time_to_paint(args: Sequence[str], needles: Sequence[str], env: dict[str, str], size: tuple[int, int]) -> Timing:
    """Start args in a pseudo-terminal; time until the output that puts every needle on screen arrived."""
    columns, rows = size
    screen = pyte.Screen(columns, rows)
    stream = pyte.ByteStream(screen)
    master, slave = pty.openpty()
    _set_size(slave, columns, rows)
    chunks: queue.Queue[tuple[float, float, bytes] | None] = queue.Queue()
    started = time.perf_counter()
    full_env = _child_env(env)
    # Run from the tree measured: ``python -m`` puts the working folder first on sys.path.
    child = subprocess.Popen(
        list(args), stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=full_env["PYTHONPATH"],
        start_new_session=True, close_fds=True,
    )
    os.close(slave)
    reader = threading.Thread(target=_read_chunks, args=(master, child.pid, chunks), daemon=True)
    reader.start()
    painted: Timing | None = None
    try:
        while painted is None:
            try:
                chunk = chunks.get(timeout=max(0.0, TIMEOUT_S - (time.perf_counter() - started)))
            except queue.Empty:
                break
            if chunk is None:
                break
            arrived, cpu, data = chunk
            stream.feed(data)
            shown = "\n".join(screen.display)
            if all(needle in shown for needle in needles):
                painted = Timing(arrived - started, cpu)
    finally:
        _stop(child, master, reader)
    if painted is None:
        shown = "\n".join(line.rstrip() for line in screen.display).strip()
        raise RuntimeError(f"{' '.join(args)}: {needles} not on screen after {TIMEOUT_S:.0f} s; screen:\n{shown}")
    return painted


def _stop(child: subprocess.Popen[bytes], master: int, reader: threading.Thread) -> None:
    """Quit as a person would (q); the reader keeps draining the output, so the child never blocks."""
    try:
        os.write(master, b"q")
    except OSError:
        pass
    try:
        child.wait(timeout=10.0)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    reader.join(timeout=2.0)
    os.close(master)


def time_to_exit(args: Sequence[str], env: dict[str, str] | None = None) -> Timing:
    """Wall and CPU seconds of a child process that runs to its end (no terminal)."""
    started = time.perf_counter()
    full_env = _child_env(env or {})
    proc = subprocess.Popen(list(args), env=full_env, cwd=full_env["PYTHONPATH"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {err.decode(errors='replace')[-500:]}")
    return Timing(wall, usage.ru_utime + usage.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="rounds of every measure (default 7)")
    parser.add_argument("--size", default="120x40", help="terminal COLSxROWS (default 120x40)")
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.lower().split("x"))
    size = (columns, rows)
    n = args.runs
    a, b = PAIR / "a.txt", PAIR / "b.txt"
    needles = (_needle("A", a), _needle("B", b))
    launch = python("-m", "diffreadout", str(a), str(b))
    minimal = python("-c", MINIMAL_APP)

    compiled_bytecode()  # as an installed package runs: from .pyc files
    results: dict[str, list[Timing]] = {
        "floor: python -c pass": [],
        "floor: python -c 'from textual.app import App'": [],
        "floor: minimal Textual app, two lines painted": [],
        "diffreadout A B, cold cache: both texts painted": [],
        "diffreadout A B, warm cache: both texts painted": [],
    }
    names = list(results)
    with tempfile.TemporaryDirectory(prefix="diffreadout-bench-warm-") as warm_cache:
        warm_env = {"DIFFREADOUT_CACHE_DIR": warm_cache}
        time_to_paint(minimal, needles, {}, size)  # compile bytecode, warm the file cache
        time_to_exit(python("-m", "diffreadout", "report", str(a), str(b), "-o", os.devnull), warm_env)
        time_to_paint(launch, needles, warm_env, size)
        # Rounds interleave every measure, so a change in the machine's load hits all alike.
        for _ in range(n):
            results[names[0]].append(time_to_exit(python("-c", "pass")))
            results[names[1]].append(time_to_exit(python("-c", "from textual.app import App")))
            results[names[2]].append(time_to_paint(minimal, needles, {}, size))
            with tempfile.TemporaryDirectory(prefix="diffreadout-bench-cold-") as cold_cache:
                results[names[3]].append(time_to_paint(launch, needles, {"DIFFREADOUT_CACHE_DIR": cold_cache}, size))
            results[names[4]].append(time_to_paint(launch, needles, warm_env, size))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {sys.platform}, {os.cpu_count()} CPUs (load average {load:.2f}), python {sys.version.split()[0]}, "
          f"{n} interleaved rounds; terminal {columns}x{rows} (pty + pyte); pair {PAIR.name}")
    print(f"painted = the screen shows {needles[0]!r} and {needles[1]!r}; CPU = the child's CPU time by then")
    print()
    floor_app = statistics.median(t.wall for t in results[names[2]])
    floor_app_cpu = statistics.median(t.cpu for t in results[names[2]])
    print(f"{'measure':50s} {'wall best':>9s} {'median':>7s} {'worst':>7s} {'/min app':>8s} {'CPU med':>8s} {'/min app':>8s}")
    for name, timings in results.items():
        walls = [t.wall for t in timings]
        cpu = statistics.median(t.cpu for t in timings)
        median = statistics.median(walls)
        print(f"{name:50s} {min(walls):9.3f} {median:7.3f} {max(walls):7.3f} {median / floor_app:8.2f} "
              f"{cpu:8.3f} {cpu / floor_app_cpu:8.2f}")
    print()
    for label, name in (("cold", names[3]), ("warm", names[4])):
        walls = [t.wall for t in results[name]]
        median = statistics.median(walls)
        cpu = statistics.median(t.cpu for t in results[name])
        verdict = "met" if max(walls) <= TARGET_S else ("met by the median" if median <= TARGET_S else "missed")
        print(f"{label}: median {median:.3f} s, worst {max(walls):.3f} s; target <= {TARGET_S:.1f} s {verdict}; "
              f"{median - floor_app:+.3f} s wall and {cpu - floor_app_cpu:+.3f} s CPU over the minimal Textual app")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
