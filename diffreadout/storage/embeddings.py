"""On-disk embedding cache: one SQLite file under the user's cache directory.

Keyed by the model's whole identity (weights, configuration, pooling, tokenizer, name: see
``SentenceTransformerEmbedder.cache_identity``) and the statement text, so a re-run of the same
readouts needs no model at all (and so never imports torch). SQLite gives atomic,
concurrent-safe writes; each vector carries a checksum, and an entry whose checksum holds but
whose content is unusable (another length than its neighbours, NaN or infinite values) is a
miss, deleted and recomputed. The file on disk is kept under its size bound (measured from the
file, not estimated) by evicting the least recently used entries.

Waiting for another process's write lock is not damage: a busy cache is skipped for this run,
and nothing another process committed is ever deleted. Only a file SQLite itself calls damaged
("not a database", "malformed") is removed. A cache folder that cannot be used turns the cache
off for the run, and says so once on standard error.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from collections import Counter
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


_warned: set[str] = set()


def _warn_once(root: Path, problem: str) -> None:
    """Say once per folder and process that the cache is off, and why."""
    if str(root) in _warned:
        return
    _warned.add(str(root))
    try:
        sys.stderr.write(f"diffreadout: warning: the embedding cache in {root} is off for this run ({problem})\n")
    except (OSError, ValueError):
        pass


def _is_damage(exc: sqlite3.Error) -> bool:
    """True only for a file SQLite calls damaged; a lock, a full disk or a read-only file is not."""
    if isinstance(exc, sqlite3.OperationalError):
        return False
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text)


def _sound(blob: bytes, dim: int, checksum: str) -> np.ndarray | None:
    """The vector of a cache row, or None when its checksum, length or values are wrong."""
    if dim <= 0 or len(blob) != 4 * dim or _checksum(blob) != checksum:
        return None
    vector = np.frombuffer(blob, dtype=np.float32).copy()
    return vector if bool(np.isfinite(vector).all()) else None


def _key(model_sha256: str, text: str) -> str:
    return hashlib.sha256(f"{model_sha256}\x00{text}".encode()).hexdigest()


def _checksum(blob: bytes) -> str:
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


class EmbeddingCache:
    """A bounded, process-safe store of float32 vectors."""

    def __init__(self, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 lock_timeout: float = 30.0) -> None:
        self.root = root or default_cache_dir()
        self.max_bytes = max_bytes
        self.lock_timeout = lock_timeout
        self.path = self.root / "embeddings.sqlite3"

    def _connect(self) -> sqlite3.Connection | None:
        """An open connection, or None (said once) when the cache cannot be used now."""
        try:
            try:
                return self._open()
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    raise
                self._remove_files()
                return self._open()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                return None  # another process holds the lock: skip the cache, delete nothing
            _warn_once(self.root, str(exc))
        except (sqlite3.Error, OSError) as exc:
            _warn_once(self.root, getattr(exc, "strerror", None) or str(exc))
        return None

    def _open(self) -> sqlite3.Connection:
        self.root.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.lock_timeout, isolation_level=None)
        try:
            # Set before the table exists, so that evicted pages go back to the file system.
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, "
                "data BLOB NOT NULL, checksum TEXT NOT NULL, used REAL NOT NULL)"
            )
        except BaseException:
            conn.close()
            raise
        return conn

    def get_many(self, model_sha256: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors for the texts that have a sound entry (all of one length)."""
        if not texts:
            return {}
        keys = {_key(model_sha256, t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        damaged: list[str] = []
        conn = self._connect()
        if conn is None:
            return {}
        try:
            key_list = list(keys)
            for chunk_start in range(0, len(key_list), 500):
                chunk = key_list[chunk_start : chunk_start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(f"SELECT key, dim, data, checksum FROM vectors WHERE key IN ({marks})", chunk)
                for key, dim, data, checksum in rows:
                    vector = _sound(bytes(data), int(dim), str(checksum))
                    if vector is None:
                        damaged.append(key)
                    else:
                        found[key] = vector
            # One model gives one length: entries of another length than most are wrong.
            counts = Counter(len(v) for v in found.values())
            if len(counts) > 1:
                common = min(counts, key=lambda n: (-counts[n], n))  # ties: the shorter, deterministically
                damaged += [k for k, v in found.items() if len(v) != common]
                found = {k: v for k, v in found.items() if len(v) == common}
            if damaged:
                conn.executemany("DELETE FROM vectors WHERE key = ?", [(k,) for k in damaged])
        except sqlite3.Error as exc:
            self._fail(conn, exc)
            return {}
        finally:
            conn.close()
        return {keys[k]: v for k, v in found.items()}

    def put_many(self, model_sha256: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store vectors (one row per text); failures to write are ignored (it is only a cache)."""
        now = time.time()
        rows = []
        for text, vector in zip(texts, vectors):
            blob = np.asarray(vector, dtype=np.float32).tobytes()
            rows.append((_key(model_sha256, text), len(blob) // 4, blob, _checksum(blob), now))
        conn = self._connect()
        if conn is None:
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
            self._evict(conn)
        except sqlite3.Error as exc:
            self._fail(conn, exc)
        finally:
            conn.close()

    def _file_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.root.glob("embeddings.sqlite3*") if p.is_file())

    def _evict(self, conn: sqlite3.Connection) -> None:
        """Keep the file itself under max_bytes: least recently used entries go first."""
        if self._file_bytes() <= self.max_bytes:
            return
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (pages, free, page_size) = (conn.execute(f"PRAGMA {name}").fetchone()[0]
                                    for name in ("page_count", "freelist_count", "page_size"))
        used = max(1, (pages - free) * page_size)
        (count,) = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
        if used > 0.8 * self.max_bytes and count:
            drop = max(1, int(count * (1 - 0.8 * self.max_bytes / used)) + 1)
            conn.execute("DELETE FROM vectors WHERE key IN (SELECT key FROM vectors ORDER BY used LIMIT ?)", (drop,))
        conn.executescript("PRAGMA incremental_vacuum;")  # run to completion (execute() frees one page)
        if conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 0:
            conn.execute("VACUUM")  # a file made before auto_vacuum was set: compact it once
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _fail(self, conn: sqlite3.Connection, exc: sqlite3.Error) -> None:
        """A damaged file is dropped and rebuilt on next use; anything else (a lock) leaves it alone."""
        conn.close()
        if _is_damage(exc):
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
        conn = self._connect()
        if conn is None:
            return 0
        try:
            (count,) = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
            conn.execute("DELETE FROM vectors")
            conn.execute("VACUUM")
            return int(count)
        except sqlite3.Error as exc:
            self._fail(conn, exc)
            return 0
        finally:
            conn.close()

    def stats(self) -> tuple[int, int]:
        """(entries, bytes on disk)."""
        if not self.path.exists():
            return 0, 0
        count = 0
        conn = self._connect()
        if conn is not None:
            try:
                (count,) = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
            except sqlite3.Error:
                count = 0
            finally:
                conn.close()
        return int(count), self._file_bytes()


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
        """The wrapped model's weights digest (what the provenance shows)."""
        return str(getattr(self.inner, "sha256"))

    @property
    def identity(self) -> str:
        """What the cache is keyed on: everything that changes a vector where the model says so."""
        return str(getattr(self.inner, "cache_identity", None) or self.sha256)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return vectors for texts, computing (in one batch) only those not cached."""
        identity = self.identity
        found = self.cache.get_many(identity, texts)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        self.hits += len(texts) - sum(1 for t in texts if t in missing)
        self.misses += len(missing)
        if missing:
            fresh = np.asarray(self.inner.encode(missing), dtype=np.float32)  # type: ignore[attr-defined]
            self.cache.put_many(identity, missing, fresh)
            found.update(zip(missing, fresh))
            # A cached vector of another length than the model gives now is wrong: recompute it.
            wrong = [t for t, v in found.items() if fresh.ndim == 2 and len(v) != fresh.shape[1]]
            if wrong:
                again = np.asarray(self.inner.encode(wrong), dtype=np.float32)  # type: ignore[attr-defined]
                self.cache.put_many(identity, wrong, again)
                found.update(zip(wrong, again))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32)


def cached_embedder(inner: object, cache: EmbeddingCache | None = None) -> CachedEmbedder:
    """Wrap an embedder with the on-disk cache."""
    return CachedEmbedder(inner, cache)
