"""One side of a link as the emphasis rules see it: joined text, cached cues, offset map.

Cues are extracted once per text (cached), with local offsets; ``Doc.span`` maps them back
to absolute offsets into the readout, so every Reason's evidence can be quoted exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from diffreadout.core.emphasis_facts import (
    Mention,
    Polar,
    Quantity,
    Quote,
    extract_deliverables,
    extract_entities,
    extract_initiative,
    extract_quantities,
    extract_quotes,
    normalise,
    polar_words,
    stem,
)
from diffreadout.core.emphasis_speech import (
    COUNTRY_ALIASES,
    Attribution,
    StrengthMark,
    extract_attribution,
    reporting_strength,
)
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


@lru_cache(maxsize=16384)
def cues(text: str) -> Cues:
    """Every cue of one text (cached: a statement is met in many candidate pairs)."""
    words = re.findall(r"(?:[A-Z]\.){2,}|[^\W_]+(?:[-'’][^\W_]+)*", text)
    lower = " " + normalise(text) + " "
    phrases = {
        key for key, aliases in COUNTRY_ALIASES.items() for alias in aliases if " " in alias and f" {alias} " in lower
    }
    stems = (
        frozenset(stem(w) for w in words)
        | frozenset(stem(p) for w in words for p in re.split(r"[-’'/]", w) if p)
        | phrases
    )
    return Cues(
        attributions=tuple(extract_attribution(text)),
        marks=tuple(reporting_strength(text)),
        quantities=tuple(extract_quantities(text)),
        quotes=tuple(extract_quotes(text)),
        entities=tuple(extract_entities(text)),
        deliverables=tuple(extract_deliverables(text)),
        initiative=tuple(extract_initiative(text)),
        polar=tuple(polar_words(text)),
        stems=stems,
        lower=lower,
    )


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
        """The cues of the joined text."""
        return cues(self.text)


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
