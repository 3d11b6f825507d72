"""Terminal input parsing that keeps a bracketed paste exactly as pasted.

Textual's XTermParser reads escape sequences inside a bracketed paste (``ESC[200~`` ...
``ESC[201~``) as if they were typed: from each ESC it collects a "sequence", and since none
is recognised during a paste it re-issues every such sequence as key presses (ESC as ``^``, a
BEL as ctrl+g, a newline as ctrl+j) ahead of the Paste event, which keeps only the characters
read outside those sequences. Readout text copied from web pages can hold ANSI colours or OSC
titles, so the pasted readout arrived reordered and altered.

:class:`PasteParser` takes the paste out of the parser's hands: from ``ESC[200~`` it collects
every character raw until ``ESC[201~`` and posts one Paste with exactly that text (NUL and
other control characters included: readout text is data, and what is unsafe in it is decided
afterwards, as for a file). Everything else goes to Textual's own parser unchanged; an ESC that
might begin ``ESC[200~`` is held only until the next character or the usual escape delay.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from typing import Any

from textual import constants, events
from textual._parser import ParseEOF, ParseTimeout, Peek1, Read1, TokenCallback
from textual._xterm_parser import XTermParser

__all__ = ["PASTE_END", "PASTE_START", "PasteParser", "install_paste_parser"]

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
_ESC = "\x1b"

Awaiting = Read1 | Peek1


class PasteParser(XTermParser):
    """XTermParser whose bracketed pastes hold exactly the pasted text (see the module docstring)."""

    def parse(self, token_callback: TokenCallback) -> Generator[Awaiting, str, None]:
        """Collect bracketed pastes raw; hand every other character to XTermParser's parse."""
        inner = super().parse(token_callback)
        awaiting: Awaiting | None = next(inner)
        held = ""  # characters that may begin PASTE_START, not yet given to the inner parser

        def give(text: str, awaiting: Awaiting | None) -> Awaiting | None:
            for character in text:
                if awaiting is None:
                    return None
                try:
                    awaiting = inner.send(character)
                except StopIteration:
                    return None
            return awaiting

        def throw(awaiting: Awaiting | None, error: Exception) -> Awaiting | None:
            if awaiting is None:
                return None
            try:
                return inner.throw(error)
            except StopIteration:
                return None

        while True:
            if held:
                try:
                    character = yield self.read1(constants.ESCAPE_DELAY)
                except ParseTimeout:
                    # What the inner parser would have had by now: the held characters, then
                    # its own escape delay running out (a lone ESC is the escape key).
                    awaiting, held = give(held, awaiting), ""
                    if awaiting is not None and awaiting.timeout is not None:
                        awaiting = throw(awaiting, ParseTimeout())
                    continue
                except ParseEOF:
                    throw(give(held, awaiting), ParseEOF())
                    return
                candidate = held + character
                if candidate == PASTE_START:
                    held = ""
                    if awaiting is not None and awaiting.timeout is not None:
                        awaiting = throw(awaiting, ParseTimeout())  # a sequence cut short by the paste
                    text = yield from self._read_paste()
                    token_callback(events.Paste(text))
                    continue
                if PASTE_START.startswith(candidate):
                    held = candidate
                elif character == _ESC:
                    awaiting, held = give(held, awaiting), _ESC
                else:
                    awaiting, held = give(candidate, awaiting), ""
                continue
            try:
                character = yield awaiting if awaiting is not None else self.read1()
            except ParseTimeout:
                awaiting = throw(awaiting, ParseTimeout())
                continue
            except ParseEOF:
                throw(awaiting, ParseEOF())
                return
            if character == _ESC:
                held = _ESC
            else:
                awaiting = give(character, awaiting)

    def _read_paste(self) -> Generator[Awaiting, str, str]:
        """Every character up to PASTE_END (or the end of input), unchanged."""
        pasted: list[str] = []
        while True:
            try:
                character = yield self.read1()
            except ParseTimeout:
                continue
            except ParseEOF:
                return "".join(pasted)
            pasted.append(character)
            if character == "~" and len(pasted) >= len(PASTE_END) and "".join(pasted[-len(PASTE_END):]) == PASTE_END:
                return "".join(pasted[: -len(PASTE_END)])


def install_paste_parser(driver_class: type[Any]) -> None:
    """Make driver_class (and the drivers it is built on) parse input with PasteParser.

    Textual's drivers each create ``XTermParser(...)`` by the name their module imported, so
    that name is pointed at PasteParser in every module of the class's bases that imported it.
    """
    for klass in driver_class.__mro__:
        module = sys.modules.get(klass.__module__)
        if module is not None and getattr(module, "XTermParser", None) is XTermParser:
            module.XTermParser = PasteParser  # type: ignore[attr-defined]

