"""The readouts as wholes: topics with their order and share, and the meeting as each side states it.

``build_profile`` groups the statements of both readouts into topics (deterministic
average-linkage clustering on tf-idf or given sentence vectors, with linked statements pulled
together), labels each topic by its top keywords, ranks topics by first mention on each side,
and flags topics one side leads with and the other buries or leaves out. It also reads the
meeting metadata each side states (initiator, format, date, place, length) and flags where
they differ. The result is plain JSON-serialisable data.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from diffreadout.core.reasons.facts import extract_initiative, extract_quantities, normalise
from diffreadout.core.similarity.lexical import claim_words
from diffreadout.core.text.words import stem
from diffreadout.model import Link, Profile, Readout, Statement

JSON = dict[str, Any]

# Similarity at which two groups of statements still count as one topic; sentence-embedding
# cosines run higher than tf-idf cosines for the same relatedness.
TFIDF_THRESHOLD = 0.12
EMBEDDING_THRESHOLD = 0.45
LINK_AFFINITY = 0.9
NEIGHBOUR_BONUS = 0.08
LEAD_RANKS = 2
MIN_LEAD_SHARE = 0.05  # a one-line formality (a spokesperson line) does not "lead"

_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "video",
        re.compile(
            r"\b(?:video\s*(?:call|conference|link|conversation|talks|meeting)|videoconference|virtual(?:ly)?\s+(?:meeting|summit|talks)|via\s+video)\b",
            re.I,
        ),
    ),
    (
        "telephone",
        re.compile(
            r"\b(?:tele)?phone\b|\bcall\s+with\b|['’]s\s+call\b|\bcalled\b(?=[^.]{0,40}\bcounterpart\b)|\bby\s+phone\b",
            re.I,
        ),
    ),
    (
        "in person",
        re.compile(
            r"\b(?:met|meeting|held\s+talks|talks|dialogue|visit(?:ed|ing)?|co-chaired|hosted|summit|consultations|in\s+person)\b",
            re.I,
        ),
    ),
)
_MEETING_VERB = re.compile(
    r"\b(?:held|had|met|spoke|talked|co-chaired|hosted|took\s+place|was\s+held|were\s+held)\b", re.I
)
_PLACE = re.compile(r"\b(?:in|at)\s+(?P<place>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})")
_DATELINE = re.compile(r"^\s*(?P<place>[A-Z][A-Z'’-]{2,}(?:\s+[A-Z][A-Z'’-]{2,})*),\s")
_NOT_PLACES = frozenset(
    "January February March April May June July August September October November December Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday The This".split()
)
_OTHER_EVENT = re.compile(r"(?:talks|negotiations|consultations|reached|agreement)\s*$")
_RELATIVE_DATE = re.compile(
    r"\b(?:today|yesterday|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b"
)


def _vectors_tfidf(texts: Sequence[str]) -> tuple[np.ndarray, list[str], list[Counter[str]]]:
    """Tf-idf rows (L2-normalised) over content stems; also the vocabulary and raw counts."""
    docs = [Counter(stem(t) for t in claim_words(x)) for x in texts]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    vocab = sorted(df)
    index = {w: i for i, w in enumerate(vocab)}
    matrix = np.zeros((len(docs), max(1, len(vocab))), dtype=np.float64)
    n = len(docs)
    for r, d in enumerate(docs):
        for w, c in d.items():
            matrix[r, index[w]] = (1.0 + math.log(c)) * math.log((1 + n) / (1 + df[w]) + 1.0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms, vocab, docs


def _average_linkage(sim: np.ndarray, threshold: float, overwrite: bool = False) -> list[list[int]]:
    """Average-linkage clustering cut at a similarity threshold, in O(n^2) (nearest-neighbour chain).

    Average linkage is reducible, so the nearest-neighbour chain builds the same dendrogram as
    merging the closest pair each time, and a merge above the threshold never sits on one below
    it: the clusters are the groups joined by merges at or above the threshold. Ties go to the
    lower index, so the result is deterministic. With ``overwrite`` a float64 ``sim`` is used as
    the working matrix (and destroyed) instead of copied.
    """
    n = sim.shape[0]
    if n == 0:
        return []
    work = sim.astype(np.float64, copy=not overwrite)
    np.fill_diagonal(work, -np.inf)
    size = np.ones(n)
    active = np.ones(n, dtype=bool)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    chain: list[int] = []
    remaining = n
    while remaining > 1:
        if not chain:
            chain.append(int(np.flatnonzero(active)[0]))
        a = chain[-1]
        row = np.where(active, work[a], -np.inf)
        row[a] = -np.inf
        b = int(np.argmax(row))
        if len(chain) > 1 and row[chain[-2]] >= row[b]:
            b = chain[-2]
        if len(chain) > 1 and b == chain[-2]:
            chain.pop()
            chain.pop()
            keep, drop = min(a, b), max(a, b)
            if work[a, b] >= threshold:
                parent[find(drop)] = find(keep)
            merged = (size[keep] * work[keep] + size[drop] * work[drop]) / (size[keep] + size[drop])
            merged[keep] = -np.inf
            work[keep, :] = merged
            work[:, keep] = merged
            # the dropped row and column are never read again: every scan masks inactive rows
            size[keep] += size[drop]
            active[drop] = False
            remaining -= 1
        else:
            chain.append(b)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return [groups[k] for k in sorted(groups)]


def _similarity(
    readouts: Sequence[Readout], links: Sequence[Link], embeddings: Sequence[np.ndarray] | None
) -> tuple[np.ndarray, float]:
    statements = [st for r in readouts for st in r.statements]
    if embeddings is not None:
        vec = np.vstack([np.asarray(e, dtype=np.float64) for e in embeddings])
        norms = np.linalg.norm(vec, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        vec = vec / norms
        threshold = EMBEDDING_THRESHOLD
    else:
        vec, _, _ = _vectors_tfidf([st.text for st in statements])
        threshold = TFIDF_THRESHOLD
    sim = vec @ vec.T
    np.clip(sim, -1.0, 1.0, out=sim)  # in place: at 4,000 statements each copy is 128 MB
    position = {st.id: k for k, st in enumerate(statements)}
    for link in links:
        for a in link.a:
            for b in link.b:
                if a in position and b in position:
                    i, j = position[a], position[b]
                    sim[i, j] = sim[j, i] = max(sim[i, j], LINK_AFFINITY)
    offset = 0
    for r in readouts:  # neighbouring statements of one readout tend to share a topic
        for k in range(len(r.statements) - 1):
            i, j = offset + k, offset + k + 1
            sim[i, j] = sim[j, i] = sim[i, j] + NEIGHBOUR_BONUS
        offset += len(r.statements)
    return sim, threshold


def _words(st: Statement) -> int:
    return len(st.text.split())


@dataclass
class _Topic:
    """One topic while it is being built: its member statements per side and their rank."""

    members: list[int]
    keywords: list[str]
    by_side: dict[str, list[Statement]]
    rank: dict[str, int | None] = field(default_factory=dict)


def _keywords(
    members: list[int],
    tfidf: np.ndarray,
    vocab: list[str],
    surface: dict[str, Counter[str]],
    spread: np.ndarray,
) -> list[str]:
    """The topic's top four stems by summed tf-idf weight, each in its most frequent surface form.

    ``spread`` (one factor per stem) discounts stems found in many topics: the principals'
    names and the two countries run through a whole readout and name no topic of their own.
    """
    weights = tfidf[members].sum(axis=0) * spread
    ranked = sorted((-float(weights[k]), vocab[k]) for k in np.flatnonzero(weights > 0))[:4] if vocab else []
    return [min(surface[w].items(), key=lambda kv: (-kv[1], kv[0]))[0] for _, w in ranked if w in surface]


def _flags(topics: list[JSON], sides: list[str], counts: dict[str, int]) -> list[JSON]:
    """Topics one side leads with (top ranks) and the other buries (bottom half) or leaves out."""
    flags: list[JSON] = []
    for topic in topics:
        for lead in sides:
            rank = topic["rank"][lead]
            if rank is None or rank > LEAD_RANKS or topic["share"][lead] < MIN_LEAD_SHARE:
                continue
            for other in sides:
                other_rank = topic["rank"][other]
                if other == lead or (other_rank is not None and other_rank <= math.ceil(counts[other] / 2)):
                    continue
                status = "absent" if other_rank is None else "buried"
                fate = "leaves it out" if other_rank is None else f"buries it (rank {other_rank} of {counts[other]})"
                flags.append(
                    {
                        "topic": topic["id"],
                        "label": topic["label"],
                        "leads": lead,
                        "other": other,
                        "status": status,
                        "rank": dict(topic["rank"]),
                        "topics": dict(counts),
                        "summary": f"{lead} leads with '{topic['label']}' (rank {rank}); {other} {fate}",
                    }
                )
    return flags


def build_topics(
    readouts: Sequence[Readout], links: Sequence[Link], embeddings: Sequence[np.ndarray] | None = None
) -> JSON:
    """Topics of both readouts with keywords, first-mention rank and word share per side, and flags."""
    statements = [st for r in readouts for st in r.statements]
    sides = [r.side for r in readouts]
    if not statements:
        return {"topics": [], "flags": []}
    sim, threshold = _similarity(readouts, links, embeddings)
    tfidf, vocab, _ = _vectors_tfidf([st.text for st in statements])
    surface: dict[str, Counter[str]] = {}
    for st in statements:
        for tok in claim_words(st.text):
            surface.setdefault(stem(tok), Counter())[tok] += 1
    groups = _average_linkage(sim, threshold, overwrite=True)
    # How many topics use each stem; log(1 + topics / topics using it), as class-based tf-idf does.
    used = np.zeros(tfidf.shape[1])
    for members in groups:
        used += tfidf[members].sum(axis=0) > 0
    spread = np.log1p(len(groups) / np.maximum(used, 1.0))
    topics = [
        _Topic(
            members,
            _keywords(members, tfidf, vocab, surface, spread),
            {s: [statements[m] for m in members if statements[m].side == s] for s in sides},
        )
        for members in groups
    ]
    for side in sides:
        present = sorted((t for t in topics if t.by_side[side]), key=lambda t: min(st.index for st in t.by_side[side]))
        for t in topics:
            t.rank[side] = present.index(t) + 1 if t in present else None
    topics.sort(key=lambda t: min(t.members))
    total_words = {r.side: sum(_words(st) for st in r.statements) or 1 for r in readouts}
    out: list[JSON] = []
    for k, t in enumerate(topics, start=1):
        words = {side: sum(_words(st) for st in t.by_side[side]) for side in sides}
        out.append(
            {
                "id": f"T{k}",
                "label": ", ".join(t.keywords[:3]) or "(no keywords)",
                "keywords": t.keywords,
                "statements": {side: [st.id for st in t.by_side[side]] for side in sides},
                "rank": dict(t.rank),
                "share": {side: round(words[side] / total_words[side], 4) for side in sides},
                "words": words,
            }
        )
    counts = {side: sum(1 for t in topics if t.by_side[side]) for side in sides}
    return {"topics": out, "flags": _flags(out, sides, counts)}


# ---- meeting metadata ----------------------------------------------------------------------


def _meeting_statements(readout: Readout, head: int = 4) -> list[Statement]:
    """The statements that describe the meeting itself: the title and the opening statements."""
    return list(readout.statements[:head])


def _found(st: Statement, start: int, end: int, value: str) -> JSON:
    return {
        "value": value,
        "text": st.text[start:end],
        "statement_id": st.id,
        "start": st.start + start,
        "end": st.start + end,
    }


def _iso_date(year: int, month: int, day: int) -> str:
    """ISO 8601 with the parts a readout states: 2025-05-17, --05-17 (no year), 2025-05, 2025."""
    if not year:
        return f"--{month:02d}-{day:02d}" if day else f"--{month:02d}"
    return "-".join([f"{year:04d}"] + ([f"{month:02d}"] if month else []) + ([f"{day:02d}"] if month and day else []))


def _initiator(readout: Readout, opening: list[Statement]) -> JSON | None:
    later = [st for st in readout.statements[len(opening) :] if re.search(r"\b(?:took\s+place|was\s+held)\b", st.text)]
    for st in opening + later:
        for mention in extract_initiative(st.text):
            parties = sorted(mention.keys - {"initiative", "request", "invitation", "suggestion", "proposal"})
            return _found(st, mention.start, mention.end, parties[0] if parties else normalise(mention.text))
    return None


def _format(opening: list[Statement]) -> JSON | None:
    for kind, pattern in _FORMATS:  # the first kind found wins: "phone talks" is a call
        for st in opening:
            match = pattern.search(st.text)
            if match:
                return _found(st, match.start(), match.end(), kind)
    return None


def _date_of(opening: list[Statement]) -> JSON | None:
    for st in opening:
        dates = [q for q in extract_quantities(st.text) if q.kind == "date"]
        if dates:
            year, month, day = (int(v) for v in dates[0].value)
            return _found(st, dates[0].start, dates[0].end, _iso_date(year, month, day))
        relative = _RELATIVE_DATE.search(st.text)
        if relative:
            return _found(st, relative.start(), relative.end(), relative.group(0).lower())
    return None


def _place(opening: list[Statement]) -> JSON | None:
    """A dateline ("BRUSSELS, 2 July --"), or "in X" in the statement that reports the meeting."""
    meeting = next((st for st in opening if _MEETING_VERB.search(st.text)), None)
    for st in opening:
        dateline = _DATELINE.match(st.text)
        if dateline:
            return _found(st, dateline.start("place"), dateline.end("place"), dateline.group("place").title())
        if st is not meeting:
            continue
        for match in _PLACE.finditer(st.text):
            place = match.group("place")
            before = st.text[max(0, match.start() - 25) : match.start()].lower()
            if place.split()[0] in _NOT_PLACES or _OTHER_EVENT.search(before):
                continue
            return _found(st, match.start("place"), match.end("place"), place)
    return None


def meeting_metadata(readout: Readout) -> JSON:
    """Who initiated, the format, the date and the place, as this readout states them, with evidence."""
    opening = _meeting_statements(readout)
    return {
        "initiator": _initiator(readout, opening),
        "format": _format(opening),
        "date": _date_of(opening),
        "place": _place(opening),
        "words": readout.word_count,
        "statements": len(readout.statements),
    }


def _relative(value: str) -> bool:
    return not (value[:1].isdigit() or value.startswith("--"))


def _same_date(a: str, b: str) -> bool:
    """Whether two stated dates agree where both state a part ("--08-04" agrees with "2025-08-04")."""
    if _relative(a) or _relative(b):
        return False

    def parts(value: str) -> tuple[str, str, str]:
        year, _, rest = value.partition("-") if not value.startswith("--") else ("", "", value[2:])
        month, _, day = rest.partition("-")
        return year, month, day

    return all(x == y or not x or not y for x, y in zip(parts(a), parts(b), strict=True))


def compare_metadata(meta: dict[str, JSON]) -> list[JSON]:
    """Fields the two sides state differently, or that only one side states."""
    sides = sorted(meta)
    diffs: list[JSON] = []
    if len(sides) != 2:
        return diffs
    a, b = sides
    for name in ("initiator", "format", "date", "place"):
        va, vb = meta[a][name], meta[b][name]
        value_a = va["value"] if isinstance(va, dict) else None
        value_b = vb["value"] if isinstance(vb, dict) else None
        if value_a == value_b or (name == "date" and _same_date(str(value_a), str(value_b))):
            continue
        if value_a is None or value_b is None:
            only = a if value_b is None else b
            note = f"only {only} states the {name}"
        elif name == "date" and (_relative(str(value_a)) or _relative(str(value_b))):
            if _relative(str(value_a)) and _relative(str(value_b)):
                continue
            exact, loose = (a, b) if _relative(str(value_b)) else (b, a)
            note = f"only {exact} states the calendar date; {loose} says '{meta[loose]['date']['value']}'"
        else:
            note = f"the sides state different {name}s"
        diffs.append({"field": name, a: value_a, b: value_b, "note": note})
    words_a, words_b = int(meta[a]["words"]), int(meta[b]["words"])
    if min(words_a, words_b) and max(words_a, words_b) / min(words_a, words_b) >= 1.5:
        longer = a if words_a > words_b else b
        diffs.append(
            {
                "field": "words",
                a: words_a,
                b: words_b,
                "note": f"{longer} is {max(words_a, words_b) / min(words_a, words_b):.1f}x longer",
            }
        )
    return diffs


def build_profile(
    readouts: Sequence[Readout], links: Sequence[Link], embeddings: Sequence[np.ndarray] | None = None
) -> Profile:
    """The whole-readout profile: topics with order, share and flags, and meeting metadata side by side.

    ``embeddings``, when given, holds one array per readout whose rows are the statement vectors
    in statement order; without it topics are found on tf-idf vectors.
    """
    topics = build_topics(readouts, links, embeddings)
    meta = {r.side: meeting_metadata(r) for r in readouts}
    return Profile(
        topics=topics["topics"],
        topic_flags=topics["flags"],
        meeting=meta,
        meeting_differences=compare_metadata(meta),
    )
