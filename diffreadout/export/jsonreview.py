"""The analyst's part of the JSON contract: who decided each omission, notes, and the corrections applied."""

from __future__ import annotations

from typing import Any

from diffreadout.model import Comparison, Review


def review_dict(comparison: Comparison) -> dict[str, Any]:
    """``omitted_by`` (every omitted statement: by engine or analyst, with the note) and ``corrections``."""
    review = comparison.review
    omitted_by: dict[str, dict[str, str]] = {}
    for ids in comparison.omissions.values():
        for sid in ids:
            if review is not None and sid in review.analyst_omissions:
                note = review.omission_note(sid)
                omitted_by[sid] = {"by": "analyst", **({"note": note} if note else {})}
            else:
                omitted_by[sid] = {"by": "engine"}
    out: dict[str, Any] = {"omitted_by": omitted_by}
    if review is not None:
        out["corrections"] = {
            "applied": review.applied,
            "file": review.source,
            "sha256": review.sha256,
            "stale": list(review.stale),
            "unmatched": list(review.unmatched),
        }
    return out


def review_from(data: dict[str, Any]) -> Review | None:
    """The Review a JSON document records (None when it records no corrections)."""
    corrections = data.get("corrections")
    raw = data.get("omitted_by")
    omitted_by: dict[str, Any] = raw if isinstance(raw, dict) else {}
    if not isinstance(corrections, dict):
        return None
    analyst = {str(k): v for k, v in omitted_by.items() if isinstance(v, dict) and v.get("by") == "analyst"}
    return Review(
        analyst_omissions=frozenset(analyst),
        omission_notes=tuple(sorted((k, str(v["note"])) for k, v in analyst.items() if v.get("note"))),
        source=str(corrections.get("file", "")),
        sha256=str(corrections.get("sha256", "")),
        applied=int(corrections.get("applied", 0) or 0),
        stale=tuple(str(x) for x in corrections.get("stale", [])),
        unmatched=tuple(str(x) for x in corrections.get("unmatched", [])),
    )
