"""History mode in the UI: h tints statements by status, the detail panel lists earlier uses."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from tui_helpers import CONFIG, CountingEmbedder, settle

from diffreadout.core.history import history_of
from diffreadout.core.text.readouts import make_readout
from diffreadout.storage.library import Library, NewReadout
from diffreadout.storage.library_query import LibraryScope
from diffreadout.tui.app import DiffReadoutApp
from diffreadout.tui.widgets.alignment_view import AlignmentView

SERIES = Path(__file__).resolve().parents[2] / "fixtures" / "history-cn-kz"
PUB = "Chinese MFA"


def _history_of_last(tmp_path: Path, text: str) -> object:
    library = Library(tmp_path / "lib.sqlite")
    paths = sorted(SERIES.glob("20*.txt"))[:-1]
    library.add_many([NewReadout(make_readout("A", p.name, p.name, p.read_text(encoding="utf-8")), PUB, p.stem, "Kazakhstan")
                      for p in paths])
    readout = make_readout("A", "last", "last.txt", text, segment_mode=CONFIG.segment)
    with library.connect() as conn:
        return history_of(readout, LibraryScope(conn, PUB, "2025-11-20", meeting="Kazakhstan"),
                          publisher=PUB, date="2025-11-20", meeting="Kazakhstan")


async def test_h_tints_by_history_and_the_detail_lists_earlier_uses(tmp_path: Path) -> None:
    text_a = (SERIES / "2025-11-20.txt").read_text(encoding="utf-8")
    text_b = (SERIES / "2025-03-14.txt").read_text(encoding="utf-8")
    history = _history_of_last(tmp_path, text_a)
    app = DiffReadoutApp([("Chinese MFA", "a.txt", text_a), ("Chinese MFA 2025-03", "b.txt", text_b)], CONFIG,
                         embedder_factory=CountingEmbedder, cursor_blink=False, histories={"A": history})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(AlignmentView)
        assert view._history == {}
        await pilot.press("h")
        await pilot.pause()
        assert view._history["A1"] == "variant" and "stock" in view._history.values()
        assert "B1" not in view._history
        body = str(app.screen.query_one("#detail-body", Static).render())
        assert "history: green stock" in body  # the legend heads the history in the detail panel
        assert "A1 variant" in body and "2025-03-14" in body and "A dropped:" in body
        await pilot.press("h")
        await pilot.pause()
        assert view._history == {}
        assert "history: green stock" not in str(app.screen.query_one("#detail-body", Static).render())


async def test_h_without_history_says_so(app: DiffReadoutApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert app.screen.query_one(AlignmentView)._history == {}
        assert any("No history" in note.message for note in app._notifications)
