"""Text helpers for the TUI: make hostile text visible and inert, wrap in terminal cells.

Every helper keeps a one-to-one mapping between characters, so offsets into a readout's
original text stay valid after :func:`visible` (statements are highlighted in place).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

from diffreadout.textsafe import BIDI_CONTROLS, BIDI_MARKS, C0, DEL_C1, char_class

# C0 controls become their Unicode "control pictures" (ESC -> ␛), DEL becomes ␡; C1 controls
# and bidirectional overrides, which can reorder or hide text on a terminal, become U+FFFD.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # BIDI_MARKS + BIDI_CONTROLS
_TRANSLATE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_TRANSLATE[0x09] = " "
_TRANSLATE[0x7F] = "\u2421"
_TRANSLATE.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_TRANSLATE.update({ord(ch): "\ufffd" for ch in _BIDI})
_UNSAFE = char_class(C0, DEL_C1, BIDI_MARKS, BIDI_CONTROLS)

_TOKEN = re.compile(r"\S+\s*|\s+")


def has_unsafe(text: str) -> bool:
    """True if text holds a control or bidi character that :func:`visible` would replace."""
    return _UNSAFE.search(text) is not None


def visible(text: str) -> str:
    """Return text with control and bidi characters replaced by visible stand-ins, 1:1.

    The result has the same length as the input, so offsets still index it.
    """
    if _UNSAFE.search(text) is None:
        return text
    return text.translate(_TRANSLATE)


def _fold(text: str, start: int, end: int, width: int, used: int) -> list[tuple[int, int]]:
    """Cut text[start:end] into pieces that fill lines of width cells, the first already used cells full.

    The first piece may be empty when not even one character fits after ``used``.
    """
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for index in range(start, end):
        size = get_character_cell_size(text[index])
        if used + size > width and (index > piece_start or used > 0):
            pieces.append((piece_start, index))
            piece_start = index
            used = 0
        used += size
    pieces.append((piece_start, end))
    return pieces


@lru_cache(maxsize=16384)
def wrap_offsets(text: str, width: int) -> tuple[tuple[int, int], ...]:
    """Return (start, end) offsets of the lines text wraps to in width terminal cells.

    Breaks after whitespace; a word wider than the line (a run of CJK text, a long URL) is
    cut at cell boundaries, so a double-width character never straddles the edge. Trailing
    spaces stay on their line (they are cropped when drawn).
    """
    width = max(1, width)
    if not text:
        return ((0, 0),)
    ascii_only = text.isascii()
    total = len(text) if ascii_only else cell_len(text)
    if total <= width:
        return ((0, len(text)),)
    lines: list[tuple[int, int]] = []
    line_start = 0
    used = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        word_end = start + len(match.group().rstrip()) if not match.group().isspace() else start
        if ascii_only:
            word_cells, token_cells = word_end - start, end - start
        else:
            word_cells, token_cells = cell_len(text[start:word_end]), cell_len(text[start:end])
        if used + word_cells <= width:
            used += token_cells
            continue
        if word_cells <= width:
            lines.append((line_start, start))
            line_start, used = start, token_cells
            continue
        # Wider than a line (a run of CJK, a long URL): fill the current line, then fold.
        pieces = _fold(text, start, word_end, width, used)
        first_end = pieces[0][1]
        if first_end > line_start:
            lines.append((line_start, first_end))
        lines.extend(pieces[1:-1])
        line_start = pieces[-1][0]
        used = cell_len(text[line_start:end])
    lines.append((line_start, len(text)))
    return tuple(lines)


def find_all(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Case-insensitive spans of needle in haystack (same length after casefold assumed)."""
    if not needle:
        return []
    lowered, target = haystack.lower(), needle.lower()
    if len(lowered) != len(haystack):
        return []
    spans: list[tuple[int, int]] = []
    start = lowered.find(target)
    while start >= 0:
        spans.append((start, start + len(target)))
        start = lowered.find(target, start + max(1, len(target)))
    return spans
