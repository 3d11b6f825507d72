"""Make text from readouts safe to print: control characters become visible, never act.

Readout text is data. An ESC (ANSI colour, OSC 52 clipboard write, window title) or any other
control character printed raw could change the terminal, so every surface that prints
readout text shows such characters as visible escapes instead.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and bidi/format overrides that can
# reorder what the terminal shows (Trojan Source style).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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
