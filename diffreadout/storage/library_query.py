"""Reading the library: the earlier readouts one history is scoped to, and phrase search.

:class:`LibraryScope` implements ``core.history.EarlierIndex`` over one connection: the
publisher's readouts dated before the readout asked (and on or after ``since``), never the
readout itself. Candidates for a unit are the formulations with its exact words plus those
sharing the most of its rarest content-word bigrams, so a history costs a few index look-ups
per statement whatever the size of the library.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from diffreadout.core.history import EarlierUse, Formulation, PreviousReadout, UseStats, normalise, shingles

_CHUNK = 400
_TEXT = 'substr(r.text, u.start + 1, u."end" - u.start)'
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _chunks(items: Sequence[object]) -> list[Sequence[object]]:
    return [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class LibraryScope:
    """A publisher's readouts dated before ``before`` (and from ``since``), minus one sha256."""

    def __init__(self, conn: sqlite3.Connection, publisher: str, before: str, *, since: str = "",
                 exclude_sha256: str = "", meeting: str = "", max_df: int = 50_000, shingles_per_unit: int = 12) -> None:
        self.conn = conn
        self.meeting = meeting
        self.max_df = max_df
        self.shingles_per_unit = shingles_per_unit
        row = conn.execute("SELECT id FROM readouts WHERE sha256 = ?", (exclude_sha256,)).fetchone()
        excluded = int(row[0]) if row else -1
        self.where = "r.publisher = ? AND r.date < ? AND r.date >= ? AND r.id != ?"
        self.where_u = "u.publisher = ? AND u.date < ? AND u.date >= ? AND u.readout_id != ?"
        self.args: tuple[str | int, ...] = (publisher, before, since, excluded)

    def readout_count(self) -> int:
        """How many earlier readouts are in scope."""
        return int(self.conn.execute(f"SELECT COUNT(*) FROM readouts r WHERE {self.where}", self.args).fetchone()[0])

    def _in_scope(self, fid: int) -> bool:
        return self.conn.execute(
            f"SELECT 1 FROM uses u WHERE u.formulation_id = ? AND {self.where_u} LIMIT 1",
            (fid, *self.args),
        ).fetchone() is not None

    def candidates(self, norms: Sequence[str], limit: int) -> dict[str, list[Formulation]]:
        """For each norm: the formulation with its exact words, then those sharing most rare bigrams (any publisher)."""
        exact: dict[str, int] = {}
        for chunk in _chunks(list(norms)):
            exact.update(self.conn.execute(f"SELECT norm, id FROM formulations WHERE norm IN ({_marks(len(chunk))})", tuple(chunk)))
        grams = {norm: shingles(norm) for norm in norms}
        every = sorted({h for hs in grams.values() for h in hs})
        df: dict[int, int] = {}
        for chunk in _chunks(every):
            df.update(self.conn.execute(f"SELECT hash, n FROM shingle_df WHERE hash IN ({_marks(len(chunk))})", tuple(chunk)))
        wanted: dict[str, list[int]] = {}
        for norm in norms:
            rare = sorted((df[h], h) for h in grams[norm] if h in df and df[h] <= self.max_df)[: self.shingles_per_unit]
            ids = [exact[norm]] if norm in exact else []
            if rare:
                rows = self.conn.execute(
                    f"SELECT formulation_id FROM shingles WHERE hash IN ({_marks(len(rare))})"
                    " GROUP BY formulation_id ORDER BY COUNT(*) DESC, formulation_id LIMIT ?",
                    (*[h for _, h in rare], limit),
                ).fetchall()
                ids += [row[0] for row in rows if row[0] not in ids]
            wanted[norm] = ids
        known: dict[int, str] = {}
        every_id = sorted({i for ids in wanted.values() for i in ids})
        for chunk in _chunks(every_id):
            known.update(self.conn.execute(f"SELECT id, norm FROM formulations WHERE id IN ({_marks(len(chunk))})", tuple(chunk)))
        return {norm: [Formulation(i, known[i]) for i in ids] for norm, ids in wanted.items()}

    def in_scope(self, formulation_ids: Sequence[int]) -> set[int]:
        """Those of these formulations that some readout in scope uses."""
        return {fid for fid in formulation_ids if self._in_scope(fid)}

    def stats(self, formulation_ids: Sequence[int]) -> UseStats:
        """Earlier readouts in scope that use any of these formulations, first and last date."""
        if not formulation_ids:
            return UseStats(0, "", "")
        count, first, last = self.conn.execute(
            f"SELECT COUNT(DISTINCT u.readout_id), MIN(u.date), MAX(u.date) FROM uses u"
            f" WHERE u.formulation_id IN ({_marks(len(formulation_ids))}) AND {self.where_u}",
            (*formulation_ids, *self.args),
        ).fetchone()
        return UseStats(int(count), first or "", last or "")

    def latest(self, scores: dict[int, float], limit: int) -> list[EarlierUse]:
        """The latest uses of these formulations, closest first, then newest."""
        uses: dict[tuple[str, str, str], EarlierUse] = {}
        for fid, score in scores.items():
            for date, source, text in self.conn.execute(
                f"SELECT u.date, r.source, {_TEXT} FROM uses u CROSS JOIN readouts r ON r.id = u.readout_id"
                f" WHERE u.formulation_id = ? AND {self.where_u} ORDER BY u.date DESC LIMIT ?",
                (fid, *self.args, limit),
            ):
                key = (date, source, text)
                if key not in uses or uses[key].score < score:
                    uses[key] = EarlierUse(date, source, text, round(score, 4), fid)
        ordered = sorted(uses.values(), key=lambda u: (u.source, u.text))
        ordered.sort(key=lambda u: u.date, reverse=True)
        ordered.sort(key=lambda u: -u.score)
        return ordered[:limit]

    def previous(self, count: int) -> list[PreviousReadout]:
        """The latest readouts in scope (of the same meeting key when one is set), newest first."""
        where, args = self.where, self.args
        if self.meeting:
            where, args = f"{where} AND r.meeting = ?", (*args, self.meeting)
        rows = self.conn.execute(
            f"SELECT r.id, r.date, r.source, r.meeting FROM readouts r WHERE {where} ORDER BY r.date DESC, r.id DESC LIMIT ?",
            (*args, count),
        ).fetchall()
        return [PreviousReadout(*row) for row in rows]

    def carried(self, readout_ids: Sequence[int], min_count: int) -> list[Formulation]:
        """Formulations used in at least min_count of these readouts."""
        if not readout_ids:
            return []
        rows = self.conn.execute(
            f"SELECT f.id, f.norm FROM uses u JOIN formulations f ON f.id = u.formulation_id"
            f" WHERE u.readout_id IN ({_marks(len(readout_ids))}) GROUP BY f.id"
            f" HAVING COUNT(DISTINCT u.readout_id) >= ? ORDER BY f.id",
            (*readout_ids, min_count),
        ).fetchall()
        return [Formulation(*row) for row in rows]


@dataclass(frozen=True)
class SearchHit:
    """One use of a phrase: where, when, the exact statement or clause, and how it matched."""

    date: str
    publisher: str
    source: str
    readout_id: int
    start: int
    end: int
    text: str
    match: str
    score: float


def search(conn: sqlite3.Connection, phrase: str, *, publisher: str = "", fuzzy_cutoff: float = 0.85,
           limit: int = 200) -> list[SearchHit]:
    """Every statement with the exact phrase (FTS5), then fuzzy uses (rapidfuzz partial ratio), by date."""
    pub_where, pub_args = (" AND r.publisher = ?", (publisher,)) if publisher else ("", ())
    if _CJK.search(phrase):
        exact_sql = ("SELECT r.date, r.publisher, r.source, r.id, s.start, s.\"end\", t.text FROM statement_text t"
                     " JOIN statements s ON s.id = t.id JOIN readouts r ON r.id = s.readout_id WHERE instr(t.text, ?) > 0")
        query = phrase
    else:
        exact_sql = ("SELECT r.date, r.publisher, r.source, r.id, s.start, s.\"end\", t.text FROM statements_fts"
                     " JOIN statements s ON s.id = statements_fts.rowid JOIN statement_text t ON t.id = s.id"
                     " JOIN readouts r ON r.id = s.readout_id WHERE statements_fts MATCH ?")
        query = '"' + phrase.replace('"', '""') + '"'
    hits = [SearchHit(d, p, src, rid, s, e, text, "exact", 1.0)
            for d, p, src, rid, s, e, text in conn.execute(exact_sql + pub_where, (query, *pub_args))]
    norm = normalise(phrase)
    if norm and fuzzy_cutoff < 1.0:
        choices = dict(conn.execute("SELECT id, norm FROM formulations"))
        found = process.extract(norm, choices, scorer=fuzz.partial_ratio, score_cutoff=fuzzy_cutoff * 100, limit=limit)
        for _, score, fid in sorted(found, key=lambda f: (-f[1], f[2])):
            for d, p, src, rid, s, e, text in conn.execute(
                f"SELECT r.date, r.publisher, r.source, r.id, u.start, u.\"end\", {_TEXT} FROM uses u"
                f" JOIN readouts r ON r.id = u.readout_id WHERE u.formulation_id = ?{pub_where}", (fid, *pub_args)
            ):
                if any(h.readout_id == rid and h.start < e and s < h.end for h in hits):
                    continue
                hits.append(SearchHit(d, p, src, rid, s, e, text, "fuzzy", round(score / 100.0, 4)))
    hits.sort(key=lambda h: (h.date, h.publisher, h.source, h.start, -h.score))
    return hits[:limit] if len(hits) > limit else hits
