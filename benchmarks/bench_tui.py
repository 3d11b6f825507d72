"""Time from launching the TUI to both readouts painted on screen, as a person sees it.

    python benchmarks/bench_tui.py [--runs N] [--size COLSxROWS]

Each run starts ``python -m diffreadout A B`` (the demo fixture pair) in a pseudo-terminal,
reads what it writes through a terminal emulator (pyte) and stops the clock when the screen
shows text from both readouts. Nothing inside the app is instrumented: this is the wall time
from exec to the first frame a person could read.

Cold runs use an empty DIFFREADOUT_CACHE_DIR; warm runs use one filled by a report first.
Floors measured in the same run: ``python -c pass``, ``python -c "from textual.app import
App"``, and a minimal Textual app that paints two lines in the same pseudo-terminal (what any
Textual app pays before its first frame). Target (issue 6): <= 0.3 s, cold or warm.

Bytecode is compiled once (into a temporary PYTHONPYCACHEPREFIX) before timing, as for an
installed package. Needs pyte (a benchmark-only dependency: ``pip install pyte``).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from pathlib import Path

from _measure import ROOT, python, run_measured

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


def _needle(side: str, path: Path) -> str:
    """What the aligned view shows first for a readout: its first statement's id and first words."""
    first_line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return f"{side}1 " + " ".join(first_line.split()[:2])


def _set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _controlling_tty() -> None:  # runs in the child, after setsid
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def time_to_paint(args: Sequence[str], needles: Sequence[str], env: dict[str, str], size: tuple[int, int]) -> float:
    """Seconds from starting args in a pseudo-terminal until every needle is on its screen."""
    columns, rows = size
    screen = pyte.Screen(columns, rows)
    stream = pyte.ByteStream(screen)
    master, slave = pty.openpty()
    _set_size(slave, columns, rows)
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLORTERM": "truecolor", **env}
    for name in ("COLUMNS", "LINES", "TEXTUAL", "TEXTUAL_DEBUG"):
        full_env.pop(name, None)
    started = time.perf_counter()
    child = subprocess.Popen(
        list(args), stdin=slave, stdout=slave, stderr=slave, env=full_env,
        start_new_session=True, preexec_fn=_controlling_tty, close_fds=True,
    )
    os.close(slave)
    painted: float | None = None
    try:
        while painted is None and time.perf_counter() - started < TIMEOUT_S:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if child.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # the child closed the terminal
                break
            stream.feed(data)
            # Feed whatever else is already waiting before reading the screen: one frame
            # arrives in several chunks.
            while select.select([master], [], [], 0)[0]:
                try:
                    more = os.read(master, 1 << 16)
                except OSError:
                    break
                if not more:
                    break
                stream.feed(more)
            shown = "\n".join(screen.display)
            if all(needle in shown for needle in needles):
                painted = time.perf_counter() - started
    finally:
        _stop(child, master)
    if painted is None:
        shown = "\n".join(line.rstrip() for line in screen.display).strip()
        raise RuntimeError(f"{' '.join(args)}: {needles} not on screen after {TIMEOUT_S:.0f} s; screen:\n{shown}")
    return painted


def _stop(child: subprocess.Popen[bytes], master: int) -> None:
    """Quit the app as a person would (q), reading its output so it never blocks; kill if it lingers."""
    try:
        os.write(master, b"q")
    except OSError:
        pass
    deadline = time.perf_counter() + 10.0
    while child.poll() is None and time.perf_counter() < deadline:
        if select.select([master], [], [], 0.05)[0]:
            try:
                os.read(master, 1 << 16)
            except OSError:
                pass
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    os.close(master)


def wall(args: Sequence[str]) -> float:
    """Wall seconds of a plain child process (no terminal)."""
    return run_measured(list(args))[0]


def summary(times: Sequence[float]) -> tuple[float, float, float]:
    """(best, median, worst)."""
    return min(times), statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (default 5)")
    parser.add_argument("--size", default="120x40", help="terminal COLSxROWS (default 120x40)")
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.lower().split("x"))
    size = (columns, rows)
    n = args.runs
    a, b = PAIR / "a.txt", PAIR / "b.txt"
    needles = (_needle("A", a), _needle("B", b))
    launch = python("-m", "diffreadout", str(a), str(b))

    # Children compile their bytecode once into a private folder and reuse it, as an installed
    # package does (pip writes .pyc files); PYTHONDONTWRITEBYTECODE would make every run
    # compile diffreadout from source, which no user pays.
    pycache = tempfile.TemporaryDirectory(prefix="diffreadout-bench-pyc-")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = pycache.name
    with tempfile.TemporaryDirectory(prefix="diffreadout-bench-warmup-") as cache:  # compile; warm the file cache
        time_to_paint(launch, needles, {"DIFFREADOUT_CACHE_DIR": cache}, size)
        time_to_paint(python("-c", MINIMAL_APP), needles, {}, size)
    floor_pass = [wall(python("-c", "pass")) for _ in range(n)]
    floor_textual = [wall(python("-c", "from textual.app import App")) for _ in range(n)]
    floor_minimal = [time_to_paint(python("-c", MINIMAL_APP), needles, {}, size) for _ in range(n)]

    cold: list[float] = []
    for _ in range(n):
        with tempfile.TemporaryDirectory(prefix="diffreadout-bench-cold-") as cache:
            cold.append(time_to_paint(launch, needles, {"DIFFREADOUT_CACHE_DIR": cache}, size))
    with tempfile.TemporaryDirectory(prefix="diffreadout-bench-warm-") as cache:
        env = {"DIFFREADOUT_CACHE_DIR": cache}
        run_measured(python("-m", "diffreadout", "report", str(a), str(b), "-o", os.devnull), env)  # fill the cache
        warm = [time_to_paint(launch, needles, env, size) for _ in range(n)]

    print(f"machine: {sys.platform}, {os.cpu_count()} CPUs, python {sys.version.split()[0]}; "
          f"{n} runs each; terminal {columns}x{rows} (pty + pyte); pair {PAIR.name}")
    print(f"painted = the screen shows {needles[0]!r} and {needles[1]!r}")
    print()
    base = statistics.median(floor_pass)
    textual_floor = statistics.median(floor_minimal)
    print(f"{'measure':52s} {'best s':>7s} {'median':>7s} {'worst':>7s} {'/ pass':>7s} {'/ min app':>9s}")
    rows_out = [
        ("floor: python -c pass", floor_pass),
        ("floor: python -c 'from textual.app import App'", floor_textual),
        ("floor: minimal Textual app, two lines painted", floor_minimal),
        ("diffreadout A B, cold cache: both texts painted", cold),
        ("diffreadout A B, warm cache: both texts painted", warm),
    ]
    for name, times in rows_out:
        best, median, worst = summary(times)
        print(f"{name:52s} {best:7.3f} {median:7.3f} {worst:7.3f} {median / base:7.1f} {median / textual_floor:9.2f}")
    print()
    for name, times in (("cold", cold), ("warm", warm)):
        median = statistics.median(times)
        verdict = "meets" if max(times) <= TARGET_S else ("median meets" if median <= TARGET_S else "misses")
        print(f"{name}: median {median:.3f} s, worst {max(times):.3f} s; target <= {TARGET_S:.1f} s: {verdict}; "
              f"{median - textual_floor:+.3f} s over the minimal Textual app")
    pycache.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
