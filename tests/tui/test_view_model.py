"""Unit tests (no App): safe text, wrapping in terminal cells, rows, filters, summaries."""

from __future__ import annotations

from rich.cells import cell_len
from tui_helpers import CONFIG, SOURCES, fixed_comparison

from diffreadout.tui.analysis import build_readouts
from diffreadout.tui.rows import build_rows, filter_rows, find_row, next_filter, relation_index, summarise, text_matcher
from diffreadout.tui.text import find_all, visible, wrap_offsets


def test_visible_replaces_controls_one_for_one() -> None:
    hostile = "a\x1b[31mb\x07c\x00d\x7fe\x9bf\u202eg\th"
    shown = visible(hostile)
    assert len(shown) == len(hostile)
    assert shown == "a␛[31mb␇c␀d␡e\ufffdf\ufffdg h"
    assert visible("[bold]plain[/]") == "[bold]plain[/]"


def test_wrap_fits_every_line_in_the_width_and_covers_the_text() -> None:
    text = "The ministers discussed the Ukrainian crisis and a supercalifragilisticexpialidocious word."
    for width in (1, 5, 10, 17, 40, 200):
        lines = wrap_offsets(text, width)
        assert "".join(text[s:e] for s, e in lines) == text
        assert all(cell_len(text[s:e].rstrip()) <= width for s, e in lines)


def test_wrap_counts_cjk_as_two_cells_and_never_splits_a_character() -> None:
    text = "中国和俄罗斯的关系处于历史最高水平，双方将继续密切合作。Mixed English words here."
    for width in (2, 3, 7, 20):
        lines = wrap_offsets(text, width)
        assert "".join(text[s:e] for s, e in lines) == text
        assert all(cell_len(text[s:e].rstrip()) <= width for s, e in lines)
    assert wrap_offsets("中国", 3) == ((0, 1), (1, 2))


def test_matches() -> None:
    assert find_all("Riyadh and riyadh", "RIYADH") == [(0, 6), (11, 17)]


def _readouts():  # type: ignore[no-untyped-def]
    return build_readouts(SOURCES, CONFIG)


def test_rows_keep_each_column_in_its_own_order_and_show_every_statement() -> None:
    a, b = _readouts()
    comparison = fixed_comparison((a, b))
    rows = build_rows(a, b, comparison)
    shown_a = [st.id for row in rows for st in row.left]
    shown_b = [st.id for row in rows for st in row.right]
    assert shown_a == [st.id for st in a.statements]
    assert shown_b == [st.id for st in b.statements]
    mirrored = build_rows(b, a, comparison)
    assert sorted(row.ids for row in rows) == sorted(tuple(reversed(row.ids)) if row.left and row.right else row.ids for row in mirrored)


def test_rows_before_analysis_pair_statements_in_order() -> None:
    a, b = _readouts()
    rows = build_rows(a, b, None)
    assert {row.relation for row in rows} == {"pending"}
    assert [row.ids for row in rows][0] == ("A1", "B1")


def test_a_statement_in_two_links_is_shown_in_one_row() -> None:
    from diffreadout.model import Link

    a, b = _readouts()
    base = fixed_comparison((a, b))
    comparison = type(base)(
        base.readouts,
        base.links + (Link(("A1",), ("B2",), "emphasis", 0.5),),
        base.omissions,
        base.nearest,
        base.model,
    )
    rows = build_rows(a, b, comparison)
    with_a1 = [row for row in rows if "A1" in row.ids]
    assert len(with_a1) == 1 and with_a1[0].relation == "emphasis" and len(with_a1[0].shown) >= 2
    assert [st.id for row in rows for st in row.left] == [st.id for st in a.statements]


def test_filters_and_search() -> None:
    a, b = _readouts()
    comparison = fixed_comparison((a, b))
    rows = build_rows(a, b, comparison)
    assert next_filter("omitted-by-B") == "all"
    assert [row.ids for row in filter_rows(rows, "omitted-by-A")] == [("B4",)]
    assert [row.ids for row in filter_rows(rows, "omitted-by-B")] == [("A4",)]
    assert all(row.is_difference for row in filter_rows(rows, "differences"))
    assert find_row(rows, 0, text_matcher("MISSILES")) == 2
    assert find_row(rows, 0, text_matcher("absent words")) is None


def test_summary_counts_and_word_shares() -> None:
    a, b = _readouts()
    comparison = fixed_comparison((a, b))
    relations = relation_index(comparison)
    assert relations["A4"] == "omission" and relations["A2"] == "emphasis" and relations["A1"] == "shared"
    summary = summarise(comparison, a)
    assert summary.counts == {"shared": 2, "emphasis": 2, "omission": 1}
    assert abs(sum(summary.word_shares.values()) - 1.0) < 1e-9
    assert summarise(None, a).counts == {"shared": 0, "emphasis": 0, "omission": 0}


def test_build_readouts_matches_the_pipeline() -> None:
    from diffreadout.core.pipeline import make_readout

    for config in (CONFIG, type(CONFIG)()):
        built = build_readouts(SOURCES, config)
        for side, readout, (label, source, text) in zip("AB", built, SOURCES):
            assert readout == make_readout(side, label, source, text, segment_mode=config.segment)
