"""Different terms for the same referent: contested names, named phrases, and a word-level diff.

Three complementary cues, each returning pairs of local spans (one per text): a small table of
names governments use against each other ("Xizang"/"Tibet"), phrases built on the same name
with a different head noun ("Ukrainian crisis"/"Russia's war against Ukraine", "Taiwan
region"/"Taiwan"), and short substitutions between identical contexts from a word-level diff.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from diffreadout.core.emphasis_facts import stem
from diffreadout.core.emphasis_speech import country_of
from diffreadout.core.lexical import STOPWORDS

# Each group names one referent; readouts of different governments pick different members.
CONTESTED_NAMES: tuple[tuple[str, ...], ...] = (
    ("Kyiv", "Kiev"),
    ("Xizang", "Tibet"),
    ("West Asia", "Middle East"),
    ("Myanmar", "Burma"),
    ("Persian Gulf", "Arabian Gulf"),
    ("East Sea", "Sea of Japan"),
    ("West Philippine Sea", "South China Sea"),
    ("Diaoyu", "Senkaku"),
    ("Dokdo", "Takeshima"),
    ("Türkiye", "Turkey"),
    ("Malvinas", "Falklands"),
    ("Chinese Taipei", "Taiwan"),
    ("Donbass", "Donbas"),
    ("Belarus", "Byelorussia"),
)
HEAD_NOUNS = frozenset(
    """
    crisis war conflict situation issue question aggression invasion operation region regime authorities
    leadership strait island islands province territory territories administration government
    """.split()
)
STATUS_HEADS = frozenset("region province authorities regime leadership administration territory".split())
_CONNECTORS = frozenset("of in against on the 's ’s".split())
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Term:
    """A naming phrase with its local span and the words that set it apart from the bare name."""

    text: str
    start: int
    end: int
    key: frozenset[str]


def tokens_with_spans(text: str) -> list[tuple[str, int, int]]:
    """Word tokens with their local spans."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def contested_names(text_a: str, text_b: str) -> list[tuple[tuple[int, int], tuple[int, int], str, str]]:
    """Members of one contested-name group used on each side where the other uses another member."""
    out = []
    for group in CONTESTED_NAMES:
        hits_a = [(name, m) for name in group for m in re.finditer(rf"\b{re.escape(name)}\b", text_a)]
        hits_b = [(name, m) for name in group for m in re.finditer(rf"\b{re.escape(name)}\b", text_b)]
        names_a = {name for name, _ in hits_a}
        names_b = {name for name, _ in hits_b}
        if names_a and names_b and not names_a & names_b:
            (na, ma), (nb, mb) = hits_a[0], hits_b[0]
            out.append(((ma.start(), ma.end()), (mb.start(), mb.end()), na, nb))
    return out


def _anchor(word: str) -> str:
    """The identity of a proper name for anchoring: a country key or the lower-cased stem."""
    return country_of(word) or stem(word)


def named_terms(text: str) -> dict[str, list[Term]]:
    """Phrases built around each proper name (its anchor): "the Ukrainian crisis" under 'ukraine'."""
    toks = tokens_with_spans(text)
    out: dict[str, list[Term]] = {}
    for i, (word, _, _) in enumerate(toks):
        if not word[:1].isupper() or (i == 0 and word.lower() in STOPWORDS) or word.lower() in STOPWORDS:
            continue
        anchor = _anchor(word.replace("’s", "").replace("'s", ""))

        def part_of(j: int) -> bool:
            w = toks[j][0]
            gap = text[toks[min(i, j)][2] : toks[max(i, j)][1]] if j != i else ""
            return not re.search(r"[,.;:!?\"“”()]", gap) and (w[:1].isupper() or w.lower() in HEAD_NOUNS or w.lower() in _CONNECTORS)

        lo = i
        while lo - 1 >= 0 and part_of(lo - 1) and i - lo < 4:
            lo -= 1
        hi = i
        while hi + 1 < len(toks) and part_of(hi + 1) and hi - i < 4:
            hi += 1
        while lo < i and toks[lo][0].lower() in _CONNECTORS:
            lo += 1
        while hi > i and toks[hi][0].lower() in _CONNECTORS:
            hi -= 1
        words = [t[0] for t in toks[lo : hi + 1]]
        key = frozenset(
            stem(w.replace("’s", "").replace("'s", "")) for w in words
            if w.lower() not in _CONNECTORS and _anchor(w.replace("’s", "").replace("'s", "")) != anchor
        )
        out.setdefault(anchor, []).append(Term(text[toks[lo][1] : toks[hi][2]], toks[lo][1], toks[hi][2], key))
    return out


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


def diff_substitutions(
    text_a: str, text_b: str, protected_a: Sequence[tuple[int, int]] = (), protected_b: Sequence[tuple[int, int]] = ()
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Short word substitutions (1-4 words each side) between identical contexts of a word-level diff.

    Substitutions that touch a protected span (a speaker, a reporting verb, a number: reported
    under their own codes) or that change only function words or inflection are left out.
    """
    toks_a = tokens_with_spans(text_a)
    toks_b = tokens_with_spans(text_b)
    seq_a = [t[0].lower() for t in toks_a]
    seq_b = [t[0].lower() for t in toks_b]
    ops = difflib.SequenceMatcher(None, seq_a, seq_b, autojunk=False).get_opcodes()
    out = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace" or not (1 <= i2 - i1 <= 4 and 1 <= j2 - j1 <= 4):
            continue
        before = ops[k - 1] if k > 0 else None
        after = ops[k + 1] if k + 1 < len(ops) else None
        size = lambda op: (op[2] - op[1]) if op and op[0] == "equal" else 0  # noqa: E731
        if not ((size(before) >= 2 and size(after) >= 1) or (size(before) >= 1 and size(after) >= 2)):
            continue
        words_a, words_b = seq_a[i1:i2], seq_b[j1:j2]
        content_a = {stem(w) for w in words_a if w not in STOPWORDS and not w[0].isdigit()}
        content_b = {stem(w) for w in words_b if w not in STOPWORDS and not w[0].isdigit()}
        if not content_a or not content_b or content_a == content_b:
            continue
        span_a = (toks_a[i1][1], toks_a[i2 - 1][2])
        span_b = (toks_b[j1][1], toks_b[j2 - 1][2])
        if any(s < span_a[1] and span_a[0] < e for s, e in protected_a) or any(s < span_b[1] and span_b[0] < e for s, e in protected_b):
            continue
        out.append((span_a, span_b))
    return out
