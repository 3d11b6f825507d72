"""The corrections keys of the two-readout screen: link, unlink, label, split, note, undo/redo, review, copy.

A mixin of MainScreen (its BINDINGS join the screen's, so the footer, the F1 help and the
palette list them). Each action asks the app's CorrectionSession for the change, which saves
it at once; the screen shows the new comparison without re-embedding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from diffreadout.tui.corrections import CorrectionSession, quote, row_text
from diffreadout.tui.text import visible

if TYPE_CHECKING:
    from diffreadout.core.corrections import Corrections
    from diffreadout.model import Comparison, Statement
    from diffreadout.tui.rows import AlignedRow

CORRECTION_BINDINGS = [
    Binding("l", "link", "Link", id="link"),
    Binding("u", "unlink", "Unlink", show=False, id="unlink"),
    Binding("m", "toggle_label", "Label", show=False, id="toggle-label"),
    Binding("p", "split", "Split", show=False, id="split"),
    Binding("c", "note", "Note", id="note"),
    Binding("z", "undo", "Undo", show=False, id="undo"),
    Binding("Z", "redo", "Redo", show=False, id="redo"),
    Binding("r", "review_next", "Review", id="review-next"),
    Binding("enter", "review_accept", "Reviewed", show=False, id="review-accept"),
    Binding("y", "copy_quote", "Copy", show=False, id="copy-quote"),
    Binding("Y", "copy_row", "Copy row", show=False, id="copy-row"),
]

CORRECTION_TITLES = {
    "link": "Link statement to the other side",
    "unlink": "Unlink statement",
    "toggle_label": "Change label (shared / emphasis)",
    "split": "Split link into one-to-one links",
    "note": "Note on link or omission",
    "undo": "Undo correction",
    "redo": "Redo correction",
    "review_next": "Review queue: next least-sure row",
    "review_accept": "Mark row reviewed, go to the next least-sure",
    "copy_quote": "Copy quote (with source and id)",
    "copy_row": "Copy report row",
}

CORRECTION_HELP = {
    "link": "Link the selected statement to statements of the other side (nearest first; space marks several)",
    "unlink": "Take the selected statement out of its link: an omission, the analyst's",
    "toggle_label": "Change the selected link's label: shared <-> emphasis",
    "split": "Split a link of several statements into one-to-one links (best pairs first)",
    "note": "Attach a note to the selected link or omission",
    "undo": "Undo the last correction (saved at once)",
    "redo": "Redo the correction undone",
    "review_next": "Go to the unreviewed row the engine is least sure of",
    "review_accept": "Count the selected row as reviewed and go to the next least-sure one",
    "copy_quote": "Copy the selected statement's exact quote, with its source label and id",
    "copy_row": "Copy the selected row as in the report",
}


class CorrectionActions:
    """Actions of the corrections keys; mixed into MainScreen (which provides rows, cursor, comparison)."""

    rows: list[AlignedRow]
    comparison: Comparison | None
    app: Any

    if TYPE_CHECKING:
        @property
        def current_row(self) -> AlignedRow | None:
            """The selected row (MainScreen's read-only property)."""

    # --- helpers ----------------------------------------------------------------------------

    @property
    def session(self) -> CorrectionSession | None:
        """The app's corrections session, once the analysis has given a comparison."""
        session = getattr(self.app, "corrections", None)
        return session if session is not None and session.current is not None else None

    def _say(self, text: str, severity: str = "information") -> None:
        self.notify(visible(text), timeout=4, markup=False, severity=severity)  # type: ignore[attr-defined]

    def _ready(self) -> tuple[CorrectionSession, AlignedRow] | None:
        session, row = self.session, self.current_row
        if session is None or row is None or row.relation == "pending":
            self._say("Corrections need the analysis: wait until it has finished.")
            return None
        return session, row

    def _edit(self, change: Callable[[Comparison], Corrections], done: str) -> None:
        ready = self._ready()
        if ready is None:
            return
        session, _ = ready
        try:
            comparison, problem = session.edit(change)
        except ValueError as exc:
            self._say(str(exc), "warning")
            return
        self.app.show_corrected(comparison)
        self._say(problem if problem else done, "error" if problem else "information")

    def _primary(self, row: AlignedRow) -> Statement:
        return (row.left or row.right)[0]

    # --- actions ----------------------------------------------------------------------------

    def action_link(self) -> None:
        """Open the picker: statements of the other side, nearest first."""
        ready = self._ready()
        if ready is None:
            return
        session, row = ready
        current = session.current
        assert current is not None
        own = self._primary(row)
        other = current.b if own.side == current.a.side else current.a
        scores = _scores(session, own, other.statements)
        candidates = sorted(((st.id, scores[st.id], st.text) for st in other.statements), key=lambda c: -c[1])
        from diffreadout.tui.widgets.picker import PickerScreen

        title = f"Link {own.id} to statements of {other.side} ({other.label}): {own.text}"

        def chosen(ids: list[str] | None) -> None:
            if not ids:
                return
            from diffreadout.core.corrections import join

            self._edit(lambda cur: join(cur, own.id, ids, session.analysis), f"Linked {own.id} to {', '.join(ids)} (saved)")

        self.app.push_screen(PickerScreen(title, candidates, current.counterparts(own.id)), chosen)

    def action_unlink(self) -> None:
        """Take the selected statement out of its link."""
        ready = self._ready()
        if ready is None:
            return
        _, row = ready
        if row.link is None:
            self._say("This statement is in no link.")
            return
        from diffreadout.core.corrections import unlink

        def chosen(ids: list[str] | None) -> None:
            if ids:
                sid = ids[0]
                self._edit(lambda cur: unlink(cur, sid), f"Unlinked {sid} (saved)")

        if len(row.statements) == 2:
            chosen([self._primary(row).id])
            return
        from diffreadout.tui.widgets.picker import PickerScreen

        candidates = [(st.id, row.link.score, st.text) for st in row.statements]
        self.app.push_screen(PickerScreen("Unlink which statement?", candidates), chosen)

    def action_toggle_label(self) -> None:
        """shared <-> emphasis for the selected link."""
        ready = self._ready()
        if ready is None or ready[1].link is None:
            if ready is not None:
                self._say("An omission has no label; link it first (l).")
            return
        link = ready[1].link
        label = "emphasis" if link.label == "shared" else "shared"
        from diffreadout.core.corrections import set_label

        self._edit(lambda cur: set_label(cur, link, label), f"Label: {label} (saved)")  # type: ignore[arg-type]

    def action_split(self) -> None:
        """Split the selected link of several statements into one-to-one links."""
        ready = self._ready()
        if ready is None:
            return
        session, row = ready
        if row.link is None or (len(row.link.a) == 1 and len(row.link.b) == 1):
            self._say("Only a link of several statements can be split.")
            return
        link = row.link
        from diffreadout.core.corrections import split_link

        self._edit(lambda cur: split_link(cur, link, session.analysis), "Split into one-to-one links (saved)")

    def action_note(self) -> None:
        """Ask for a note on the selected link or omission."""
        ready = self._ready()
        if ready is None:
            return
        session, row = ready
        own = self._primary(row)
        old = row.link.note if row.link is not None else (session.current.review.omission_note(own.id)
                                                           if session.current and session.current.review else "")
        from diffreadout.core.corrections import set_note
        from diffreadout.tui.widgets.picker import NoteScreen

        def written(note: str | None) -> None:
            if note is not None:
                self._edit(lambda cur: set_note(cur, own.id, note), "Note kept (saved)" if note.strip() else "Note removed")

        what = "link" if row.link is not None else "omission"
        self.app.push_screen(NoteScreen(f"Note on the {what} of {own.id}", old), written)

    def action_undo(self) -> None:
        """Undo the last correction."""
        self._history("undo")

    def action_redo(self) -> None:
        """Redo the correction undone."""
        self._history("redo")

    def _history(self, which: str) -> None:
        session = self.session
        result = getattr(session, which)() if session is not None else None
        if result is None:
            self._say(f"Nothing to {which}.")
            return
        comparison, problem = result
        self.app.show_corrected(comparison)
        self._say(problem or f"{which.capitalize()} done (saved)")

    def action_review_next(self) -> None:
        """Go to the unreviewed row the engine is least sure of."""
        session = self.session
        if session is None:
            self._say("The review queue needs the analysis: wait until it has finished.")
            return
        for index in session.queue(self.rows):
            if self.rows[index].ids not in session.reviewed:
                self._move(index)  # type: ignore[attr-defined]
                return
        self._say("Every row in this view is reviewed.")

    def action_review_accept(self) -> None:
        """Count the selected row as reviewed, then go to the next least-sure row."""
        ready = self._ready()
        if ready is None:
            return
        session, row = ready
        problem = session.mark_reviewed(row.ids)
        if problem:
            self._say(problem, "error")
        self._update_status()  # type: ignore[attr-defined]
        self.action_review_next()

    def review_status(self) -> str:
        """'reviewed N / left M' for the status line ('' before the analysis)."""
        session = self.session
        if session is None:
            return ""
        done, left = session.review_counts(self.rows)
        return f"reviewed {done} / left {left}"

    def action_copy_quote(self) -> None:
        """Copy the selected statement's exact quote with its source label and id (OSC 52)."""
        row = self.current_row
        if row is None:
            return
        labels = {r.side: r.label for r in self.readouts}  # type: ignore[attr-defined]
        text = "\n".join(quote(st, labels.get(st.side, st.side)) for st in row.left or row.right)
        self.app.copy_to_clipboard(text)
        self._say(f"Copied {', '.join(st.id for st in row.left or row.right)}")

    def action_copy_row(self) -> None:
        """Copy the selected row as in the report."""
        row = self.current_row
        if row is None:
            return
        self.app.copy_to_clipboard(row_text(row, self.left.label, self.right.label))  # type: ignore[attr-defined]
        self._say("Copied the row")


def _scores(session: CorrectionSession, own: Statement, others: Any) -> dict[str, float]:
    """Link probability of own with each statement of the other side (0 without an Analysis)."""
    analysis, current = session.analysis, session.current
    if analysis is None or current is None or not analysis.features.size:
        return {st.id: 0.0 for st in others}
    from diffreadout.core.align.links import link_probability

    probability = link_probability(analysis.features)
    ia = {st.id: i for i, st in enumerate(current.a.statements)}
    ib = {st.id: j for j, st in enumerate(current.b.statements)}
    if own.id in ia:
        return {st.id: float(probability[ia[own.id], ib[st.id]]) for st in others}
    return {st.id: float(probability[ia[st.id], ib[own.id]]) for st in others}
