"""The command line: report (Markdown and JSON), eval, and one-line errors for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
DEMO = FIXTURES / "lavrov-wang-2025-02"


def cli(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """Run diffreadout in a subprocess, as a user would (the fake embedder is not used here)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "diffreadout", *args],
        input=stdin.decode("utf-8", "replace") if stdin is not None else None,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str, code: int = 1) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_help_lists_commands() -> None:
    result = cli("--help")
    assert result.returncode == 0
    for word in ("report", "eval", "demo", "cache"):
        assert word in result.stdout


@pytest.mark.parametrize(
    "setup, needle",
    [
        ("missing", "not found"),
        ("directory", "directory"),
        ("empty", "empty"),
        ("whitespace", "whitespace"),
        ("binary", "binary"),
        ("undecodable", "decode"),
        ("huge", "limit"),
    ],
)
def test_bad_input_is_one_line_exit_1(tmp_path: Path, setup: str, needle: str) -> None:
    bad = tmp_path / f"{setup}.txt"
    if setup == "directory":
        bad.mkdir()
    elif setup == "empty":
        bad.write_bytes(b"")
    elif setup == "whitespace":
        bad.write_bytes(b"  \n\t \n")
    elif setup == "binary":
        bad.write_bytes(b"\x00\x01\x02binary\x00" * 50)
    elif setup == "undecodable":
        bad.write_bytes(b"Caf\xe9 r\xe9sum\xe9 na\xefve d\xe9j\xe0 vu. " * 20)
    elif setup == "huge":
        bad.write_bytes(b"Words and more words. " * 1000)
    args = ["report", str(bad), str(DEMO / "b.txt")]
    if setup == "huge":
        args += ["--max-bytes", "1000"]
    result = cli(*args)
    assert_one_line_error(result, bad.name, needle)


def test_malformed_options_are_usage_errors() -> None:
    result = cli("report", str(DEMO / "a.txt"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = cli("report", str(DEMO / "a.txt"), str(DEMO / "b.txt"), "--max-bytes", "-5")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = cli("report", str(DEMO / "a.txt"), str(DEMO / "b.txt"), "--format", "pdf")
    assert result.returncode == 2


def test_existing_output_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("my notes", encoding="utf-8")
    result = cli("report", str(DEMO / "a.txt"), str(DEMO / "b.txt"), "-o", str(target))
    assert_one_line_error(result, "already exists", "--force")
    assert target.read_text(encoding="utf-8") == "my notes"


@pytest.mark.model
def test_report_json_contract_with_real_model(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    args = ("report", str(DEMO / "a.txt"), str(DEMO / "b.txt"), "--format", "json", "-o", str(out))
    result = cli(*args, "--labels", "Russian MFA", "Chinese MFA")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert [r["side"] for r in data["readouts"]] == ["A", "B"]
    assert [r["label"] for r in data["readouts"]] == ["Russian MFA", "Chinese MFA"]
    texts = {r["side"]: (DEMO / f"{r['side'].lower()}.txt").read_text(encoding="utf-8") for r in data["readouts"]}
    for readout in data["readouts"]:
        for st in readout["statements"]:
            assert texts[readout["side"]][st["start"] : st["end"]] == st["text"]
    assert data["links"] and all(l["label"] in ("shared", "emphasis") for l in data["links"])
    assert all(isinstance(l["score"], float) for l in data["links"])
    assert set(data["omissions"]) == {"A", "B"}
    assert data["model"]["sha256"] == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    # --force replaces it; the second run is served from the cache and gives the same result
    again = cli(*args, "--force", "--labels", "Russian MFA", "Chinese MFA")
    assert again.returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["links"] == data["links"]


@pytest.mark.model
def test_stdin_and_markdown_to_stdout() -> None:
    result = cli("report", "-", str(DEMO / "b.txt"), stdin=(DEMO / "a.txt").read_bytes())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# ")
    assert "stdin" in result.stdout


@pytest.mark.model
def test_eval_on_fixtures_prints_figures() -> None:
    result = cli("eval", str(FIXTURES), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["cases"]) == len(list(FIXTURES.glob("*/case.json")))
    micro = data["micro_average"]
    for key in ("pair_f1", "labelled_f1", "omission_f1", "pair_precision", "omission_recall"):
        assert 0.0 <= micro[key] <= 1.0
    # The aligner is far better than chance on our own fixtures (measured 0.84 when written).
    assert micro["pair_f1"] >= 0.6
    assert micro["labelled_f1"] <= micro["pair_f1"]


def test_eval_bad_folder(tmp_path: Path) -> None:
    assert_one_line_error(cli("eval", str(tmp_path / "nope")), "no such folder")
    assert_one_line_error(cli("eval", str(tmp_path)), "no case folders")


def test_unknown_model_is_refused_without_download() -> None:
    result = cli("report", str(DEMO / "a.txt"), str(DEMO / "b.txt"), "--model", "someone/unknown-model", "--no-cache")
    assert_one_line_error(result, "--allow-download")
