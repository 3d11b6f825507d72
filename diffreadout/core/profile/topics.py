"""Topics across two readouts: which statements address one subject, in what order and share on each side.

Deterministic average-linkage clustering on tf-idf or given sentence vectors, with linked
statements pulled together; each topic is labelled by its top keywords and ranked by first
mention on each side, and topics one side leads with and the other buries are flagged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from diffreadout.core.similarity.lexical import claim_words
from diffreadout.core.similarity.tfidf import tfidf_rows
from diffreadout.core.text.words import size_unit, stem, text_size
from diffreadout.core.union_find import UnionFind
from diffreadout.model import Link, Readout, Statement

JSON = dict[str, Any]


# Similarity at which two groups of statements still count as one topic; sentence-embedding
# cosines run higher than tf-idf cosines for the same relatedness.
TFIDF_THRESHOLD = 0.12
EMBEDDING_THRESHOLD = 0.45
LINK_AFFINITY = 0.9
NEIGHBOUR_BONUS = 0.08
LEAD_RANKS = 2
MIN_LEAD_SHARE = 0.05  # a one-line formality (a spokesperson line) does not "lead"


def _vectors_tfidf(texts: Sequence[str]) -> tuple[np.ndarray, list[str], list[Counter[str]]]:
    """Tf-idf rows (L2-normalised) over content stems; also the vocabulary and raw counts."""
    docs = [Counter(stem(t) for t in claim_words(x)) for x in texts]
    matrix, vocab, _ = tfidf_rows(docs)
    return matrix, vocab, docs


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
    sets = UnionFind(range(n))

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
                sets.union(keep, drop)
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
        groups.setdefault(sets.find(i), []).append(i)
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


def _words(st: Statement, unit: str = "words") -> int:
    return text_size(st.text, unit)


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


def _flags(topics: list[JSON], sides: list[str], openings: dict[str, str | None]) -> list[JSON]:
    """Topics one side leads with (top ranks) and the other buries (bottom half) or leaves out.

    Ranks count from the first topic after the one each readout opens with: a readout's first
    statement (its title, or the sentence saying who met whom) reports the meeting itself, and
    both sides open so, which left no rank for any subject to lead with.
    """
    ranks: dict[str, dict[str, int]] = {}
    for side in sides:
        ordered = sorted(
            (t for t in topics if t["rank"][side] is not None and t["id"] != openings[side]), key=lambda t: t["rank"][side]
        )
        ranks[side] = {t["id"]: k for k, t in enumerate(ordered, start=1)}
    flags: list[JSON] = []
    for topic in topics:
        for lead in sides:
            rank = ranks[lead].get(topic["id"])
            if rank is None or rank > LEAD_RANKS or topic["share"][lead] < MIN_LEAD_SHARE:
                continue
            for other in sides:
                count = len(ranks[other])
                other_rank = ranks[other].get(topic["id"])
                if other == lead or topic["id"] == openings[other]:
                    continue
                # Buried: later than the leading side has it, and in the later half of the other's subjects.
                if other_rank is not None and other_rank <= max(rank, count / 2):
                    continue
                status = "absent" if other_rank is None else "buried"
                fate = "leaves it out" if other_rank is None else f"buries it (subject {other_rank} of {count})"
                flags.append(
                    {
                        "topic": topic["id"],
                        "label": topic["label"],
                        "leads": lead,
                        "other": other,
                        "status": status,
                        "rank": dict(topic["rank"]),
                        "topics": {side: len(ranks[side]) for side in sides},
                        "summary": f"{lead} leads with '{topic['label']}' (subject {rank} after the opening); {other} {fate}",
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
    units = {r.side: size_unit(r.language) for r in readouts}  # characters for Chinese and Japanese
    total_words = {r.side: sum(_words(st, units[r.side]) for st in r.statements) or 1 for r in readouts}
    out: list[JSON] = []
    for k, t in enumerate(topics, start=1):
        words = {side: sum(_words(st, units[side]) for st in t.by_side[side]) for side in sides}
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
    openings: dict[str, str | None] = {}
    for r in readouts:
        first = r.statements[0].id if r.statements else None
        openings[r.side] = next((t["id"] for t in out if first in t["statements"][r.side]), None)
    return {"topics": out, "flags": _flags(out, sides, openings)}
