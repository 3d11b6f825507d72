"""Pilot tests: moving, jumping, filtering, searching, swapping, switching views, clicking."""

from __future__ import annotations

import pytest
from textual.widgets import ContentSwitcher
from tui_helpers import screen_text, settle

from diffreadout.tui.app import DiffReadoutApp
from diffreadout.tui.screens.main_screen import MainScreen
from diffreadout.tui.widgets.alignment_view import AlignmentView
from diffreadout.tui.widgets.document_view import DocumentPane

# Rows of the fixed comparison, in order:
# 0 A1=B1 shared, 1 A2~B2 emphasis, 2 A3~B3 emphasis, 3 B4 omitted by A, 4 A4 omitted by B, 5 A5=B5 shared
SIZE = (100, 40)


def main_screen(app: DiffReadoutApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def test_rows_follow_the_fixed_comparison(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        assert [row.relation for row in screen.rows] == ["shared", "emphasis", "emphasis", "omission", "omission", "shared"]
        assert [row.ids for row in screen.rows][3:5] == [("B4",), ("A4",)]


async def test_move_with_keys(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        seen = []
        for key in ("j", "down", "k", "up", "G", "g", "end", "home", "pagedown"):
            await pilot.press(key)
            seen.append(screen.cursor)
        assert seen == [1, 2, 1, 0, 5, 0, 5, 0, 5]
        await pilot.press("k", "k")
        assert screen.cursor == 3


async def test_jump_to_differences_omissions_and_emphasis(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        stops = []
        for _ in range(5):
            await pilot.press("n")
            stops.append(screen.cursor)
        assert stops == [1, 2, 3, 4, 1]
        await pilot.press("N")
        assert screen.cursor == 4
        await pilot.press("g", "o")
        assert screen.cursor == 3
        await pilot.press("o")
        assert screen.cursor == 4
        await pilot.press("o")
        assert screen.cursor == 3
        await pilot.press("e")
        assert screen.current_row is not None and screen.current_row.relation == "emphasis"
        first = screen.cursor
        await pilot.press("e")
        assert screen.cursor != first and screen.current_row.relation == "emphasis"


async def test_filter_cycles_all_differences_and_each_sides_omissions(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        await pilot.press("f")
        assert screen.filter_mode == "differences"
        assert [row.relation for row in screen.rows] == ["emphasis", "emphasis", "omission", "omission"]
        await pilot.press("f")
        assert screen.filter_mode == "omitted-by-A"
        assert [row.ids for row in screen.rows] == [("B4",)]
        assert "omitted by A (Russian MFA)" in screen_text(fixed_app)
        await pilot.press("f")
        assert screen.filter_mode == "omitted-by-B"
        assert [row.ids for row in screen.rows] == [("A4",)]
        await pilot.press("f")
        assert screen.filter_mode == "all"
        assert len(screen.rows) == 6
        # The selected statement survives a filter change.
        assert screen.current_row is not None and screen.current_row.ids == ("A4",)


async def test_search_goes_to_the_match_and_highlights(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        await pilot.press("slash")
        assert fixed_app.focused is not None and fixed_app.focused.id == "search"
        await pilot.press(*"missiles", "enter")
        assert screen.cursor == 2
        assert screen.search_query == "missiles"
        assert "search: missiles" in screen_text(fixed_app)
        await pilot.press("slash")
        await pilot.press(*"RIYADH", "enter")
        assert screen.cursor == 1
        before = screen.cursor
        await pilot.press("slash")
        await pilot.press(*"no such words", "enter")
        assert screen.cursor == before
        await pilot.press("escape")
        assert screen.search_query == ""


async def test_search_field_takes_typed_keys_without_triggering_bindings(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        await pilot.press("slash", *"quest", "escape")
        assert fixed_app.is_running and screen.filter_mode == "all" and screen.left_side == "A"


async def test_swap_mirrors_the_columns_and_keeps_the_selection(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        await pilot.press("j", "j")
        assert screen.current_row is not None and screen.current_row.ids == ("A3", "B3")
        await pilot.press("s")
        assert screen.left.side == "B" and screen.right.side == "A"
        assert screen.rows[0].left[0].id == "B1"
        assert screen.current_row is not None and set(screen.current_row.ids) == {"A3", "B3"}
        assert screen.current_row.left[0].id == "B3"
        lines = screen_text(fixed_app).splitlines()
        assert lines[0].lstrip().startswith("B Chinese MFA")
        await pilot.press("s")
        assert screen.left.side == "A"


async def test_view_toggle_shows_documents_with_the_selection_highlighted(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        await pilot.press("j")
        await pilot.press("t")
        assert screen.query_one(ContentSwitcher).current == "document"
        panes = list(screen.query(DocumentPane))
        assert all(pane._highlighted == {"A2", "B2"} for pane in panes)
        text = screen_text(fixed_app)
        assert "Mutual trade keeps growing" in text and "South Africa" in text
        await pilot.press("j")
        assert all(pane._highlighted == {"A3", "B3"} for pane in panes)
        await pilot.press("t")
        assert screen.query_one(ContentSwitcher).current == "aligned"


async def test_click_selects_a_row(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        view = screen.query_one(AlignmentView)
        region = view.row_region(4)
        assert await pilot.click(AlignmentView, offset=(3, region.y))
        assert screen.cursor == 4


async def test_click_in_document_selects_that_statement(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        await pilot.press("t")
        assert await pilot.click("#document-right", offset=(3, 0))
        assert screen.current_row is not None and "B1" in screen.current_row.ids


async def test_detail_panel_shows_scores_reasons_and_nearest_candidate(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        text = screen_text(fixed_app)
        assert "EMPHASIS" in text and "score 0.66" in text
        assert "A says 'firmly opposed'; B says 'expressed concern'" in text
        await pilot.press("o")
        text = screen_text(fixed_app)
        assert "OMISSION" in text and "Nearest candidate in Russian MFA" in text and "score 0.21" in text
        await pilot.press("d")
        assert "Nearest candidate" not in screen_text(fixed_app)


async def test_palette_lists_and_runs_the_same_actions(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {command.title for command in fixed_app.get_system_commands(fixed_app.screen)}
        assert {
            "Next difference",
            "Next omission",
            "Next emphasis",
            "Cycle filter",
            "Search text",
            "Swap sides",
            "Toggle aligned / document view",
            "Export Markdown report",
            "Stricter thresholds",
            "Help: relations and keys",
        } <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Swap sides")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert main_screen(fixed_app).left_side == "B"


async def test_bindings_carry_ids() -> None:
    from diffreadout.tui.app import DiffReadoutApp as App

    for binding in [*MainScreen.BINDINGS, *App.BINDINGS]:
        assert getattr(binding, "id", None), binding


async def test_theme_switch_redraws_cached_rows(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = main_screen(fixed_app).query_one(AlignmentView)
        before = view.render_line(0)
        fixed_app.theme = "textual-light"
        await pilot.pause()
        after = view.render_line(0)
        assert before.text == after.text and list(before) != list(after)


async def test_search_matches_are_highlighted_in_the_document_view_too(fixed_app: DiffReadoutApp) -> None:
    from diffreadout.tui.styles import layer_style

    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(fixed_app)
        await pilot.press("slash", *"missiles", "enter")
        await pilot.press("t")
        panes = list(screen.query(DocumentPane))
        assert all(len(pane._matches) == 1 for pane in panes)
        for pane in panes:
            match = layer_style(pane, "document-pane--match")
            lines = [pane.render_line(y) for y in range(pane.size.height)]
            highlighted = "".join(
                segment.text for strip in lines for segment in strip if segment.style and segment.style.bgcolor == match.bgcolor
            )
            assert highlighted == "missiles", highlighted
        await pilot.press("escape")  # clears the search: no match is highlighted any more
        assert screen.search_query == "" and all(pane._matches == [] for pane in panes)


async def test_a_match_wrapped_over_two_lines_is_highlighted_on_both() -> None:
    from tui_helpers import make_app

    from diffreadout.tui.styles import layer_style

    text = "word " * 15 + "intermediate-range missiles in the Asia-Pacific region " + "word " * 15
    app = make_app(sources=[("A", "a", text + "\n"), ("B", "b", "Other text.\n")])
    async with app.run_test(size=(60, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        screen = main_screen(app)
        screen.search_for("range missiles in the Asia-Pacific")  # wider than the pane: it wraps
        await pilot.pause()
        pane = screen.query_one("#document-left", DocumentPane)
        match = layer_style(pane, "document-pane--match")
        highlighted = [
            "".join(s.text for s in pane.render_line(y) if s.style and s.style.bgcolor == match.bgcolor)
            for y in range(pane.size.height)
        ]
        assert " ".join(part.strip() for part in highlighted if part) == "range missiles in the Asia-Pacific"
        assert sum(1 for part in highlighted if part) == 2  # it wraps: both pieces are highlighted


async def test_detail_panel_says_why_a_mirrored_candidate_is_no_link(
    fixed_app: DiffReadoutApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    import tui_helpers

    from diffreadout.core.align.links import MIRROR_NOTE
    from diffreadout.model import Nearest

    plain = tui_helpers.fixed_comparison

    def with_note(readouts):  # type: ignore[no-untyped-def]
        comparison = plain(readouts)
        nearest = {**comparison.nearest, "A4": Nearest("A4", "B4", 0.93, MIRROR_NOTE)}
        return dataclasses.replace(comparison, nearest=nearest)

    monkeypatch.setattr(tui_helpers, "fixed_comparison", with_note)
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = ""
        for _ in range(3):  # o jumps from omission to omission: on to A4's
            await pilot.press("o")
            text = " ".join(screen_text(fixed_app).split())
            if "Nearest candidate in Chinese MFA" in text:
                break
        assert "Nearest candidate in Chinese MFA" in text
        assert "score 0.93; mirrored: the same wording with the two countries' roles swapped" in text
        assert "below the link threshold" not in text
