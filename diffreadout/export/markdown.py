"""The Markdown report: a pure function from a Comparison to GitHub-flavoured Markdown.

Every statement is quoted verbatim; only escaping (export/mdtext.py) changes how it is
written, so readout text can never change the report's structure or drive a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import PurePath

from diffreadout.export.mdtext import (
    CONTROL,
    SINGLE_BREAK,
    PARAGRAPH_MARK,
    render_marked,
    code_id,
    escape_inline,
    md_table,
    readout_label,
    visible_controls,
)
from diffreadout.export.mdprofile import profile_section
from diffreadout.export.mdreview import analyst_mark, correction_notes
from diffreadout.model import Comparison, Link, ModelInfo, Readout, Statement
from diffreadout.present import COUNT_RULE, Presentation, Row, present, timestamp
from diffreadout.present.marks import runs
from diffreadout.present.summary import size_unit, text_size

__all__ = ["aligned_rows", "escape_inline", "provenance_lines", "relations", "render_markdown", "visible_controls"]

# --- rows of the aligned table --------------------------------------------------------------


def aligned_rows(comparison: Comparison) -> tuple[Row, ...]:
    """Rows of the aligned table, as the presentation model orders them (present/rows.py)."""
    return present(comparison).rows


# --- formatting helpers ---------------------------------------------------------------------


def _readout_name(readout: Readout) -> str:
    """'the Russian MFA readout' (without doubling 'readout')."""
    label = readout_label(readout)
    if label[:4].casefold() == "the ":
        label = label[4:]
    return f"the {label}" if "readout" in label.casefold() else f"the {label} readout"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def _score(value: float) -> str:
    return f"{value:.2f}"


def _statements(readout: Readout, ids: Sequence[str]) -> list[Statement]:
    out: list[Statement] = []
    for statement_id in ids:
        try:
            out.append(readout.statement(statement_id))
        except KeyError:
            out.append(Statement(statement_id, readout.side, -1, 0, 0, ""))
    return out


def _cell(statements: Sequence[Statement], marks: dict[str, tuple[tuple[int, int], ...]]) -> str:
    """Statements of one side of a row, each prefixed by its id, marked words in bold."""
    parts = [f"{code_id(st.id)} {render_marked(st.text, runs(st.text, marks.get(st.id, ())))}".rstrip() for st in statements]
    return " ".join(parts) if parts else "\u2014"


def _source_name(readout: Readout, override: str | None) -> str:
    if override is not None:
        return override
    if readout.source in ("", "-"):
        return "standard input"
    return PurePath(readout.source).name or readout.source


def _hash(value: str) -> str:
    return f"`{value}`" if re.fullmatch(r"[0-9a-fA-F]+", value) else (escape_inline(value) or "unknown")


# --- sections -------------------------------------------------------------------------------


def provenance_lines(
    readouts: Sequence[Readout],
    model: ModelInfo,
    thresholds: Sequence[tuple[str, float]],
    version: str,
    generated: str,
    sources: Sequence[str | None] = (),
    notes: Sequence[str] = (),
    warnings: Sequence[str] = (),
) -> list[str]:
    """The provenance block: each source, the version, model, thresholds, date, warnings and notes."""
    lines = ["## Provenance", ""]
    names = list(sources) + [None] * (len(readouts) - len(sources))
    for readout, source in zip(readouts, names):
        unit = size_unit(readout)
        lines.append(
            f"- {escape_inline(readout.side)}: {readout_label(readout)}: file {escape_inline(_source_name(readout, source))}, "
            f"{_plural(text_size(readout.text, unit), unit[:-1])}, {_plural(len(readout.statements), 'statement')}, "
            f"language {escape_inline(readout.language)}, encoding {escape_inline(readout.encoding)}, sha256 {_hash(readout.sha256)}"
        )
    shown = ", ".join(f"{escape_inline(name)} {value:g}" for name, value in thresholds)
    lines += [
        f"- diffreadout version: {escape_inline(version)}",
        f"- Model: {escape_inline(model.name)}, sha256 {_hash(model.sha256)}",
        *(f"- **Warning**: {escape_inline(warning)}" for warning in warnings),
        f"- Thresholds: {shown or 'none recorded'}",
        f"- Generated: {escape_inline(generated)}",
        *(f"- Note: {escape_inline(note)}" for note in notes),
        "",
    ]
    return lines


def relations(comparison: Comparison) -> dict[str, str]:
    """Each linked statement's relation: that of the one row it is in (present/rows.py)."""
    return {sid: row.relation for row in present(comparison).rows if row.links for sid in row.ids}


def _unit_note(view: Presentation) -> str:
    units = {c.unit for c in view.counts}
    if units == {"words"}:
        return "words"
    return "size (" + ", ".join(f"{escape_inline(c.side)} in {c.unit}" for c in view.counts) + ")"


def _summary(view: Presentation) -> list[str]:
    comparison = view.comparison
    sentences: list[str] = []
    shares: list[str] = []
    for readout, other in ((comparison.a, comparison.b), (comparison.b, comparison.a)):
        counts = view.counts_of(readout.side)
        name = _readout_name(readout)
        sentences.append(
            f"{name[0].upper()}{name[1:]} has {_plural(len(readout.statements), 'statement')}: "
            f"{counts.counts['shared']} shared with {_readout_name(other)}, "
            f"{counts.counts['emphasis']} differing in emphasis, "
            f"{counts.counts['omission']} with no counterpart."
        )
        unit = "" if counts.unit == "words" else f" (counted in {counts.unit})"
        shares.append(f"{_percent(counts.sizes['shared'], counts.total_size)} of {name}{unit}")
    n_shared = sum(1 for link in comparison.links if link.label == "shared")
    n_emphasis = len(comparison.links) - n_shared
    by = "By words" if all(c.unit == "words" for c in view.counts) else "By size"
    sentences.append(f"{by}, {shares[0]} and {shares[1]} are shared.")
    sentences.append(
        f"The alignment has {_plural(len(comparison.links), 'link')} "
        f"({n_shared} shared, {n_emphasis} emphasis) in {_plural(sum(1 for r in view.rows if r.links), 'row')}."
    )
    sentences.append(COUNT_RULE)
    return ["## Summary", "", " ".join(sentences), ""]


def _coverage(view: Presentation) -> list[str]:
    rows = []
    for readout in view.comparison.readouts:
        counts = view.counts_of(readout.side)
        cells = [
            f"{counts.counts[k]} ({_percent(counts.sizes[k], counts.total_size)})" for k in ("shared", "emphasis", "omission")
        ]
        rows.append([f"{escape_inline(readout.side)}: {readout_label(readout)}", str(len(readout.statements)), *cells])
    header = ["Readout", "Statements", "Shared", "Emphasis", "Omitted"]
    return [
        "## Coverage",
        "",
        *md_table(header, ["---", "---:", "---:", "---:", "---:"], rows),
        "",
        f"Each cell: statements (share of the readout's {_unit_note(view)} in them).",
        "",
    ]


def _link_relation(view: Presentation, link: Link, with_ids: bool) -> str:
    shown = view.presented(link)
    text = f"{link.label} {_score(link.score)}"
    if with_ids:
        ids = ", ".join(code_id(i) for i in link.a) + " \u2194 " + ", ".join(code_id(i) for i in link.b)
        text = f"{ids} {text}"
    codes = list(dict.fromkeys(reason.code for reason in shown.reasons))
    if codes:
        text += ": " + ", ".join(escape_inline(code) for code in codes)
    return text + analyst_mark(link.by, link.note)


def _relation(view: Presentation, row: Row, only_side: str) -> str:
    """The relation cell, led by the row's issue: "Taiwan: emphasis 0.91", "Taiwan: B only"."""
    prefix = f"{escape_inline(row.issue)}: " if row.issue else ""
    if not row.links:
        return f"{prefix}{only_side} only"
    if len(row.links) == 1:
        return prefix + _link_relation(view, row.links[0], False)
    return f"{prefix}{row.relation}: " + "; ".join(_link_relation(view, link, True) for link in row.links)


def _aligned(view: Presentation) -> list[str]:
    comparison = view.comparison
    a, b = comparison.a, comparison.b
    rows = []
    for row in view.rows:
        a_st, b_st = _statements(a, row.a), _statements(b, row.b)
        relation = _relation(view, row, a.side if row.a else b.side)
        rows.append([_cell(a_st, view.marks), relation, _cell(b_st, view.marks)])
    header = [f"A: {readout_label(a)}", "Relation", f"B: {readout_label(b)}"]
    intro = (
        "Rows follow the reading order of A, and every statement is quoted once, in full: links "
        "that share a statement make one row. A statement with no counterpart has a row of its own; "
        "one of B's comes right after the row of the B statement before it. In emphasis rows, "
        "**bold** marks the words only that side has."
    )
    texts = [st.text for r in comparison.readouts for st in r.statements]
    if any(SINGLE_BREAK.search(t) for t in texts):
        intro += f" Line breaks inside a statement are shown as spaces, blank lines as {PARAGRAPH_MARK}."
    if any(CONTROL.search(t) for t in texts):
        intro += " Control characters are shown as symbols (\u241b for ESC, \ufffd where none exists)."
    return ["## Aligned statements", "", intro, "", *md_table(header, ["---", "---", "---"], rows), ""]


def _omissions(view: Presentation) -> list[str]:
    comparison = view.comparison
    issue_of = {sid: row.issue for row in view.rows if row.relation == "omission" for sid in row.ids}
    lines = ["## Omissions", ""]
    for readout, other in ((comparison.a, comparison.b), (comparison.b, comparison.a)):
        lines += [f"### Only in {readout_label(readout)} (not reported by {readout_label(other)})", ""]
        omitted = comparison.omissions.get(readout.side, ())
        if not omitted:
            lines += [f"None: every statement of {_readout_name(readout)} has a counterpart.", ""]
            continue
        for st in _statements(readout, omitted):
            issue = issue_of.get(st.id, "")
            named = f"{escape_inline(issue)}: only in {readout_label(readout)}. " if issue else ""
            review = comparison.review
            mark = analyst_mark("analyst", review.omission_note(st.id)) if review and st.id in review.analyst_omissions else ""
            lines.append(f"- {code_id(st.id)} {named}{escape_inline(st.text)}{mark}".rstrip())
            nearest = comparison.nearest.get(st.id)
            if nearest is None or nearest.other_id is None:
                lines.append(f"  - nearest in {readout_label(other)}: none")
                continue
            (candidate,) = _statements(other, [nearest.other_id])
            note = f" ({escape_inline(nearest.note)})" if nearest.note else ""
            lines.append(
                f"  - nearest in {readout_label(other)}, score {_score(nearest.score)}{note}: "
                f"{code_id(candidate.id)} {escape_inline(candidate.text)}".rstrip()
            )
        lines.append("")
    return lines


def _quote_span(comparison: Comparison, side: str, start: int, end: int) -> str:
    try:
        text = comparison.readout(side).text
    except KeyError:
        return f"{escape_inline(side)} {start}\u2013{end}"
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    return f"{escape_inline(side)} {start}\u2013{end} \u201c{escape_inline(text[start:end])}\u201d"


def _reasons(view: Presentation) -> list[str]:
    comparison = view.comparison
    emphasis = [link for row in view.rows for link in row.links if link.label == "emphasis"]
    if not emphasis:
        return []
    lines = ["## Reasons for emphasis", ""]
    for link in emphasis:
        ids = ", ".join(code_id(i) for i in link.a) + " \u2194 " + ", ".join(code_id(i) for i in link.b)
        lines += [f"### {ids} ({escape_inline(link.label)} {_score(link.score)})", ""]
        for reason in view.presented(link).reasons:
            lines.append(f"- **{escape_inline(reason.code)}**: {escape_inline(reason.summary)}".rstrip())
            if reason.evidence:
                spans = "; ".join(_quote_span(comparison, sp.side, sp.start, sp.end) for sp in reason.evidence)
                lines.append(f"  - evidence: {spans}")
            if reason.detail:
                pairs = "; ".join(f"{escape_inline(str(k))}: {escape_inline(str(v))}" for k, v in reason.detail)
                lines.append(f"  - fields: {pairs}")
        lines.append("")
    return lines


# --- the report -----------------------------------------------------------------------------


def render_markdown(
    comparison: Comparison,
    *,
    version: str,
    generated: datetime | date | str,
    sources: Sequence[str | None] | None = None,
) -> str:
    """Render the full report: title, provenance, summary, coverage, aligned table, omissions.

    ``generated`` is passed in (not read from the clock) so the same inputs give the same
    report; ``sources`` optionally overrides the file names shown for A and B (by default
    the base name of each readout's source).
    """
    stamp = timestamp(generated)
    view = present(comparison)
    names = list(sources) if sources is not None else [None, None]
    names = (names + [None, None])[:2]
    a, b = comparison.a, comparison.b
    lines = [f"# {readout_label(a)} vs {readout_label(b)}: readouts compared", ""]
    lines += provenance_lines(
        comparison.readouts, comparison.model, comparison.thresholds, version, stamp, names,
        (*comparison.notes, *correction_notes(comparison)), view.warnings
    )
    lines += _summary(view)
    lines += _coverage(view)
    lines += _aligned(view)
    lines += _omissions(view)
    lines += _reasons(view)
    lines += profile_section(comparison)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(line.rstrip() for line in lines) + "\n"
