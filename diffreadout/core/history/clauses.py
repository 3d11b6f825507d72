"""Clauses of a statement with offsets, normalised formulations and their word shingles.

A clause ends at a comma, semicolon, colon or dash, before "that" and "which", and before
"and", "but", "while" or "whereas" followed by a lower-case word (so "the Belt and Road"
stays whole); pieces shorter than ``min_words`` words join the piece before them (or after,
at the start), so "China and Kazakhstan" is never cut in two.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from diffreadout.core.text.words import STOPWORDS, WORD
from diffreadout.model import Statement

_BREAK = re.compile(
    r"[,;:\u2014\u2013\uff0c\uff1b\uff1a\u3001]|\s(?=(?:that|which)\s)|\s(?=(?:and|but|while|whereas)\s+[a-z])"
)


@dataclass(frozen=True)
class Unit:
    """A statement or one of its clauses: offsets into the readout, exact text and normal form."""

    start: int
    end: int
    text: str
    norm: str
    whole: bool


def normalise(text: str) -> str:
    """The words of text in lower case, joined by single spaces (punctuation and case dropped)."""
    return " ".join(m.group(0).lower() for m in WORD.finditer(text))


def _words(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))


_LEAD = re.compile(r"(?:and|but|while|that|which|whereas)\s+", re.IGNORECASE)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    lead = _LEAD.match(text, start, end)
    if lead and _words(text[lead.end():end]) > 0:
        start = lead.end()
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ")\"'\u201d\u2019"):
        end -= 1
    return start, end


def split_clauses(text: str, min_words: int = 3) -> list[tuple[int, int]]:
    """Spans of the clauses of text (offsets into text), each trimmed of edge punctuation."""
    cuts = [0]
    for match in _BREAK.finditer(text):
        cuts.append(match.end())
    cuts.append(len(text))
    pieces: list[list[int]] = []
    pending: int | None = None
    for a, b in zip(cuts, cuts[1:]):
        if b <= a:
            continue
        a = pending if pending is not None else a
        if _words(text[a:b]) < min_words:
            pending = a
            continue
        pending = None
        pieces.append([a, b])
    if pending is not None:
        if pieces:
            pieces[-1][1] = len(text)
        else:
            pieces.append([pending, len(text)])
    spans = [_trim(text, a, b) for a, b in pieces]
    return [(a, b) for a, b in spans if b > a and _words(text[a:b]) > 0]


def units_of(statement: Statement, min_words: int = 3) -> list[Unit]:
    """The statement as a whole, then its clauses (of min_words content words or more) when it has several."""
    units = [Unit(statement.start, statement.end, statement.text, normalise(statement.text), True)]
    spans = split_clauses(statement.text, min_words)
    if len(spans) > 1:
        for a, b in spans:
            piece = statement.text[a:b]
            if len(content_words(normalise(piece))) < min_words:
                continue  # a reporting frame ("Wang Yi said") or a date is no formulation
            units.append(Unit(statement.start + a, statement.start + b, piece, normalise(piece), False))
    return units


def content_words(norm: str) -> list[str]:
    """The words of a normalised text that are not stop words."""
    return [w for w in norm.split() if w not in STOPWORDS]


def shingles(norm: str) -> list[int]:
    """Stable 56-bit hashes of the content-word bigrams of a normalised text (unigram if one word)."""
    words = content_words(norm) or norm.split()
    grams = [f"{a} {b}" for a, b in zip(words, words[1:])] or words
    return sorted({int.from_bytes(hashlib.blake2b(g.encode(), digest_size=7).digest(), "big") for g in grams})
