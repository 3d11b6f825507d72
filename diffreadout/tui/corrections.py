"""The analyst's session on one pair: corrections applied, saved at every change, undo/redo, review queue, copy text.

No widgets here: the screen's keys (tui/correction_actions.py) call these methods, and the app
shows the comparison they return. Every change is written at once (atomically) to the pair's
corrections file in the user's data folder, so a crash or Ctrl-C loses nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from diffreadout.storage.corrections import CorrectionsFileError, corrections_path, read_json, write_json

if TYPE_CHECKING:
    from diffreadout.core.corrections import Corrections
    from diffreadout.model import Analysis, Comparison, Statement
    from diffreadout.tui.rows import AlignedRow


class CorrectionSession:
    """Corrections of the pair on screen: load, apply, edit, save, undo and redo, rows reviewed."""

    def __init__(self, data_dir: Path | str | None = None) -> None:
        self.data_dir = data_dir if data_dir is not None else os.environ.get("DIFFREADOUT_DATA_DIR") or None
        self.engine: Comparison | None = None
        self.analysis: Analysis | None = None
        self.corrections: Corrections | None = None
        self.current: Comparison | None = None
        self.path: Path | None = None
        self.undo_stack: list[Corrections | None] = []
        self.redo_stack: list[Corrections | None] = []
        self.reviewed: set[tuple[str, ...]] = set()
        self.problem: str | None = None
        self._unreadable = False
        self.stale: tuple[str, ...] = ()
        self.kept_stale: tuple[str, ...] = ()

    # --- loading and applying ---------------------------------------------------------------

    def attach(self, analysis: Analysis, engine: Comparison) -> tuple[Comparison, list[str]]:
        """Apply the pair's stored corrections to a new engine result; messages to show (problems, stale)."""
        from diffreadout.core.corrections import CorrectionsError, from_dict, text_sha256

        first = self.path is None
        self.engine, self.analysis = engine, analysis
        self.path = corrections_path(text_sha256(engine.a.text), text_sha256(engine.b.text), self.data_dir)
        messages: list[str] = []
        if first:
            try:
                data = read_json(self.path)
                self.corrections = from_dict(data) if data is not None else None
                if data is not None:
                    self.kept_stale = tuple(str(x) for x in data.get("stale", []) if isinstance(x, str))
                    self.reviewed = {tuple(x) for x in data.get("reviewed", []) if isinstance(x, list)}
            except (CorrectionsFileError, CorrectionsError) as exc:
                self._unreadable = True
                self.problem = str(exc) if isinstance(exc, CorrectionsFileError) else f"{self.path}: {exc}"
                messages.append(f"{self.problem}; corrections not applied (the file is kept as it is)")
        self.current = self._apply(self.corrections)
        if first:
            self.kept_stale = tuple(dict.fromkeys((*self.kept_stale, *self.stale)))
        if first and self.stale:
            messages.append(f"{len(self.stale)} stale corrections (text changed): " + "; ".join(self.stale))
        return self.current, messages

    def _apply(self, corrections: Corrections | None) -> Comparison:
        from diffreadout.core.corrections import apply

        assert self.engine is not None
        if corrections is None:
            return self.engine
        result, report = apply(self.engine, corrections, self.analysis, source=str(self.path))
        self.stale = report.stale + report.unmatched
        return result

    # --- editing ------------------------------------------------------------------------------

    def edit(self, change: Callable[[Comparison], Corrections]) -> tuple[Comparison, str | None]:
        """Make one change (a function of the current comparison), save it; the new comparison and any problem."""
        assert self.current is not None
        new = change(self.current)
        self.undo_stack.append(self.corrections)
        self.redo_stack.clear()
        return self._set(new)

    def undo(self) -> tuple[Comparison, str | None] | None:
        """Back one change (None when there is none)."""
        if not self.undo_stack:
            return None
        self.redo_stack.append(self.corrections)
        return self._set(self.undo_stack.pop())

    def redo(self) -> tuple[Comparison, str | None] | None:
        """Forward one undone change (None when there is none)."""
        if not self.redo_stack:
            return None
        self.undo_stack.append(self.corrections)
        return self._set(self.redo_stack.pop())

    def _set(self, corrections: Corrections | None) -> tuple[Comparison, str | None]:
        self.corrections = corrections
        self.current = self._apply(corrections)
        return self.current, self.save()

    def mark_reviewed(self, row_ids: tuple[str, ...]) -> str | None:
        """Count a row as reviewed (kept in the file with the corrections)."""
        self.reviewed.add(row_ids)
        return self.save()

    def save(self) -> str | None:
        """Write the corrections file now (atomically); a one-line problem, or None."""
        from diffreadout.core.corrections import Corrections, to_dict

        if self.path is None or self.engine is None:
            return None
        corrections = self.corrections or Corrections()
        data = to_dict(corrections)
        if corrections.sha256 == ("", ""):
            from diffreadout.core.corrections import text_sha256

            for entry, readout in zip(data["readouts"], self.engine.readouts):
                entry["sha256"], entry["label"] = text_sha256(readout.text), readout.label
        data["reviewed"] = [list(ids) for ids in sorted(self.reviewed)]
        if self.kept_stale:
            data["stale"] = list(self.kept_stale)
        try:
            if self._unreadable and self.path.exists():
                os.replace(self.path, self.path.with_name(self.path.name + ".unreadable"))
                self._unreadable = False
            write_json(self.path, data)
        except (CorrectionsFileError, OSError) as exc:
            return str(exc)
        return None

    # --- review queue ---------------------------------------------------------------------

    def queue(self, rows: list[AlignedRow]) -> list[int]:
        """Row indices, least sure first: links near the link or label cut, omissions with a close candidate."""
        assert self.current is not None
        thresholds = dict(self.current.thresholds)
        link_cut = thresholds.get("link", 0.5)
        shared_cut = thresholds.get("shared", 0.5)
        shared = self._shared_probabilities()

        def doubt(row: AlignedRow) -> float:
            if row.link is not None:
                margin = abs(row.link.score - link_cut) if row.link.score == row.link.score else 0.0
                key = (row.link.a, row.link.b)
                if key in shared:
                    margin = min(margin, abs(shared[key] - shared_cut))
                return margin
            if row.nearest is not None and row.nearest.other_id is not None:
                return abs(row.nearest.score - link_cut)
            return 1.0

        order = sorted(range(len(rows)), key=lambda i: (doubt(rows[i]), i))
        return [i for i in order if rows[i].relation != "pending"]

    def _shared_probabilities(self) -> dict[tuple[tuple[str, ...], tuple[str, ...]], float]:
        from diffreadout.core.align.links import label_features, shared_probability

        analysis, current = self.analysis, self.current
        if analysis is None or current is None or not analysis.features.size or not current.links:
            return {}
        ia = {st.id: i for i, st in enumerate(current.a.statements)}
        ib = {st.id: j for j, st in enumerate(current.b.statements)}
        out = {}
        for link in current.links:
            pairs = [(ia[x], ib[y]) for x in link.a for y in link.b]
            prob = shared_probability(label_features(analysis.features, current.a.statements, current.b.statements, pairs))
            out[(link.a, link.b)] = float(prob.mean())
        return out

    def review_counts(self, rows: list[AlignedRow]) -> tuple[int, int]:
        """(rows reviewed, rows left) among these rows."""
        done = sum(1 for row in rows if row.ids in self.reviewed)
        return done, len(rows) - done


def quote(statement: Statement, label: str) -> str:
    """A statement's exact quote with its source label and id, as the copy key copies it."""
    return f"\u201c{statement.text}\u201d ({label}, {statement.id})"


def row_text(row: AlignedRow, left_label: str, right_label: str) -> str:
    """The report row of a link or omission as plain text: left | relation | right."""
    left = " ".join(f"{st.id} {st.text}" for st in row.left) or f"({left_label}: nothing)"
    right = " ".join(f"{st.id} {st.text}" for st in row.right) or f"({right_label}: nothing)"
    relation: str = row.relation
    if row.link is not None:
        relation = f"{row.link.label} {row.link.score:.2f}"
        if row.link.by == "analyst":
            relation += " (analyst" + (f"; note: {row.link.note})" if row.link.note else ")")
    return f"{left_label}: {left} | {relation} | {right_label}: {right}"
