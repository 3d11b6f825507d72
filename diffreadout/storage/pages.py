"""On-disk cache of fetched pages, so a re-run of a URL needs no network.

One file per URL under ``default_cache_dir()/pages/`` (the embedding cache's root): a JSON
header line, then the raw body exactly as received. Files are written to a temporary name and
renamed into place, so a reader never sees half a page; each carries the body's sha256, so a
damaged entry is ignored and fetched again. The folder is kept under a size bound by removing
the least recently used pages.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CachedPage", "PageCache", "default_pages_dir"]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_SUFFIX = ".page"


# A temporary file this old belongs to no live write (a page is written in well under a second).
STALE_TEMP_SECONDS = 600.0


def default_pages_dir() -> Path:
    """The pages folder under the user's diffreadout cache directory."""
    from diffreadout.storage.embeddings import default_cache_dir

    return default_cache_dir() / "pages"


def cache_key(url: str) -> str:
    """The URL without its #fragment (never sent to the server), hashed for a file name."""
    return hashlib.sha256(url.partition("#")[0].encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class CachedPage:
    """A stored response: the URL asked for, the final URL after redirects, its type and body."""

    url: str
    final_url: str
    content_type: str
    body: bytes
    fetched_at: float


class PageCache:
    """A bounded folder of fetched pages, safe to share between processes."""

    def __init__(self, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root if root is not None else default_pages_dir()
        self.max_bytes = max_bytes

    def _path(self, url: str) -> Path:
        return self.root / (cache_key(url) + _SUFFIX)

    def get(self, url: str) -> CachedPage | None:
        """The stored page for url, or None when absent or damaged."""
        path = self._path(url)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        header_line, newline, body = raw.partition(b"\n")
        try:
            header = json.loads(header_line)
            sound = (
                newline == b"\n"
                and header["url"] == url.partition("#")[0]
                and header["sha256"] == hashlib.sha256(body).hexdigest()
            )
            page = CachedPage(
                url=str(header["url"]), final_url=str(header["final_url"]),
                content_type=str(header["content_type"]), body=body, fetched_at=float(header["fetched_at"]),
            )
        except (ValueError, KeyError, TypeError):
            sound = False
        if not sound:
            self._remove(path)
            return None
        try:
            os.utime(path)  # recently used: evicted last
        except OSError:
            pass
        return page

    def put(self, url: str, final_url: str, content_type: str, body: bytes) -> None:
        """Store a page atomically; failures are ignored (it is only a cache)."""
        header = {
            "url": url.partition("#")[0],
            "final_url": final_url,
            "content_type": content_type,
            "sha256": hashlib.sha256(body).hexdigest(),
            "fetched_at": time.time(),
        }
        blob = json.dumps(header, ensure_ascii=True).encode("ascii") + b"\n" + body
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle, temp_name = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=_SUFFIX)
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(blob)
            os.replace(temp_name, self._path(url))
        except OSError:
            self._remove(Path(temp_name))
            return
        self._evict()

    def _entries(self) -> list[tuple[float, int, Path]]:
        entries = []
        try:
            paths = list(self.root.glob("*" + _SUFFIX))
        except OSError:
            return []
        for path in paths:
            if path.name.startswith(".tmp-"):
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            entries.append((st.st_mtime, st.st_size, path))
        return entries

    def _temps(self, older_than: float = 0.0) -> list[Path]:
        """Temporary files of interrupted writes (a kill while caching a page), older than a bound."""
        now = time.time()
        try:
            paths = list(self.root.glob(".tmp-*" + _SUFFIX))
        except OSError:
            return []
        stale = []
        for path in paths:
            try:
                if now - path.stat().st_mtime >= older_than:
                    stale.append(path)
            except OSError:
                continue
        return stale

    def _evict(self) -> None:
        for path in self._temps(older_than=STALE_TEMP_SECONDS):
            self._remove(path)
        entries = self._entries()
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(entries, key=lambda e: (e[0], e[2].name)):
            if total <= 0.8 * self.max_bytes:
                break
            self._remove(path)
            total -= size

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            pass

    def clear(self) -> int:
        """Delete every stored page; returns how many there were."""
        entries = self._entries()
        for _, _, path in entries:
            self._remove(path)
        for path in self._temps():
            self._remove(path)
        return len(entries)

    def stats(self) -> tuple[int, int]:
        """(pages, bytes on disk)."""
        entries = self._entries()
        return len(entries), sum(size for _, size, _ in entries)
