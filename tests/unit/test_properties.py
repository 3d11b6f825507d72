"""Properties over arbitrary text (hypothesis), end to end from bytes to the exports.

test_segment.py already checks the segmenter's span invariants on arbitrary strings; here the
same invariants are checked after decoding and in the JSON, and the pipeline and the exports
are checked on arbitrary readouts: swapping A and B mirrors the alignment, the same input
gives the same result, the JSON round-trips, and every Markdown table keeps its columns.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from diffreadout.core.similarity.embed import HashingEmbedder
from diffreadout.core.pipeline import compare, make_readout
from diffreadout.export.json import dumps, loads
from diffreadout.export.markdown import aligned_rows, render_markdown, visible_controls
from diffreadout.inputs.sources import InputError, decode_bytes
from diffreadout.model import Comparison

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words that make statements link, and characters that make trouble for every layer.
WORDS = st.sampled_from(
    "Lavrov Wang Yi ministers discussed trade energy Ukraine sanctions nuclear talks said firmly "
    "opposes supports China Russia U.S. 2.5 1,000 王毅 会谈 Лавров переговоры".split()
)
TROUBLE = st.sampled_from(
    list("|\\`*_[]<>&#~$!-+=.:;,?\"'“”«»()。！？…\t\u3000\u200b\u202e\u2066\u0301")
    + ["\x1b[31m", "\x1b]52;c;SGVsbG8=\x07", "\x9b", "\x00", "\x7f", "\r\n", "\n\n", "\n", "https://x.y", "www.x"]
    + ["[bold]", "[/]", "[@click=app.quit]", "<script>", "1. ", "- ", "# ", "> ", "```", "    ", "&amp;"]
)
PIECES = st.one_of(WORDS.map(lambda w: w + " "), TROUBLE, st.characters(codec="utf-8"))
TEXT = st.lists(PIECES, min_size=1, max_size=60).map("".join)
SENTENCES = st.lists(st.lists(WORDS, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=8)


def _normalised(text: str) -> str:
    """What reading a UTF-8 file gives: no BOM, newlines as Python's text mode makes them."""
    return re.sub(r"\r\n?", "\n", text.removeprefix("\ufeff"))


def _compare(text_a: str, text_b: str) -> Comparison:
    readouts = [make_readout("A", "first", "a.txt", text_a), make_readout("B", "second", "b.txt", text_b)]
    return compare(readouts, embedder=HashingEmbedder())


def _check_offsets(text: str, spans: list[tuple[int, int, str]]) -> None:
    """Offsets slice the text exactly, in order, and cover all of its non-space text."""
    previous_end = 0
    for start, end, statement in spans:
        assert text[start:end] == statement
        assert previous_end <= start < end
        assert not text[previous_end:start].strip()
        previous_end = end
    assert not text[previous_end:].strip()


# --- offsets, from bytes on ----------------------------------------------------------------


@SETTINGS
@given(TEXT, st.sampled_from(["sentences", "lines"]))
def test_decoded_statements_slice_and_cover_the_text(text: str, mode: str) -> None:
    try:
        decoded, encoding = decode_bytes(text.encode("utf-8"), "x.txt")
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    if "\x00" not in text:  # with NUL bytes, UTF-8 and UTF-16 can read alike
        assert decoded == _normalised(text)
        assert encoding in ("utf-8", "utf-8-sig")
    readout = make_readout("A", "a", "a.txt", decoded, segment_mode=mode)
    _check_offsets(decoded, [(s.start, s.end, s.text) for s in readout.statements])


@SETTINGS
@given(TEXT, TEXT)
def test_json_offsets_slice_the_json_text(text_a: str, text_b: str) -> None:
    data = loads(dumps(_compare(text_a, text_b)))
    for readout in data.readouts:
        _check_offsets(readout.text, [(s.start, s.end, s.text) for s in readout.statements])


# --- alignment -----------------------------------------------------------------------------


def _mirror(comparison: Comparison) -> tuple[set[tuple[int, int, str]], tuple[int, ...], tuple[int, ...]]:
    """Links as (A index, B index, label) pairs and omissions by index, sides swapped."""
    a, b = comparison.readouts
    index = {st.id: st.index for st in (*a.statements, *b.statements)}
    pairs = {(index[y], index[x], link.label) for link in comparison.links for x in link.a for y in link.b}
    omitted = {side: tuple(index[i] for i in ids) for side, ids in comparison.omissions.items()}
    return pairs, omitted["B"], omitted["A"]


def _plain(comparison: Comparison) -> tuple[set[tuple[int, int, str]], tuple[int, ...], tuple[int, ...]]:
    a, b = comparison.readouts
    index = {st.id: st.index for st in (*a.statements, *b.statements)}
    pairs = {(index[x], index[y], link.label) for link in comparison.links for x in link.a for y in link.b}
    omitted = {side: tuple(index[i] for i in ids) for side, ids in comparison.omissions.items()}
    return pairs, omitted["A"], omitted["B"]


@SETTINGS
@given(SENTENCES, SENTENCES, st.sampled_from([". ", ".\n", "\n\n"]))
def test_swapping_a_and_b_mirrors_the_alignment(a_sentences: list[str], b_sentences: list[str], joint: str) -> None:
    text_a, text_b = joint.join(a_sentences) + ".", joint.join(b_sentences) + "."
    forward, backward = _compare(text_a, text_b), _compare(text_b, text_a)
    assert _plain(forward) == _mirror(backward)


@SETTINGS
@given(TEXT, TEXT)
def test_the_same_input_gives_the_same_result(text_a: str, text_b: str) -> None:
    first = _compare(text_a, text_b)
    assert _compare(text_a, text_b) == first
    assert dumps(_compare(text_a, text_b)) == dumps(first)


# --- exports -------------------------------------------------------------------------------


@SETTINGS
@given(TEXT, TEXT)
def test_json_round_trips(text_a: str, text_b: str) -> None:
    comparison = _compare(text_a, text_b)
    assert loads(dumps(comparison)) == comparison


MD = MarkdownIt("commonmark").enable("table")


def _unescaped_pipes(line: str) -> int:
    count, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        count += line[i] == "|"
        i += 1
    return count


def _cell_text(inline: object) -> str:
    children = getattr(inline, "children", None) or []
    return "".join(c.content for c in children if c.type in ("text", "code_inline"))


def _rows(tokens: list) -> list[list[list[str]]]:  # type: ignore[type-arg]
    """Each table as rows of cell texts."""
    tables: list[list[list[str]]] = []
    in_cell = False
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "inline" and in_cell:
            tables[-1][-1].append(_cell_text(token))
    return tables


@SETTINGS
@given(TEXT, TEXT)
def test_every_markdown_table_keeps_its_columns(text_a: str, text_b: str) -> None:
    comparison = _compare(text_a, text_b)
    report = render_markdown(comparison, version="0", generated="2025-01-01")
    lines = report.splitlines()
    # In the source: every line of a table has as many cell separators as its header.
    block: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            widths = {_unescaped_pipes(row) for row in block}
            assert len(widths) == 1, block
            block = []
    # As parsed: the aligned table has one row per aligned row, and each statement cell reads
    # back the statements' text (so no separator inside a text cut a cell short).
    tables = _rows(MD.parse(report))
    aligned = next(t for t in tables if t and len(t[0]) == 3 and t[0][1] == "Relation")
    rows = aligned_rows(comparison)
    assert len(aligned) == 1 + len(rows)
    for (a_ids, b_ids), cells in zip([(r.a, r.b) for r in rows], aligned[1:]):
        assert len(cells) == 3
        for ids, readout, cell in ((a_ids, comparison.a, cells[0]), (b_ids, comparison.b, cells[2])):
            expected = " ".join(f"{i} {visible_controls(readout.statement(i).text)}" for i in ids) or "\u2014"
            assert "".join(cell.split()) == "".join(expected.split())
