"""One side of a link as the emphasis rules see it: joined text, cached cues, offset map.

Cues are extracted once per text (cached), with local offsets; ``Doc.span`` maps them back
to absolute offsets into the readout, so every Reason's evidence can be quoted exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, TypeVar

from diffreadout.core.reasons.facts import (
    Mention,
    Polar,
    Quote,
    extract_deliverables,
    extract_entities,
    extract_initiative,
    extract_quotes,
    normalise,
    polar_words,
)
from diffreadout.core.reasons.quantities import Quantity, extract_quantities
from diffreadout.core.reasons.speech import Attribution, extract_attribution
from diffreadout.core.reasons.strength import StrengthMark, reporting_strength
from diffreadout.core.text.countries import MULTIWORD_COUNTRIES
from diffreadout.core.text.words import TOKEN, stem
from diffreadout.model import Reason, Span, Statement

MAX_EVIDENCE = 12


@dataclass(frozen=True)
class Cues:
    """Every cue of one text, with local offsets."""

    attributions: tuple[Attribution, ...]
    marks: tuple[StrengthMark, ...]
    quantities: tuple[Quantity, ...]
    quotes: tuple[Quote, ...]
    entities: tuple[Mention, ...]
    deliverables: tuple[Mention, ...]
    initiative: tuple[Mention, ...]
    polar: tuple[Polar, ...]
    stems: frozenset[str]
    lower: str


_PART_BREAK = re.compile(r"[-’'/]")
# Country names of several words ("United States"), padded so that only whole words match.
_MULTIWORD_ALIASES = tuple((key, f" {alias} ") for alias, key in MULTIWORD_COUNTRIES.items())


@lru_cache(maxsize=16384)
def cues(text: str) -> Cues:
    """Every cue of one text (cached: a statement is met in many candidate pairs)."""
    words = TOKEN.findall(text)
    lower = " " + normalise(text) + " "
    phrases = {key for key, alias in _MULTIWORD_ALIASES if alias in lower}
    stems = {stem(w) for w in words}
    stems.update(stem(p) for w in words if _PART_BREAK.search(w) for p in _PART_BREAK.split(w) if p)
    stems.update(phrases)
    return Cues(
        attributions=tuple(extract_attribution(text)),
        marks=tuple(reporting_strength(text)),
        quantities=tuple(extract_quantities(text)),
        quotes=tuple(extract_quotes(text)),
        entities=tuple(extract_entities(text)),
        deliverables=tuple(extract_deliverables(text)),
        initiative=tuple(extract_initiative(text)),
        polar=tuple(polar_words(text)),
        stems=frozenset(stems),
        lower=lower,
    )


def _shifted(item: _Located, delta: int) -> _Located:
    """A cue moved by ``delta`` characters (its members too)."""
    changes = {name: getattr(item, name) + delta for name in _OFFSET_FIELDS if hasattr(item, name)}
    if getattr(item, "members", ()):
        changes["members"] = tuple(_shifted(m, delta) for m in item.members)  # type: ignore[attr-defined]
    return replace(item, **changes)


_OFFSET_FIELDS = ("start", "end", "verb_start", "verb_end")
_Located = TypeVar("_Located", Attribution, StrengthMark, Quantity, Quote, Mention, Polar)


@lru_cache(maxsize=4096)
def joined_cues(parts: tuple[str, ...]) -> Cues:
    """The cues of statements joined by newlines, from each statement's own (cached) cues.

    The same as reading each statement alone and shifting what it finds to where it stands in
    the joined text; negation scopes are renumbered so that they stay distinct.
    """
    fields: dict[str, list[Any]] = {name: [] for name in _LIST_FIELDS}
    stems: set[str] = set()
    pos = 0
    scope_base = 0
    for part in parts:
        found = cues(part)
        for name in _LIST_FIELDS:
            items = getattr(found, name)
            if name == "polar":
                fields[name] += [
                    replace(_shifted(w, pos), scope=w.scope + scope_base if w.scope >= 0 else -1) for w in items
                ]
                scope_base += max((w.scope for w in items), default=-1) + 1
            else:
                fields[name] += [_shifted(item, pos) for item in items] if pos else list(items)
        stems |= found.stems
        pos += len(part) + 1
    words = " ".join(w for w in (cues(part).lower.strip() for part in parts) if w)
    lower = f" {words} "
    stems.update(key for key, alias in _MULTIWORD_ALIASES if alias in lower)  # a name across a join
    return Cues(**{name: tuple(fields[name]) for name in _LIST_FIELDS}, stems=frozenset(stems), lower=lower)


_LIST_FIELDS = ("attributions", "marks", "quantities", "quotes", "entities", "deliverables", "initiative", "polar")


# A statement longer than this is not a sentence (an unsegmented paste, a run-on line); its
# reasons come from this much of its start, which keeps the analysis linear and bounded.
MAX_ANALYSED_CHARS = 3000


@dataclass(frozen=True)
class Doc:
    """One side of a link: its statements joined by newlines, with a map back to absolute offsets."""

    side: str
    text: str
    pieces: tuple[tuple[int, int, int], ...]  # (local start, local end, absolute start)

    @classmethod
    def of(cls, statements: Sequence[Statement]) -> Doc:
        """Join one side's statements in text order."""
        ordered = sorted(statements, key=lambda s: (s.start, s.id))
        if not ordered:
            raise ValueError("a link side needs at least one statement")
        parts: list[str] = []
        pieces = []
        pos = 0
        for st in ordered:
            text = st.text[:MAX_ANALYSED_CHARS]
            pieces.append((pos, pos + len(text), st.start))
            parts.append(text)
            pos += len(text) + 1
        return cls(ordered[0].side, "\n".join(parts), tuple(pieces))

    def span(self, start: int, end: int) -> Span:
        """The absolute span of a local one (clipped to the statement it starts in)."""
        for lo, hi, absolute in self.pieces:
            if lo <= start <= hi:
                return Span(self.side, absolute + start - lo, absolute + min(end, hi) - lo)
        lo, hi, absolute = self.pieces[-1]
        return Span(self.side, absolute + hi - lo, absolute + hi - lo)

    def piece_of(self, pos: int) -> int:
        """Index of the statement a local offset falls in."""
        for k, (_, hi, _) in enumerate(self.pieces):
            if pos <= hi:
                return k
        return len(self.pieces) - 1

    @property
    def cues(self) -> Cues:
        """The cues of the side: its statements' own cues, placed at their local offsets.

        Each statement is read on its own (as it is when it is linked alone), so a clause, a
        quotation or a pronoun never reaches across into another statement of the link.
        """
        if len(self.pieces) == 1:
            return cues(self.text)
        return joined_cues(tuple(self.text[lo:hi] for lo, hi, _ in self.pieces))


@dataclass
class Findings:
    """Reasons and features collected for one pair, in the order the rules run."""

    reasons: list[Reason]
    features: dict[str, float]


def make_reason(
    code: str, summary: str, spans: Sequence[Span], detail: Sequence[tuple[str, str]] = ()
) -> Reason | None:
    """A Reason with its non-empty evidence spans, or None when there is no evidence."""
    evidence = tuple(dict.fromkeys(s for s in spans if s.end > s.start))[:MAX_EVIDENCE]
    if not evidence:
        return None
    return Reason(code=code, summary=summary, evidence=evidence, detail=tuple(detail))


def quoted(text: str, limit: int = 60) -> str:
    """A text in single quotes for a summary, whitespace collapsed and shortened."""
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"
