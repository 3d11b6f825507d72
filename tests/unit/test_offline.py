"""Offline: the default pipeline opens no network connection, and nothing is downloaded unasked.

Each command runs in a fresh interpreter behind a socket guard: every IP connect, name lookup
and ``create_connection`` is logged and refused. The offline switches (``HF_HUB_OFFLINE``,
``TRANSFORMERS_OFFLINE``) are removed from the environment and ``HF_HOME`` points at an empty
folder, so the run relies on nothing but the bundled model and its own settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUARDED = r'''
import atexit, os, socket, sys

attempts = []
_real_connect = socket.socket.connect

def _refuse(*args, **kwargs):
    attempts.append(repr(args)[:200])
    raise OSError(101, "network blocked by the test's socket guard")

def _connect(self, address, *args):
    if self.family == getattr(socket, "AF_UNIX", None):
        return _real_connect(self, address, *args)
    return _refuse(self, address)

socket.socket.connect = _connect
socket.socket.connect_ex = _connect
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
socket.gethostbyname = _refuse
socket.gethostbyname_ex = _refuse

@atexit.register
def _write_log():
    with open(os.environ["NETWORK_LOG"], "w", encoding="utf-8") as fh:
        fh.write("\n".join(attempts))

if sys.argv[1] == "--probe":
    import urllib.request
    try:
        urllib.request.urlopen(sys.argv[2], timeout=2)
    except OSError:
        pass
    sys.exit(0)

from diffreadout.cli.commands import run
run(sys.argv[1:])
'''


def guarded(tmp_path: Path, *args: str, timeout: int = 120) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run ``diffreadout ARGS`` behind the socket guard; returns the result and the attempts."""
    log = tmp_path / "network.log"
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    env.update(
        PYTHONPATH=str(ROOT),
        NETWORK_LOG=str(log),
        HF_HOME=str(tmp_path / "empty-hf-home"),
        DIFFREADOUT_CACHE_DIR=str(tmp_path / "empty-cache"),
    )
    result = subprocess.run(
        [sys.executable, "-c", GUARDED, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    attempts = [line for line in log.read_text(encoding="utf-8").splitlines() if line] if log.exists() else []
    return result, attempts


def _readouts(tmp_path: Path) -> tuple[str, str]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Lavrov and Wang Yi met in Johannesburg. They discussed Ukraine and trade.\n", encoding="utf-8")
    b.write_text("Wang Yi met Sergey Lavrov. The two sides discussed trade. China supports peace talks.\n", encoding="utf-8")
    return str(a), str(b)


def test_the_guard_sees_a_connection(tmp_path: Path) -> None:
    """A positive control: a plain HTTP request is logged and refused."""
    result, attempts = guarded(tmp_path, "--probe", "https://huggingface.co/api/models", timeout=60)
    assert result.returncode == 0, result.stderr
    assert attempts and "huggingface.co" in attempts[0]


@pytest.mark.model
def test_default_pipeline_makes_no_connection(tmp_path: Path) -> None:
    a, b = _readouts(tmp_path)
    out = tmp_path / "report.json"
    result, attempts = guarded(tmp_path, "report", a, b, "--format", "json", "-o", str(out), timeout=240)
    assert result.returncode == 0, result.stderr
    assert attempts == []
    assert result.stderr == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["model"]["sha256"] == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    assert data["links"]
    assert not (tmp_path / "empty-hf-home").exists()  # nothing was fetched into a hub cache
    assert any((tmp_path / "empty-cache").iterdir())  # the embeddings were cached


@pytest.mark.parametrize("model", ["someone/unknown-model", "all-mpnet-base-v2", "./no-such-folder"])
@pytest.mark.parametrize("command", ["report", "eval"])
def test_a_model_that_is_not_local_is_refused_without_a_connection(tmp_path: Path, model: str, command: str) -> None:
    a, b = _readouts(tmp_path)
    if command == "report":
        args = ["report", a, b, "--model", model]
    else:
        case = tmp_path / "cases" / "c1"
        case.mkdir(parents=True)
        for name, path in (("a.txt", a), ("b.txt", b)):
            (case / name).write_text(Path(path).read_text(encoding="utf-8"), encoding="utf-8")
        (case / "case.json").write_text(json.dumps({
            "readouts": [{"side": "A", "file": "a.txt"}, {"side": "B", "file": "b.txt"}],
            "statements": {"A": [], "B": []}, "links": [],
        }), encoding="utf-8")
        args = ["eval", str(tmp_path / "cases"), "--model", model]
    result, attempts = guarded(tmp_path, *args, timeout=60)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert model in lines[0] and "--allow-download" in lines[0]
    assert attempts == []


def test_allowed_download_without_a_network_fails_fast_in_one_line(tmp_path: Path) -> None:
    """--allow-download on an offline machine: one short reachability check, then one line.

    Without the check the hub client retries for over a minute before it gives up.
    """
    a, b = _readouts(tmp_path)
    result, attempts = guarded(
        tmp_path, "report", a, b, "--model", "someone/unknown-model", "--allow-download", timeout=60
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "someone/unknown-model: not downloaded yet, and the model hub cannot be reached" in lines[0]
    assert "huggingface.co:443" in lines[0] and "--model" in lines[0]
    assert len(attempts) == 1 and "huggingface.co" in attempts[0]  # the check alone, no retries


def test_hub_unreachable_honours_offline_switch_and_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from diffreadout.core.similarity.embed import hub_unreachable

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert hub_unreachable() == "HF_HUB_OFFLINE is set"
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_ENDPOINT", "http://hub.example.invalid:8080")
    seen = []

    def refuse(address: tuple[str, int], timeout: float) -> None:
        seen.append((address, timeout))
        raise OSError(111, "Connection refused")

    monkeypatch.setattr(socket, "create_connection", refuse)
    assert hub_unreachable(timeout=2.0) == "hub.example.invalid:8080: Connection refused"
    assert seen == [(("hub.example.invalid", 8080), 2.0)]
