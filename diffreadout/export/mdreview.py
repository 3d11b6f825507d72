"""The analyst's part of a report: the mark on analyst links and omissions, and the corrections' provenance."""

from __future__ import annotations

from diffreadout.export.mdtext import escape_inline
from diffreadout.model import Comparison


def analyst_mark(by: str, note: str) -> str:
    """' (analyst)' or ' (analyst; note: ...)' for a decision of the analyst's, '' for the engine's."""
    if by != "analyst":
        return ""
    return f" (analyst; note: {escape_inline(note)})" if note else " (analyst)"


def correction_notes(comparison: Comparison) -> list[str]:
    """Provenance lines (plain text) saying which corrections were applied, and which could not be."""
    review = comparison.review
    if review is None:
        return []
    where = f" from {review.source}" if review.source else ""
    sha = f", sha256 {review.sha256}" if review.sha256 else ""
    lines = [f"{review.applied} analyst correction{'s' if review.applied != 1 else ''} applied{where}{sha}"]
    lines += [f"correction not applied (stale): {x}" for x in review.stale]
    lines += [f"correction not applied (unmatched): {x}" for x in review.unmatched]
    return lines
