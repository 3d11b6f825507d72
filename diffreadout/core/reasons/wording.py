"""Different terms for the same referent: contested names, named phrases, and a word-level diff.

Three complementary cues, each returning pairs of local spans (one per text): a small table of
names governments use against each other ("Xizang"/"Tibet"), phrases built on the same name
with a different head noun ("Ukrainian crisis"/"war in Ukraine", "Taiwan region"/"Taiwan"),
and short substitutions between identical contexts from a word-level diff. The quote and
wording rules that turn these cues into Reasons live here too.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from diffreadout.core.reasons.doc import Cues, Doc, Findings, make_reason, quoted
from diffreadout.core.reasons.facts import normalise
from diffreadout.core.text.countries import country_of
from diffreadout.core.text.words import STOPWORDS, TOKEN, stem
from diffreadout.core.text.names import CONTESTED_NAMES

HEAD_NOUNS = frozenset(
    """
    crisis war conflict situation issue question aggression invasion operation region regime authorities
    leadership strait island islands province territory territories administration government
    """.split()
)
STATUS_HEADS = frozenset("region province authorities regime leadership administration".split())
_CONNECTORS = frozenset("of in against on the 's ’s".split())


@dataclass(frozen=True)
class Term:
    """A naming phrase with its local span and the words that set it apart from the bare name."""

    text: str
    start: int
    end: int
    key: frozenset[str]


# Pairs of token sequences longer than this (about 700 x 700 words) skip the word diff.
MAX_DIFF_CELLS = 500_000


@lru_cache(maxsize=16384)
def tokens_with_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """Word tokens with their local spans (cached: a text meets many partners)."""
    return tuple((m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text))


@lru_cache(maxsize=16384)
def _lowered(text: str) -> tuple[str, ...]:
    """The lower-cased word tokens of a text, as the word diff compares them."""
    return tuple(t[0].lower() for t in tokens_with_spans(text))


_WORDCHAR = re.compile(r"\w")


@lru_cache(maxsize=1)
def _contested_patterns() -> tuple[re.Pattern[str], dict[str, tuple[int, str]]]:
    """One alternation of every contested name (longest first), and each name's group."""
    owner = {name: (g, name) for g, group in enumerate(CONTESTED_NAMES) for name in group}
    names = sorted(owner, key=lambda n: (-len(n), n))
    return re.compile("|".join(rf"(?=\b({re.escape(n)})\b)" for n in names)), owner


# A word-bounded name starts with a whole run of word characters: its first word.
_FIRST_WORDS = frozenset(
    m.group(0) for group in CONTESTED_NAMES for name in group if (m := re.match(r"\w+", name))
)
_WORD_RUN = re.compile(r"\w+")


@lru_cache(maxsize=16384)
def _contested_hits(text: str) -> tuple[tuple[int, str, int, int], ...]:
    """(group, name, start, end) of every contested name in a text (overlapping names included)."""
    pattern, owner = _contested_patterns()
    if not _FIRST_WORDS & set(_WORD_RUN.findall(text)):
        return ()  # no contested name can start in this text: skip the scan

    hits = []
    for match in pattern.finditer(text):
        start = match.start()
        for name, (group, _) in owner.items():  # every name starting here, not just the longest
            end = start + len(name)
            if text.startswith(name, start) and (end == len(text) or not _WORDCHAR.match(text[end])):
                hits.append((group, name, start, end))
    # the same order as one scan per name: by group, then name, then position
    order = {name: k for k, name in enumerate(n for group in CONTESTED_NAMES for n in group)}
    return tuple(sorted(set(hits), key=lambda h: (h[0], order[h[1]], h[2])))


def contested_names(text_a: str, text_b: str) -> list[tuple[tuple[int, int], tuple[int, int], str, str]]:
    """Members of one contested-name group used on each side where the other uses another member."""
    out = []
    hits_a, hits_b = _contested_hits(text_a), _contested_hits(text_b)
    for g in sorted({h[0] for h in hits_a} & {h[0] for h in hits_b}):
        in_a = [h for h in hits_a if h[0] == g]
        in_b = [h for h in hits_b if h[0] == g]
        if not {h[1] for h in in_a} & {h[1] for h in in_b}:
            (_, na, sa, ea), (_, nb, sb, eb) = in_a[0], in_b[0]
            out.append(((sa, ea), (sb, eb), na, nb))
    return out


def _anchor(word: str) -> str:
    """The identity of a proper name for anchoring: a country key or the lower-cased stem."""
    return country_of(word) or stem(word)


def named_terms(text: str) -> dict[str, list[Term]]:
    """Phrases built around each proper name (its anchor): "the Ukrainian crisis" under 'ukraine'."""
    return {anchor: list(terms) for anchor, terms in _named_terms(text)}


def _part_of_term(text: str, toks: Sequence[tuple[str, int, int]], i: int, j: int) -> bool:
    """Whether token j still belongs to the naming phrase around the proper name at token i."""
    word = toks[j][0]
    gap = text[toks[min(i, j)][2] : toks[max(i, j)][1]] if j != i else ""
    return not re.search(r"[,.;:!?\"“”()]", gap) and (
        word[:1].isupper() or word.lower() in HEAD_NOUNS or word.lower() in _CONNECTORS
    )


@lru_cache(maxsize=4096)
def _named_terms(text: str) -> tuple[tuple[str, tuple[Term, ...]], ...]:
    toks = tokens_with_spans(text)
    out: dict[str, list[Term]] = {}
    for i, (word, _, _) in enumerate(toks):
        if not word[:1].isupper() or (i == 0 and word.lower() in STOPWORDS) or word.lower() in STOPWORDS:
            continue
        anchor = _anchor(word.replace("’s", "").replace("'s", ""))
        lo = i
        while lo - 1 >= 0 and _part_of_term(text, toks, i, lo - 1) and i - lo < 4:
            lo -= 1
        hi = i
        while hi + 1 < len(toks) and _part_of_term(text, toks, i, hi + 1) and hi - i < 4:
            hi += 1
        while lo < i and toks[lo][0].lower() in _CONNECTORS:
            lo += 1
        while hi > i and toks[hi][0].lower() in _CONNECTORS:
            hi -= 1
        words = [t[0] for t in toks[lo : hi + 1]]
        key = frozenset(
            stem(w.replace("’s", "").replace("'s", ""))
            for w in words
            if w.lower() not in _CONNECTORS and _anchor(w.replace("’s", "").replace("'s", "")) != anchor
        )
        out.setdefault(anchor, []).append(Term(text[toks[lo][1] : toks[hi][2]], toks[lo][1], toks[hi][2], key))
    return tuple((anchor, tuple(terms)) for anchor, terms in out.items())


def _heads(term: Term) -> frozenset[str]:
    return frozenset(w for w in term.key if w in HEAD_NOUNS or w in {stem(h) for h in HEAD_NOUNS})


def term_differences(text_a: str, text_b: str) -> list[tuple[Term, Term]]:
    """Pairs of phrases on the same proper name whose head nouns differ, and no phrase agrees."""
    terms_a = named_terms(text_a)
    terms_b = named_terms(text_b)
    out: list[tuple[Term, Term]] = []
    for anchor in sorted(set(terms_a) & set(terms_b)):
        list_a, list_b = terms_a[anchor], terms_b[anchor]
        heads_a = {h for t in list_a for h in _heads(t)}
        heads_b = {h for t in list_b for h in _heads(t)}
        if heads_a & heads_b or not (heads_a or heads_b):
            continue
        if any(ta.key == tb.key for ta in list_a for tb in list_b if _heads(ta) or _heads(tb)):
            continue
        with_a = [t for t in list_a if _heads(t)]
        with_b = [t for t in list_b if _heads(t)]
        if with_a and with_b:
            out.append((with_a[0], with_b[0]))
        elif with_a and any(h in STATUS_HEADS for h in _heads(with_a[0])):
            out.append((with_a[0], list_b[0]))
        elif with_b and any(h in STATUS_HEADS for h in _heads(with_b[0])):
            out.append((list_a[0], with_b[0]))
    return out


def _equal_size(op: tuple[str, int, int, int, int]) -> int:
    """Length of an 'equal' opcode of a word diff (0 for any other)."""
    return op[2] - op[1] if op[0] == "equal" else 0


def diff_substitutions(
    text_a: str, text_b: str, protected_a: Sequence[tuple[int, int]] = (), protected_b: Sequence[tuple[int, int]] = ()
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Short word substitutions (1-4 words each side) between identical contexts of a word-level diff.

    Substitutions that touch a protected span (a speaker, a reporting verb, a number: reported
    under their own codes) or that change only function words or inflection are left out.
    """
    toks_a = tokens_with_spans(text_a)
    toks_b = tokens_with_spans(text_b)
    seq_a = _lowered(text_a)
    seq_b = _lowered(text_b)
    if len(seq_a) * len(seq_b) > MAX_DIFF_CELLS:
        return []  # the word diff is quadratic; sentence-sized pairs are far below this
    ops = difflib.SequenceMatcher(None, seq_a, seq_b, autojunk=False).get_opcodes()
    out = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace" or not (1 <= i2 - i1 <= 4 and 1 <= j2 - j1 <= 4):
            continue
        before = _equal_size(ops[k - 1]) if k > 0 else 0
        after = _equal_size(ops[k + 1]) if k + 1 < len(ops) else 0
        if not ((before >= 2 and after >= 1) or (before >= 1 and after >= 2)):
            continue
        while i2 - i1 > 1 and seq_a[i1] in STOPWORDS:
            i1 += 1
        while i2 - i1 > 1 and seq_a[i2 - 1] in STOPWORDS:
            i2 -= 1
        while j2 - j1 > 1 and seq_b[j1] in STOPWORDS:
            j1 += 1
        while j2 - j1 > 1 and seq_b[j2 - 1] in STOPWORDS:
            j2 -= 1
        words_a, words_b = seq_a[i1:i2], seq_b[j1:j2]
        if any(toks_a[k][0][:1].isupper() for k in range(i1, i2)) or any(
            toks_b[k][0][:1].isupper() for k in range(j1, j2)
        ):
            continue  # a different name is a different referent (detail), not a different term
        content_a = {stem(p) for w in words_a for p in w.split("-") if w not in STOPWORDS and not w[0].isdigit()}
        content_b = {stem(p) for w in words_b for p in w.split("-") if w not in STOPWORDS and not w[0].isdigit()}
        if not content_a or not content_b or content_a == content_b:
            continue
        span_a = (toks_a[i1][1], toks_a[i2 - 1][2])
        span_b = (toks_b[j1][1], toks_b[j2 - 1][2])
        if any(s < span_a[1] and span_a[0] < e for s, e in protected_a) or any(
            s < span_b[1] and span_b[0] < e for s, e in protected_b
        ):
            continue
        out.append((span_a, span_b))
    return out


# ---- quotes and wording --------------------------------------------------------------------


def quote_reasons(a: Doc, b: Doc, f: Findings) -> None:
    """Quotations on one side only, quoted differently, or scare quotes against plain words."""
    found = 0
    for doc, other in ((a, b), (b, a)):
        seen: set[str] = set()
        for q in doc.cues.quotes:
            if q.norm in seen or any(o.norm == q.norm for o in other.cues.quotes):
                continue
            seen.add(q.norm)
            close = [o for o in other.cues.quotes if fuzz.ratio(o.norm, q.norm) >= 70]
            if close:
                if doc.side > other.side:
                    continue  # reported once, from the first side
                summary = f"quoted differently: {doc.side} {quoted(q.text)}, {other.side} {quoted(close[0].text)}"
                spans = [doc.span(q.start, q.end), other.span(close[0].start, close[0].end)]
            elif f" {q.norm} " in other.cues.lower:
                pos = other.cues.lower.index(f" {q.norm} ")
                hit = re.search(r"\W+".join(re.escape(w) for w in q.norm.split()), other.text, re.IGNORECASE)
                summary = f"{doc.side} puts {quoted(q.text)} in quotation marks; {other.side} uses the words plainly"
                spans = [doc.span(q.start, q.end)] + ([other.span(hit.start(), hit.end())] if hit and pos >= 0 else [])
            else:
                summary = f"direct quotation only in {doc.side}: {quoted(q.text)}"
                spans = [doc.span(q.start, q.end)]
            reason = make_reason("quote", summary, spans, [("side", doc.side), ("quote", q.text)])
            if reason:
                f.reasons.append(reason)
                found += 1
    if found:
        f.features["quote"] = 1.0


def _protected(cues: Cues) -> list[tuple[int, int]]:
    """Spans reported under other codes: speakers, reporting verbs, figures."""
    return (
        [(x.start, x.end) for x in cues.attributions]
        + [(m.start, m.end) for m in cues.marks]
        + [(q.start, q.end) for q in cues.quantities]
    )


def wording_reasons(a: Doc, b: Doc, f: Findings) -> None:
    """Different terms for the same referent: contested names, named phrases, diff substitutions."""
    pairs: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    for span_a, span_b, _, _ in contested_names(a.text, b.text):
        pairs.append((span_a, span_b, "name"))
    for ta, tb in term_differences(a.text, b.text):
        pairs.append(((ta.start, ta.end), (tb.start, tb.end), "term"))
    # A word diff depends on which text comes first; keep what both directions find, so that
    # swapping A and B mirrors the result.
    forward = diff_substitutions(a.text, b.text, _protected(a.cues), _protected(b.cues))
    if forward:  # nothing forward means nothing in both directions: skip the second diff
        backward = {(sa, sb) for sb, sa in diff_substitutions(b.text, a.text, _protected(b.cues), _protected(a.cues))}
        pairs += [(sa, sb, "diff") for sa, sb in forward if (sa, sb) in backward]
    seen: set[tuple[str, str]] = set()
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    weight = 0.0
    for (s1, e1), (s2, e2), source in pairs:
        key = (normalise(a.text[s1:e1]), normalise(b.text[s2:e2]))
        overlaps = any((s1 < y1 and x1 < e1) or (s2 < y2 and x2 < e2) for (x1, y1), (x2, y2) in taken)
        if key in seen or key[0] == key[1] or overlaps:
            continue
        seen.add(key)
        taken.append(((s1, e1), (s2, e2)))
        reason = make_reason(
            "wording",
            f"{a.side} says {quoted(a.text[s1:e1])} where {b.side} says {quoted(b.text[s2:e2])}",
            [a.span(s1, e1), b.span(s2, e2)],
            [(a.side, a.text[s1:e1]), (b.side, b.text[s2:e2]), ("source", source)],
        )
        if reason:
            f.reasons.append(reason)
            # A contested name or a different head noun names the matter differently; a
            # substitution from the diff may be a mere synonym, so it counts for less.
            weight += 1.0 if source != "diff" else 0.3
    if weight:
        f.features["wording"] = min(1.0, weight)
