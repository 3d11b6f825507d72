"""The main screen: summary header, status line, aligned or document view, detail panel.

The screen owns the view state (which side is left, filter, search, cursor) and hands it
down to its widgets as attributes; the app hands it the comparison.

Paint first: the screen composes only what shows the two texts (header, status line,
aligned view); the detail panel, document view, search field and footer are mounted just
after that first frame, and are handed the current state when they arrive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import ContentSwitcher, Input

from diffreadout.tui.correction_actions import CORRECTION_BINDINGS, CorrectionActions
from diffreadout.tui.rows import (AlignedRow, FilterMode, build_rows, filter_rows, find_row, header_warnings,
                                  next_filter, relation_index, row_of_statement, summarise, text_matcher)
from diffreadout.tui.text import visible
from diffreadout.tui.widgets.alignment_view import AlignmentView
from diffreadout.tui.history_mode import HistoryMode
from diffreadout.tui.widgets.status_line import StatusLine
from diffreadout.tui.widgets.summary_header import SummaryHeader

if TYPE_CHECKING:
    from diffreadout.model import Comparison, Readout
    from diffreadout.tui.widgets.detail_panel import DetailPanel
    from diffreadout.tui.widgets.document_view import DocumentPane, DocumentView

# Below this terminal height the detail panel starts hidden (d shows it), so the rows keep room.
DETAIL_MIN_HEIGHT = 32
SEARCH_MAX_LENGTH = 500


class MainScreen(CorrectionActions, HistoryMode):
    """Two readouts compared: every difference one key away."""

    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="cursor-down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="cursor-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page-up"),
        Binding("g,home", "top", "Top", show=False, id="top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="bottom"),
        Binding("n", "next_difference", "Diff", id="next-difference"),
        Binding("N", "previous_difference", "Previous diff", show=False, id="previous-difference"),
        Binding("o", "next_omission", "Omission", id="next-omission"),
        Binding("e", "next_emphasis", "Emphasis", show=False, id="next-emphasis"),
        Binding("f", "cycle_filter", "Filter", id="cycle-filter"),
        Binding("slash", "search", "Search", id="search"),
        Binding("s", "swap", "Swap", show=False, id="swap"),
        Binding("t", "toggle_view", "View", id="toggle-view"),
        Binding("d", "toggle_detail", "Detail", show=False, id="toggle-detail"),
        Binding("escape", "clear_search", "Clear search", show=False, id="clear-search"),
        *CORRECTION_BINDINGS,
    ]

    def __init__(self, readouts: tuple[Readout, Readout], cursor_blink: bool = True) -> None:
        super().__init__()
        self.readouts = readouts
        self.comparison: Comparison | None = None
        self.preview = False
        self.failed = False
        self.left_side = readouts[0].side
        self.filter_mode: FilterMode = "all"
        self.search_query = ""
        self.settings_info = ""
        self.model_name = ""
        self.rows: list[AlignedRow] = []
        self._status_state: dict[str, object] = {}
        self._document_key: tuple[str, int] | None = None
        self._cursor_blink = cursor_blink
        self._detail: DetailPanel | None = None
        self._document: DocumentView | None = None
        self._search: Input | None = None

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """What shows the two texts: header, status line, aligned view (the rest follows)."""
        yield SummaryHeader(id="summary")
        yield StatusLine(id="status")
        with ContentSwitcher(initial="aligned", id="views"):
            yield AlignmentView(id="aligned")

    def on_mount(self) -> None:
        """Paint the texts at once, before any analysis; mount the rest after that frame."""
        self._set_status()
        self._rebuild()
        self.call_after_refresh(self._mount_secondary)

    async def _mount_secondary(self) -> None:
        """Detail panel, document view, search field and footer, in the order they are laid out."""
        from textual.widgets import Footer

        from diffreadout.tui.widgets.detail_panel import DetailPanel
        from diffreadout.tui.widgets.document_view import DocumentView
        from diffreadout.tui.widgets.inert_fields import InertInput

        detail = DetailPanel(id="detail")
        detail.display = self.app.size.height >= DETAIL_MIN_HEIGHT
        search = InertInput(placeholder="search text (Enter: next match, Esc: close)", id="search", max_length=SEARCH_MAX_LENGTH)
        search.cursor_blink = self._cursor_blink
        document = DocumentView(id="document")
        with self.app.batch_update():
            await self.query_one(ContentSwitcher).add_content(document)
            await self.mount(detail, search, Footer(compact=True))
        self._detail, self._document, self._search = detail, document, search
        self.refresh_bindings()  # a footer mounted late waits for this to list the keys
        self._sync_document()
        document.set_query(self.search_query)
        self._selection_changed()

    @property
    def ready(self) -> bool:
        """True once every widget (detail panel, document view, search field) is mounted."""
        return self._search is not None

    # --- attributes down from the app -----------------------------------------------------

    @property
    def left(self) -> Readout:
        """The readout in the left column."""
        return self.readouts[0] if self.readouts[0].side == self.left_side else self.readouts[1]

    @property
    def right(self) -> Readout:
        """The readout in the right column."""
        return self.readouts[1] if self.readouts[0].side == self.left_side else self.readouts[0]

    @property
    def cursor(self) -> int:
        """Index of the selected row in the rows shown."""
        return self.query_one(AlignmentView).cursor

    @property
    def current_row(self) -> AlignedRow | None:
        """The selected row, if any."""
        return self.rows[self.cursor] if self.rows else None

    def show_comparison(self, comparison: Comparison, preview: bool) -> None:
        """Show a (new or relabelled) comparison, keeping the selected statements."""
        self.comparison = comparison
        self.preview = preview
        self._status_state["preview"] = preview
        if self.is_mounted:
            self._rebuild()

    def _set_status(self, **state: object) -> None:
        """Update the status line, or remember the state until the screen is mounted."""
        self._status_state.update(state)
        if self.is_mounted:
            self.query_one(StatusLine).set_state(**self._status_state)  # type: ignore[arg-type]

    def show_progress(self, stage: str, fraction: float) -> None:
        """Say what the analysis is doing."""
        self._set_status(busy=True, stage=stage, fraction=fraction, preview=self.preview)

    def show_done(self) -> None:
        """The analysis has finished."""
        self._set_status(busy=False, preview=self.preview)

    def show_failure(self, message: str) -> None:
        """The model failed: say so; whatever was computed stays."""
        self.failed = True
        self._set_status(busy=False, error=message, preview=self.preview)
        if self.is_mounted:
            self._rebuild()

    def set_settings(self, info: str, model_name: str | None = None) -> None:
        """Model and thresholds, for the status line; the model whose results come (for warnings)."""
        self.settings_info = info
        if model_name is not None and model_name != self.model_name:
            self.model_name = model_name
            if self.is_mounted:
                self._rebuild()
        if self.is_mounted:
            self._update_status()

    # --- state -> widgets -----------------------------------------------------------------

    def _rebuild(self) -> None:
        row = self.current_row
        keep = row.ids if row is not None else ()
        all_rows = build_rows(self.left, self.right, self.comparison)
        self.rows = filter_rows(all_rows, self.filter_mode)
        cursor = 0
        for statement_id in keep:
            found = row_of_statement(self.rows, statement_id)
            if found is not None:
                cursor = found
                break
        self.query_one(AlignmentView).set_rows(self.rows, cursor)
        self._sync_document()
        summaries = (summarise(self.comparison, self.left), summarise(self.comparison, self.right))
        pending_note = None
        if self.comparison is None:
            pending_note = "not analysed (see the status line)" if self.failed else "analysing…"
        model_name = self.comparison.model.name if self.comparison is not None and not self.preview else self.model_name
        self.query_one(SummaryHeader).set_summaries(summaries, pending_note, header_warnings(self.readouts, model_name))
        self._selection_changed()

    def _sync_document(self) -> None:
        """Hand the document view the readouts and relations, when they changed."""
        document_key = (self.left_side, id(self.comparison))
        if self._document is not None and document_key != self._document_key:
            self._document_key = document_key
            relations = relation_index(self.comparison) if self.comparison is not None else {}
            self._document.set_readouts(self.left, self.right, relations)

    def _selection_changed(self) -> None:
        row = self.current_row
        left_label = f"{self.left.side} · {self.left.label}"
        right_label = f"{self.right.side} · {self.right.label}"
        if self._detail is not None:
            self._detail.show(row, self.comparison, left_label, right_label, failed=self.failed)
        if self._document is not None:
            self._document.set_highlight(row.ids if row else ())
        self._update_status()

    def filter_label(self) -> str:
        """The filter in words."""
        if self.filter_mode.startswith("omitted-by-"):
            side = self.filter_mode[-1]
            label = next((r.label for r in self.readouts if r.side == side), side)
            return f"omitted by {side} ({visible(label)})"
        return self.filter_mode

    def _update_status(self) -> None:
        position = f"row {self.cursor + 1}/{len(self.rows)}" if self.rows else "no rows match the filter"
        # The model comes first: a narrow terminal cuts the end of the line, never the model's name.
        parts = [self.settings_info] if self.settings_info else []
        parts += [position, f"filter: {self.filter_label()}"]
        if self.search_query:
            parts.append(f"search: {visible(self.search_query)}")
        parts += [status for status in (self.review_status(),) if status]
        self.query_one(StatusLine).set_state(info=" · ".join(parts))

    def _move(self, index: int | None) -> None:
        if index is None or not self.rows:
            return
        self.query_one(AlignmentView).set_cursor(index)
        self._selection_changed()

    def _jump(self, predicate_name: str, step: int, what: str) -> None:
        predicates = {
            "difference": lambda row: row.is_difference,
            "omission": lambda row: row.relation == "omission",
            "emphasis": lambda row: row.relation == "emphasis",
        }
        if not self.rows:
            return
        found = find_row(self.rows, self.cursor, predicates[predicate_name], step)
        if found is None:
            self.notify(f"No {what} in this view.", timeout=3, markup=False)
            return
        self._move(found)

    # --- actions --------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        """Next row."""
        self._move(min(self.cursor + 1, len(self.rows) - 1))

    def action_cursor_up(self) -> None:
        """Previous row."""
        self._move(max(self.cursor - 1, 0))

    def action_page_down(self) -> None:
        """A screenful down."""
        self._move(self.query_one(AlignmentView).page_target(1))

    def action_page_up(self) -> None:
        """A screenful up."""
        self._move(self.query_one(AlignmentView).page_target(-1))

    def action_top(self) -> None:
        """First row."""
        self._move(0)

    def action_bottom(self) -> None:
        """Last row."""
        self._move(len(self.rows) - 1)

    def action_next_difference(self) -> None:
        """Next emphasis or omission (wraps)."""
        self._jump("difference", 1, "differences")

    def action_previous_difference(self) -> None:
        """Previous emphasis or omission (wraps)."""
        self._jump("difference", -1, "differences")

    def action_next_omission(self) -> None:
        """Next omission (wraps)."""
        self._jump("omission", 1, "omissions")

    def action_next_emphasis(self) -> None:
        """Next emphasis (wraps)."""
        self._jump("emphasis", 1, "emphasis links")

    def action_cycle_filter(self) -> None:
        """All, differences, omitted by A, omitted by B."""
        self.filter_mode = next_filter(self.filter_mode)
        self._rebuild()

    def action_search(self) -> None:
        """Open the search field."""
        search = self._search
        if search is None:
            return
        search.value = self.search_query
        search.display = True
        search.focus()

    def action_clear_search(self) -> None:
        """Close the search field, or clear the highlighted matches."""
        search = self._search
        if search is not None and search.display:
            search.display = False
            self.set_focus(None)
        else:
            self.search_query = ""
            self._set_query("")
            self._update_status()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.display = False
        self.set_focus(None)
        self.search_for(event.value.strip())

    def search_for(self, query: str) -> None:
        """Highlight query and go to the next row containing it (wraps)."""
        self.search_query = query
        self._set_query(query)
        if not query or not self.rows:
            self._update_status()
            return
        matches = text_matcher(query)
        start = self.cursor - 1 if not matches(self.rows[self.cursor]) else self.cursor
        found = find_row(self.rows, start, matches, 1)
        if found is None:
            hidden = self.filter_mode != "all"
            self.notify(f"Not found{' under this filter' if hidden else ''}: {visible(query)}", timeout=3, markup=False)
            self._update_status()
            return
        self._move(found)

    def _set_query(self, query: str) -> None:
        self.query_one(AlignmentView).set_query(query)
        if self._document is not None:
            self._document.set_query(query)

    def action_swap(self) -> None:
        """Swap the left and right readouts."""
        self.left_side = self.right.side
        self._rebuild()

    def action_toggle_view(self) -> None:
        """Aligned view <-> document view."""
        if self._document is None:
            return
        switcher = self.query_one(ContentSwitcher)
        switcher.current = "document" if switcher.current == "aligned" else "aligned"
        self._selection_changed()

    def action_toggle_detail(self) -> None:
        """Show or hide the detail panel."""
        if self._detail is not None:
            self._detail.display = not self._detail.display

    # --- messages up from widgets ---------------------------------------------------------

    def on_alignment_view_row_selected(self, message: AlignmentView.RowSelected) -> None:
        """A click selects the row."""
        self._move(message.index)

    def on_document_pane_statement_clicked(self, message: DocumentPane.StatementClicked) -> None:
        """A click in a document selects the row of that statement (showing all rows if needed)."""
        found = row_of_statement(self.rows, message.statement_id)
        if found is None and self.filter_mode != "all":
            self.filter_mode = "all"
            self._rebuild()
            found = row_of_statement(self.rows, message.statement_id)
        self._move(found)
