"""The document view: each readout in its original paragraph flow, statements tinted by relation.

Each pane is a Line API widget over the decoded original text; statement offsets say which
characters to tint, so the text reads exactly as published.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import Horizontal, Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from diffreadout.tui.styles import layer_style
from diffreadout.tui.text import find_all, visible, wrap_offsets

if TYPE_CHECKING:
    from diffreadout.model import Readout


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of text, without its line break."""
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        spans.append((position, position + len(stripped)))
        position += len(line)
    return spans


class DocumentPane(ScrollView, can_focus=False):
    """One readout as published, with its statements tinted and the selected ones highlighted."""

    COMPONENT_CLASSES = {
        "document-pane--shared",
        "document-pane--emphasis",
        "document-pane--omission",
        "document-pane--cursor",
        "document-pane--match",
    }

    class StatementClicked(Message):
        """A statement was clicked in a document pane."""

        def __init__(self, statement_id: str) -> None:
            super().__init__()
            self.statement_id = statement_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._readout: Readout | None = None
        self._relations: Mapping[str, str] = {}
        self._highlighted: frozenset[str] = frozenset()
        self._query = ""
        self._matches: list[tuple[int, int]] = []
        self._match_ends: list[int] = []
        self._starts: list[int] = []
        self._lines: list[tuple[int, int]] = []
        self._layout_width = -1
        self._strips: LRUCache[int, Strip] = LRUCache(512)

    def set_readout(self, readout: Readout, relations: Mapping[str, str]) -> None:
        """Show this readout, tinted by these relations (empty before the analysis)."""
        self._readout = readout
        self._relations = relations
        self._starts = [st.start for st in readout.statements]
        self._find_matches()
        self._layout_width = -1
        self._relayout()

    def set_query(self, query: str) -> None:
        """Highlight every occurrence of query in the text (case-insensitive, as the aligned view)."""
        if query != self._query:
            self._query = query
            self._find_matches()
            self._strips.clear()
            self.refresh()

    def _find_matches(self) -> None:
        text = self._readout.text if self._readout is not None else ""
        self._matches = find_all(text, self._query) if self._query else []
        self._match_ends = [end for _, end in self._matches]

    def set_highlight(self, statement_ids: Collection[str]) -> None:
        """Highlight these statements and scroll to the first of them in this readout."""
        self._highlighted = frozenset(statement_ids)
        self._strips.clear()
        self.refresh()
        self._scroll_to_highlight()

    def notify_style_update(self) -> None:
        """Styles changed (a theme switch): drop the cached strips."""
        super().notify_style_update()
        self._strips.clear()

    def _relayout(self) -> None:
        if self.scrollable_content_region.width <= 0:
            return  # hidden or not laid out yet
        width = max(4, self.scrollable_content_region.width)
        if self._readout is None or width == self._layout_width:
            return
        self._layout_width = width
        text = self._readout.text
        lines: list[tuple[int, int]] = []
        for start, end in _paragraph_spans(text):
            if start == end:
                lines.append((start, end))
                continue
            lines.extend((start + s, start + e) for s, e in wrap_offsets(visible(text[start:end]), width))
            lines.append((end, end))
        self._lines = lines
        self._strips.clear()
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap when the width changes."""
        self._relayout()
        self._scroll_to_highlight()

    def _statement_at(self, offset: int) -> int | None:
        if self._readout is None:
            return None
        index = bisect_right(self._starts, offset) - 1
        if index >= 0 and offset < self._readout.statements[index].end:
            return index
        return None

    def _line_of(self, offset: int) -> int:
        starts = [start for start, _ in self._lines]
        return max(0, bisect_right(starts, offset) - 1)

    def _scroll_to_highlight(self) -> None:
        if self._readout is None or not self._highlighted or not self._lines:
            return
        targets = [st for st in self._readout.statements if st.id in self._highlighted]
        if not targets:
            return
        first, last = self._line_of(targets[0].start), self._line_of(targets[-1].end - 1)
        height = min(last - first + 1, max(1, self.scrollable_content_region.height))
        self.scroll_to_region(Region(0, first, 1, height), animate=False, force=True)

    def _style(self, name: str) -> Style:
        return layer_style(self, f"document-pane--{name}")

    def render_line(self, y: int) -> Strip:
        """Draw one visual line (Line API)."""
        if self._layout_width != max(4, self.scrollable_content_region.width):
            self._relayout()
        line = round(self.scroll_offset.y) + y
        width = self.size.width
        if self._readout is None or line >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(line)
        if strip is None:
            strip = self._line_strip(line, width)
            self._strips.set(line, strip)
        return strip

    def _line_strip(self, line: int, width: int) -> Strip:
        """One display line, tinted (not named _render: Textual's Widget._render takes no arguments)."""
        assert self._readout is not None
        start, end = self._lines[line]
        text = Text(visible(self._readout.text[start:end]), style=self.rich_style)
        statements = self._readout.statements
        index = max(0, bisect_right(self._starts, start) - 1)
        while index < len(statements) and statements[index].start < end:
            st = statements[index]
            lo, hi = max(st.start, start) - start, min(st.end, end) - start
            if hi > lo:
                relation = self._relations.get(st.id)
                if relation is not None:
                    text.stylize(self._style(relation), lo, hi)
                if st.id in self._highlighted:
                    text.stylize(self._style("cursor"), lo, hi)
            index += 1
        # Matches last, so they show over the tint and the cursor; one may span wrapped lines.
        match = bisect_right(self._match_ends, start)
        while match < len(self._matches) and self._matches[match][0] < end:
            lo, hi = self._matches[match]
            text.stylize(self._style("match"), max(lo, start) - start, min(hi, end) - start)
            match += 1
        text.rstrip()
        return Strip(text.render(self.app.console)).adjust_cell_length(width, self.rich_style)

    def on_click(self, event: events.Click) -> None:
        """Select the clicked statement."""
        offset = event.get_content_offset(self)
        if offset is None or self._readout is None:
            return
        line = offset.y + round(self.scroll_offset.y)
        if line >= len(self._lines):
            return
        start, end = self._lines[line]
        cells = 0
        for position in range(start, end):
            cells += Text(visible(self._readout.text[position])).cell_len
            if cells > offset.x:
                found = self._statement_at(position)
                if found is not None:
                    self.post_message(self.StatementClicked(self._readout.statements[found].id))
                return


class DocumentView(Vertical):
    """Both readouts as published, side by side, with a legend of the tints."""

    HELP = """
## Document view

Each readout as published. Statements are tinted by relation (the legend below the texts
names each tint: shared, emphasis, omitted); the selected statement and
its counterparts are highlighted on both sides, and so are the matches of a search.
Click a statement to select it.
"""

    def compose(self) -> ComposeResult:
        """Two titled panes and the legend."""
        with Horizontal(id="document-columns"):
            for side in ("left", "right"):
                with Vertical(classes="document-column"):
                    yield Static(id=f"document-title-{side}", classes="document-title")
                    yield DocumentPane(id=f"document-{side}")
        yield Static(id="document-legend", classes="document-legend")

    def set_readouts(self, left: Readout, right: Readout, relations: Mapping[str, str]) -> None:
        """Show these readouts, left and right."""
        for side, readout in (("left", left), ("right", right)):
            title = Text.assemble((readout.side, "bold"), " ", visible(readout.label))
            self.query_one(f"#document-title-{side}", Static).update(title)
            self.query_one(f"#document-{side}", DocumentPane).set_readout(readout, relations)
        pane = self.query_one("#document-left", DocumentPane)
        legend = Text("tints: ")
        for relation, word in (("shared", "shared"), ("emphasis", "emphasis"), ("omission", "omitted")):
            legend.append(f" {word} ", style=layer_style(pane, f"document-pane--{relation}"))
            legend.append(" ")
        legend.append(" selected ", style=layer_style(pane, "document-pane--cursor"))
        legend.append("  untinted: not analysed yet" if not relations else "")
        self.query_one("#document-legend", Static).update(legend)

    def set_highlight(self, statement_ids: Collection[str]) -> None:
        """Highlight the selected statement and its counterparts in both panes."""
        for pane in self.query(DocumentPane):
            pane.set_highlight(statement_ids)

    def set_query(self, query: str) -> None:
        """Highlight the search matches in both panes."""
        for pane in self.query(DocumentPane):
            pane.set_query(query)
