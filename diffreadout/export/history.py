"""The history of a readout as JSON (version 1) or a Markdown document (pure)."""

from __future__ import annotations

import json
from typing import Any

from diffreadout.core.history import ClauseHistory, EarlierUse, History
from diffreadout.core.history.worddiff import describe
from diffreadout.export.json import _UNSAFE_IN_JSON
from diffreadout.export.mdtext import escape_inline
from diffreadout.model import Readout


def _md_diff(c: ClauseHistory) -> str:
    parts = []
    for ch in c.changes:
        before, after = escape_inline(ch.before), escape_inline(ch.after)
        parts.append(f"+ “{after}”" if ch.op == "insert" else f"− “{before}”" if ch.op == "delete" else f"“{before}” → “{after}”")
    return "; ".join(parts)


def _earlier(uses: tuple[EarlierUse, ...]) -> list[dict[str, Any]]:
    return [{"date": u.date, "source": u.source, "text": u.text, "score": u.score} for u in uses]


def _unit(c: ClauseHistory) -> dict[str, Any]:
    out: dict[str, Any] = {"start": c.start, "end": c.end, "text": c.text, "status": c.status, "score": c.score,
                           "count": c.count, "first": c.first or None, "last": c.last or None,
                           "earlier": _earlier(c.earlier)}
    if c.changes:
        out["changes"] = [{"op": ch.op, "before": ch.before, "after": ch.after, "start": ch.start, "end": ch.end}
                          for ch in c.changes]
        out["diff"] = describe(c.changes)
    return out


def to_dict(history: History, readout: Readout) -> dict[str, Any]:
    """The JSON shape: version, readout (statements with status and earlier uses), dropped."""
    statements = []
    for st in history.statements:
        item = {"id": st.id, **_unit(st.whole)}
        if st.clauses:
            item["clauses"] = [_unit(c) for c in st.clauses]
        statements.append(item)
    return {
        "version": 1,
        "readout": {"source": history.source, "sha256": history.sha256, "publisher": history.publisher,
                    "date": history.date, "meeting": history.meeting or None, "language": readout.language,
                    "statements": statements},
        "earlier_readouts": history.earlier_readouts,
        "previous": [{"date": p.date, "source": p.source, "meeting": p.meeting or None} for p in history.previous],
        "dropped": [{"text": d.text, "count": d.count, "first": d.first or None, "last": d.last or None,
                     "earlier": _earlier(d.earlier)} for d in history.dropped],
    }


def dumps(history: History, readout: Readout) -> str:
    """JSON text, keys in a fixed order, control and bidi characters as \\u escapes, one newline."""
    text = json.dumps(to_dict(history, readout), ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def _when(c: ClauseHistory) -> str:
    if not c.count:
        return ""
    times = "once" if c.count == 1 else f"{c.count} times"
    return f"{times}, {c.first} to {c.last}" if c.first != c.last else f"{times}, {c.first}"


def sections(history: History, label: str = "") -> list[str]:
    """'New language' and 'Dropped formulations' sections (for the comparison report too)."""
    suffix = f" — {escape_inline(label)}" if label else ""
    lines = [f"## New language{suffix}", ""]
    new = [st for st in history.statements if st.status == "new"]
    variants = [st for st in history.statements if st.status == "variant"]
    for st in new:
        known = [c for c in st.clauses if c.status != "new"]
        extra = f" (known clauses: {'; '.join(escape_inline(c.text) for c in known)})" if known else ""
        lines.append(f"- **{st.id}** new: {escape_inline(st.whole.text)}{extra}")
    for st in variants:
        lines.append(f"- **{st.id}** variant: {_md_diff(st.whole)} "
                     f"(nearest {st.whole.earlier[0].date if st.whole.earlier else '?'}: {escape_inline(st.whole.nearest)})")
    if not new and not variants:
        lines.append("Nothing new: every statement was used before.")
    lines += ["", f"## Dropped formulations{suffix}", ""]
    for d in history.dropped:
        lines.append(f"- {escape_inline(d.text)} (used {d.count} times, {d.first} to {d.last})")
    if not history.dropped:
        lines.append("None: this readout carries every formulation its previous readouts shared.")
    return lines + [""]


def render_markdown(history: History, readout: Readout) -> str:
    """The whole history document: provenance, counts, every statement, new language, drops."""
    previous = ", ".join(f"{p.date} ({escape_inline(p.source)})" for p in history.previous) or "none"
    lines = [
        f"# History of {escape_inline(history.source)}", "",
        f"- publisher: {escape_inline(history.publisher)}; date: {history.date}"
        + (f"; meeting: {escape_inline(history.meeting)}" if history.meeting else ""),
        f"- sha256: `{history.sha256}`",
        f"- against {history.earlier_readouts} earlier readouts; previous (for dropped): {previous}",
        f"- statements: {history.count('stock')} stock, {history.count('variant')} variant, {history.count('new')} new; "
        f"{len(history.dropped)} dropped",
        "", "## Statements", "", "| id | status | statement | earlier |", "| --- | --- | --- | --- |",
    ]
    for st in history.statements:
        w = st.whole
        note = _when(w)
        if w.status == "variant":
            note = f"{_md_diff(w)}; {note}"
        lines.append(f"| {st.id} | {w.status} | {escape_inline(w.text)} | {note} |")
    lines.append("")
    return "\n".join(lines + sections(history))
