"""Mirrored claims: the same wording with the countries' roles swapped, or another country pair.

Readouts answer each other's grievances in kind: one side "raised the cases of U.S. citizens
wrongfully detained in the PRC", the other "raised the cases of Chinese students wrongfully
interrogated at U.S. ports"; one "called on China to end its investigations targeting European
brandy", the other says "the EU should end its investigations targeting Chinese electric
vehicles". And a near-miss reads the same but is about another relation: "direct talks between
Russia and the United States" against "direct talks between Russia and Ukraine". Word overlap
and sentence embeddings score such a pair as one claim, but it is two, each missing from the
other readout.

A pair is mirrored when the rest of its wording, countries masked, is largely the same (a
difflib ratio of at least ``MIN_SAME_WORDING`` over the stemmed content words, in order) and
either

- each statement names two countries in a role each (not coordinated as in "between the EU and
  China", "China-EU relations" or "Japan, the United States and the ROK", which are symmetric),
  the same two countries, in the opposite order, and both complain or demand (reciprocal
  courtesies, "China is ready to work with the US" and the reverse, are one exchange); or
- each names a coordinated group of countries, the groups share a country, and each statement
  has a country the other does not name at all.

Two countries in reversed roles occur in any exchange ("the EU expects China to ...", "China
hopes the EU will ..."); the wording is what tells a mirror. On the development cases and our
fixtures, 152 candidate pairs have either structure: the gold-linked ones reach a ratio of 0.31,
the three mirrors and near-misses 0.40, 0.55 and 0.65. The test is symmetric in its arguments.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from diffreadout.config import TUNING
from diffreadout.core.reasons.doc import MAX_ANALYSED_CHARS, cues
from diffreadout.core.text.countries import MULTIWORD_COUNTRIES, country_of
from diffreadout.core.text.words import STOPWORDS, suffix_stem

# difflib ratio of the stemmed words, countries masked (tuned: aligner.json)
MIN_SAME_WORDING = float(TUNING["mirror_min_same_wording"])
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:['’][^\W_]+)*|[-–,&]")
_JOINERS = frozenset({"and", "-", "–", ",", "&", "the"})
# Country names of several words ("the United States") become their one-word key first.
_MULTIWORD_RE = re.compile(
    r"\b(?:"
    + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in sorted(MULTIWORD_COUNTRIES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=16384)
def _roles(text: str) -> tuple[tuple[str, ...], tuple[frozenset[str], ...], frozenset[str], str]:
    """Countries in a role (in order of first mention), coordinated groups, every country named,
    and the wording with the countries masked."""
    text = text[:MAX_ANALYSED_CHARS]  # a run-on paste is read from its start, as the reasons are
    text = _MULTIWORD_RE.sub(lambda m: MULTIWORD_COUNTRIES[" ".join(m.group(0).lower().split())], text)
    tokens = _TOKEN.findall(text)
    keys = [country_of(token) for token in tokens]
    marks = [(k, key) for k, key in enumerate(keys) if key]
    groups: list[set[str]] = []
    coordinated: set[int] = set()
    previous_joined = False
    for (k1, c1), (k2, c2) in zip(marks, marks[1:]):
        gap = [t.lower() for t in tokens[k1 + 1 : k2]]
        joined = c1 != c2 and len(gap) <= 2 and all(g in _JOINERS for g in gap)
        if joined:  # "the EU and China", "China-EU", "Japan, the US and the ROK": no roles
            if previous_joined:
                groups[-1].add(c2)
            else:
                groups.append({c1, c2})
            coordinated |= {k1, k2}
        previous_joined = joined
    order: list[str] = []
    for k, key in marks:
        if k not in coordinated and key not in order:
            order.append(key)
    words = [
        "@" if key else t.lower()
        for t, key in zip(tokens, keys)
        if t not in ("-", "–", ",", "&") and (key or t.lower() not in STOPWORDS)  # "US" is no stop word here
    ]
    named = frozenset(key for _, key in marks)
    return tuple(order), tuple(frozenset(g) for g in groups), named, " ".join(words)


def _swapped(order_a: tuple[str, ...], order_b: tuple[str, ...]) -> bool:
    if len(order_a) < 2 or len(order_b) < 2:
        return False
    first_a, first_b = order_a[:2], order_b[:2]
    return set(first_a) == set(first_b) and first_a != first_b


def _other_pair(
    groups_a: tuple[frozenset[str], ...], named_a: frozenset[str], groups_b: tuple[frozenset[str], ...], named_b: frozenset[str]
) -> bool:
    if not groups_a or not groups_b or set(groups_a) & set(groups_b):
        return False
    share = any(ga & gb for ga in groups_a for gb in groups_b)
    return share and bool(named_a - named_b) and bool(named_b - named_a)


def _same_wording(words_a: str, words_b: str) -> float:
    """How much of the two wordings is the same, in order: difflib's ratio over stemmed words
    (countries masked as one token, so the template "raised the cases of @ ... in @" counts)."""
    first, second = sorted((words_a, words_b))  # difflib's matching depends on the order: fix it
    seq_a = [suffix_stem(w) for w in first.split()]
    seq_b = [suffix_stem(w) for w in second.split()]
    return difflib.SequenceMatcher(None, seq_a, seq_b, autojunk=False).ratio()


_DEMANDS = frozenset({"called on", "called upon", "called for", "urged", "urges", "demanded", "pressed", "asked"})


def _grievance(text: str) -> bool:
    """Whether a statement complains or demands: a negative evaluation ("wrongfully", "unfair"),
    concern or opposition, an obligation ("should", "must"), or a demand ("called on", "urged")."""
    found = cues(text[:MAX_ANALYSED_CHARS])
    return (
        any(p.polarity < 0 for p in found.polar)
        or any(m.family in ("concern", "opposition") for m in found.marks)
        or any(m.family == "modal" and m.level >= 2 for m in found.marks)
        or any(" ".join(m.cue.lower().split()) in _DEMANDS for m in found.marks)
    )


def mirrored(a: str, b: str) -> bool:
    """Whether two statements say the same thing of swapped or different countries."""
    order_a, groups_a, named_a, words_a = _roles(a)
    order_b, groups_b, named_b, words_b = _roles(b)
    if _swapped(order_a, order_b):
        # Reciprocal courtesies ("China is ready to work with the US" and the reverse) are one
        # exchange; only complaints and demands are answered in kind as claims of their own.
        if not (_grievance(a) and _grievance(b)):
            return False
    elif not _other_pair(groups_a, named_a, groups_b, named_b):
        return False
    return _same_wording(words_a, words_b) >= MIN_SAME_WORDING
