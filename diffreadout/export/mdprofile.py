"""The report's profile sections: the meeting as each side states it, and the topics.

The profile is plain JSON data (it may come from a loaded JSON report), so every value is
read defensively and escaped before it is written.
"""

from __future__ import annotations

from typing import Any

from diffreadout.export.mdtext import code_id, escape_inline, md_table, readout_label
from diffreadout.model import Comparison
from diffreadout.present.meeting import FURNITURE_FIELDS, display_value
from diffreadout.present.summary import size_unit, text_size

__all__ = ["profile_section"]


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _found_value(found: object, field: str = "") -> str:
    """A metadata finding as 'value ("quoted text", A2)', or an em dash when not stated."""
    item = _dict(found)
    if not item:
        return "—"
    value = escape_inline(display_value(field, item.get("value", "")))
    quoted = escape_inline(str(item.get("text", "")))
    where = item.get("statement_id")
    return f"{value} (“{quoted}”, {code_id(str(where))})" if where else value


def _meeting(comparison: Comparison) -> list[str]:
    """Meeting metadata side by side: initiator, format, date, place, length."""
    meta = _dict(comparison.profile.get("meeting"))
    a, b = comparison.a, comparison.b
    if not meta:
        return []
    differs = {str(d.get("field")): str(d.get("note", "")) for d in map(_dict, _list(comparison.profile.get("meeting_differences")))}
    rows = []
    for field in ("initiator", "format", "date", "place"):
        cells = [_found_value(_dict(meta.get(r.side)).get(field), field) for r in (a, b)]
        rows.append([field, *cells, escape_inline(differs.get(field, ""))])
    units = {size_unit(r) for r in (a, b)}
    sizes = [f"{text_size(r.text, size_unit(r))} {size_unit(r)}" if len(units) > 1 else str(text_size(r.text, size_unit(r))) for r in (a, b)]
    length = "length" if len(units) > 1 else f"length ({units.pop()})"
    rows.append([length, *sizes, escape_inline(differs.get("words", ""))])
    for kind, name in FURNITURE_FIELDS:
        found = [[f for f in r.furniture if f.kind == kind] for r in (a, b)]
        if any(found):
            cells = ["; ".join(f"“{escape_inline(f.text)}”" for f in items) or "—" for items in found]
            rows.append([name, *cells, "page furniture, not compared"])
    header = ["As stated", readout_label(a), readout_label(b), "Difference"]
    return ["## The meeting as each side states it", "", *md_table(header, ["---"] * 4, rows), ""]


def _topics(comparison: Comparison) -> list[str]:
    """Topics with their rank of first mention and share of words in each readout."""
    topics = [_dict(t) for t in _list(comparison.profile.get("topics"))]
    if not topics:
        return []
    a, b = comparison.a, comparison.b
    flags: dict[str, str] = {}
    for flag in map(_dict, _list(comparison.profile.get("topic_flags"))):
        note = flag.get("summary") or f"{flag.get('leads', '')} leads; {flag.get('other', '')}: {flag.get('status', '')}"
        flags[str(flag.get("topic"))] = str(note)
    rows = []
    for topic in topics:
        cells = [escape_inline(str(topic.get("label", topic.get("id", ""))))]
        for r in (a, b):
            rank = _dict(topic.get("rank")).get(r.side)
            share = _dict(topic.get("share")).get(r.side)
            cells.append("—" if rank is None else str(rank))
            cells.append("—" if not share else f"{float(share) * 100:.0f}%")
        cells.append(escape_inline(flags.get(str(topic.get("id")), "")))
        rows.append(cells)
    header = ["Topic (keywords)", f"{readout_label(a)}: rank", "share", f"{readout_label(b)}: rank", "share", "Flag"]
    return [
        "## Topics: order and space",
        "",
        "Rank is the order of first mention in each readout; share is the topic's share of that readout's "
        "words (characters for Chinese and Japanese). A flag compares the subjects after the one each readout "
        "opens with (the meeting itself): one side leads with a subject (its first two) that the other leaves "
        "out or has later, in its second half.",
        "",
        *md_table(header, ["---", "---:", "---:", "---:", "---:", "---"], rows),
        "",
    ]


def profile_section(comparison: Comparison) -> list[str]:
    if not comparison.profile:
        return []
    return [*_meeting(comparison), *_topics(comparison)]
