"""The matrix screen for three or more readouts: one row per claim, one column per readout.

The readouts' labels are painted at once; compare_many runs in a thread worker that only
posts messages. Every piece of readout text is shown through rich Text (never markup) and
:func:`visible`, so brackets and control characters in a statement are shown literally.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import get_current_worker

from diffreadout.config import AnalysisConfig
from diffreadout.tui.analysis import claims_job, run_supervised
from diffreadout.tui.messages import AnalysisFailed, AnalysisProgress, ClaimsComplete
from diffreadout.tui.styles import layer_style
from diffreadout.tui.text import visible

if TYPE_CHECKING:
    from diffreadout.core.similarity.embed import Embedder
    from diffreadout.model import ClaimGroup, MultiComparison, Readout

MIN_CLAIM_WIDTH = 24
SOURCE_WIDTH = 14  # a source column: "differs A12 A13" fits; the label is cut to it
# (name shown in the status line, predicate on a claim group)
FILTERS: tuple[tuple[str, Callable[[ClaimGroup], bool]], ...] = (
    ("all claims", lambda g: True),
    ("claims some source lacks", lambda g: any(status == "absent" for _, status in g.status)),
    ("emphasis", lambda g: g.label == "emphasis"),
)


def truncate(text: str, width: int) -> str:
    """One line of at most width characters, with an ellipsis when cut."""
    flat = " ".join(visible(text).split())
    return flat if len(flat) <= width else flat[: max(0, width - 1)] + "…"


class MatrixScreen(Screen[None]):
    """Claims x sources for three or more readouts."""

    # Styles: tui/screens/matrix_screen.tcss, loaded by the app beside app.tcss.
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "matrix-screen--present",
        "matrix-screen--differs",
        "matrix-screen--absent",
        "matrix-screen--error",
        "matrix-screen--label",
    }
    # The two-readout screen's movement keys, so a hand that knows one knows the other.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="matrix-cursor-down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="matrix-cursor-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="matrix-page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="matrix-page-up"),
        Binding("g,home", "top", "Top", show=False, id="matrix-top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="matrix-bottom"),
        Binding("f", "cycle_filter", "Filter", id="matrix-filter"),
    ]

    def __init__(
        self,
        readouts: Sequence[Readout],
        config: AnalysisConfig,
        embedder_factory: Callable[[], Embedder] | None = None,
    ) -> None:
        super().__init__()
        self.readouts = tuple(readouts)
        self.config = config
        self.embedder_factory = embedder_factory
        self.result: MultiComparison | None = None
        self.failure: str | None = None
        self.filter_index = 0
        self.shown: list[ClaimGroup] = []

    def compose(self) -> ComposeResult:
        """Sources line, status line, the matrix, the detail of the selected claim, the footer."""
        yield Static(self._sources_text(), id="matrix-sources")
        yield Static(Text("preparing the model…"), id="matrix-status")
        table: DataTable[Text] = DataTable(id="matrix-table", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="matrix-detail-scroll"):
            yield Static(Text("Select a claim to see every statement of it."), id="matrix-detail")
        yield Footer()

    def on_mount(self) -> None:
        """Start the comparison once the labels are on screen."""
        self.call_after_refresh(self.run_matrix)

    # --- worker: never touches widgets ---------------------------------------------------

    @work(thread=True, exclusive=True, group="matrix", exit_on_error=False)
    def run_matrix(self) -> None:
        """Embed and compare every pair in a daemon thread this worker supervises."""
        worker = get_current_worker()
        readouts, config, factory, post = self.readouts, self.config, self.embedder_factory, self.post_message

        def job(cancelled: Callable[[], bool]) -> None:
            claims_job(readouts, config, factory, post, cancelled)

        run_supervised(job, "diffreadout-matrix", getattr(self.app, "job_threads", None), lambda: worker.is_cancelled)

    # --- messages --------------------------------------------------------------------------

    def on_analysis_progress(self, message: AnalysisProgress) -> None:
        """Show the stage."""
        message.stop()
        if self.result is None and self.failure is None:
            self._status(Text(f"{visible(message.stage)}… {message.fraction:.0%}"))

    def on_analysis_failed(self, message: AnalysisFailed) -> None:
        """Say what failed, in the status line."""
        message.stop()
        self.failure = message.message
        self._status(Text(f"analysis failed: {visible(message.message)}", style=self._style("error")))

    def on_claims_complete(self, message: ClaimsComplete) -> None:
        """Fill the matrix."""
        message.stop()
        self.result = message.result
        self._columns()
        self._fill()
        self.query_one("#matrix-table", DataTable).focus()

    def claim_width(self) -> int:
        """The claim column takes what the source columns leave of the screen's width."""
        width = self.size.width or self.app.size.width
        # Each column has one cell of padding either side; keep room for the scrollbar.
        return max(MIN_CLAIM_WIDTH, width - len(self.readouts) * (SOURCE_WIDTH + 2) - 2 - 2)

    def _columns(self) -> None:
        table = self.query_one("#matrix-table", DataTable)
        table.clear(columns=True)
        self._claim_width = self.claim_width()
        table.add_column(Text("claim", style=self._style("label")), key="claim", width=self._claim_width)
        for r in self.readouts:
            label = truncate(f"{r.side} {r.label}", SOURCE_WIDTH)
            table.add_column(Text(label, style=self._style("label")), key=r.side, width=SOURCE_WIDTH)

    def on_resize(self) -> None:
        """Give the claim column the new width."""
        if self.result is not None and self.claim_width() != getattr(self, "_claim_width", None):
            self._columns()
            self._fill()

    # --- view ------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return layer_style(self, f"matrix-screen--{name}")

    def _status(self, text: Text) -> None:
        self.query_one("#matrix-status", Static).update(text)

    def _sources_text(self) -> Text:
        text = Text()
        for k, r in enumerate(self.readouts):
            if k:
                text.append("  ·  ")
            text.append(r.side, style="bold")
            text.append(f" {visible(r.label)} ({visible(r.source)}, {len(r.statements)} statements)")
        return text

    def _statement(self, statement_id: str) -> str:
        for r in self.readouts:
            for st in r.statements:
                if st.id == statement_id:
                    return st.text
        return ""

    def _cell(self, group: ClaimGroup, side: str) -> Text:
        status = group.status_of(side)
        ids = " ".join(group.ids(side))
        return Text(truncate(f"{status} {ids}".strip(), SOURCE_WIDTH), style=self._style(status))

    def _fill(self) -> None:
        assert self.result is not None
        name, keep = FILTERS[self.filter_index]
        self.shown = [g for g in self.result.groups if keep(g)]
        table = self.query_one("#matrix-table", DataTable)
        table.clear()
        for k, group in enumerate(self.shown):
            first = group.statements[0][1][0] if group.statements else ""
            claim = Text(truncate(self._statement(first), self._claim_width))
            table.add_row(claim, *(self._cell(group, r.side) for r in self.readouts), key=str(k))
        counts = {label: sum(1 for g in self.result.groups if g.label == label) for label in ("shared", "emphasis", "omission")}
        status = Text(f"{len(self.result.groups)} claims: ")
        status.append(f"{counts['shared']} shared", style=self._style("present"))
        status.append(" · ")
        status.append(f"{counts['emphasis']} emphasis", style=self._style("differs"))
        status.append(" · ")
        status.append(f"{counts['omission']} omission", style=self._style("absent"))
        status.append(
            f" · model {visible(self.result.model.name)} · showing {len(self.shown)} ({name}) · "
            f"link ≥ {self.config.link_threshold:.2f} shared ≥ {self.config.shared_threshold:.2f}"
        )
        self._status(status)
        self._show_detail(self.shown[0] if self.shown else None)

    def detail_text(self, group: ClaimGroup | None) -> Text:
        """Every statement of the claim, quoted in full, per source."""
        if group is None:
            return Text("No claim in this view.")
        text = Text()
        text.append(f"{group.label}\n", style=self._style("label"))
        for r in self.readouts:
            status = group.status_of(r.side)
            text.append(f"{r.side} {visible(r.label)}: ", style="bold")
            text.append(f"{status}\n", style=self._style(status))
            for sid in group.ids(r.side):
                text.append(f"  {sid}  “{visible(self._statement(sid))}”\n")
        return text

    def _show_detail(self, group: ClaimGroup | None) -> None:
        self.query_one("#matrix-detail", Static).update(self.detail_text(group))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the selected claim's statements."""
        key = event.row_key.value if event.row_key is not None else None
        if key is not None and key.isdigit() and int(key) < len(self.shown):
            self._show_detail(self.shown[int(key)])

    def realign(self, config: AnalysisConfig) -> None:
        """Align every pair again under new thresholds (the embeddings are cached by then)."""
        self.config = config
        self.result = None
        self.failure = None
        self._status(
            Text(f"re-aligning: link ≥ {config.link_threshold:.2f} · shared ≥ {config.shared_threshold:.2f}…")
        )
        self.run_matrix()

    def _table(self) -> DataTable[Text]:
        return self.query_one("#matrix-table", DataTable)

    def action_cursor_down(self) -> None:
        """Next claim."""
        self._table().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Previous claim."""
        self._table().action_cursor_up()

    def action_page_down(self) -> None:
        """A page of claims down."""
        self._table().action_page_down()

    def action_page_up(self) -> None:
        """A page of claims up."""
        self._table().action_page_up()

    def action_top(self) -> None:
        """First claim."""
        if self.shown:
            self._table().move_cursor(row=0)

    def action_bottom(self) -> None:
        """Last claim."""
        if self.shown:
            self._table().move_cursor(row=len(self.shown) - 1)

    def action_cycle_filter(self) -> None:
        """All claims, claims some source lacks, emphasis only."""
        self.filter_index = (self.filter_index + 1) % len(FILTERS)
        if self.result is not None:
            self._fill()
