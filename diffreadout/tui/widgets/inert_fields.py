"""Text fields that draw control characters as visible stand-ins, never as terminal commands.

Textual's Input and TextArea draw what they hold as it is: an ESC pasted into one (an ANSI
colour, an OSC 52 clipboard write, a window-title change) would reach the terminal. These keep
the value exactly as typed or pasted (the comparison sees the real text) and only draw it inert.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input, TextArea

from diffreadout.tui.text import has_unsafe, visible


def inert_strip(strip: Strip) -> Strip:
    """The strip with control and bidi characters replaced by visible stand-ins, same width.

    A stand-in takes a cell where the control character took none, so the line is cropped back
    to its width (losing as many cells at its end as it had such characters).
    """
    if not has_unsafe(strip.text):
        return strip
    segments = [
        segment if segment.control else Segment(visible(segment.text), segment.style, segment.control)
        for segment in strip
    ]
    return Strip(segments).adjust_cell_length(strip.cell_length)


class InertInput(Input):
    """An Input whose value is drawn inert (see the module docstring)."""

    def render_line(self, y: int) -> Strip:
        """Draw the line, control characters as visible stand-ins."""
        return inert_strip(super().render_line(y))


class InertTextArea(TextArea):
    """A TextArea whose text is drawn inert (see the module docstring)."""

    def render_line(self, y: int) -> Strip:
        """Draw the line, control characters as visible stand-ins."""
        return inert_strip(super().render_line(y))
