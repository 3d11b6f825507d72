"""Make text from readouts safe to print: control characters become visible, never act.

Readout text is data. An ESC (ANSI colour, OSC 52 clipboard write, window title) or any other
control character printed raw could change the terminal, so every surface that prints
readout text shows such characters as visible escapes instead.
"""

from __future__ import annotations

import re

__all__ = ["char_class", "has_unsafe", "one_line", "printable"]

# The character ranges every "unsafe character" rule in diffreadout is built from (input
# decoding, HTML text, terminal output, the TUI, Markdown and JSON); each surface keeps what it
# can show safely (a terminal keeps tab and newline, Markdown keeps its whitespace).
C0 = "\x00-\x1f"
C0_BUT_TAB_NEWLINE = "\x00-\x08\x0b-\x1f"
C0_BUT_TAB = "\x00-\x08\x0a-\x1f"
C0_BUT_WHITESPACE = "\x00-\x08\x0e-\x1f"  # \t \n \v \f \r kept
C0_NOT_SPACE = "\x00-\x08\x0e-\x1b"  # C0 that str.isspace() does not count as whitespace
DEL_C1 = "\x7f-\x9f"
DEL_C1_BUT_NEL = "\x7f-\x84\x86-\x9f"  # NEL (\x85) is a line break
# Embeddings, overrides and isolates: they reorder what is shown (Trojan Source).
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Invisible direction marks (ALM, LRM, RLM).
BIDI_MARKS = "\u061c\u200e\u200f"
LINE_SEPARATORS = "\u2028\u2029"
SURROGATES = "\ud800-\udfff"


def char_class(*ranges: str) -> re.Pattern[str]:
    """One regex character class from the ranges above."""
    return re.compile("[" + "".join(ranges) + "]")


# What printable() escapes: C0 controls except tab and newline, DEL, C1, bidi controls.
_UNSAFE = char_class(C0_BUT_TAB_NEWLINE, DEL_C1, BIDI_CONTROLS)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, keep_newlines: bool = True) -> str:
    """Return text with every unsafe control character replaced by a visible escape."""
    out = _UNSAFE.sub(_visible, text)
    if not keep_newlines:
        out = out.replace("\n", " ")
    return out


def has_unsafe(text: str) -> bool:
    """True if the text holds a character that printable() would escape."""
    return _UNSAFE.search(text) is not None


def one_line(value: object) -> str:
    """An exception or message as one line: whitespace runs (line breaks too) become one space.

    An exception with no message gives its class name.
    """
    text = " ".join(str(value).split())
    if not text and isinstance(value, BaseException):
        return type(value).__name__
    return text
