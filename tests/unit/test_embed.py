"""Model resolution and integrity: the bundled weights are verified before use, offline."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from diffreadout.config import DEFAULT_MODEL, DEFAULT_MODEL_SHA256
from diffreadout.core.similarity.embed import (
    HashingEmbedder,
    ModelError,
    SentenceTransformerEmbedder,
    bundled_model_path,
    resolve_model,
    verify_model,
)


def test_fake_embedder_is_deterministic_and_normalised() -> None:
    emb = HashingEmbedder()
    first = emb.encode(["Wang Yi said", "Lavrov noted", ""])
    again = HashingEmbedder().encode(["Wang Yi said", "Lavrov noted", ""])
    assert np.array_equal(first, again)
    assert np.allclose(np.linalg.norm(first[:2], axis=1), 1.0)
    assert not first[2].any()


def test_bundled_model_matches_pinned_sha256() -> None:
    folder = bundled_model_path()
    assert verify_model(folder, DEFAULT_MODEL_SHA256) == DEFAULT_MODEL_SHA256


def _copy_model(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(bundled_model_path(), target)
    return target


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    weights = folder / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError) as info:
        verify_model(folder, DEFAULT_MODEL_SHA256)
    message = str(info.value)
    assert "does not match" in message and "\n" not in message


def test_truncated_weights_are_refused(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(ModelError):
        verify_model(folder, DEFAULT_MODEL_SHA256)


def test_tampered_bundled_model_refused_at_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _copy_model(tmp_path)
    (folder / "model.safetensors").write_bytes(b"not weights")
    monkeypatch.setattr("diffreadout.core.similarity.embed.bundled_model_path", lambda: folder)
    embedder = SentenceTransformerEmbedder(DEFAULT_MODEL)
    with pytest.raises(ModelError, match="does not match"):
        embedder.encode(["text"])


def test_folder_without_weights_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model.safetensors"):
        verify_model(tmp_path, None)


def test_unknown_model_name_needs_explicit_download() -> None:
    with pytest.raises(ModelError) as info:
        resolve_model("sentence-transformers/some-other-model", allow_download=False)
    assert "--allow-download" in str(info.value)
    name, folder, expected = resolve_model("sentence-transformers/some-other-model", allow_download=True)
    assert folder is None and expected is None


def test_local_model_folder_resolves(tmp_path: Path) -> None:
    name, folder, expected = resolve_model(str(tmp_path), allow_download=False)
    assert folder == tmp_path and expected is None


# ---- device choice (issue 6: a GPU is used when present) ----------------------------------


def _fake_torch(monkeypatch: pytest.MonkeyPatch, cuda: bool) -> None:
    """Stand in for torch, so the choice is tested without importing it or owning a GPU."""
    import types

    fake = types.ModuleType("torch")
    fake.cuda = types.SimpleNamespace(is_available=lambda: cuda)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "torch", fake)


@pytest.mark.parametrize(("cuda", "expected"), [(True, "cuda"), (False, "cpu")])
def test_auto_device_takes_a_gpu_when_torch_sees_one(monkeypatch: pytest.MonkeyPatch, cuda: bool, expected: str) -> None:
    from diffreadout.core.similarity.embed import _resolve_device

    _fake_torch(monkeypatch, cuda)
    assert _resolve_device("auto") == expected


def test_cpu_device_never_asks_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    from diffreadout.core.similarity.embed import _resolve_device

    _fake_torch(monkeypatch, True)
    assert _resolve_device("cpu") == "cpu"


def test_cuda_without_a_gpu_is_refused_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from diffreadout.core.similarity.embed import ModelError, _resolve_device

    _fake_torch(monkeypatch, False)
    with pytest.raises(ModelError) as info:
        _resolve_device("cuda")
    assert str(info.value) == "--device cuda: torch sees no CUDA GPU on this machine (use --device auto or cpu)"
    _fake_torch(monkeypatch, True)
    assert _resolve_device("cuda") == "cuda"


def test_the_default_device_is_auto() -> None:
    from click.testing import CliRunner

    from diffreadout.cli.commands import main
    from diffreadout.config import AnalysisConfig

    assert AnalysisConfig().device == "auto"
    result = CliRunner().invoke(main, ["report", "--help"])
    assert "[default: auto]" in " ".join(result.output.split())
