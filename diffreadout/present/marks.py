"""The one word-level diff: which words of linked statements only one side has.

Words are found in the original statement text (offsets are the truth), compared casefolded
with difflib over the two sides' word sequences; the report, the JSON and the TUI all mark
these spans, so they cannot bold different words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from diffreadout.model import Statement

# A word: letters/digits joined by inner punctuation (Lavrov's, build-up, 2.5, 1,000), or one
# CJK character (Chinese and Japanese are not written with spaces between words).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_WORD = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[^\W_])+(?:['\u2019\-\u2010\u2011.,:/_](?:(?![{_CJK}])[^\W_])+)*")
# Past this many word pairs the diff is skipped (it is quadratic at worst): nothing is marked.
MAX_DIFF_PAIRS = 4_000_000

Span = tuple[int, int]


def word_spans(text: str) -> list[Span]:
    """(start, end) of every word of text."""
    return [m.span() for m in _WORD.finditer(text)]


def marked_spans(left: Sequence[Statement], right: Sequence[Statement]) -> tuple[dict[str, tuple[Span, ...]], dict[str, tuple[Span, ...]]]:
    """Per statement id, the spans (offsets into the statement's text) of words only its side has."""
    left_words = [(st.id, span) for st in left for span in word_spans(st.text)]
    right_words = [(st.id, span) for st in right for span in word_spans(st.text)]
    out_left: dict[str, list[Span]] = {st.id: [] for st in left}
    out_right: dict[str, list[Span]] = {st.id: [] for st in right}
    if left_words and right_words and len(left_words) * len(right_words) <= MAX_DIFF_PAIRS:
        texts = {st.id: st.text for st in (*left, *right)}

        def folded(words: list[tuple[str, Span]]) -> list[str]:
            return [texts[sid][s:e].casefold() for sid, (s, e) in words]

        matcher = difflib.SequenceMatcher(a=folded(left_words), b=folded(right_words), autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            for sid, span in left_words[i1:i2]:
                out_left[sid].append(span)
            for sid, span in right_words[j1:j2]:
                out_right[sid].append(span)
    return ({k: tuple(v) for k, v in out_left.items()}, {k: tuple(v) for k, v in out_right.items()})


def runs(text: str, spans: Sequence[Span]) -> list[Span]:
    """Join marked words separated only by spaces and punctuation into runs (one bold each)."""
    joined: list[Span] = []
    for start, end in sorted(spans):
        between = text[joined[-1][1] : start] if joined else ""
        if joined and _WORD.search(between) is None and "\n" not in between:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined
