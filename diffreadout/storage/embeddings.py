"""On-disk embedding cache: one SQLite file under the user's cache directory.

Keyed by the model's sha256 and the statement text, so a re-run of the same readouts needs
no model at all (and so never imports torch). SQLite gives atomic, concurrent-safe writes;
each vector carries a checksum, so a damaged entry is detected and recomputed. The file is
kept under a size bound by evicting the least recently used entries.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DEFAULT_MAX_BYTES = 256 * 1024 * 1024


def default_cache_dir() -> Path:
    """$DIFFREADOUT_CACHE_DIR, else $XDG_CACHE_HOME/diffreadout, else ~/.cache/diffreadout."""
    explicit = os.environ.get("DIFFREADOUT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diffreadout"


def _key(model_sha256: str, text: str) -> str:
    return hashlib.sha256(f"{model_sha256}\x00{text}".encode()).hexdigest()


def _checksum(blob: bytes) -> str:
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


class EmbeddingCache:
    """A bounded, process-safe store of float32 vectors."""

    def __init__(self, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root or default_cache_dir()
        self.max_bytes = max_bytes
        self.path = self.root / "embeddings.sqlite3"

    def _connect(self) -> sqlite3.Connection:
        try:
            return self._open()
        except sqlite3.DatabaseError:
            self._remove_files()
            return self._open()

    def _open(self) -> sqlite3.Connection:
        self.root.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, "
            "data BLOB NOT NULL, checksum TEXT NOT NULL, used REAL NOT NULL)"
        )
        return conn

    def get_many(self, model_sha256: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors for the texts that have a sound entry."""
        if not texts:
            return {}
        keys = {_key(model_sha256, t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        damaged: list[str] = []
        try:
            conn = self._connect()
        except (sqlite3.Error, OSError):
            return {}
        try:
            key_list = list(keys)
            for chunk_start in range(0, len(key_list), 500):
                chunk = key_list[chunk_start : chunk_start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(f"SELECT key, dim, data, checksum FROM vectors WHERE key IN ({marks})", chunk)
                for key, dim, data, checksum in rows:
                    blob = bytes(data)
                    if _checksum(blob) != checksum or len(blob) != 4 * int(dim):
                        damaged.append(key)
                        continue
                    found[keys[key]] = np.frombuffer(blob, dtype=np.float32).copy()
            if damaged:
                conn.executemany("DELETE FROM vectors WHERE key = ?", [(k,) for k in damaged])
        except sqlite3.DatabaseError:
            self._reset(conn)
            return {}
        finally:
            conn.close()
        return found

    def put_many(self, model_sha256: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store vectors (one row per text); failures to write are ignored (it is only a cache)."""
        now = time.time()
        rows = []
        for text, vector in zip(texts, vectors):
            blob = np.asarray(vector, dtype=np.float32).tobytes()
            rows.append((_key(model_sha256, text), len(blob) // 4, blob, _checksum(blob), now))
        try:
            conn = self._connect()
        except (sqlite3.Error, OSError):
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
            self._evict(conn)
        except sqlite3.DatabaseError:
            self._reset(conn)
        finally:
            conn.close()

    def _evict(self, conn: sqlite3.Connection) -> None:
        (total,) = conn.execute("SELECT COALESCE(SUM(LENGTH(data)) + COUNT(*) * 120, 0) FROM vectors").fetchone()
        if total <= self.max_bytes:
            return
        (count,) = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
        drop = max(1, int(count * (1 - 0.8 * self.max_bytes / total)))
        conn.execute("DELETE FROM vectors WHERE key IN (SELECT key FROM vectors ORDER BY used LIMIT ?)", (drop,))

    def _reset(self, conn: sqlite3.Connection) -> None:
        """A damaged database file is dropped and rebuilt on next use."""
        conn.close()
        self._remove_files()

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(str(self.path) + suffix)
            except OSError:
                pass

    def clear(self) -> int:
        """Delete every entry; returns how many there were."""
        if not self.path.exists():
            return 0
        try:
            conn = self._connect()
            (count,) = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
            conn.execute("DELETE FROM vectors")
            conn.execute("VACUUM")
            conn.close()
            return int(count)
        except sqlite3.DatabaseError:
            self._reset(sqlite3.connect(":memory:"))
            return 0

    def stats(self) -> tuple[int, int]:
        """(entries, bytes on disk)."""
        if not self.path.exists():
            return 0, 0
        try:
            conn = self._connect()
            (count,) = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
            conn.close()
        except sqlite3.DatabaseError:
            count = 0
        size = sum(p.stat().st_size for p in self.root.glob("embeddings.sqlite3*") if p.is_file())
        return int(count), size


class CachedEmbedder:
    """Wraps an embedder: vectors found in the cache skip the model entirely."""

    def __init__(self, inner: object, cache: EmbeddingCache | None = None) -> None:
        self.inner = inner
        self.cache = cache or EmbeddingCache()
        self.name: str = getattr(inner, "name")
        self.hits = 0
        self.misses = 0

    @property
    def sha256(self) -> str:
        """The wrapped model's identity."""
        return str(getattr(self.inner, "sha256"))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return vectors for texts, computing (in one batch) only those not cached."""
        identity = self.sha256
        found = self.cache.get_many(identity, texts)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        self.hits += len(texts) - sum(1 for t in texts if t in missing)
        self.misses += len(missing)
        if missing:
            fresh = self.inner.encode(missing)  # type: ignore[attr-defined]
            self.cache.put_many(identity, missing, fresh)
            found.update(zip(missing, np.asarray(fresh, dtype=np.float32)))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32)


def cached_embedder(inner: object, cache: EmbeddingCache | None = None) -> CachedEmbedder:
    """Wrap an embedder with the on-disk cache."""
    return CachedEmbedder(inner, cache)
