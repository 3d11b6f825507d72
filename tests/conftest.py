"""Shared fixtures: the fixture pairs, a fake embedder, and an isolated cache directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from diffreadout.core.similarity.embed import HashingEmbedder

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
CASES = sorted(p.parent for p in FIXTURES.glob("*/case.json"))


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's real cache or library from tests."""
    monkeypatch.setenv("DIFFREADOUT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("DIFFREADOUT_DATA_DIR", str(tmp_path_factory.mktemp("data")))  # the analyst's corrections
    monkeypatch.setenv("DIFFREADOUT_LIBRARY", str(tmp_path_factory.mktemp("data") / "library.sqlite"))


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 must go straight there, never through a configured proxy."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    """The deterministic, model-free embedder."""
    return HashingEmbedder()


@pytest.fixture
def demo_case() -> Path:
    """The demo fixture pair's folder."""
    return FIXTURES / "lavrov-wang-2025-02"
