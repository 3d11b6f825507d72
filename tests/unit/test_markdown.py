"""The Markdown report: contents and order, valid GFM tables, exact quotes, hostile text."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from diffreadout.core.similarity.embed import HashingEmbedder
from diffreadout.core.pipeline import compare, make_readout, readout_from_spans
from diffreadout.export.markdown import aligned_rows, escape_inline, relations, render_markdown, visible_controls
from diffreadout.model import Comparison, Link, ModelInfo, Nearest, Readout, Reason, Span

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ALLOWED_TAGS = {"h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "strong", "code"}
TERMINAL_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


# --- building comparisons by hand -----------------------------------------------------------


def make(side: str, label: str, statements: list[str]) -> Readout:
    """A readout whose statements are the given strings, separated by one space."""
    spans, pos = [], 0
    for text in statements:
        spans.append((pos, pos + len(text)))
        pos += len(text) + 1
    return readout_from_spans(side, label, f"{side.lower()}.txt", " ".join(statements), spans)


def build(
    a: Readout,
    b: Readout,
    links: list[tuple[list[str], list[str], str]],
    *,
    reasons: tuple[Reason, ...] = (),
    profile: dict[str, object] | None = None,
) -> Comparison:
    """A Comparison with these links; every unlinked statement is an omission."""
    made = tuple(
        Link(tuple(la), tuple(lb), label, 0.5 + 0.1 * k, (("semantic", 0.5),), reasons if k == 0 else ())  # type: ignore[arg-type]
        for k, (la, lb, label) in enumerate(links)
    )
    linked = {i for link in made for i in (*link.a, *link.b)}
    omissions = {r.side: tuple(st.id for st in r.statements if st.id not in linked) for r in (a, b)}
    nearest = {}
    for readout, other in ((a, b), (b, a)):
        for sid in omissions[readout.side]:
            nearest[sid] = Nearest(sid, other.statements[0].id if other.statements else None, 0.25)
    return Comparison(
        readouts=(a, b),
        links=made,
        omissions=omissions,
        nearest=nearest,
        model=ModelInfo("fake-hashing", "ab" * 32),
        thresholds=(("link", 0.55), ("mutual", 0.4), ("shared", 0.72)),
        profile=profile or {},
    )


def render(comparison: Comparison) -> str:
    return render_markdown(comparison, version="0.1.0", generated="2025-02-21")


# --- reading the report back with markdown-it ----------------------------------------------


def walk(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        out.extend(walk(token.children or []))
    return out


def tables(tokens: list[Token]) -> list[list[list[Token]]]:
    """Each table as rows of cells, each cell being its inline token."""
    found: list[list[list[Token]]] = []
    current: list[list[Token]] | None = None
    row: list[Token] | None = None
    in_cell = False
    for token in tokens:
        if token.type == "table_open":
            current = []
        elif token.type == "table_close":
            assert current is not None
            found.append(current)
            current = None
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            assert current is not None and row is not None
            current.append(row)
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "inline" and in_cell and row is not None:
            row.append(token)
    return found


def plain(inline: Token) -> str:
    """The text a reader sees in an inline token, ids (code spans) left out."""
    return "".join(c.content for c in walk(inline.children or []) if c.type == "text")


def strong_texts(inline: Token) -> list[str]:
    out, depth, buf = [], 0, ""
    for c in inline.children or []:
        if c.type == "strong_open":
            depth, buf = depth + 1, ""
        elif c.type == "strong_close":
            depth -= 1
            out.append(buf)
        elif depth and c.type == "text":
            buf += c.content
    return out


def check_structure(report: str) -> list[Token]:
    """Every table has a constant column count; no HTML, link or image token anywhere."""
    tokens = MD.parse(report)
    everything = walk(tokens)
    kinds = {t.type for t in everything}
    assert not kinds & {"html_inline", "html_block", "link_open", "image", "s_open", "em_open", "fence", "code_block"}
    for table in tables(tokens):
        widths = {len(row) for row in table}
        assert len(widths) == 1, widths
    html = MD.render(report)
    assert set(re.findall(r"</?([a-zA-Z0-9]+)", html)) <= ALLOWED_TAGS
    assert not TERMINAL_CONTROLS.search(report)
    return tokens


def headings(tokens: list[Token]) -> list[str]:
    return [tokens[k + 1].content for k, t in enumerate(tokens) if t.type == "heading_open"]


def block_shape(tokens: list[Token]) -> list[tuple[str, str, int]]:
    return [(t.type, t.tag, t.level) for t in tokens]


# --- contents and order ---------------------------------------------------------------------


def sample() -> Comparison:
    a = make(
        "A",
        "Russian MFA",
        [
            "Lavrov held talks with Wang Yi.",
            "Russia firmly opposes the deployment of missiles in Asia.",
            "Trade grew by 5 percent.",
            "The ministers agreed to stay in touch.",
        ],
    )
    b = make(
        "B",
        "Chinese MFA",
        [
            "Wang Yi met Lavrov.",
            "Lavrov held talks with Wang Yi.",
            "China supports peace talks.",
            "Russia expressed concern over the deployment of missiles in Asia.",
            "The ministers agreed to stay in touch.",
        ],
    )
    return build(a, b, [(["A1"], ["B2"], "shared"), (["A2"], ["B4"], "emphasis"), (["A4"], ["B5"], "shared")])


def test_sections_in_the_order_of_the_issue() -> None:
    tokens = check_structure(render(sample()))
    assert headings(tokens) == [
        "Russian MFA vs Chinese MFA: readouts compared",
        "Provenance",
        "Summary",
        "Coverage",
        "Aligned statements",
        "Omissions",
        "Only in Russian MFA (not reported by Chinese MFA)",
        "Only in Chinese MFA (not reported by Russian MFA)",
        # The sample's emphasis link has no engine reason: the marked words explain it.
        "Reasons for emphasis",
        "`A2` ↔ `B4` (emphasis 0.60)",
    ]


def test_provenance_names_files_hashes_words_version_model_thresholds_and_date() -> None:
    comparison = sample()
    report = render_markdown(comparison, version="9.8.7", generated=datetime(2025, 2, 21, 10, 30, tzinfo=timezone.utc))
    section = report.split("## Provenance")[1].split("## Summary")[0]
    for readout in comparison.readouts:
        assert f"file {readout.source}, {readout.word_count} words" in section
        assert readout.sha256 in section
    assert "diffreadout version: 9.8.7" in section
    assert f"Model: fake-hashing, sha256 `{'ab' * 32}`" in section
    assert "Thresholds: link 0.55, mutual 0.4, shared 0.72" in section
    assert "Generated: 2025-02-21T10:30:00+00:00" in section


def test_source_names_are_file_names_stdin_or_given() -> None:
    comparison = sample()
    a = Readout("A", "X", "/home/someone/private/a.txt", "x", ())
    b = Readout("B", "Y", "-", "y", ())
    bare = Comparison((a, b), (), {"A": (), "B": ()}, {}, ModelInfo("m", ""))
    report = render(bare)
    assert "file a.txt" in report and "/home/someone" not in report
    assert "file standard input" in report and "sha256 unknown" in report
    report = render_markdown(comparison, version="1", generated="today", sources=["ru.txt", "zh.txt"])
    assert "file ru.txt" in report and "file zh.txt" in report


def test_summary_is_written_from_the_figures() -> None:
    report = render(sample())
    summary = report.split("## Summary")[1].split("## Coverage")[0]
    assert (
        "The Russian MFA readout has 4 statements: 2 shared with the Chinese MFA readout, "
        "1 differing in emphasis, 1 with no counterpart." in summary
    )
    assert "The Chinese MFA readout has 5 statements: 2 shared with the Russian MFA readout, " in summary
    assert "2 with no counterpart." in summary
    assert "The alignment has 3 links (2 shared, 1 emphasis) in 3 rows." in summary


def test_coverage_table_counts_statements_and_word_shares() -> None:
    tokens = check_structure(render(sample()))
    coverage = tables(tokens)[0]
    assert [plain(c) for c in coverage[0]] == ["Readout", "Statements", "Shared", "Emphasis", "Omitted"]
    # A: 6 + 9 + 5 + 7 = 27 words; shared 13, emphasis 9, omitted 5.
    assert [plain(c) for c in coverage[1]] == ["A: Russian MFA", "4", "2 (48%)", "1 (33%)", "1 (19%)"]
    assert [plain(c) for c in coverage[2]][:2] == ["B: Chinese MFA", "5"]


def test_aligned_table_rows_follow_a_with_b_omissions_in_place() -> None:
    comparison = sample()
    rows = aligned_rows(comparison)
    assert [(list(r.a), list(r.b)) for r in rows] == [
        ([], ["B1"]),
        (["A1"], ["B2"]),
        ([], ["B3"]),
        (["A2"], ["B4"]),
        (["A3"], []),
        (["A4"], ["B5"]),
    ]
    table = tables(check_structure(render(comparison)))[1]
    assert [plain(c) for c in table[0]] == ["A: Russian MFA", "Relation", "B: Chinese MFA"]
    assert len(table) == 1 + len(rows)
    assert [plain(row[1]) for row in table[1:]] == [
        "B only",
        "shared 0.50",
        "B only",
        "emphasis 0.60: wording",
        "A only",
        "shared 0.70",
    ]


def test_b_omissions_after_one_link_keep_b_order() -> None:
    a = make("A", "A", ["Taiwan was discussed.", "Trade was discussed."])
    b = make("B", "B", ["Taiwan is a red line.", "Taiwan separatism.", "Ukraine.", "Taiwan again.", "Chips.", "Trade."])
    comparison = build(a, b, [(["A1"], ["B1", "B2", "B4"], "emphasis"), (["A2"], ["B6"], "shared")])
    assert [(list(r.a), list(r.b)) for r in aligned_rows(comparison)] == [
        (["A1"], ["B1", "B2", "B4"]),
        ([], ["B3"]),
        ([], ["B5"]),
        (["A2"], ["B6"]),
    ]


def test_emphasis_rows_mark_the_words_only_one_side_has() -> None:
    table = tables(check_structure(render(sample())))[1]
    a_cell, _, b_cell = table[4]
    assert strong_texts(a_cell) == ["firmly opposes"]
    assert strong_texts(b_cell) == ["expressed concern over"]
    shared_row = table[2]
    assert strong_texts(shared_row[0]) == [] and strong_texts(shared_row[2]) == []


def test_emphasis_marks_hold_in_chinese_and_next_to_punctuation() -> None:
    a = make("A", "A", ["中方同意加强合作，反对“台独”。", "Russia's *position* (firmly) held_fast, [sic]."])
    b = make("B", "B", ["中方决定加强合作，反对“台独”。", "Russia's *stance* (firmly) held_fast, [sic]."])
    comparison = build(a, b, [(["A1"], ["B1"], "emphasis"), (["A2"], ["B2"], "emphasis")])
    table = tables(check_structure(render(comparison)))[1]
    assert strong_texts(table[1][0]) == ["同意"] and strong_texts(table[1][2]) == ["决定"]
    assert strong_texts(table[2][0]) == ["position"] and strong_texts(table[2][2]) == ["stance"]
    for row, k in ((table[1], 0), (table[2], 1)):
        assert plain(row[0]).strip() == a.statements[k].text
        assert plain(row[2]).strip() == b.statements[k].text


def test_one_to_many_links_share_one_row() -> None:
    a = make("A", "A", ["Both sides discussed Ukraine and the Middle East."])
    b = make("B", "B", ["They discussed Ukraine.", "They discussed the Middle East."])
    comparison = build(a, b, [(["A1"], ["B1", "B2"], "shared")])
    table = tables(check_structure(render(comparison)))[1]
    assert len(table) == 2
    assert plain(table[1][2]) == " They discussed Ukraine.  They discussed the Middle East."


def test_omissions_list_the_nearest_candidate_and_score() -> None:
    report = render(sample())
    section = report.split("## Omissions")[1]
    assert (
        "- `A3` Trade grew by 5 percent.\n  - nearest in Chinese MFA, score 0.25: `B1` Wang Yi met Lavrov." in section
    )
    assert "- `B3` China supports peace talks.\n  - nearest in Russian MFA, score 0.25: `A1`" in section


def test_no_omissions_is_said_in_words() -> None:
    a = make("A", "A", ["Same."])
    b = make("B", "B", ["Same."])
    report = render(build(a, b, [(["A1"], ["B1"], "shared")]))
    assert "None: every statement of the A readout has a counterpart." in report


def test_reasons_are_shown_with_their_evidence_when_present() -> None:
    comparison = sample()
    reason = Reason(
        "strength", "A says opposes, B says concern", (Span("A", 33, 48), Span("B", 0, 6)), (("a", "firmly"),)
    )
    a, b = comparison.readouts
    with_reason = build(a, b, [(["A2"], ["B4"], "emphasis")], reasons=(reason,))
    tokens = check_structure(render(with_reason))
    report = render(with_reason)
    assert "Reasons for emphasis" in headings(tokens)
    assert "emphasis 0.50: strength" in report
    assert "- **strength**: A says opposes, B says concern" in report
    assert f"  - evidence: A 33–48 “{a.text[33:48]}”; B 0–6 “{b.text[0:6]}”\n  - fields: a: firmly\n" in report
    assert "### `A2` \u2194 `B4` (emphasis 0.50)" in report
    # Without an engine reason, the emphasis link is explained by its marked words, with evidence.
    derived = render(sample())
    assert "- **wording**: worded differently" in derived and "  - evidence: A " in derived


def test_shared_links_never_sit_under_reasons_for_emphasis() -> None:
    comparison = sample()
    a, b = comparison.readouts
    reason = Reason("detail", "only B gives a date", (Span("B", 0, 6),))
    report = render(build(a, b, [(["A1"], ["B2"], "shared")], reasons=(reason,)))
    assert "Reasons for emphasis" not in report and "shared 0.50: detail" not in report


def test_profile_renders_meeting_and_topic_tables() -> None:
    comparison = sample()
    a, b = comparison.readouts
    found = {"value": "us", "text": "at the request | of <b>US</b>", "statement_id": "B1", "start": 0, "end": 5}
    profile = {
        "meeting": {
            "A": {"initiator": None, "format": {"value": "telephone", "text": "call", "statement_id": "A1"}, "date": None, "place": None, "words": 10},
            "B": {"initiator": found, "format": None, "date": None, "place": None, "words": 30},
        },
        "meeting_differences": [{"field": "initiator", "note": "only B states the initiator"}],
        "topics": [
            {"id": "T1", "label": "ukraine | *crisis*", "rank": {"A": 1, "B": None}, "share": {"A": 0.5, "B": 0.0}},
            {"id": "T2", "label": "trade", "rank": {"A": 2, "B": 1}, "share": {"A": 0.25, "B": 0.75}},
        ],
        "topic_flags": [{"topic": "T1", "summary": "A leads with 'ukraine'; B leaves it out"}],
    }
    tokens = check_structure(render(build(a, b, [], profile=profile)))
    names = headings(tokens)
    assert "The meeting as each side states it" in names and "Topics: order and space" in names
    text = "".join(t.content for t in walk(tokens) if t.type == "text")
    assert "at the request | of <b>US</b>" in text
    assert "only B states the initiator" in text and "B leaves it out" in text
    assert "ukraine | *crisis*" in text and "75%" in text
    assert not any(t.type.startswith("html") for t in walk(tokens))
    assert "Topics: order and space" not in headings(check_structure(render(sample())))


def test_relations_agree_with_the_model() -> None:
    a = make("A", "A", ["One.", "Two.", "Three."])
    b = make("B", "B", ["Uno.", "Dos.", "Tres."])
    comparison = build(a, b, [(["A1"], ["B1"], "shared"), (["A1", "A2"], ["B2"], "emphasis")])
    found = relations(comparison)
    # The two links share A1: one row, emphasis, so B1 (only in the shared link) counts as emphasis
    # in both readouts' counts rather than as shared in one and not the other.
    assert found == {"A1": "emphasis", "A2": "emphasis", "B1": "emphasis", "B2": "emphasis"}
    assert [(r.a, r.b, r.relation) for r in aligned_rows(comparison)] == [
        (("A1", "A2"), ("B1", "B2"), "emphasis"), ((), ("B3",), "omission"), (("A3",), (), "omission")
    ]


def test_same_input_same_report() -> None:
    assert render(sample()) == render(sample())


def test_report_from_the_pipeline_parses_and_quotes_exactly() -> None:
    case = next(iter(sorted(p for p in FIXTURES.glob("*/case.json"))), None)
    if case is None:
        pytest.skip("no fixture pair yet")
    a = make_readout("A", "Russian MFA", "a.txt", (case.parent / "a.txt").read_text(encoding="utf-8"))
    b = make_readout("B", "Chinese MFA", "b.txt", (case.parent / "b.txt").read_text(encoding="utf-8"))
    comparison = compare([a, b], embedder=HashingEmbedder())
    tokens = check_structure(render(comparison))
    assert_quotes_exact(comparison, tokens)


def assert_quotes_exact(comparison: Comparison, tokens: list[Token]) -> None:
    """Every statement's text (controls made visible) is read back verbatim from its cell."""
    table = tables(tokens)[1]
    rows = aligned_rows(comparison)
    assert len(table) == 1 + len(rows)
    for (a_ids, b_ids), cells in zip([(r.a, r.b) for r in rows], table[1:]):
        for ids, readout, cell in ((a_ids, comparison.a, cells[0]), (b_ids, comparison.b, cells[2])):
            expected = " ".join(" " + visible_controls(readout.statement(i).text) for i in ids).strip()
            assert plain(cell).strip() == (expected or "\u2014")


# --- hostile text ---------------------------------------------------------------------------

HOSTILE = {
    "pipes": "Sides agreed | A | B || C |",
    "table-row": "| --- | --- |",
    "backticks": "Use `code` and ``` fences ```",
    "asterisks": "**bold** and *italic* and * star",
    "underscores": "__init__ and _italic_ and snake_case",
    "link": "[link](http://example.com) and [ref][1]",
    "image": "![img](http://example.com/x.png)",
    "autolink": "<http://example.com> and <a@b.c>",
    "bare-url": "see https://example.com/x and www.example.com now",
    "script": "<script>alert(1)</script>",
    "html": "<b>bold</b> <img src=x onerror=alert(1)> <div>",
    "html-comment": "<!-- hidden --> visible",
    "entity": "&amp; &lt;b&gt; &#124; &copy;",
    "leading-hash": "# Heading",
    "trailing-hashes": "Closing ##",
    "leading-gt": "> quoted",
    "leading-dash": "- item",
    "leading-plus": "+ item",
    "ordered-dot": "1. item",
    "ordered-paren": "1) item",
    "thematic-break": "---",
    "setext": "===",
    "newline": "first line\nsecond line",
    "blank-line": "first para\n\n# second para",
    "crlf": "first\r\n- second",
    "indented-code": "\n    indented code",
    "ansi": "\x1b[31mred\x1b[0m text",
    "osc52": "\x1b]52;c;ZXZpbA==\x07 clipboard",
    "c1-csi": "\x9b31m eight-bit",
    "nul-del": "nul\x00 del\x7f",
    "bidi": "abc\u202edcba",
    "dollar-math": "$x^2$ and $$y$$",
    "strikethrough": "~~struck~~ and ~one~",
    "backslash": "ends with a backslash \\",
    "footnote": "[^1] note",
}


def hostile_comparison(text: str) -> Comparison:
    a = make("A", f"Russia {text}", [text, "The ministers discussed trade and energy.", text])
    b = make("B", f"China {text}", [f"Officials said {text} today.", "The ministers discussed trade.", text])
    reason = Reason(
        f"code {text}", f"summary {text}", (Span("A", a.statements[0].start, a.statements[0].end),), ((text, text),)
    )
    return build(
        a,
        b,
        [(["A1"], ["B1"], "emphasis"), (["A2"], ["B2"], "shared")],
        reasons=(reason,),
        profile={text: [text, {text: text}]},
    )


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_cannot_change_the_structure(name: str) -> None:
    text = HOSTILE[name]
    report = render(hostile_comparison(text))
    tokens = check_structure(report)
    baseline = MD.parse(render(hostile_comparison("plain words")))
    assert block_shape(tokens) == block_shape(baseline)
    assert [plain(c) for c in tables(tokens)[1][0]] == [
        "A: " + visible_controls(f"Russia {text}").strip(),
        "Relation",
        "B: " + visible_controls(f"China {text}").strip(),
    ]
    assert_quotes_exact(hostile_comparison(text), tokens)
    shown = visible_controls(text).strip()
    omitted_items = [plain(t).strip() for t in tokens if t.type == "inline"]
    assert omitted_items.count(shown) >= 2  # A3 and B3 in the omission lists


@pytest.mark.parametrize("name", list(HOSTILE))
def test_escaped_text_is_one_paragraph_reading_the_same(name: str) -> None:
    text = HOSTILE[name]
    escaped = escape_inline(text)
    assert "\n" not in escaped
    tokens = MD.parse(escaped)
    shown = visible_controls(text).strip()
    if not shown:
        assert tokens == []
        return
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert [c.type for c in tokens[1].children or []] == ["text"]
    assert tokens[1].children[0].content == shown  # type: ignore[index]


def test_line_breaks_and_controls_are_shown_visibly() -> None:
    assert visible_controls("a\nb") == "a b"
    assert visible_controls("a \r\n\r\n b") == "a \u00b6 b"
    assert visible_controls("\x1b[31m") == "\u241b[31m"
    assert visible_controls("\x1b]52;c;x\x07") == "\u241b]52;c;x\u2407"
    assert visible_controls("\x7f\x9b\u202e") == "\u2421\ufffd\ufffd"
    assert visible_controls("tab\there") == "tab\there"


def test_a_note_says_how_breaks_and_controls_are_shown_only_when_needed() -> None:
    plain_report = render(sample())
    assert "Line breaks inside" not in plain_report and "Control characters" not in plain_report
    a = make("A", "A", ["Title line\nfirst sentence.", "red \x1b[31m text"])
    b = make("B", "B", ["Other."])
    report = render(build(a, b, []))
    assert "Line breaks inside a statement are shown as spaces, blank lines as \u00b6." in report
    assert "Control characters are shown as symbols (\u241b for ESC, \ufffd where none exists)." in report
    assert "`A1` Title line first sentence." in report
    assert "`A2` red \u241b\\[31m text" in report
