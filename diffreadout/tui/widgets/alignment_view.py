"""The aligned view: both readouts in two columns, one row per link or omission.

One Line API widget owns both columns, so they can never drift apart. Rows wrap in terminal
cells (CJK is two cells wide); each row's strips are cached and only the rows whose look
changes (the cursor moving) are dropped from the cache and redrawn.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from diffreadout.model import Statement
from diffreadout.tui.rows import AlignedRow
from diffreadout.tui.styles import layer_style
from diffreadout.tui.text import find_all, visible, wrap_offsets

GUTTER_WIDTH = 15
HATCH = "╱"
_GUTTER_LABELS = {"shared": "shared", "emphasis": "emphasis", "omission": "omission", "pending": "…"}


class _Paragraph(NamedTuple):
    """One statement as drawn in a cell: 'A3 text', with the id's length."""

    statement: Statement
    plain: str
    prefix: int


class _RowLayout(NamedTuple):
    """Where each visual line of a row comes from: (paragraph index, start, end) per side."""

    left: tuple[tuple[int, int, int], ...]
    right: tuple[tuple[int, int, int], ...]
    height: int


class _Spans(NamedTuple):
    """Offsets into a paragraph's drawn text: words only its side has, and search matches.

    Each list is sorted and its spans do not overlap.
    """

    unique: list[tuple[int, int]]
    matches: list[tuple[int, int]]


def _overlapping(spans: Sequence[tuple[int, int]], start: int, end: int) -> Sequence[tuple[int, int]]:
    """The spans (sorted, not overlapping) that overlap start..end."""
    first = max(bisect_right(spans, (start, start)) - 1, 0)
    last = bisect_left(spans, (end, end))
    return [span for span in spans[first:last] if span[1] > start]


def _paragraphs(statements: Sequence[Statement]) -> tuple[_Paragraph, ...]:
    return tuple(
        _Paragraph(st, f"{st.id} {visible(st.text.replace(chr(10), ' '))}", len(st.id) + 1) for st in statements
    )


def _wrap_side(
    paragraphs: Sequence[_Paragraph], width: int, repeated: frozenset[str]
) -> tuple[tuple[int, int, int], ...]:
    """Visual lines of one cell; a statement already shown in an earlier row takes one line."""
    lines: list[tuple[int, int, int]] = []
    for index, paragraph in enumerate(paragraphs):
        if paragraph.statement.id in repeated:
            lines.append((index, 0, len(paragraph.plain)))
            continue
        lines.extend((index, start, end) for start, end in wrap_offsets(paragraph.plain, width))
    return tuple(lines)


class AlignmentView(ScrollView, can_focus=False):
    """Two readouts side by side: linked statements share a row, omissions face a hatched cell."""

    HELP = """
## Aligned view

Each row is one link between the readouts, or one statement the other side leaves out.
The middle gutter names the relation and the link's combined score. Words that only one
side of an emphasis link has are underlined. Click a row to select it.
"""

    COMPONENT_CLASSES = {
        "alignment-view--shared",
        "alignment-view--emphasis",
        "alignment-view--omission",
        "alignment-view--pending",
        "alignment-view--cursor",
        "alignment-view--hatch",
        "alignment-view--unique",
        "alignment-view--match",
        "alignment-view--repeat",
        "alignment-view--id",
        "alignment-view--history-stock",
        "alignment-view--history-variant",
        "alignment-view--history-new",
    }

    class RowSelected(Message):
        """A row was clicked."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: list[AlignedRow] = []
        self._paragraphs: list[tuple[tuple[_Paragraph, ...], tuple[_Paragraph, ...]]] = []
        self._layouts: list[_RowLayout] = []
        self._starts: list[int] = []
        self._layout_width = -1
        self._cursor = 0
        self._query = ""
        self._history: dict[str, str] = {}
        self._strips: LRUCache[int, list[Strip]] = LRUCache(1024)

    # --- attributes down ------------------------------------------------------------------

    @property
    def rows(self) -> list[AlignedRow]:
        """The rows shown, in order."""
        return self._rows

    @property
    def cursor(self) -> int:
        """Index of the selected row."""
        return self._cursor

    @property
    def line_count(self) -> int:
        """Number of visual lines of all rows at the current width."""
        return self._starts[-1] + self._layouts[-1].height if self._layouts else 0

    def set_rows(self, rows: Sequence[AlignedRow], cursor: int = 0) -> None:
        """Show these rows and select one (clamped)."""
        self._rows = list(rows)
        self._paragraphs = [(_paragraphs(row.left), _paragraphs(row.right)) for row in self._rows]
        self._cursor = max(0, min(cursor, len(self._rows) - 1))
        self._layout_width = -1
        self._layouts, self._starts = [], []
        self._strips.clear()
        self._relayout()
        self.refresh()
        self.scroll_to_cursor()

    def set_cursor(self, index: int) -> None:
        """Select row index, redrawing only the old and the new row."""
        if not self._rows:
            return
        index = max(0, min(index, len(self._rows) - 1))
        old, self._cursor = self._cursor, index
        for row in {old, index}:
            self._refresh_row(row)
        self.scroll_to_cursor()

    def set_query(self, query: str) -> None:
        """Highlight every occurrence of query (case-insensitive)."""
        if query != self._query:
            self._query = query
            self._strips.clear()
            self.refresh()

    def set_history(self, statuses: dict[str, str] | None) -> None:
        """Tint each statement by its history status (id -> stock/variant/new), or stop (None)."""
        self._history = dict(statuses or {})
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        """Styles changed (a theme switch): drop the cached strips."""
        super().notify_style_update()
        self._strips.clear()

    # --- geometry -------------------------------------------------------------------------

    def _content_width(self) -> int:
        return max(GUTTER_WIDTH + 3, self.scrollable_content_region.width)

    def _column_widths(self, width: int) -> tuple[int, int]:
        """Widths of the left and right columns; one cell stays free before the scrollbar."""
        left = (width - GUTTER_WIDTH - 1) // 2
        return left, width - GUTTER_WIDTH - 1 - left

    def _relayout(self) -> None:
        if self.scrollable_content_region.width <= 0:
            return  # not laid out yet: wrapping at a made-up width would be wasted work
        width = self._content_width()
        if width == self._layout_width and len(self._layouts) == len(self._rows):
            return
        self._layout_width = width
        left_width, right_width = self._column_widths(width)
        layouts: list[_RowLayout] = []
        starts: list[int] = []
        line = 0
        for row, (left_pars, right_pars) in zip(self._rows, self._paragraphs):
            left_lines = _wrap_side(left_pars, left_width, row.repeated)
            right_lines = _wrap_side(right_pars, right_width, row.repeated)
            height = max(len(left_lines), len(right_lines), 1)
            layouts.append(_RowLayout(left_lines, right_lines, height))
            starts.append(line)
            line += height
        self._layouts, self._starts = layouts, starts
        self._strips.clear()
        self.virtual_size = Size(width, line)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap when the width changes."""
        self._relayout()
        self.scroll_to_cursor()

    def row_at_line(self, line: int) -> int | None:
        """Index of the row drawn on this virtual line, or None past the end."""
        if not self._layouts or line < 0 or line >= self.line_count:
            return None
        return bisect_right(self._starts, line) - 1

    def row_region(self, index: int) -> Region:
        """The virtual region a row occupies."""
        return Region(0, self._starts[index], self._layout_width, self._layouts[index].height)

    def scroll_to_cursor(self) -> None:
        """Bring the selected row into view."""
        if self._rows and len(self._layouts) == len(self._rows):
            self.scroll_to_region(self.row_region(self._cursor), animate=False, force=True)

    def page_target(self, direction: int) -> int:
        """The row a page up (-1) or page down (+1) lands on."""
        if not self._rows or len(self._starts) != len(self._rows):
            return self._cursor
        line = self._starts[self._cursor] + direction * max(1, self.scrollable_content_region.height - 1)
        line = max(0, min(line, self.line_count - 1))
        row = self.row_at_line(line)
        return self._cursor if row is None else row

    def _refresh_row(self, index: int) -> None:
        if 0 <= index < len(self._layouts):
            self._strips.discard(index)
            start = self._starts[index] - round(self.scroll_offset.y)
            self.refresh(Region(0, start, self.size.width, self._layouts[index].height))

    # --- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw one visual line (Line API)."""
        if self._layout_width != self._content_width():
            self._relayout()
        width = self._layout_width
        line = round(self.scroll_offset.y) + y
        row = self.row_at_line(line)
        if row is None:
            return Strip.blank(max(width, self.scrollable_content_region.width, 0), self.rich_style)
        strips = self._strips.get(row)
        if strips is None:
            strips = self._render_row(row, width)
            self._strips.set(row, strips)
        return strips[line - self._starts[row]]

    def _style(self, name: str) -> Style:
        return layer_style(self, f"alignment-view--{name}")

    def _side_spans(self, row: AlignedRow, paragraphs: Sequence[_Paragraph]) -> list[_Spans]:
        """Per paragraph, the words only this side has (the presentation's marks) and the search matches."""
        marks = row.marks or {}
        spans: list[_Spans] = []
        for paragraph in paragraphs:
            body, prefix = paragraph.plain[paragraph.prefix :], paragraph.prefix
            unique = [(prefix + start, prefix + end) for start, end in marks.get(paragraph.statement.id, ())]
            matches = [(prefix + start, prefix + end) for start, end in find_all(body, self._query)] if self._query else []
            spans.append(_Spans(unique, matches))
        return spans

    def _cell(
        self,
        row: AlignedRow,
        paragraphs: Sequence[_Paragraph],
        spans: Sequence[_Spans],
        lines: tuple[tuple[int, int, int], ...],
        index: int,
        width: int,
        hatched: bool,
    ) -> Text:
        if index < len(lines):
            number, start, end = lines[index]
            paragraph = paragraphs[number]
            # Only this line's text and the spans over it: a statement thousands of lines long
            # costs one pass, not a slice of the whole statement per line.
            piece = Text(paragraph.plain[start:end], no_wrap=True)
            if start < paragraph.prefix:
                piece.stylize(self._style("id"), 0, min(paragraph.prefix, end) - start)
            status = self._history.get(paragraph.statement.id)
            if status is not None:
                piece.stylize(self._style(f"history-{status}"), max(paragraph.prefix - start, 0))
            if paragraph.statement.id in row.repeated:
                piece.stylize(self._style("repeat"), max(paragraph.prefix - start, 0))
            for name, found in (("unique", spans[number].unique), ("match", spans[number].matches)):
                for lo, hi in _overlapping(found, start, end):
                    piece.stylize(self._style(name), max(lo, start) - start, min(hi, end) - start)
            piece.rstrip()
            piece.truncate(width, overflow="ellipsis", pad=True)
            return piece
        if hatched:
            return Text(HATCH * width, style=self._style("hatch"))
        return Text(" " * width)

    def _gutter(self, row: AlignedRow, index: int) -> Text:
        style = self._style(row.relation)
        if index > 0:
            return Text(" │".ljust(GUTTER_WIDTH), style=style)
        label = _GUTTER_LABELS[row.relation]
        score = f"{row.link.score:.2f}" if row.link is not None else ""
        return Text(f" {label:<8} {score:>4}".ljust(GUTTER_WIDTH)[:GUTTER_WIDTH], style=style)

    def _render_row(self, index: int, width: int) -> list[Strip]:
        row = self._rows[index]
        layout = self._layouts[index]
        left_pars, right_pars = self._paragraphs[index]
        left_width, right_width = self._column_widths(width)
        left_spans = self._side_spans(row, left_pars)
        right_spans = self._side_spans(row, right_pars)
        base = self.rich_style
        if index == self._cursor:
            base = base + self._style("cursor")
        hatch_left = row.relation == "omission" and not row.left
        hatch_right = row.relation == "omission" and not row.right
        console = self.app.console
        strips: list[Strip] = []
        for line in range(layout.height):
            text = Text.assemble(
                self._cell(row, left_pars, left_spans, layout.left, line, left_width, hatch_left),
                self._gutter(row, line),
                self._cell(row, right_pars, right_spans, layout.right, line, right_width, hatch_right),
                " ",
                style=base,
            )
            strips.append(Strip(text.render(console), width).adjust_cell_length(width, base))
        return strips

    def on_click(self, event: events.Click) -> None:
        """Select the clicked row."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.row_at_line(offset.y + round(self.scroll_offset.y))
        if row is not None:
            self.post_message(self.RowSelected(row))
