"""Split a readout's text into statements: character spans into the original text.

Pure functions, no I/O. Spans are (start, end) with end exclusive, sorted, non-overlapping,
stripped of surrounding whitespace, and together they cover every non-whitespace character.

Sentence mode never crosses a line break, so titles, headings and list items without a full
stop stay statements of their own. Within a line it splits after ``. ! ? …`` (followed by
whitespace and something that can start a sentence) and after ``。！？`` (immediately). A full
stop after an abbreviation, an initial, a paragraph number or inside quotes does not split.
Every scan is linear: the regular expressions have no nested quantifiers and every backward
look is bounded.
"""

from __future__ import annotations

import re

from diffreadout.config import SegmentMode
from diffreadout.core.text.clauses import split_clauses

__all__ = ["segment", "SegmentMode"]

Span = tuple[int, int]

# Line breaks as str.splitlines() sees them (all are whitespace for str.isspace()).
_LINE = re.compile(r"[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_CJK_TERMINATORS = frozenset("。！？｡")
_TERMINATOR = re.compile(
    r"(?P<term>[.!?…。！？｡]+)(?P<close>[\"'”’»」』）)\]】》›]*)"
)
# Quote and bracket characters whose matched pairs protect the full stops inside them.
_PAIR_CHARS = re.compile(r"[\"“”«»„「」『』()\[\]（）【】《》]")
_CLOSER_OF = {
    "“": "”", "«": "»", "„": "“", "「": "」", "『": "』",
    "(": ")", "[": "]", "（": "）", "【": "】", "《": "》",
}
# Characters that may open a sentence (before its first letter).
_OPENING_PUNCT = frozenset("\"'“‘«„‹([{¿¡（【《「『")
_LEADING_PUNCT = "".join(sorted(_OPENING_PUNCT))
_TRAILING_PUNCT = "\"'”’»›)]}"
# A token longer than this before a full stop is never an abbreviation: the bound keeps the
# backward look constant-time.
_MAX_TOKEN = 48
_HYPHENS = re.compile(r"[-/–—]")
# Numbered paragraph or list markers that belong to the sentence after them.
_LIST_MARKER = re.compile(r"(?:\d{1,3}|[IVXLC]{1,6}|[ivxlc]{1,6}|[^\W\d_])\Z")
# A line holding only a marker ("3.", "(iv)", "•") is joined to the next line.
_MARKER_LINE = re.compile(
    r"(?:\(?(?:\d{1,3}|[IVXLCivxlc]{1,6}|[^\W\d_])[.)]|\(\d{1,3}\)|[•*\-–—·▪●◦]"
    r"|[一二三四五六七八九十]{1,3}、)\Z"
)

# A news dateline at the start of a line ("BEIJING, April 20 --", "MOSCOW, May 17 (TASS) —")
# is a statement of its own: it is no claim, and the sentence after it is one.
_DATELINE = re.compile(
    r"(?P<place>[^\W\d_]+(?:[ .'\-]{1,2}[^\W\d_]+){0,4})"
    r"(?:,[ \w.]{1,24}?)?(?: ?\([^()\n]{1,30}\))? ?(?:--|—|–)(?=\s)"
)

# Abbreviations after which a full stop never ends a sentence (they precede what they name).
_NEVER_END = frozenset(
    """
    mr mrs ms messrs mme mlle dr prof gen lt col maj capt cpt sgt cmdr adm sen rep gov amb hon
    rev fr pres supt insp vs e.g i.e cf viz approx esp incl
    им ул см напр проф акад ген т.е т.к т.н тов гр
    """.split()
)
# Abbreviations that end a sentence only before a number-less continuation (No. 5, Art. 3).
_BEFORE_NUMBER = frozenset(
    "no nos art arts para paras pp vol vols sec fig ch ст стр рис гл пп".split()
)
# Abbreviations that often end a sentence as well as sit inside one: they end it only before
# a typical sentence starter. Initialisms (U.S., H.E., С.В., a.m.) and single initials
# (F., J.) are treated the same way.
_AMBIGUOUS = frozenset(
    """
    etc inc ltd co corp llc plc jr sr st ave blvd rd bros dept govt
    jan feb mar apr jun jul aug sep sept oct nov dec
    гг вв др пр тыс млн млрд трлн руб долл коп янв февр авг сент окт нояб дек
    """.split()
)
# Capitalised function words that start sentences but rarely follow "U.S." or "Inc." inside
# one (where a proper noun such as "President" or "Navy" would).
_STARTERS = frozenset(
    """
    The A An He She It They We I You This That These Those There Here His Her Its Their Our My
    Both Each All Some Such In On At As By For From With Without After Before During While
    When Since If Although Though But And Or Nor However Also Meanwhile Furthermore Moreover
    Nevertheless Yet So Then Thus Therefore Today Yesterday Earlier Later According
    Он Она Оно Они Мы Я Вы Это Этот Эта Эти Там Здесь Его Ее Её Их Обе Оба Стороны В Во На По
    При С Со К О Об Для После До Также Кроме Однако Но И А Вместе Между Тогда Сегодня Вчера
    Кроме Как Так Поэтому Вместе Затем
    """.split()
)


def segment(text: str, mode: SegmentMode | str = "sentences") -> list[Span]:
    """Return the statement spans of text, in order: sentences (default) or non-empty lines.

    Each span is (start, end) with end exclusive, text[start:end] is stripped of whitespace,
    spans do not overlap, and every non-whitespace character lies in one of them.
    """
    if mode not in ("sentences", "lines"):
        raise ValueError(f"unknown segmentation mode {mode!r} (use 'sentences' or 'lines')")
    lines = _line_spans(text)
    if mode == "lines":
        return lines
    spans: list[Span] = []
    for start, end in _join_marker_lines(text, lines):
        _split_line(text, start, end, spans)
    return split_clauses(text, spans)


def _line_spans(text: str) -> list[Span]:
    """Return the stripped, non-empty lines of text as spans."""
    spans: list[Span] = []
    for match in _LINE.finditer(text):
        line = match.group()
        left = len(line) - len(line.lstrip())
        right = len(line.rstrip())
        if right > left:
            spans.append((match.start() + left, match.start() + right))
    return spans


def _join_marker_lines(text: str, lines: list[Span]) -> list[Span]:
    """Join a line that is only a paragraph marker ("3.", "•") to the line after it."""
    joined: list[Span] = []
    pending: int | None = None
    for start, end in lines:
        if pending is not None:
            start, pending = pending, None
        if end - start <= 6 and _MARKER_LINE.match(text, start, end):
            pending = start
            continue
        joined.append((start, end))
    if pending is not None:  # a marker on the last line stays a statement of its own
        joined.append((pending, lines[-1][1]))
    return joined


def _quoted_spans(text: str, lo: int, hi: int) -> list[Span]:
    """Return the outermost matched quote and bracket pairs of text[lo:hi] as (open, close).

    Unmatched quotes and brackets are ignored, so a stray one cannot swallow a paragraph.
    Straight double quotes pair with the next straight double quote.
    """
    stack: list[tuple[str, int]] = []  # (expected closer, position of the opener)
    # How many stack entries wait for each closer: a closer nobody waits for costs nothing,
    # and a matching one pops what it scans, so the whole pass stays linear.
    waiting: dict[str, int] = {}
    spans: list[Span] = []
    for match in _PAIR_CHARS.finditer(text, lo, hi):
        char, pos = match.group(), match.start()
        if waiting.get(char):
            while True:
                closer, opened = stack.pop()
                waiting[closer] -= 1
                if closer == char:
                    break
            while spans and spans[-1][0] > opened:  # nested pairs fold into this one
                spans.pop()
            spans.append((opened, pos))
            continue
        closer = '"' if char == '"' else _CLOSER_OF.get(char, "")
        if closer:
            stack.append((closer, pos))
            waiting[closer] = waiting.get(closer, 0) + 1
        # else: a closer nobody opened; ignore it
    return spans


def _split_line(text: str, lo: int, hi: int, out: list[Span]) -> None:
    """Append the sentence spans of the stripped line text[lo:hi] to out."""
    start = lo
    dateline = _DATELINE.match(text, lo, hi)
    if dateline and dateline.group("place").isupper() and len(dateline.group("place")) > 1:
        after = _skip_space(text, dateline.end(), hi)
        if after < hi and _can_start_sentence(text[after]):
            out.append((lo, dateline.end()))
            start = after
    quoted = _quoted_spans(text, start, hi)
    q = 0
    for match in _TERMINATOR.finditer(text, start, hi):
        split = match.end()
        nxt = _skip_space(text, split, hi)
        if nxt >= hi:
            break
        term = match.group("term")
        cjk = any(ch in _CJK_TERMINATORS for ch in term)
        if not cjk and (nxt == split or not _can_start_sentence(text[nxt])):
            # "U.S.-PRC", "2.5", "e.g.,": no whitespace after the full stop; or "etc. and":
            # nothing that can start a sentence follows (every rule below requires one).
            continue
        while q < len(quoted) and quoted[q][1] < split:
            q += 1
        if q < len(quoted) and quoted[q][0] < match.start():
            continue  # inside a quotation or bracket that closes later on this line
        if not cjk and not _ends_sentence(text, start, match.start(), term, nxt, hi):
            continue
        out.append((start, split))
        start = nxt
    out.append((start, hi))


def _skip_space(text: str, pos: int, hi: int) -> int:
    """Return the first position at or after pos (before hi) that is not whitespace, or hi."""
    while pos < hi and text[pos].isspace():
        pos += 1
    return pos


def _can_start_sentence(char: str) -> bool:
    """True for an upper-case or caseless letter, a digit, or opening punctuation."""
    return (char.isalpha() and not char.islower()) or char.isdigit() or char in _OPENING_PUNCT


def _is_initialism(token: str) -> bool:
    """True for "F", "U.S", "H.E", "С.В", "a.m": single letters joined by full stops."""
    return all(len(part) == 1 and part.isalpha() for part in token.split("."))


def _next_is_starter(text: str, pos: int, hi: int) -> bool:
    """True if the word at pos is a typical sentence starter ("The", "It", "Стороны")."""
    while pos < hi and text[pos] in _OPENING_PUNCT:
        pos += 1
    end = pos
    while end < hi and end - pos <= 16 and text[end].isalpha():
        end += 1
    word = text[pos:end]
    if len(word) == 1 and end < hi and text[end] == ".":
        return False  # an initial ("С. В. Лавров"), not the preposition "В"
    return word in _STARTERS


def _ends_sentence(
    text: str, sent_start: int, term_start: int, term: str, nxt: int, hi: int
) -> bool:
    """Decide whether the terminator at term_start ends the sentence begun at sent_start.

    Only for Latin terminators (. ! ? …) already followed by whitespace and a character that
    can start a sentence (text[nxt]); CJK terminators always end one.
    """
    if len(term) > 1 and set(term) <= {".", "…"} or term == "…":
        # An ellipsis: "[...]" marks an omission; otherwise it ends a sentence before a capital.
        if term_start > sent_start and text[term_start - 1] in "[(（":
            return False
        return _can_start_sentence(text[nxt])
    if term != ".":
        return _can_start_sentence(text[nxt])
    token_start = term_start
    limit = max(sent_start, term_start - _MAX_TOKEN)
    while token_start > limit and not text[token_start - 1].isspace():
        token_start -= 1
    if token_start == limit and limit > sent_start and not text[limit - 1].isspace():
        return _can_start_sentence(text[nxt])  # a very long token: not an abbreviation
    token = text[token_start:term_start].lstrip(_LEADING_PUNCT).rstrip(_TRAILING_PUNCT)
    if not token:
        return _can_start_sentence(text[nxt])
    if token_start == sent_start and _LIST_MARKER.match(token):
        return False  # "3. The two Ministers ...": a paragraph number, not a sentence
    core = _HYPHENS.split(token)[-1]  # "Japan-India-U.S." is classified as "U.S."
    lower = core.lower()
    if lower in _NEVER_END:
        return False
    if lower in _BEFORE_NUMBER and text[nxt].isdigit():
        return False
    if lower in _AMBIGUOUS or (core and _is_initialism(core)):
        return _next_is_starter(text, nxt, hi)
    return _can_start_sentence(text[nxt])
