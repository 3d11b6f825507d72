"""Cut a sentence into clause statements where it joins two predications.

Readouts chain claims in one sentence ("X welcomed the exchange and delivered the President's
message"; "Wang said that ..., and that the US side should ..."). Each predication may have a
different counterpart on the other side, or none, so each is a statement. Only boundaries that
start a new predicate are cut: a coordinated reporting verb, a second reported ("that")
clause, a clause with its own "side" subject, and the participle phrases ", building on" and
", agreeing to". Noun lists and prepositional modifiers are never cut. Both halves must be at
least MIN_WORDS words, so short formulas ("discussed and agreed") stay whole.
"""

from __future__ import annotations

import re

__all__ = ["MIN_WORDS", "split_clauses"]

MIN_WORDS = 6

_VERBS = (
    "delivered|proposed|emphasized|emphasised|stressed|underscored|underlined|reiterated|reaffirmed|"
    "called|urged|expressed|welcomed|raised|noted|pointed|highlighted|conveyed|affirmed|voiced|"
    "condemned|invited|thanked|briefed|informed|outlined|warned|made clear|said"
)
_BOUNDARY = re.compile(
    rf",?\s+and\s+(?:also\s+)?(?=(?:{_VERBS})\b)"  # "... and delivered ...": a second predicate
    r"|,\s+and\s+(?=that\s)"  # "..., and that ...": a second reported clause
    r"|,\s+and\s+(?=the\s+[\w.\-]+\s+side\s)"  # "..., and the US side should ...": a new subject
    r"|,\s+(?=(?:building\s+on|agreeing\s+to|adding\s+that)\s)"
)
_WORD = re.compile(r"\w+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def split_clauses(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans with each sentence cut at its predication boundaries (offsets into text)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        cut = start
        sentence = text[start:end]
        for match in _BOUNDARY.finditer(sentence):
            # A comma before the cut stays with the first clause: every character stays in a span.
            left_end = start + match.start() + (1 if match.group().startswith(",") else 0)
            # The second clause starts at "and"/the participle, as a reader would quote it.
            right_start = start + match.start() + len(match.group()) - len(match.group().lstrip(", \t"))
            if _words(text[cut:left_end]) >= MIN_WORDS and _words(text[right_start:end]) >= MIN_WORDS:
                out.append((cut, left_end))
                cut = right_start
        out.append((cut, end))
    return out
