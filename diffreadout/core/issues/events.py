"""Named events: two statements that name different summits are about two events.

"The Summit on Peace in Switzerland" and "the NATO Summit in Washington" both tag the issue of
the next summit, but no analyst would call them one exchange. An event is named by the
capitalised words around its noun ("NATO Summit", "Summit on Peace in Ukraine"); two
statements whose named events share no such word are about different events. Where either
names its event by the bare noun ("the summit"), nothing is decided.
"""

from __future__ import annotations

import re

from diffreadout.core.text.words import STOPWORDS

__all__ = ["different_events", "event_names"]

_EVENT = r"(?:Summit|Conference|Forum)"
_CAP = r"[A-Z0-9][\w'’.&-]*"
# Up to four capitalised words (or a parenthesised acronym) before the noun, and an
# "on/of/in/at" phrase of capitalised words after it.
_BEFORE = re.compile(rf"((?:(?:{_CAP}|\({_CAP}\))\s+){{1,4}}){_EVENT}\b")
_AFTER = re.compile(rf"\b{_EVENT}\s+(?:on|of|in|at|for)\s+((?:(?:the\s+)?{_CAP}(?:\s+(?:on|of|in|at|and)\s+)?\s*){{1,5}})")
_GENERIC = frozenset({"the", "next", "upcoming", "forthcoming", "this", "that", "a", "leaders", "leaders'",
                      "leaders’", "summit", "conference", "forum"})


def _words(phrase: str) -> set[str]:
    out = set()
    for raw in re.split(r"[\s\-()]+", phrase):
        word = raw.strip(".,;:'’").lower()
        if not word or word in STOPWORDS or word in _GENERIC or re.fullmatch(r"\d+(?:st|nd|rd|th)?", word):
            continue
        out.add(word)
    return out


def event_names(text: str) -> list[set[str]]:
    """The words naming each summit, conference or forum in a text; an empty set for a bare noun."""
    names: list[set[str]] = []
    for m in re.finditer(rf"\b{_EVENT}\b", text):
        before = _BEFORE.search(text, max(0, m.start() - 80), m.end())
        after = _AFTER.match(text, m.start())
        words: set[str] = set()
        if before and before.end() == m.end():
            words |= _words(before.group(1))
        if after:
            words |= _words(after.group(1))
        names.append(words)
    return names


def different_events(text_a: str, text_b: str) -> bool:
    """True when both texts name events, every one by name, and no name shares a word."""
    a, b = event_names(text_a), event_names(text_b)
    if not a or not b or not all(a) or not all(b):
        return False
    return not (set().union(*a) & set().union(*b))
