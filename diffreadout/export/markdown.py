"""The Markdown report: a pure function from a Comparison to GitHub-flavoured Markdown.

Every statement is quoted verbatim; only escaping (export/mdtext.py) changes how it is
written, so readout text can never change the report's structure or drive a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import PurePath

from diffreadout.export.mdtext import (
    CONTROL,
    SINGLE_BREAK,
    PARAGRAPH_MARK,
    marked_words,
    render_tokens,
    Token,
    tokenise,
    code_id,
    escape_inline,
    md_table,
    readout_label,
    visible_controls,
)
from diffreadout.export.mdprofile import profile_section
from diffreadout.export.mdreview import analyst_mark, correction_notes
from diffreadout.model import Comparison, Link, ModelInfo, Readout, Statement

__all__ = ["aligned_rows", "escape_inline", "provenance_lines", "relations", "render_markdown", "visible_controls"]

# --- rows of the aligned table --------------------------------------------------------------


Row = tuple[tuple[str, ...], tuple[str, ...], "Link | None"]


def aligned_rows(comparison: Comparison) -> list[Row]:
    """Rows of the aligned table: (A ids, B ids, link or None for an omission).

    Links and A's omissions follow A's reading order; each of B's omissions comes after the
    row holding the nearest earlier B statement (or opens the table), so B reads in order too.
    """
    a, b = comparison.a, comparison.b
    a_index = {st.id: st.index for st in a.statements}
    b_index = {st.id: st.index for st in b.statements}

    def ordered(ids: Iterable[str], index: dict[str, int]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=lambda i: (index.get(i, len(index)), i)))

    keyed: list[tuple[tuple[int, int], Row]] = []
    for link in comparison.links:
        a_ids, b_ids = ordered(link.a, a_index), ordered(link.b, b_index)
        first_a = a_index.get(a_ids[0], len(a_index)) if a_ids else -1
        keyed.append(((first_a, b_index.get(b_ids[0], -1) if b_ids else -1), (a_ids, b_ids, link)))
    a_only = set(comparison.omissions.get(a.side, ()))
    keyed += [((st.index, -2), ((st.id,), (), None)) for st in a.statements if st.id in a_only]
    keyed.sort(key=lambda item: item[0])
    table = [row for _, row in keyed]
    last_row_of = {b_id: k for k, (_, b_ids, _) in enumerate(table) for b_id in b_ids}
    b_only = set(comparison.omissions.get(b.side, ()))
    placed: list[tuple[tuple[int, int, int], Row]] = [((k, 0, 0), row) for k, row in enumerate(table)]
    anchor = -1
    for st in b.statements:
        if st.id in b_only:
            placed.append(((anchor, 1, st.index), ((), (st.id,), None)))
        elif st.id in last_row_of:
            anchor = last_row_of[st.id]
    placed.sort(key=lambda item: item[0])
    return [row for _, row in placed]


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


def _whole(text: str) -> list[Token]:
    """A statement as one token, for a cell with nothing to mark."""
    shown = visible_controls(text)
    return [Token(0, shown, "word")] if shown else []


def _cell(statements: Sequence[Statement], tokens: Sequence[Sequence[Token]], marked: frozenset[int]) -> str:
    """Statements of one side of a row, each prefixed by its id; marked positions are global."""
    parts: list[str] = []
    base = 0
    for st, toks in zip(statements, tokens):
        local = frozenset(k - base for k in marked if base <= k < base + len(toks))
        parts.append(f"{code_id(st.id)} {render_tokens(toks, local)}".rstrip())
        base += len(toks)
    return " ".join(parts) if parts else "\u2014"


def _source_name(readout: Readout, override: str | None) -> str:
    if override is not None:
        return override
    if readout.source in ("", "-"):
        return "standard input"
    return PurePath(readout.source).name or readout.source


def _hash(value: str) -> str:
    return f"`{value}`" if re.fullmatch(r"[0-9a-fA-F]+", value) else (escape_inline(value) or "unknown")


def _words(text: str) -> int:
    return len(text.split())


# --- sections -------------------------------------------------------------------------------


def provenance_lines(
    readouts: Sequence[Readout],
    model: ModelInfo,
    thresholds: Sequence[tuple[str, float]],
    version: str,
    generated: str,
    sources: Sequence[str | None] = (),
    notes: Sequence[str] = (),
) -> list[str]:
    """The provenance block: each source, the version, model, thresholds, date and notes."""
    lines = ["## Provenance", ""]
    names = list(sources) + [None] * (len(readouts) - len(sources))
    for readout, source in zip(readouts, names):
        lines.append(
            f"- {escape_inline(readout.side)}: {readout_label(readout)}: file {escape_inline(_source_name(readout, source))}, "
            f"{_plural(readout.word_count, 'word')}, {_plural(len(readout.statements), 'statement')}, "
            f"language {escape_inline(readout.language)}, sha256 {_hash(readout.sha256)}"
        )
    shown = ", ".join(f"{escape_inline(name)} {value:g}" for name, value in thresholds)
    lines += [
        f"- diffreadout version: {escape_inline(version)}",
        f"- Model: {escape_inline(model.name)}, sha256 {_hash(model.sha256)}",
        f"- Thresholds: {shown or 'none recorded'}",
        f"- Generated: {escape_inline(generated)}",
        *(f"- Note: {escape_inline(note)}" for note in notes),
        "",
    ]
    return lines


def relations(comparison: Comparison) -> dict[str, str]:
    """Each linked statement's relation in one pass; the same answer as Comparison.relation_of."""
    out: dict[str, str] = {}
    for link in comparison.links:
        for statement_id in (*link.a, *link.b):
            if out.get(statement_id) != "emphasis":
                out[statement_id] = "emphasis" if link.label == "emphasis" else "shared"
    return out


def _coverage_counts(comparison: Comparison, readout: Readout) -> dict[str, tuple[int, int]]:
    counts = {"shared": [0, 0], "emphasis": [0, 0], "omission": [0, 0]}
    relation = relations(comparison)
    for st in readout.statements:
        entry = counts[relation.get(st.id, "omission")]
        entry[0] += 1
        entry[1] += _words(st.text)
    return {key: (n, w) for key, (n, w) in counts.items()}


def _summary(comparison: Comparison) -> list[str]:
    sentences: list[str] = []
    shares: list[str] = []
    for readout, other in ((comparison.a, comparison.b), (comparison.b, comparison.a)):
        counts = _coverage_counts(comparison, readout)
        total_words = sum(w for _, w in counts.values())
        name = _readout_name(readout)
        sentences.append(
            f"{name[0].upper()}{name[1:]} has {_plural(len(readout.statements), 'statement')}: "
            f"{counts['shared'][0]} shared with {_readout_name(other)}, "
            f"{counts['emphasis'][0]} differing in emphasis, "
            f"{counts['omission'][0]} with no counterpart."
        )
        shares.append(f"{_percent(counts['shared'][1], total_words)} of {name}")
    n_shared = sum(1 for link in comparison.links if link.label == "shared")
    n_emphasis = len(comparison.links) - n_shared
    sentences.append(f"By words, {shares[0]} and {shares[1]} are shared.")
    sentences.append(
        f"The alignment has {_plural(len(comparison.links), 'link')} "
        f"({n_shared} shared, {n_emphasis} emphasis)."
    )
    return ["## Summary", "", " ".join(sentences), ""]


def _coverage(comparison: Comparison) -> list[str]:
    rows = []
    for readout in comparison.readouts:
        counts = _coverage_counts(comparison, readout)
        total_words = sum(w for _, w in counts.values())
        cells = [f"{n} ({_percent(w, total_words)})" for n, w in (counts[k] for k in ("shared", "emphasis", "omission"))]
        rows.append([f"{escape_inline(readout.side)}: {readout_label(readout)}", str(len(readout.statements)), *cells])
    header = ["Readout", "Statements", "Shared", "Emphasis", "Omitted"]
    return [
        "## Coverage",
        "",
        *md_table(header, ["---", "---:", "---:", "---:", "---:"], rows),
        "",
        "Each cell: statements (share of the readout's words in them).",
        "",
    ]


def _relation(link: Link | None, only_side: str) -> str:
    if link is None:
        return f"{only_side} only"
    text = f"{link.label} {_score(link.score)}"
    codes = list(dict.fromkeys(reason.code for reason in link.reasons))
    if codes:
        text += ": " + ", ".join(escape_inline(code) for code in codes)
    return text + analyst_mark(link.by, link.note)


def _aligned(comparison: Comparison) -> list[str]:
    a, b = comparison.a, comparison.b
    rows = []
    for a_ids, b_ids, link in aligned_rows(comparison):
        a_st, b_st = _statements(a, a_ids), _statements(b, b_ids)
        emphasis = link is not None and link.label == "emphasis"
        # Only emphasis rows mark words; the others need no tokens, which long statements make costly.
        a_tok = [tokenise(visible_controls(st.text)) if emphasis else _whole(st.text) for st in a_st]
        b_tok = [tokenise(visible_controls(st.text)) if emphasis else _whole(st.text) for st in b_st]
        a_marked: frozenset[int] = frozenset()
        b_marked: frozenset[int] = frozenset()
        if emphasis:
            a_marked, b_marked = marked_words([t for ts in a_tok for t in ts], [t for ts in b_tok for t in ts])
        relation = _relation(link, a.side if a_ids else b.side)
        rows.append([_cell(a_st, a_tok, a_marked), relation, _cell(b_st, b_tok, b_marked)])
    header = [f"A: {readout_label(a)}", "Relation", f"B: {readout_label(b)}"]
    intro = (
        "Rows follow the reading order of A, and every statement is quoted in full. A statement "
        "with no counterpart has a row of its own; one of B's comes after the B statement it "
        "follows in the text. In emphasis rows, **bold** marks the words only that side has."
    )
    texts = [st.text for r in comparison.readouts for st in r.statements]
    if any(SINGLE_BREAK.search(t) for t in texts):
        intro += f" Line breaks inside a statement are shown as spaces, blank lines as {PARAGRAPH_MARK}."
    if any(CONTROL.search(t) for t in texts):
        intro += " Control characters are shown as symbols (\u241b for ESC, \ufffd where none exists)."
    return ["## Aligned statements", "", intro, "", *md_table(header, ["---", "---", "---"], rows), ""]


def _omissions(comparison: Comparison) -> list[str]:
    lines = ["## Omissions", ""]
    for readout, other in ((comparison.a, comparison.b), (comparison.b, comparison.a)):
        lines += [f"### Only in {readout_label(readout)} (not reported by {readout_label(other)})", ""]
        omitted = comparison.omissions.get(readout.side, ())
        if not omitted:
            lines += [f"None: every statement of {_readout_name(readout)} has a counterpart.", ""]
            continue
        for st in _statements(readout, omitted):
            review = comparison.review
            mark = analyst_mark("analyst", review.omission_note(st.id)) if review and st.id in review.analyst_omissions else ""
            lines.append(f"- {code_id(st.id)} {escape_inline(st.text)}{mark}".rstrip())
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


def _reasons(comparison: Comparison) -> list[str]:
    with_reasons = [link for _, _, link in aligned_rows(comparison) if link is not None and link.reasons]
    if not with_reasons:
        return []
    lines = ["## Reasons for emphasis", ""]
    for link in with_reasons:
        ids = ", ".join(code_id(i) for i in link.a) + " \u2194 " + ", ".join(code_id(i) for i in link.b)
        lines += [f"### {ids} ({escape_inline(link.label)} {_score(link.score)})", ""]
        for reason in link.reasons:
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
    if isinstance(generated, datetime):
        stamp = generated.isoformat(timespec="seconds")
    elif isinstance(generated, date):
        stamp = generated.isoformat()
    else:
        stamp = generated
    names = list(sources) if sources is not None else [None, None]
    names = (names + [None, None])[:2]
    a, b = comparison.a, comparison.b
    lines = [f"# {readout_label(a)} vs {readout_label(b)}: readouts compared", ""]
    lines += provenance_lines(
        comparison.readouts, comparison.model, comparison.thresholds, version, stamp, names,
        (*comparison.notes, *correction_notes(comparison)),
    )
    lines += _summary(comparison)
    lines += _coverage(comparison)
    lines += _aligned(comparison)
    lines += _omissions(comparison)
    lines += _reasons(comparison)
    lines += profile_section(comparison)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(line.rstrip() for line in lines) + "\n"
