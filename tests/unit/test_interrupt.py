"""Ctrl-C: exit 130 with one line and no traceback, no partial or temporary files; a sound cache.

In this process, KeyboardInterrupt is raised from inside the analysis, the rendering, the
atomic write, eval and a batch. In a subprocess, a real SIGINT lands during the analysis (and,
with the real model, while it loads or encodes). The embedding cache survives an interrupted
run and a writer killed with SIGKILL, and a damaged entry is recomputed through the CLI.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from inprocess import ModelLikeFake, Run, invoke, use_fake_embedder

from diffreadout.storage.embeddings import EmbeddingCache

ROOT = Path(__file__).resolve().parents[2]
WORDS = "minister talks trade energy Ukraine sanctions cooperation security nuclear summit border grain".split()


def _readout(n: int, seed: int) -> str:
    rng = np.random.default_rng(seed)
    return "".join(" ".join(rng.choice(WORDS, 8)).capitalize() + ".\n" for _ in range(n))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    a, b = tmp_path / "in" / "a.txt", tmp_path / "in" / "b.txt"
    a.parent.mkdir()
    a.write_text(_readout(12, 1), encoding="utf-8")
    b.write_text(_readout(10, 2), encoding="utf-8")
    return str(a), str(b)


def assert_interrupted(run: Run) -> None:
    assert run.code == 130, run.err
    assert run.err.strip() == "diffreadout: interrupted"
    assert "Traceback" not in run.err


def _interrupt(*args: Any, **kwargs: Any) -> Any:
    raise KeyboardInterrupt


# --- in this process -----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["diffreadout.core.pipeline.analyse", "diffreadout.cli.commands.render"])
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_ctrl_c_during_analysis_or_rendering(
    tmp_path: Path, pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch, where: str, fmt: str
) -> None:
    use_fake_embedder(monkeypatch)
    monkeypatch.setattr(where, _interrupt)
    out = tmp_path / "out"
    out.mkdir()
    assert_interrupted(invoke("report", *pair, "--format", fmt, "-o", str(out / f"report.{fmt}")))
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("step", ["write", "fsync", "link", "replace"])
@pytest.mark.parametrize("existing", [False, True], ids=["new file", "over an old file"])
def test_ctrl_c_during_the_write_leaves_no_partial_file(
    tmp_path: Path, pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch, step: str, existing: bool
) -> None:
    use_fake_embedder(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.md"
    if existing:
        target.write_text("the old report\n", encoding="utf-8")
    if step == "write":
        import io

        real_write = io.BufferedWriter.write

        def half_write(self: io.BufferedWriter, data: Any) -> int:
            real_write(self, bytes(data)[: len(data) // 2])
            raise KeyboardInterrupt

        monkeypatch.setattr("diffreadout.output.os.fdopen", _fdopen_with(half_write))
    else:
        monkeypatch.setattr(f"diffreadout.output.os.{step}", _interrupt)
    run = invoke("report", *pair, "-o", str(target), *(["--force"] if existing else []))
    if step == "link" and existing:
        assert run.code == 0  # with --force the file is replaced, not linked
        return
    if step == "replace" and not existing:
        assert run.code == 0  # a new file is linked into place, not renamed
        return
    assert_interrupted(run)
    assert [p.name for p in out.iterdir()] == (["report.md"] if existing else [])
    if existing:
        assert target.read_text(encoding="utf-8") == "the old report\n"


def _fdopen_with(write: Any) -> Any:
    """os.fdopen whose file objects write through ``write``."""
    real_fdopen = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = real_fdopen(fd, *args, **kwargs)

        class Wrapped:
            def __enter__(self) -> Any:
                handle.__enter__()
                return self

            def __exit__(self, *exc: Any) -> Any:
                return handle.__exit__(*exc)

            def write(self, data: Any) -> int:
                return write(handle, data)

            def __getattr__(self, name: str) -> Any:
                return getattr(handle, name)

        return Wrapped()

    return fdopen


def test_ctrl_c_during_eval(tmp_path: Path, pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_embedder(monkeypatch)
    case = tmp_path / "cases" / "c1"
    case.mkdir(parents=True)
    for name, path in zip(("a.txt", "b.txt"), pair):
        (case / name).write_text(Path(path).read_text(encoding="utf-8"), encoding="utf-8")
    (case / "case.json").write_text(json.dumps({
        "readouts": [{"side": "A", "file": "a.txt"}, {"side": "B", "file": "b.txt"}],
        "statements": {"A": [], "B": []}, "links": [],
    }), encoding="utf-8")
    monkeypatch.setattr("diffreadout.cli.evaluate.compare", _interrupt)
    assert_interrupted(invoke("eval", str(tmp_path / "cases")))


def test_ctrl_c_during_a_batch_keeps_only_whole_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_embedder(monkeypatch)
    root = tmp_path / "pairs"
    for n in range(3):
        folder = root / f"pair{n}"
        folder.mkdir(parents=True)
        (folder / "a.txt").write_text(_readout(6, n), encoding="utf-8")
        (folder / "b.txt").write_text(_readout(5, n + 10), encoding="utf-8")
    import diffreadout.cli.batch as batch

    real_compare = batch.compare
    calls = []

    def compare_then_interrupt(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_compare(*args, **kwargs)

    monkeypatch.setattr(batch, "compare", compare_then_interrupt)
    out = tmp_path / "out"
    run = invoke("report", "--batch", str(root), "-o", str(out), "--format", "json")
    assert run.code == 130 and "Traceback" not in run.err
    assert run.err.strip().splitlines()[-1] == "diffreadout: interrupted"
    files = sorted(p.name for p in out.iterdir())
    assert files == ["pair0.json"]
    json.loads((out / "pair0.json").read_text(encoding="utf-8"))


# --- a real SIGINT, in a subprocess --------------------------------------------------------

# The fake model takes a minute per batch, so the signal lands inside the analysis however
# fast the rest of the pipeline is.
WITH_FAKE = (
    "import sys, time\n"
    "sys.path.insert(0, sys.argv.pop(1))\n"
    "from inprocess import ModelLikeFake\n"
    "from diffreadout.cli import commands as cli\n"
    "class SlowFake(ModelLikeFake):\n"
    "    def encode(self, texts):\n"
    "        time.sleep(60)\n"
    "        return super().encode(texts)\n"
    "cli._embedder = lambda config: SlowFake()\n"
    "cli.run(sys.argv[1:])\n"
)
WITH_MODEL = "import sys\nfrom diffreadout.cli import commands as cli\ncli.run(sys.argv[1:])\n"


def _sigint_after(args: list[str], code: str, delay: float, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DIFFREADOUT_CACHE_DIR": str(tmp_path / "cache")}
    extra = [str(Path(__file__).parent)] if code is WITH_FAKE else []
    process = subprocess.Popen(
        [sys.executable, "-c", code, *extra, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        # A shell may start background jobs with SIGINT ignored; a user's Ctrl-C is not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        time.sleep(delay)
        assert process.poll() is None, "the command ended before the signal; give it more work"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:  # never leave the command running after a failed test
            process.kill()
            process.wait(timeout=10)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_sigint_during_the_analysis(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(_readout(50, 1), encoding="utf-8")
    b.write_text(_readout(40, 2), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = _sigint_after(["report", str(a), str(b), "-o", str(out / "report.md")], WITH_FAKE, 3.0, tmp_path)
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip() == "diffreadout: interrupted"
    assert list(out.iterdir()) == []


@pytest.mark.model
@pytest.mark.parametrize("delay", [1.5, 5.0])
def test_sigint_while_the_model_loads_or_encodes(tmp_path: Path, delay: float) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(_readout(1500, 1), encoding="utf-8")  # seconds of encoding, more of analysis
    b.write_text(_readout(1500, 2), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = _sigint_after(["report", str(a), str(b), "-o", str(out / "report.json"), "--format", "json"],
                           WITH_MODEL, delay, tmp_path)
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip() == "diffreadout: interrupted"
    assert list(out.iterdir()) == []
    cache = EmbeddingCache(tmp_path / "cache")
    if cache.path.exists():
        conn = sqlite3.connect(cache.path)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()


# --- the embedding cache -------------------------------------------------------------------


class InterruptingFake(ModelLikeFake):
    """Encodes the first batch, then Ctrl-C on the second."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def encode(self, texts: Any) -> np.ndarray:
        self.calls += 1
        if self.calls == 2:
            raise KeyboardInterrupt
        return super().encode(texts)


def test_interrupted_run_leaves_a_sound_cache_and_a_damaged_entry_is_recomputed(
    tmp_path: Path, pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the model is faked: the CLI wraps it in the real on-disk cache.
    monkeypatch.setattr("diffreadout.core.pipeline.default_embedder", lambda config: InterruptingFake())
    assert_interrupted(invoke("report", *pair, "--format", "json"))
    cache = EmbeddingCache()
    entries_after_interrupt, _ = cache.stats()
    assert entries_after_interrupt > 0  # readout A's vectors, stored before B was interrupted

    monkeypatch.setattr("diffreadout.core.pipeline.default_embedder", lambda config: ModelLikeFake())
    first = invoke("report", *pair, "--format", "json")
    assert first.code == 0, first.err
    conn = sqlite3.connect(cache.path)
    conn.execute("UPDATE vectors SET data = substr(data, 1, 100)")  # every entry damaged
    conn.commit()
    conn.close()
    again = invoke("report", *pair, "--format", "json")
    assert again.code == 0, again.err
    assert again.stdout == first.stdout
    conn = sqlite3.connect(cache.path)
    sizes = {length for (length,) in conn.execute("SELECT LENGTH(data) FROM vectors")}
    conn.close()
    assert sizes == {4 * ModelLikeFake().dim}  # recomputed and stored whole


WRITER = """
import sys
import numpy as np
from diffreadout.storage.embeddings import EmbeddingCache
cache = EmbeddingCache()
vectors = np.ones((2000, 384), dtype=np.float32)
print("ready", flush=True)
for round in range(10_000):
    cache.put_many("model", [f"text {round} {i}" for i in range(2000)], vectors)
"""


def test_a_writer_killed_mid_write_leaves_a_readable_cache(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DIFFREADOUT_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    process.kill()
    process.wait(timeout=30)
    cache = EmbeddingCache(tmp_path / "cache")
    conn = sqlite3.connect(cache.path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (committed,) = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
    conn.close()
    assert committed > 0 and committed % 2000 == 0  # whole batches only
    found = cache.get_many("model", [f"text 0 {i}" for i in range(2000)])
    assert all(v.shape == (384,) and np.all(v == 1.0) for v in found.values())
