"""The embedding cache: hits skip the model, damage is detected, size is bounded."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import numpy as np

from diffreadout.storage.embeddings import EmbeddingCache, cached_embedder
from diffreadout.core.similarity.embed import HashingEmbedder


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.encoded: list[str] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.encoded.extend(texts)
        return super().encode(texts)


def test_second_run_hits_cache(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    inner = CountingEmbedder()
    first = cached_embedder(inner, cache).encode(["a b", "c d", "a b"])
    assert inner.encoded == ["a b", "c d"]
    inner2 = CountingEmbedder()
    second = cached_embedder(inner2, cache).encode(["c d", "a b"])
    assert inner2.encoded == []
    assert np.array_equal(second, first[[1, 0]])


def test_cache_is_keyed_by_model(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cached_embedder(HashingEmbedder(dim=256), cache).encode(["x y"])
    other = CountingEmbedder()
    other.dim = 128
    cached_embedder(other, cache).encode(["x y"])
    assert other.encoded == ["x y"]


def test_corrupt_entry_is_recomputed(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cached_embedder(HashingEmbedder(), cache).encode(["alpha beta"])
    conn = sqlite3.connect(cache.path)
    conn.execute("UPDATE vectors SET data = substr(data, 1, 10)")
    conn.commit()
    conn.close()
    inner = CountingEmbedder()
    out = cached_embedder(inner, cache).encode(["alpha beta"])
    assert inner.encoded == ["alpha beta"]
    assert np.allclose(out, HashingEmbedder().encode(["alpha beta"]))


def test_garbage_database_file_is_rebuilt(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    tmp_path.mkdir(exist_ok=True)
    cache.path.write_bytes(b"this is not sqlite" * 100)
    inner = CountingEmbedder()
    cached_embedder(inner, cache).encode(["one"])
    assert inner.encoded == ["one"]
    inner2 = CountingEmbedder()
    cached_embedder(inner2, cache).encode(["one"])
    assert inner2.encoded == []


def test_size_is_bounded(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, max_bytes=64 * 1024)
    emb = cached_embedder(HashingEmbedder(), cache)
    for start in range(0, 400, 50):
        emb.encode([f"text number {i}" for i in range(start, start + 50)])
    entries, _ = cache.stats()
    assert entries * (256 * 4 + 120) <= 64 * 1024


def test_clear_removes_everything(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cached_embedder(HashingEmbedder(), cache).encode(["a", "b", "c"])
    assert cache.clear() == 3
    assert cache.stats()[0] == 0


def _writer(root: str, offset: int) -> None:
    cache = EmbeddingCache(Path(root))
    emb = cached_embedder(HashingEmbedder(), cache)
    for i in range(20):
        emb.encode([f"shared {i}", f"own {offset} {i}"])


def test_two_processes_writing_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), n)) for n in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    entries, _ = EmbeddingCache(tmp_path).stats()
    assert entries == 20 + 40
