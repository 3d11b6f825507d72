"""What a cached vector depends on: the one cache identity of a sentence-transformers model.

The weights alone are not enough: the same weights under another pooling, normalisation or
maximum sequence length give other vectors, and a hub model has no folder to hash before it is
loaded. The identity is a digest over the model's name, its weights' sha256, every small
configuration and tokenizer file of its folder (pooling, max length, modules, vocabulary) and
how diffreadout encodes (normalised unit vectors).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

__all__ = ["ENCODE_SETTINGS", "folder_identity", "loaded_identity"]

# How SentenceTransformerEmbedder.encode calls the model; part of every identity.
ENCODE_SETTINGS = "normalize_embeddings=True;dtype=float32"
_WEIGHTS = frozenset({"model.safetensors", "pytorch_model.bin"})
_SKIPPED_SUFFIXES = (".md", ".gitattributes", ".onnx", ".bin", ".safetensors", ".xml", ".lock")
_MAX_CONFIG_BYTES = 8 * 1024 * 1024


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def folder_identity(name: str, folder: Path, weights_sha256: str) -> str:
    """The identity of a model folder: name, weights digest, and every configuration file's bytes."""
    parts = [f"name={name}", f"weights={weights_sha256}", ENCODE_SETTINGS]
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if path.name in _WEIGHTS or path.name.endswith(_SKIPPED_SUFFIXES) or relative.startswith("."):
            continue
        try:
            if path.stat().st_size > _MAX_CONFIG_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        parts.append(f"{relative}={hashlib.sha256(data).hexdigest()}")
    return _digest(parts)


def loaded_identity(name: str, model: Any, weights_sha256: str) -> str:
    """The identity of a loaded model (hub models): its modules as configured, revision and weights."""
    parts = [f"name={name}", f"weights={weights_sha256}", ENCODE_SETTINGS, f"modules={model!r}"]
    try:
        parts.append(f"max_seq_length={model.max_seq_length}")
    except Exception:  # noqa: BLE001 - best effort; the module description above carries it too
        pass
    try:
        config = model[0].auto_model.config
        parts.append(f"revision={getattr(config, '_commit_hash', '')}")
        parts.append(f"config={config.to_json_string(use_diff=False)}")
    except Exception:  # noqa: BLE001
        pass
    return _digest(parts)
