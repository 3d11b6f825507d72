"""Markdown text primitives: escaping readout text so it stays data, and the word-level diff.

Readout text can never change a report's structure (tables, lists, headings) or pass HTML
through, and control characters are shown as visible symbols so a report cannot drive a
terminal.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diffreadout.textsafe import BIDI_CONTROLS, C0_BUT_TAB, C0_BUT_WHITESPACE, DEL_C1, DEL_C1_BUT_NEL, SURROGATES, char_class

if TYPE_CHECKING:
    from diffreadout.model import Readout

# --- escaping -------------------------------------------------------------------------------

# The lookbehind starts a match only where a run of spaces starts, so a long run of spaces
# with no break after it is scanned once, not once per space (which is quadratic).
_LINE_BREAK_RUN = re.compile(r"(?<![ \t])[ \t]*(?:\r\n|[\n\r\v\f\x85\u2028\u2029])(?:[ \t]*(?:\r\n|[\n\r\v\f\x85\u2028\u2029]))*[ \t]*")
SINGLE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")
PARAGRAPH_MARK = "\u00b6"  # shown where a statement holds a blank line
CONTROL = char_class(C0_BUT_WHITESPACE, DEL_C1_BUT_NEL, BIDI_CONTROLS, SURROGATES)
# Every character visible_controls() changes (line breaks are joined before it applies).
_SHOWN_AS_SYMBOL = char_class(C0_BUT_TAB, DEL_C1, BIDI_CONTROLS, SURROGATES)
# Characters that escape_inline always escapes (the rest only where they stand).
_ALWAYS_ESCAPED = re.compile(r"[\\`*_\[\]|~$#<>&]")
# Past this many word pairs, the word-level diff of an emphasis row is skipped (it is
# quadratic at worst); the row is still quoted in full, just without bold marks.
_MAX_DIFF_PAIRS = 4_000_000
_BACKSLASHED = frozenset("\\`*_[]|~$#")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_LEADING_BLOCK_MARK = re.compile(r"[ \t]*(?:[-+=]|\d{1,9}[.)](?=[ \t]|$))")
# Punctuation that joins two word characters into one word: Lavrov's, build-up, 2.5, 1,000.
_WORD_JOINERS = frozenset("'\u2019-\u2010\u2011.,:/_")
_AUTOLINK_TRIGGER = re.compile(r"(?<=[A-Za-z0-9]):(?=//)|(?<=\b[Ww][Ww][Ww])\.")


def visible_controls(text: str) -> str:
    """Replace line breaks by spaces and control characters by visible symbols.

    A single line break becomes a space (as Markdown itself reads a soft break); a run with
    a blank line becomes `` ¶ ``. C0 controls become their Unicode Control Pictures (ESC is
    ``␛``), DEL is ``␡``; C1 controls, bidirectional overrides/isolates and lone surrogates
    become U+FFFD. Tabs are kept.
    """

    def join_break(match: re.Match[str]) -> str:
        breaks = len(SINGLE_BREAK.findall(match.group(0)))
        return f" {PARAGRAPH_MARK} " if breaks > 1 else " "

    text = _LINE_BREAK_RUN.sub(join_break, text)
    return _SHOWN_AS_SYMBOL.sub(_symbol_for, text)


def _symbol_for(match: re.Match[str]) -> str:
    """C0 controls as Control Pictures, DEL as its symbol, the rest as U+FFFD."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def _escape_char(ch: str) -> str:
    if ch in _BACKSLASHED:
        return "\\" + ch
    return _ENTITIES.get(ch, ch)


def _context_escapes(text: str) -> frozenset[int]:
    """Indexes of characters that need a backslash only where they stand.

    A leading list marker or heading underline, and the ``:`` of ``scheme://`` and the ``.``
    of ``www.``, which GitHub would otherwise turn into links.
    """
    positions = {m.start() for m in _AUTOLINK_TRIGGER.finditer(text)}
    match = _LEADING_BLOCK_MARK.match(text)
    if match:
        positions.add(match.end() - 1)
    return frozenset(positions)


def escape_inline(text: str) -> str:
    """Escape text so it renders verbatim as inline Markdown, on one line, with no HTML.

    Leading and trailing whitespace is dropped (Markdown would not show it, and after a list
    marker it would shift the item's indentation).
    """
    return _escape_plain(visible_controls(text).strip())


def _escape_plain(text: str) -> str:
    """What render_tokens gives for text with no marked words, without building tokens."""
    out: list[str] = []
    done = 0
    for position in sorted(_context_escapes(text)):
        out.append(_ALWAYS_ESCAPED.sub(lambda m: _escape_char(m.group()), text[done:position]))
        out.append("\\" + text[position])
        done = position + 1
    out.append(_ALWAYS_ESCAPED.sub(lambda m: _escape_char(m.group()), text[done:]))
    return "".join(out)


# --- tokens and the word-level diff ---------------------------------------------------------


@dataclass(frozen=True)
class Token:
    start: int
    text: str
    kind: str  # "space", "punct" or "word"


@functools.lru_cache(maxsize=8192)
def _char_kind(ch: str) -> str:
    if ch.isspace():
        return "space"
    category = unicodedata.category(ch)
    if category[0] in "PS":
        return "punct"
    if _is_cjk(ch):
        return "cjk"
    return "word"


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    )


def tokenise(text: str) -> list[Token]:
    """Split text into whitespace runs, single punctuation marks, words and single CJK characters.

    Word tokens never begin or end with punctuation, so emphasis markers put around runs of
    words always open and close under CommonMark's flanking rules, even between CJK characters.
    """
    tokens: list[Token] = []
    kinds = [_char_kind(ch) for ch in text]
    i = 0
    while i < len(text):
        kind = kinds[i]
        j = i + 1
        if kind == "space":
            while j < len(text) and kinds[j] == kind:
                j += 1
        elif kind == "word":
            while j < len(text) and (
                kinds[j] == "word"
                or (text[j] in _WORD_JOINERS and j + 1 < len(text) and kinds[j + 1] == "word")
            ):
                j += 1
        tokens.append(Token(i, text[i:j], "word" if kind == "cjk" else kind))
        i = j
    return tokens


def render_tokens(tokens: Sequence[Token], marked: frozenset[int]) -> str:
    """Escape tokens, wrapping each run of marked word tokens (by position) in ``**``."""
    text = "".join(t.text for t in tokens)
    if not marked:
        return _escape_plain(text)
    contextual = _context_escapes(text)
    opens: set[int] = set()
    closes: set[int] = set()
    last: int | None = None  # the last marked word of the run being read
    for k, token in enumerate(tokens):
        if token.kind != "word":
            continue
        if k in marked:
            if last is None:
                opens.add(k)
            last = k
        elif last is not None:
            closes.add(last)
            last = None
    if last is not None:
        closes.add(last)
    out: list[str] = []
    for k, token in enumerate(tokens):
        if k in opens:
            out.append("**")
        for offset, ch in enumerate(token.text):
            out.append("\\" + ch if token.start + offset in contextual else _escape_char(ch))
        if k in closes:
            out.append("**")
    return "".join(out)


def marked_words(left: Sequence[Token], right: Sequence[Token]) -> tuple[frozenset[int], frozenset[int]]:
    """Positions of the word tokens that only one side has (casefolded word-level diff)."""
    left_pos = [k for k, t in enumerate(left) if t.kind == "word"]
    right_pos = [k for k, t in enumerate(right) if t.kind == "word"]
    if len(left_pos) * len(right_pos) > _MAX_DIFF_PAIRS:
        return frozenset(), frozenset()
    matcher = difflib.SequenceMatcher(
        a=[left[k].text.casefold() for k in left_pos],
        b=[right[k].text.casefold() for k in right_pos],
        autojunk=False,
    )
    only_left: set[int] = set()
    only_right: set[int] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            only_left.update(left_pos[i1:i2])
            only_right.update(right_pos[j1:j2])
    return frozenset(only_left), frozenset(only_right)


def render_marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Escape a statement's text, wrapping each marked run (offsets into text) in ``**``.

    Runs begin and end with a word character (present/marks.py), so the markers always open
    and close; line breaks and control characters are shown as escape_inline shows them.
    """
    pieces: list[tuple[str, bool]] = []
    done = 0
    for start, end in spans:
        if start < done or end <= start:
            continue
        pieces.append((text[done:start], False))
        pieces.append((text[start:end], True))
        done = end
    pieces.append((text[done:], False))
    shown = [(visible_controls(piece), marked) for piece, marked in pieces]
    whole = "".join(piece for piece, _ in shown)
    contextual = _context_escapes(whole)
    out: list[str] = []
    position = 0
    for piece, marked in shown:
        escaped = "".join("\\" + ch if position + k in contextual else _escape_char(ch) for k, ch in enumerate(piece))
        out.append(f"**{escaped}**" if marked and piece else escaped)
        position += len(piece)
    return "".join(out).strip()


# --- small pieces of Markdown ---------------------------------------------------------------

_SAFE_ID = re.compile(r"[A-Za-z0-9]+")


def code_id(statement_id: str) -> str:
    """A statement id as inline code when it is plain letters and digits, else escaped text."""
    return f"`{statement_id}`" if _SAFE_ID.fullmatch(statement_id) else escape_inline(statement_id)


def readout_label(readout: Readout) -> str:
    """A readout's label (or side letter), escaped."""
    return escape_inline(readout.label or readout.side)


def md_table(header: Sequence[str], align: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table: header, alignment row, one line per row."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    lines = [line(header), "|" + "|".join(align) + "|"]
    lines.extend(line(r) for r in rows)
    return lines
