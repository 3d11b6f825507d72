"""History mode of the main screen (key h): statements tinted stock, variant or new.

The histories come computed from the command line (the TUI never opens the library); the
toggle hands them down to the aligned view (tints) and the detail panel (earlier uses).
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.screen import Screen

from diffreadout.tui.history_text import statuses


class HistoryMode(Screen[None]):
    """Base of the main screen: the history toggle (h); the detail panel shows what it adds."""

    BINDINGS = [Binding("h", "toggle_history", "History", show=False, id="toggle-history")]
    history_on = False

    def history_data(self) -> dict[str, Any]:
        """The sides' histories handed to the app (empty when no publisher is known)."""
        return getattr(self.app, "histories", None) or {}

    def action_toggle_history(self) -> None:
        """Tint statements by history status (stock, variant, new), or back to relations."""
        from diffreadout.tui.widgets.alignment_view import AlignmentView
        from diffreadout.tui.widgets.detail_panel import DetailPanel

        histories = self.history_data()
        if not histories:
            self.app.notify("No history: name --publisher-a / --publisher-b, or add the readouts to the library.",
                            timeout=4)
            return
        self.history_on = not self.history_on
        self.query_one(AlignmentView).set_history(statuses(histories) if self.history_on else None)
        for detail in self.query(DetailPanel):
            detail.history = histories if self.history_on else None
        self._selection_changed()  # type: ignore[attr-defined]
