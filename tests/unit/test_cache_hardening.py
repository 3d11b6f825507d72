"""The embedding cache under contention and bad content: waiting is not damage, the identity
covers everything that changes a vector, the size bound holds on disk, and bad entries are misses."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from diffreadout.core.similarity.embed import HashingEmbedder, SentenceTransformerEmbedder
from diffreadout.core.similarity.identity import loaded_identity
from diffreadout.storage import embeddings
from diffreadout.storage.embeddings import EmbeddingCache, cached_embedder


class Counting(HashingEmbedder):
    def __init__(self, dim: int = 256, identity: str | None = None) -> None:
        super().__init__(dim=dim)
        self.encoded: list[str] = []
        if identity is not None:
            self.cache_identity = identity

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.encoded.extend(texts)
        return super().encode(texts)


def _rows(cache: EmbeddingCache) -> int:
    with sqlite3.connect(cache.path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])


def test_a_lock_held_past_the_timeout_deletes_nothing(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, lock_timeout=0.2)
    cached_embedder(HashingEmbedder(), cache).encode([f"committed {i}" for i in range(50)])
    other = sqlite3.connect(cache.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        inner = Counting()
        out = cached_embedder(inner, cache).encode(["new text while locked", "committed 3"])
        assert out.shape == (2, 256)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _rows(cache) == 50  # the other process's rows all survive; the new one is just not stored
    again = Counting()
    cached_embedder(again, cache).encode([f"committed {i}" for i in range(50)])
    assert again.encoded == []


def _model_folder(root: Path, pooling: str, max_len: int = 256) -> Path:
    root.mkdir(parents=True)
    (root / "model.safetensors").write_bytes(b"the same weights" * 64)
    (root / "config.json").write_text('{"hidden_size": 384}')
    (root / "modules.json").write_text('[{"idx":0,"path":""},{"idx":1,"path":"1_Pooling"}]')
    (root / "sentence_bert_config.json").write_text(f'{{"max_seq_length": {max_len}}}')
    (root / "1_Pooling").mkdir()
    (root / "1_Pooling" / "config.json").write_text(f'{{"pooling_mode_{pooling}_tokens": true}}')
    return root


def test_cache_identity_covers_pooling_max_length_and_name(tmp_path: Path) -> None:
    mean = SentenceTransformerEmbedder(str(_model_folder(tmp_path / "mean", "mean")))
    cls = SentenceTransformerEmbedder(str(_model_folder(tmp_path / "cls", "cls")))
    short = SentenceTransformerEmbedder(str(_model_folder(tmp_path / "short", "mean", max_len=128)))
    same = SentenceTransformerEmbedder(str(_model_folder(tmp_path / "same", "mean")))
    assert mean.sha256 == cls.sha256 == short.sha256  # the weights file alone cannot tell them apart
    ids = {e.cache_identity for e in (mean, cls, short, same)}
    assert len(ids) == 4  # same files under another name (folder) is another model name
    assert mean.cache_identity == SentenceTransformerEmbedder(str(tmp_path / "mean")).cache_identity


def test_hub_models_have_a_nonempty_identity_that_follows_their_configuration() -> None:
    class Fake:
        def __init__(self, pooling: str) -> None:
            self.pooling = pooling
            self.max_seq_length = 256

        def __repr__(self) -> str:
            return f"SentenceTransformer(Transformer(), Pooling({self.pooling}), Normalize())"

    a = loaded_identity("org/model", Fake("mean"), "")
    assert a and a != loaded_identity("org/model", Fake("cls"), "")
    assert a != loaded_identity("org/other", Fake("mean"), "")


def test_same_weights_digest_with_another_identity_does_not_share_vectors(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cached_embedder(Counting(identity="pooling=mean"), cache).encode(["x y"])
    other = Counting(identity="pooling=cls")
    assert other.sha256 == HashingEmbedder().sha256
    cached_embedder(other, cache).encode(["x y"])
    assert other.encoded == ["x y"]


def test_size_bound_holds_on_disk(tmp_path: Path) -> None:
    bound = 1024 * 1024
    cache = EmbeddingCache(tmp_path, max_bytes=bound)
    emb = cached_embedder(HashingEmbedder(dim=384), cache)
    for start in range(0, 6000, 300):
        emb.encode([f"statement number {i} of a long readout" for i in range(start, start + 300)])
    on_disk = sum(p.stat().st_size for p in tmp_path.glob("embeddings.sqlite3*"))
    assert on_disk <= bound, on_disk


def _store(cache: EmbeddingCache, identity: str, text: str, vector: np.ndarray) -> None:
    """Write an entry whose checksum is valid but whose content is wrong."""
    cached_embedder(HashingEmbedder(), cache).encode(["bootstrap"])
    blob = np.asarray(vector, dtype=np.float32).tobytes()
    key = hashlib.sha256(f"{identity}\x00{text}".encode()).hexdigest()
    checksum = hashlib.blake2b(blob, digest_size=16).hexdigest()
    with sqlite3.connect(cache.path) as conn:
        conn.execute("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, 0)", (key, len(blob) // 4, blob, checksum))


@pytest.mark.parametrize("vector", [np.full(256, np.nan), np.full(256, np.inf), np.ones(3)])
def test_entries_with_a_valid_checksum_but_wrong_content_are_misses(tmp_path: Path, vector: np.ndarray) -> None:
    cache = EmbeddingCache(tmp_path)
    inner = Counting()
    _store(cache, inner.sha256, "alpha beta", vector)
    out = cached_embedder(inner, cache).encode(["alpha beta", "gamma"])
    assert out.shape == (2, 256) and np.isfinite(out).all()
    assert np.allclose(out[0], HashingEmbedder().encode(["alpha beta"])[0])
    assert "alpha beta" in inner.encoded


def test_an_unusable_cache_folder_is_said_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    embeddings._warned.clear()
    emb = cached_embedder(HashingEmbedder(), EmbeddingCache(blocker / "cache"))
    emb.encode(["one"])
    emb.encode(["two"])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is unusable" in err and str(blocker / "cache") in err
