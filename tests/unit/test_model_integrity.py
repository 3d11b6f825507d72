"""Model integrity through the command line: a changed or truncated model is refused in one line.

test_embed.py checks ``verify_model`` and the embedder; here ``report``, ``eval`` and
``report --batch`` meet a modified copy of the bundled model folder (the bundled path is
pointed at the copy in this process) and must refuse it before loading anything, with exit 1
and one line naming the weights file. A truncated copy named with ``--model FOLDER`` (no pinned
hash) runs in a subprocess, as it reaches the loader.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from inprocess import assert_one_line_error, invoke

from diffreadout.core.similarity.embed import bundled_model_path

ROOT = Path(__file__).resolve().parents[2]
TEXT_A = "Lavrov and Wang Yi met in Johannesburg. They discussed Ukraine and trade.\n"
TEXT_B = "Wang Yi met Sergey Lavrov. The two sides discussed trade.\n"


def _copy(tmp_path: Path, change: Callable[[Path], None]) -> Path:
    """A copy of the bundled model folder (other files hard-linked) with its weights changed."""
    source = bundled_model_path()
    target = tmp_path / "model"
    shutil.copytree(source, target, copy_function=os.link, ignore=shutil.ignore_patterns("model.safetensors"))
    change(target / "model.safetensors")
    return target


def _flip_one_byte(weights: Path) -> None:
    data = bytearray((bundled_model_path() / "model.safetensors").read_bytes())
    data[len(data) // 2] ^= 0x01
    weights.write_bytes(bytes(data))


def _truncate(weights: Path) -> None:
    with open(bundled_model_path() / "model.safetensors", "rb") as fh:
        weights.write_bytes(fh.read(1_000_000))


def _remove(weights: Path) -> None:
    pass  # the copy simply has no weights file


CHANGES = {"one byte flipped": _flip_one_byte, "truncated": _truncate, "weights missing": _remove}


@pytest.fixture(params=list(CHANGES))
def damaged_bundle(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = _copy(tmp_path, CHANGES[request.param])
    monkeypatch.setattr("diffreadout.core.similarity.embed.bundled_model_path", lambda: folder)
    return folder


def _expected_words(folder: Path) -> tuple[str, ...]:
    weights = folder / "model.safetensors"
    return (str(weights), "does not match") if weights.exists() else ("no model.safetensors",)


def _inputs(tmp_path: Path) -> tuple[str, str]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT_A, encoding="utf-8")
    b.write_text(TEXT_B, encoding="utf-8")
    return str(a), str(b)


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["empty cache", "no cache"])
def test_report_refuses_a_damaged_bundled_model(tmp_path: Path, damaged_bundle: Path, cache: list[str]) -> None:
    a, b = _inputs(tmp_path)
    out = tmp_path / "out.json"
    run = invoke("report", a, b, "--format", "json", "-o", str(out), *cache)
    assert_one_line_error(run, *_expected_words(damaged_bundle))
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_eval_refuses_a_damaged_bundled_model(tmp_path: Path, damaged_bundle: Path) -> None:
    a, b = _inputs(tmp_path)
    case = tmp_path / "cases" / "c1"
    case.mkdir(parents=True)
    shutil.copy(a, case / "a.txt")
    shutil.copy(b, case / "b.txt")
    (case / "case.json").write_text(json.dumps({
        "readouts": [{"side": "A", "file": "a.txt"}, {"side": "B", "file": "b.txt"}],
        "statements": {"A": [], "B": []}, "links": [],
    }), encoding="utf-8")
    assert_one_line_error(invoke("eval", str(tmp_path / "cases")), *_expected_words(damaged_bundle))


def test_batch_refuses_a_damaged_bundled_model(tmp_path: Path, damaged_bundle: Path) -> None:
    pair = tmp_path / "pairs" / "p1"
    pair.mkdir(parents=True)
    (pair / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (pair / "b.txt").write_text(TEXT_B, encoding="utf-8")
    out = tmp_path / "out"
    run = invoke("report", "--batch", str(tmp_path / "pairs"), "-o", str(out))
    assert run.code == 1 and "Traceback" not in run.err
    errors = [line for line in run.err.splitlines() if line.startswith("diffreadout: error:")]
    assert len(errors) == 1 and all(word in errors[0] for word in _expected_words(damaged_bundle))
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.model
def test_a_truncated_model_folder_named_with_model_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, _truncate)
    a, b = _inputs(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "diffreadout", "report", a, b, "--model", str(folder), "--no-cache"],
        capture_output=True, text=True, env=env, timeout=180, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(folder) in lines[0] and "cannot load the model" in lines[0]
