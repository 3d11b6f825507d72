"""The embedding cache under contention and abuse: a lock is not damage, identity is the whole
model, the bound holds on disk, and unusable entries or folders are handled in the open."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from diffreadout.core.similarity import embed
from diffreadout.core.similarity.embed import HashingEmbedder, SentenceTransformerEmbedder
from diffreadout.storage.embeddings import EmbeddingCache, _checksum, cached_embedder


class CountingEmbedder(HashingEmbedder):
    def __init__(self, dim: int = 256) -> None:
        super().__init__(dim)
        self.encoded: list[str] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.encoded.extend(texts)
        return super().encode(texts)


def _rows(cache: EmbeddingCache) -> int:
    conn = sqlite3.connect(cache.path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
    finally:
        conn.close()


def test_waiting_for_the_lock_never_deletes_what_others_wrote(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, lock_timeout=0.2)
    texts = [f"statement number {i}" for i in range(50)]
    cached_embedder(HashingEmbedder(), cache).encode(texts)
    assert _rows(cache) == 50
    holder = sqlite3.connect(cache.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock past our wait
    try:
        inner = CountingEmbedder()
        out = cached_embedder(inner, cache).encode(["a new statement"])
        assert inner.encoded == ["a new statement"] and out.shape == (1, 256)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _rows(cache) == 50  # before the fix: the file was deleted as "damaged"


def test_a_file_sqlite_calls_damaged_is_still_rebuilt(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cache.path.write_bytes(b"this is not a database" * 100)
    cached_embedder(HashingEmbedder(), cache).encode(["x"])
    assert _rows(cache) == 1


@pytest.mark.parametrize("damage", ["nan", "short"])
def test_rows_with_a_valid_checksum_but_wrong_content_are_misses(tmp_path: Path, damage: str) -> None:
    cache = EmbeddingCache(tmp_path)
    embedder = cached_embedder(HashingEmbedder(), cache)
    embedder.encode(["alpha beta", "gamma delta", "epsilon zeta"])
    vector = np.full(256 if damage == "nan" else 100, np.nan if damage == "nan" else 0.5, dtype=np.float32)
    blob = vector.tobytes()
    conn = sqlite3.connect(cache.path)
    (key,) = conn.execute("SELECT key FROM vectors ORDER BY key LIMIT 1").fetchone()
    conn.execute("UPDATE vectors SET data = ?, dim = ?, checksum = ? WHERE key = ?",
                 (blob, len(vector), _checksum(blob), key))
    conn.commit()
    conn.close()
    inner = CountingEmbedder()
    texts = ["alpha beta", "gamma delta", "epsilon zeta"]
    out = cached_embedder(inner, cache).encode(texts)
    assert len(inner.encoded) == 1
    assert out.shape == (3, 256) and np.isfinite(out).all()
    assert np.allclose(out, HashingEmbedder().encode(texts))


def test_a_cached_vector_of_another_length_than_the_model_gives_is_recomputed(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cache.put_many(HashingEmbedder().sha256, ["old"], np.ones((1, 64), dtype=np.float32))
    inner = CountingEmbedder()
    out = cached_embedder(inner, cache).encode(["old", "new"])
    assert out.shape == (2, 256) and sorted(inner.encoded) == ["new", "old"]


def test_the_bound_holds_for_the_file_on_disk(tmp_path: Path) -> None:
    bound = 2 * 1024 * 1024
    cache = EmbeddingCache(tmp_path, max_bytes=bound)
    embedder = cached_embedder(HashingEmbedder(dim=384), cache)
    largest = 0
    for batch in range(30):
        embedder.encode([f"batch {batch} statement {i}" for i in range(200)])
        largest = max(largest, cache.stats()[1])
    entries, size = cache.stats()
    assert size <= bound, size
    assert largest <= bound * 1.5, largest  # measured after each write, WAL included
    assert entries > 500  # eviction keeps most of what fits


def test_an_unusable_cache_folder_is_said_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    cache = EmbeddingCache(blocker)
    embedder = cached_embedder(HashingEmbedder(), cache)
    for _ in range(3):
        assert embedder.encode(["a b"]).shape == (1, 256)
    err = capsys.readouterr().err
    assert err.count("warning: the embedding cache") == 1 and str(blocker) in err


# --- identity: everything that changes a vector ---------------------------------------------------

def _model_copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(embed.bundled_model_path(), folder, symlinks=False)
    return folder


def test_identity_changes_with_pooling_and_max_length_but_not_with_the_readme(tmp_path: Path) -> None:
    source = embed.bundled_model_path()
    if not (source / "1_Pooling" / "config.json").exists():
        pytest.skip("bundled model folder not found")
    base = _model_copy(tmp_path, "base")
    identity = SentenceTransformerEmbedder(str(base)).cache_identity
    assert SentenceTransformerEmbedder(str(base)).cache_identity == identity  # stable

    pooled = _model_copy(tmp_path, "pooled")
    pooling = pooled / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    config["pooling_mode_mean_tokens"], config["pooling_mode_cls_token"] = False, True
    pooling.write_text(json.dumps(config))
    shortened = _model_copy(tmp_path, "shortened")
    bert = shortened / "sentence_bert_config.json"
    bert.write_text(json.dumps({**json.loads(bert.read_text()), "max_seq_length": 64}))
    readme = _model_copy(tmp_path, "readme")
    (readme / "README.md").write_text("another model card")

    same_weights = {f.name: hashlib.sha256((f / "model.safetensors").read_bytes()).hexdigest()
                    for f in (base, pooled, shortened)}
    assert len(set(same_weights.values())) == 1  # the weights alone cannot tell them apart
    pooled_id = SentenceTransformerEmbedder(str(pooled)).cache_identity
    short_id = SentenceTransformerEmbedder(str(shortened)).cache_identity
    readme_id = SentenceTransformerEmbedder(str(readme)).cache_identity
    assert len({identity, pooled_id, short_id}) == 3
    assert readme_id != pooled_id and readme_id != short_id
    # The folder's name is part of the identity; with the same name, the model card does not count.
    renamed = tmp_path / "x" / "base"
    renamed.parent.mkdir()
    shutil.copytree(readme, renamed)
    assert SentenceTransformerEmbedder(str(renamed)).cache_identity == SentenceTransformerEmbedder(
        str(renamed)).cache_identity


def test_the_cache_keys_on_the_identity_not_the_weights(tmp_path: Path) -> None:
    class Model(CountingEmbedder):
        def __init__(self, identity: str) -> None:
            super().__init__()
            self.cache_identity = identity

    cache = EmbeddingCache(tmp_path / "cache")
    cached_embedder(Model("pooling-a"), cache).encode(["x y"])
    other = Model("pooling-b")  # same sha256 (same "weights"), other identity
    assert other.sha256 == HashingEmbedder().sha256
    cached_embedder(other, cache).encode(["x y"])
    assert other.encoded == ["x y"]
    again = Model("pooling-a")
    cached_embedder(again, cache).encode(["x y"])
    assert again.encoded == []
