"""What history mode shows: the status of each statement and the detail panel's history text.

The histories come computed from the command line (the TUI never opens the library): one
``core.history.History`` per side whose publisher is known. The aligned view tints each
statement by its status and the detail panel lists the
selected statements' earlier uses with their dates, and each side's dropped formulations.
The legend heads that list.
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
