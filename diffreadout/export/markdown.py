"""The Markdown report: a pure function from a Comparison to GitHub-flavoured Markdown.

Every statement is quoted verbatim; only escaping changes how it is written. Readout text can
never change the report's structure (tables, lists, headings) or pass HTML through, and
control characters are shown as visible symbols so a report cannot drive a terminal.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from datetime import date, datetime
from pathlib import PurePath

from diffreadout.model import Comparison, Link, Readout, Statement

# --- escaping -------------------------------------------------------------------------------

_LINE_BREAK_RUN = re.compile(r"[ \t]*(?:\r\n|[\n\r\v\f\x85\u2028\u2029])(?:[ \t]*(?:\r\n|[\n\r\v\f\x85\u2028\u2029]))*[ \t]*")
_SINGLE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")
PARAGRAPH_MARK = "\u00b6"  # shown where a statement holds a blank line
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
_BACKSLASHED = frozenset("\\`*_[]|~$#")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_LEADING_BLOCK_MARK = re.compile(r"[ \t]*(?:[-+=]|\d{1,9}[.)](?=[ \t]|$))")
# Punctuation that joins two word characters into one word: Lavrov's, build-up, 2.5, 1,000.
_WORD_JOINERS = frozenset("'\u2019-\u2010\u2011.,:/_")
_AUTOLINK_TRIGGER = re.compile(r"(?<=[A-Za-z0-9]):(?=//)|(?<=\b[Ww][Ww][Ww])\.")
_SAFE_ID = re.compile(r"[A-Za-z0-9]+")


def visible_controls(text: str) -> str:
    """Replace line breaks by spaces and control characters by visible symbols.

    A single line break becomes a space (as Markdown itself reads a soft break); a run with
    a blank line becomes `` ¶ ``. C0 controls become their Unicode Control Pictures (ESC is
    ``␛``), DEL is ``␡``; C1 controls, bidirectional overrides/isolates and lone surrogates
    become U+FFFD. Tabs are kept.
    """

    def join_break(match: re.Match[str]) -> str:
        breaks = len(_SINGLE_BREAK.findall(match.group(0)))
        return f" {PARAGRAPH_MARK} " if breaks > 1 else " "

    text = _LINE_BREAK_RUN.sub(join_break, text)
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch == "\t" or (code >= 0x20 and code != 0x7F and not 0x80 <= code <= 0x9F):
            if code in _BIDI_CONTROLS or 0xD800 <= code <= 0xDFFF:
                out.append("\ufffd")
            else:
                out.append(ch)
        elif code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        else:
            out.append("\ufffd")
    return "".join(out)


def _escape_char(ch: str) -> str:
    if ch in _BACKSLASHED:
        return "\\" + ch
    return _ENTITIES.get(ch, ch)


def _context_escapes(text: str) -> frozenset[int]:
    """Indexes of characters that need a backslash only where they stand.

    A leading list marker or heading underline, and the ``:`` of ``scheme://`` and the ``.``
    of ``www.``, which GitHub would otherwise turn into links.
    """
    positions = {m.start() for m in _AUTOLINK_TRIGGER.finditer(text)}
    match = _LEADING_BLOCK_MARK.match(text)
    if match:
        positions.add(match.end() - 1)
    return frozenset(positions)


def escape_inline(text: str) -> str:
    """Escape text so it renders verbatim as inline Markdown, on one line, with no HTML.

    Leading and trailing whitespace is dropped (Markdown would not show it, and after a list
    marker it would shift the item's indentation).
    """
    return _render_tokens(_tokenise(visible_controls(text).strip()), frozenset())


# --- tokens and the word-level diff ---------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    start: int
    text: str
    kind: str  # "space", "punct" or "word"


@functools.lru_cache(maxsize=8192)
def _char_kind(ch: str) -> str:
    if ch.isspace():
        return "space"
    category = unicodedata.category(ch)
    if category[0] in "PS":
        return "punct"
    if _is_cjk(ch):
        return "cjk"
    return "word"


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    )


def _tokenise(text: str) -> list[_Token]:
    """Split text into whitespace runs, single punctuation marks, words and single CJK characters.

    Word tokens never begin or end with punctuation, so emphasis markers put around runs of
    words always open and close under CommonMark's flanking rules, even between CJK characters.
    """
    tokens: list[_Token] = []
    kinds = [_char_kind(ch) for ch in text]
    i = 0
    while i < len(text):
        kind = kinds[i]
        j = i + 1
        if kind == "space":
            while j < len(text) and kinds[j] == kind:
                j += 1
        elif kind == "word":
            while j < len(text) and (
                kinds[j] == "word"
                or (text[j] in _WORD_JOINERS and j + 1 < len(text) and kinds[j + 1] == "word")
            ):
                j += 1
        tokens.append(_Token(i, text[i:j], "word" if kind == "cjk" else kind))
        i = j
    return tokens


def _render_tokens(tokens: Sequence[_Token], marked: frozenset[int]) -> str:
    """Escape tokens, wrapping each run of marked word tokens (by position) in ``**``."""
    text = "".join(t.text for t in tokens)
    contextual = _context_escapes(text)
    opens: set[int] = set()
    closes: set[int] = set()
    last: int | None = None  # the last marked word of the run being read
    for k, token in enumerate(tokens):
        if token.kind != "word":
            continue
        if k in marked:
            if last is None:
                opens.add(k)
            last = k
        elif last is not None:
            closes.add(last)
            last = None
    if last is not None:
        closes.add(last)
    out: list[str] = []
    for k, token in enumerate(tokens):
        if k in opens:
            out.append("**")
        for offset, ch in enumerate(token.text):
            out.append("\\" + ch if token.start + offset in contextual else _escape_char(ch))
        if k in closes:
            out.append("**")
    return "".join(out)


def _marked_words(left: Sequence[_Token], right: Sequence[_Token]) -> tuple[frozenset[int], frozenset[int]]:
    """Positions of the word tokens that only one side has (casefolded word-level diff)."""
    left_pos = [k for k, t in enumerate(left) if t.kind == "word"]
    right_pos = [k for k, t in enumerate(right) if t.kind == "word"]
    matcher = difflib.SequenceMatcher(
        a=[left[k].text.casefold() for k in left_pos],
        b=[right[k].text.casefold() for k in right_pos],
        autojunk=False,
    )
    only_left: set[int] = set()
    only_right: set[int] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            only_left.update(left_pos[i1:i2])
            only_right.update(right_pos[j1:j2])
    return frozenset(only_left), frozenset(only_right)


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


def _id(statement_id: str) -> str:
    return f"`{statement_id}`" if _SAFE_ID.fullmatch(statement_id) else escape_inline(statement_id)


def _label(readout: Readout) -> str:
    return escape_inline(readout.label or readout.side)


def _readout_name(readout: Readout) -> str:
    """'the Russian MFA readout' (without doubling 'readout')."""
    label = _label(readout)
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


def _cell(statements: Sequence[Statement], tokens: Sequence[Sequence[_Token]], marked: frozenset[int]) -> str:
    """Statements of one side of a row, each prefixed by its id; marked positions are global."""
    parts: list[str] = []
    base = 0
    for st, toks in zip(statements, tokens):
        local = frozenset(k - base for k in marked if base <= k < base + len(toks))
        parts.append(f"{_id(st.id)} {_render_tokens(toks, local)}".rstrip())
        base += len(toks)
    return " ".join(parts) if parts else "\u2014"


def _table(header: Sequence[str], align: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    lines = [line(header), "|" + "|".join(align) + "|"]
    lines.extend(line(r) for r in rows)
    return lines


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


def _provenance(comparison: Comparison, version: str, generated: str, sources: Sequence[str | None]) -> list[str]:
    lines = ["## Provenance", ""]
    for readout, source in zip(comparison.readouts, sources):
        lines.append(
            f"- {escape_inline(readout.side)}: {_label(readout)}: file {escape_inline(_source_name(readout, source))}, "
            f"{_plural(readout.word_count, 'word')}, {_plural(len(readout.statements), 'statement')}, "
            f"sha256 {_hash(readout.sha256)}"
        )
    thresholds = ", ".join(f"{escape_inline(name)} {value:g}" for name, value in comparison.thresholds)
    lines += [
        f"- diffreadout version: {escape_inline(version)}",
        f"- Model: {escape_inline(comparison.model.name)}, sha256 {_hash(comparison.model.sha256)}",
        f"- Thresholds: {thresholds or 'none recorded'}",
        f"- Generated: {escape_inline(generated)}",
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
        rows.append([f"{escape_inline(readout.side)}: {_label(readout)}", str(len(readout.statements)), *cells])
    header = ["Readout", "Statements", "Shared", "Emphasis", "Omitted"]
    return [
        "## Coverage",
        "",
        *_table(header, ["---", "---:", "---:", "---:", "---:"], rows),
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
    return text


def _aligned(comparison: Comparison) -> list[str]:
    a, b = comparison.a, comparison.b
    rows = []
    for a_ids, b_ids, link in aligned_rows(comparison):
        a_st, b_st = _statements(a, a_ids), _statements(b, b_ids)
        a_tok = [_tokenise(visible_controls(st.text)) for st in a_st]
        b_tok = [_tokenise(visible_controls(st.text)) for st in b_st]
        a_marked: frozenset[int] = frozenset()
        b_marked: frozenset[int] = frozenset()
        if link is not None and link.label == "emphasis":
            a_marked, b_marked = _marked_words([t for ts in a_tok for t in ts], [t for ts in b_tok for t in ts])
        relation = _relation(link, a.side if a_ids else b.side)
        rows.append([_cell(a_st, a_tok, a_marked), relation, _cell(b_st, b_tok, b_marked)])
    header = [f"A: {_label(a)}", "Relation", f"B: {_label(b)}"]
    intro = (
        "Rows follow the reading order of A, and every statement is quoted in full. A statement "
        "with no counterpart has a row of its own; one of B's comes after the B statement it "
        "follows in the text. In emphasis rows, **bold** marks the words only that side has."
    )
    texts = [st.text for r in comparison.readouts for st in r.statements]
    if any(_SINGLE_BREAK.search(t) for t in texts):
        intro += f" Line breaks inside a statement are shown as spaces, blank lines as {PARAGRAPH_MARK}."
    if any(_CONTROL.search(t) for t in texts):
        intro += " Control characters are shown as symbols (\u241b for ESC, \ufffd where none exists)."
    return ["## Aligned statements", "", intro, "", *_table(header, ["---", "---", "---"], rows), ""]


def _omissions(comparison: Comparison) -> list[str]:
    lines = ["## Omissions", ""]
    for readout, other in ((comparison.a, comparison.b), (comparison.b, comparison.a)):
        lines += [f"### Only in {_label(readout)} (not reported by {_label(other)})", ""]
        omitted = comparison.omissions.get(readout.side, ())
        if not omitted:
            lines += [f"None: every statement of {_readout_name(readout)} has a counterpart.", ""]
            continue
        for st in _statements(readout, omitted):
            lines.append(f"- {_id(st.id)} {escape_inline(st.text)}".rstrip())
            nearest = comparison.nearest.get(st.id)
            if nearest is None or nearest.other_id is None:
                lines.append(f"  - nearest in {_label(other)}: none")
                continue
            (candidate,) = _statements(other, [nearest.other_id])
            lines.append(
                f"  - nearest in {_label(other)}, score {_score(nearest.score)}: "
                f"{_id(candidate.id)} {escape_inline(candidate.text)}".rstrip()
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
        ids = ", ".join(_id(i) for i in link.a) + " \u2194 " + ", ".join(_id(i) for i in link.b)
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


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _found_value(found: object) -> str:
    """A metadata finding as 'value ("quoted text", A2)', or an em dash when not stated."""
    item = _dict(found)
    if not item:
        return "—"
    value = escape_inline(str(item.get("value", "")))
    quoted = escape_inline(str(item.get("text", "")))
    where = item.get("statement_id")
    return f"{value} (“{quoted}”, {_id(str(where))})" if where else value


def _meeting(comparison: Comparison) -> list[str]:
    """Meeting metadata side by side: initiator, format, date, place, length."""
    meta = _dict(comparison.profile.get("meeting"))
    a, b = comparison.a, comparison.b
    if not meta:
        return []
    differs = {str(d.get("field")): str(d.get("note", "")) for d in map(_dict, _list(comparison.profile.get("meeting_differences")))}
    rows = []
    for field in ("initiator", "format", "date", "place"):
        cells = [_found_value(_dict(meta.get(r.side)).get(field)) for r in (a, b)]
        rows.append([field, *cells, escape_inline(differs.get(field, ""))])
    words = [str(_dict(meta.get(r.side)).get("words", r.word_count)) for r in (a, b)]
    rows.append(["length (words)", *words, escape_inline(differs.get("words", ""))])
    header = ["As stated", _label(a), _label(b), "Difference"]
    return ["## The meeting as each side states it", "", *_table(header, ["---"] * 4, rows), ""]


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
    header = ["Topic (keywords)", f"{_label(a)}: rank", "share", f"{_label(b)}: rank", "share", "Flag"]
    return [
        "## Topics: order and space",
        "",
        "Rank is the order of first mention in each readout; share is the topic's share of that readout's words.",
        "",
        *_table(header, ["---", "---:", "---:", "---:", "---:", "---"], rows),
        "",
    ]


def _profile(comparison: Comparison) -> list[str]:
    if not comparison.profile:
        return []
    return [*_meeting(comparison), *_topics(comparison)]


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
    lines = [f"# {_label(a)} vs {_label(b)}: readouts compared", ""]
    lines += _provenance(comparison, version, stamp, names)
    lines += _summary(comparison)
    lines += _coverage(comparison)
    lines += _aligned(comparison)
    lines += _omissions(comparison)
    lines += _reasons(comparison)
    lines += _profile(comparison)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(line.rstrip() for line in lines) + "\n"
