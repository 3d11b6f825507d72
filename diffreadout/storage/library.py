"""The library: readouts an analyst keeps, with their publisher and date, in one SQLite file.

It is user data, not a cache: it lives under ``$XDG_DATA_HOME/diffreadout`` (``--library`` or
``$DIFFREADOUT_LIBRARY`` name another file) and nothing ever evicts from it. Each command's
changes are one transaction (an interrupted ``add`` leaves the library as it was); WAL mode
and a busy timeout make concurrent readers and writers safe. Readouts are deduplicated by the
sha256 of their bytes. Statements (offsets into the stored text) are indexed by FTS5 for
exact phrase search; every statement and clause is stored once as a normalised formulation,
with its uses (publisher and date copied in, so one index
answers a history's look-ups) and the rare-bigram index (shingles) that ``history`` fetches candidates from.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from diffreadout.core.history import load_settings, shingles, units_of
from diffreadout.model import Readout

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS readouts(
    id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE NOT NULL, publisher TEXT NOT NULL, date TEXT NOT NULL,
    meeting TEXT NOT NULL, language TEXT NOT NULL, source TEXT NOT NULL, encoding TEXT NOT NULL,
    added TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS readouts_by_publisher ON readouts(publisher, date);
CREATE TABLE IF NOT EXISTS statements(
    id INTEGER PRIMARY KEY, readout_id INTEGER NOT NULL, idx INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS statements_by_readout ON statements(readout_id);
CREATE VIEW IF NOT EXISTS statement_text AS
    SELECT s.id AS id, substr(r.text, s.start + 1, s."end" - s.start) AS text
    FROM statements s JOIN readouts r ON r.id = s.readout_id;
CREATE VIRTUAL TABLE IF NOT EXISTS statements_fts USING fts5(text, content='statement_text', content_rowid='id');
CREATE TABLE IF NOT EXISTS formulations(id INTEGER PRIMARY KEY, norm TEXT UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS uses(
    formulation_id INTEGER NOT NULL, readout_id INTEGER NOT NULL, publisher TEXT NOT NULL, date TEXT NOT NULL,
    statement_idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, whole INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS uses_by_formulation ON uses(formulation_id, publisher, date);
CREATE INDEX IF NOT EXISTS uses_by_readout ON uses(readout_id);
CREATE TABLE IF NOT EXISTS shingles(hash INTEGER NOT NULL, formulation_id INTEGER NOT NULL,
    PRIMARY KEY(hash, formulation_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shingle_df(hash INTEGER PRIMARY KEY, n INTEGER NOT NULL);
"""


class LibraryError(Exception):
    """The library cannot be opened or changed; str() is one line naming the file."""


def default_library_path() -> Path:
    """$DIFFREADOUT_LIBRARY, else library.sqlite in the user's data folder (storage.corrections.default_data_dir)."""
    from diffreadout.storage.corrections import default_data_dir

    explicit = os.environ.get("DIFFREADOUT_LIBRARY")
    if explicit:
        return Path(explicit)
    return default_data_dir() / "library.sqlite"


@dataclass(frozen=True)
class NewReadout:
    """A readout to add, with its metadata (date as YYYY-MM-DD)."""

    readout: Readout
    publisher: str
    date: str
    meeting: str = ""
    language: str = ""


@dataclass(frozen=True)
class Entry:
    """One readout in the library."""

    id: int
    sha256: str
    publisher: str
    date: str
    meeting: str
    language: str
    source: str
    statements: int


class Library:
    """One library file; every method opens its own short connection."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_library_path()

    def exists(self) -> bool:
        """Whether the library file exists yet."""
        return self.path.is_file()

    @contextmanager
    def connect(self, *, create: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection in WAL mode with a busy timeout; creates the file only when asked."""
        if not create and not self.exists():
            raise LibraryError(f"{self.path}: the library is empty (add readouts with 'diffreadout library add')")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise LibraryError(f"{self.path}: cannot open the library ({exc})") from None
        try:
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            if create:
                conn.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('schema', ?)", (SCHEMA_VERSION,))
                conn.execute("COMMIT")
            yield conn
        except sqlite3.DatabaseError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise LibraryError(f"{self.path}: not a usable library ({exc})") from None
        finally:
            conn.close()

    def add_many(
        self, items: Sequence[NewReadout], progress: Callable[[int, int], None] | None = None
    ) -> list[tuple[NewReadout, Entry | None]]:
        """Add every readout in one transaction; a readout already stored (same sha256) gives None."""
        settings = load_settings()
        out: list[tuple[NewReadout, Entry | None]] = []
        with self.connect(create=True) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                ids: dict[str, int] = {}
                for n, item in enumerate(items, 1):
                    out.append((item, _add_one(conn, item, ids, settings.min_clause_words)))
                    if progress is not None:
                        progress(n, len(items))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return out

    def entries(self, publisher: str | None = None) -> list[Entry]:
        """Every readout (of one publisher when given), by publisher, date and id."""
        if not self.exists():
            return []
        with self.connect() as conn:
            where, args = ("WHERE r.publisher = ?", (publisher,)) if publisher else ("", ())
            rows = conn.execute(
                f"SELECT r.id, r.sha256, r.publisher, r.date, r.meeting, r.language, r.source,"
                f" (SELECT COUNT(*) FROM statements s WHERE s.readout_id = r.id)"
                f" FROM readouts r {where} ORDER BY r.publisher, r.date, r.id", args,
            ).fetchall()
        return [Entry(*row) for row in rows]

    def find(self, sha256: str) -> Entry | None:
        """The entry with this sha256, if stored."""
        return next((e for e in self.entries() if e.sha256 == sha256), None) if self.exists() else None

    def remove(self, keys: Sequence[str]) -> list[Entry]:
        """Remove readouts named by id or sha256 (or a unique sha256 prefix of 8+), in one transaction."""
        entries = self.entries()
        chosen = []
        for key in keys:
            match = [e for e in entries if str(e.id) == key or (len(key) >= 8 and e.sha256.startswith(key.lower()))]
            if len(match) != 1:
                raise LibraryError(f"{key}: {'no readout' if not match else 'more than one readout'} in the library has this id or sha256")
            chosen.append(match[0])
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for entry in chosen:
                    _remove_one(conn, entry.id)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return chosen

    def size_bytes(self) -> int:
        """The size of the library file with its WAL."""
        wal = Path(f"{self.path}-wal")
        return (self.path.stat().st_size if self.exists() else 0) + (wal.stat().st_size if wal.exists() else 0)


def _formulation_id(conn: sqlite3.Connection, norm: str, ids: dict[str, int]) -> int:
    known = ids.get(norm)
    if known is not None:
        return known
    row = conn.execute("SELECT id FROM formulations WHERE norm = ?", (norm,)).fetchone()
    if row is None:
        fid = int(conn.execute("INSERT INTO formulations(norm) VALUES(?)", (norm,)).lastrowid or 0)
        hashes = shingles(norm)
        conn.executemany("INSERT OR IGNORE INTO shingles(hash, formulation_id) VALUES(?, ?)", [(h, fid) for h in hashes])
        conn.executemany(
            "INSERT INTO shingle_df(hash, n) VALUES(?, 1) ON CONFLICT(hash) DO UPDATE SET n = n + 1",
            [(h,) for h in hashes],
        )
    else:
        fid = int(row[0])
    if len(ids) > 200_000:
        ids.clear()
    ids[norm] = fid
    return fid


def _add_one(conn: sqlite3.Connection, item: NewReadout, ids: dict[str, int], min_words: int) -> Entry | None:
    r = item.readout
    if conn.execute("SELECT 1 FROM readouts WHERE sha256 = ?", (r.sha256,)).fetchone():
        return None
    language = item.language or r.language
    added = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    rid = int(conn.execute(
        "INSERT INTO readouts(sha256, publisher, date, meeting, language, source, encoding, added, text)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (r.sha256, item.publisher, item.date, item.meeting, language, r.source, r.encoding, added, r.text),
    ).lastrowid or 0)
    uses = []
    for st in r.statements:
        sid = conn.execute(
            'INSERT INTO statements(readout_id, idx, start, "end") VALUES(?, ?, ?, ?)', (rid, st.index, st.start, st.end)
        ).lastrowid
        conn.execute("INSERT INTO statements_fts(rowid, text) VALUES(?, ?)", (sid, st.text))
        for unit in units_of(st, min_words):
            if unit.norm:
                uses.append((_formulation_id(conn, unit.norm, ids), rid, item.publisher, item.date, st.index,
                             unit.start, unit.end, int(unit.whole)))
    conn.executemany(
        'INSERT INTO uses(formulation_id, readout_id, publisher, date, statement_idx, start, "end", whole)'
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?)", uses,
    )
    return Entry(rid, r.sha256, item.publisher, item.date, item.meeting, language, r.source, len(r.statements))


def _remove_one(conn: sqlite3.Connection, rid: int) -> None:
    for sid, text in conn.execute(
        "SELECT s.id, t.text FROM statements s JOIN statement_text t ON t.id = s.id WHERE s.readout_id = ?", (rid,)
    ).fetchall():
        conn.execute("INSERT INTO statements_fts(statements_fts, rowid, text) VALUES('delete', ?, ?)", (sid, text))
    used = [row[0] for row in conn.execute("SELECT DISTINCT formulation_id FROM uses WHERE readout_id = ?", (rid,))]
    conn.execute("DELETE FROM uses WHERE readout_id = ?", (rid,))
    conn.execute("DELETE FROM statements WHERE readout_id = ?", (rid,))
    conn.execute("DELETE FROM readouts WHERE id = ?", (rid,))
    for fid in used:
        if conn.execute("SELECT 1 FROM uses WHERE formulation_id = ? LIMIT 1", (fid,)).fetchone():
            continue
        hashes = [row[0] for row in conn.execute("SELECT hash FROM shingles WHERE formulation_id = ?", (fid,))]
        conn.executemany("UPDATE shingle_df SET n = n - 1 WHERE hash = ?", [(h,) for h in hashes])
        conn.execute("DELETE FROM shingles WHERE formulation_id = ?", (fid,))
        conn.execute("DELETE FROM formulations WHERE id = ?", (fid,))
    conn.execute("DELETE FROM shingle_df WHERE n <= 0")
