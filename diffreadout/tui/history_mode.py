"""History mode of the main screen: each statement tinted stock, variant or new (key h).

The histories come computed from the command line (the TUI never opens the library): one
``core.history.History`` per side whose publisher is known. The aligned view tints each
statement by its status, the status line carries the legend, and the detail panel lists the
selected statements' earlier uses with their dates, and each side's dropped formulations.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from diffreadout.tui.text import visible

LEGEND = "history: green stock · yellow variant · cyan new"


def statuses(histories: dict[str, Any]) -> dict[str, str]:
    """Statement id -> history status, over every side that has a history."""
    return {st.id: st.status for history in histories.values() for st in history.statements}


def describe_history(ids: tuple[str, ...], histories: dict[str, Any], earlier_listed: int = 5) -> Text:
    """The selected statements' history: status, the word diff of a variant, earlier uses with dates."""
    from diffreadout.core.history.worddiff import describe

    out = Text()
    out.append(f"\n{LEGEND}\n", style="italic")
    by_id = {st.id: st for history in histories.values() for st in history.statements}
    for sid in ids:
        st = by_id.get(sid)
        if st is None:
            continue
        w = st.whole
        out.append(f"{sid} {w.status}", style="bold")
        if w.count:
            out.append(f"  used {w.count}× ({w.first} to {w.last})")
        if w.changes:
            out.append(f"  {visible(describe(w.changes))}")
        out.append("\n")
        for use in w.earlier[:earlier_listed]:
            out.append(f"   {use.date} {visible(use.source)} ({use.score:.2f}): {visible(use.text)}\n")
        for clause in st.clauses:
            if clause.status != "new" and st.status == "new":
                out.append(f"   known clause ({clause.status}): {visible(clause.text)}\n")
    for side, history in sorted(histories.items()):
        if history.dropped:
            out.append(f"{side} dropped: ", style="bold")
            out.append("; ".join(visible(d.text) for d in history.dropped[:5]) + "\n")
    return out


class HistoryMode:
    """Mixin for the main screen: the history toggle and what it adds to the detail panel."""

    history_on = False

    def history_data(self) -> dict[str, Any]:
        """The sides' histories handed to the app (empty when no publisher is known)."""
        return getattr(self.app, "histories", None) or {}  # type: ignore[attr-defined]

    def action_toggle_history(self) -> None:
        """Tint statements by history status (stock, variant, new), or back to relations."""
        from diffreadout.tui.widgets.alignment_view import AlignmentView

        histories = self.history_data()
        if not histories:
            self.app.notify(  # type: ignore[attr-defined]
                "No history: name --publisher-a / --publisher-b, or add the readouts to the library.", timeout=4
            )
            return
        self.history_on = not self.history_on
        self.query_one(AlignmentView).set_history(statuses(histories) if self.history_on else None)  # type: ignore[attr-defined]
        self._selection_changed()  # type: ignore[attr-defined]

    def history_detail(self, detail: Any, row: Any) -> None:
        """Add the selected row's history to the detail panel when history mode is on."""
        if self.history_on and detail is not None and row is not None:
            detail.append(describe_history(row.ids, self.history_data()))

    def history_status(self) -> str:
        """The legend for the status line while history mode is on."""
        return "history on (h)" if self.history_on else ""
