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
import sys
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


def _damaged(exc: BaseException) -> bool:
    """True only for a file that is not a sound database; a lock wait, a busy database or a
    full disk is not damage, and what other processes committed must survive it."""
    if isinstance(exc, sqlite3.OperationalError):
        return False
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text)


_warned: set[str] = set()


def warn_unusable(root: Path, exc: BaseException) -> None:
    """Say once per process, on stderr, that a cache folder cannot be used (caching goes off)."""
    key = str(root)
    if key in _warned:
        return
    _warned.add(key)
    reason = " ".join(str(getattr(exc, "strerror", None) or exc).split())[:160]
    print(f"diffreadout: warning: cache folder {root} is unusable ({reason}); continuing without the cache",
          file=sys.stderr)


def _busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _checksum(blob: bytes) -> str:
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


class EmbeddingCache:
    """A bounded, process-safe store of float32 vectors."""

    def __init__(self, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES, lock_timeout: float = 30.0) -> None:
        self.root = root or default_cache_dir()
        self.max_bytes = max_bytes
        self.lock_timeout = lock_timeout
        self.path = self.root / "embeddings.sqlite3"

    def _connect(self) -> sqlite3.Connection:
        try:
            return self._open()
        except sqlite3.DatabaseError as exc:
            if not _damaged(exc):
                raise  # busy or locked: another process is writing; never delete its rows
            self._remove_files()
            return self._open()

    def _open(self) -> sqlite3.Connection:
        self.root.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.lock_timeout, isolation_level=None)
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
        except (sqlite3.Error, OSError) as exc:
            if not _busy(exc):
                warn_unusable(self.root, exc)
            return {}
        try:
            key_list = list(keys)
            for chunk_start in range(0, len(key_list), 500):
                chunk = key_list[chunk_start : chunk_start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(f"SELECT key, dim, data, checksum FROM vectors WHERE key IN ({marks})", chunk)
                for key, dim, data, checksum in rows:
                    blob = bytes(data)
                    if _checksum(blob) != checksum or len(blob) != 4 * int(dim) or not dim:
                        damaged.append(key)
                        continue
                    vector = np.frombuffer(blob, dtype=np.float32).copy()
                    if not np.isfinite(vector).all():
                        damaged.append(key)  # a sound checksum over NaN or infinity: still a miss
                        continue
                    found[keys[key]] = vector
            if damaged:
                conn.executemany("DELETE FROM vectors WHERE key = ?", [(k,) for k in damaged])
        except sqlite3.DatabaseError as exc:
            if _damaged(exc):
                self._reset(conn)
            return found
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
        except (sqlite3.Error, OSError) as exc:
            if not _busy(exc):
                warn_unusable(self.root, exc)
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
            self._evict(conn)
        except sqlite3.DatabaseError as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if _damaged(exc):
                self._reset(conn)
            # A lock held past the time-out only means these vectors are not stored this time.
        finally:
            conn.close()

    def _file_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.root.glob("embeddings.sqlite3*") if p.is_file())

    def _evict(self, conn: sqlite3.Connection) -> None:
        """Keep the files on disk (database and write-ahead log) under max_bytes.

        Rows are estimated first; when the files themselves are over the bound (pages freed by
        deletes, the log), the least recently used rows go and the file is checkpointed and
        compacted, so the bound is on what the cache takes on disk.
        """
        (total,) = conn.execute("SELECT COALESCE(SUM(LENGTH(data)) + COUNT(*) * 200, 0) FROM vectors").fetchone()
        on_disk = self._file_bytes()
        if total <= self.max_bytes and on_disk <= self.max_bytes:
            return
        (count,) = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
        over = max(total, on_disk)
        drop = max(1, int(count * (1 - 0.8 * self.max_bytes / over)))
        conn.execute("DELETE FROM vectors WHERE key IN (SELECT key FROM vectors ORDER BY used LIMIT ?)", (drop,))
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if self._file_bytes() > self.max_bytes:
                conn.execute("VACUUM")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError:
            pass  # another process is reading; the next write compacts

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
        """The wrapped model's weights digest (provenance)."""
        return str(getattr(self.inner, "sha256"))

    @property
    def identity(self) -> str:
        """The cache key of the wrapped model: its cache_identity (everything that changes a
        vector), or its weights digest for embedders that have nothing else."""
        return str(getattr(self.inner, "cache_identity", None) or self.sha256)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return vectors for texts, computing (in one batch) only those not cached."""
        identity = self.identity
        found = self.cache.get_many(identity, texts)
        if len({v.shape for v in found.values()}) > 1:
            found = {}  # entries of different lengths under one model: none can be trusted
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            fresh = np.asarray(self.inner.encode(missing), dtype=np.float32)  # type: ignore[attr-defined]
            wrong = [t for t, v in found.items() if fresh.ndim == 2 and v.shape != fresh.shape[1:]]
            if wrong:  # cached vectors of another length than the model gives: recompute them
                for t in wrong:
                    del found[t]
                missing += wrong
                fresh = np.concatenate([fresh, np.asarray(self.inner.encode(wrong), dtype=np.float32)])  # type: ignore[attr-defined]
            self.cache.put_many(identity, missing, fresh)
            found.update(zip(missing, fresh))
        self.hits += sum(1 for t in texts if t not in missing)
        self.misses += len(missing)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32)


def cached_embedder(inner: object, cache: EmbeddingCache | None = None) -> CachedEmbedder:
    """Wrap an embedder with the on-disk cache."""
    return CachedEmbedder(inner, cache)
