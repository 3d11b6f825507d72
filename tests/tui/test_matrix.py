"""Pilot tests: the claims x sources matrix for three or more readouts."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from tui_helpers import CONFIG, SOURCES, BrokenEmbedder, export_to, make_app, screen_text

from diffreadout.tui.app import DiffReadoutApp
from diffreadout.tui.screens.matrix_screen import MatrixScreen

SIZE = (120, 40)
TEXT_C = """\
Lavrov and Wang Yi met in Johannesburg on February 21 on the sidelines of the G20.
The ministers discussed the Ukrainian crisis and the Riyadh meeting.
They agreed to continue regular contacts.
Both sides praised the South African G20 presidency.
"""
THREE = [*SOURCES, ("TASS", "c.txt", TEXT_C)]
HOSTILE = "[bold]Loud[/bold] [@click=app.quit]press[/] \x1b]0;x\x07 title.\n"


async def finished(pilot: Pilot) -> MatrixScreen:
    """Wait until the matrix worker has finished and its message is handled."""
    screen = pilot.app.screen
    assert isinstance(screen, MatrixScreen)
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if screen.result is not None or screen.failure is not None:
            break
    await pilot.pause()
    return screen


def table(app: DiffReadoutApp) -> DataTable:
    return app.screen.query_one("#matrix-table", DataTable)


def detail(app: DiffReadoutApp) -> str:
    return str(app.screen.query_one("#matrix-detail", Static).render())


async def test_three_sources_open_the_matrix_with_one_column_per_source() -> None:
    app = make_app(THREE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finished(pilot)
        assert screen.result is not None and screen.failure is None
        labels = [str(column.label) for column in table(app).columns.values()]
        assert labels == ["claim", "A Russian MFA", "B Chinese MFA", "C TASS"]
        assert table(app).row_count == len(screen.result.groups)
        text = screen_text(app)
        assert "C TASS" in text and "claims:" in text


async def test_labels_are_painted_before_the_analysis() -> None:
    app = make_app(THREE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Russian MFA" in screen_text(app) and "TASS" in screen_text(app)
        await finished(pilot)


async def test_selecting_a_row_updates_the_detail() -> None:
    app = make_app(THREE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finished(pilot)
        assert screen.result is not None
        first = detail(app)
        assert "Russian MFA" in first and "TASS" in first
        assert table(app).row_count > 1
        await pilot.press("down")
        await pilot.pause()
        second = detail(app)
        assert second != first
        group = screen.shown[1]
        for side, ids in group.statements:
            for sid in ids:
                assert sid in second
                assert " ".join(screen._statement(sid).split()) in " ".join(second.split())


async def test_filter_reduces_rows_and_cycles_back() -> None:
    app = make_app(THREE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finished(pilot)
        assert screen.result is not None
        total = table(app).row_count
        await pilot.press("f")
        await pilot.pause()
        lacking = [g for g in screen.result.groups if any(s == "absent" for _, s in g.status)]
        assert table(app).row_count == len(lacking) < total
        await pilot.press("f")
        await pilot.pause()
        assert table(app).row_count == sum(1 for g in screen.result.groups if g.label == "emphasis")
        await pilot.press("f")
        await pilot.pause()
        assert table(app).row_count == total


async def test_hostile_text_is_shown_literally_and_does_not_quit() -> None:
    sources = [*SOURCES, ("[red]Evil[/red]", "c.txt", TEXT_C + HOSTILE)]
    app = make_app(sources)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finished(pilot)
        assert screen.result is not None
        keys = [k for k, g in enumerate(screen.shown) if any(s == "C" for s, _ in g.statements)]
        target = next(k for k, g in enumerate(screen.shown) if any("Loud" in screen._statement(i) for i in g.ids("C")))
        assert keys
        table(app).move_cursor(row=target)
        await pilot.pause()
        shown = detail(app)
        assert "[bold]Loud[/bold]" in shown and "[@click=app.quit]press[/]" in shown
        assert "\x1b" not in shown and "\x07" not in shown and "␛" in shown
        text = screen_text(app)
        assert "[red]Evil[/red]" in text
        await pilot.click("#matrix-detail")
        await pilot.pause()
        assert app.is_running


async def test_model_failure_is_shown_without_crashing() -> None:
    app = make_app(THREE, embedder_factory=BrokenEmbedder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finished(pilot)
        assert screen.result is None and screen.failure is not None
        assert "weights are missing" in screen_text(app)
        assert app.is_running
        await pilot.press("f")
        await pilot.press("q")
    assert app.return_code == 0


async def test_help_lists_the_filter_key() -> None:
    app = make_app(THREE)
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Filter" in screen_text(app) or "filter" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MatrixScreen)


def test_cli_open_accepts_three_paths_and_refuses_one(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from diffreadout.cli import commands as cli

    seen = {}
    monkeypatch.setattr(cli, "_run_tui", lambda sources, config: seen.setdefault("n", len(sources)))
    paths = []
    for name, (_, _, text) in zip("abc", THREE):
        path = tmp_path / f"{name}.txt"
        path.write_text(text)
        paths.append(str(path))
    assert CliRunner().invoke(cli.main, ["open", *paths]).exit_code == 0
    assert seen["n"] == 3
    result = CliRunner().invoke(cli.main, ["open", paths[0]])
    assert result.exit_code == 2 and "give two readouts" in result.output
    assert CONFIG.segment == "lines"


async def test_export_from_the_matrix_writes_the_claims_report(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "claims.md"
    app = make_app(THREE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finished(pilot)
        await export_to(pilot, target)
        assert app.screen is screen
    report = target.read_text(encoding="utf-8")
    assert report.startswith("# Russian MFA, Chinese MFA, TASS: readouts compared")
    assert "## Summary" in report and "- C: TASS" in report
    assert report.count("\n## ") >= 2  # provenance and summary, then the claims


async def test_export_before_the_matrix_is_ready_says_so() -> None:
    app = make_app(THREE, embedder_factory=BrokenEmbedder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finished(pilot)
        assert screen.result is None
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is screen  # no prompt for a report that does not exist
        assert any("Nothing to export" in n.message for n in app._notifications)


async def test_thresholds_realign_the_matrix() -> None:
    app = make_app(THREE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finished(pilot)
        assert screen.result is not None
        def linked_pairs() -> int:
            return sum(len(link.a) * len(link.b) for pair in screen.result.pairs for link in pair.links)

        before = linked_pairs()
        for _ in range(6):  # -0.30: looser, so more pairs are linked
            await pilot.press("minus")
        screen = await finished(pilot)
        assert screen.result is not None
        assert screen.config.link_threshold == pytest.approx(CONFIG.link_threshold - 0.30)
        assert screen.result.thresholds == screen.config.thresholds()
        assert linked_pairs() > before
        assert f"link ≥ {CONFIG.link_threshold - 0.30:.2f}" in screen_text(app)


async def test_matrix_moves_with_the_two_readout_keys_and_has_its_own_help() -> None:
    from diffreadout.tui.screens.help_screen import HelpScreen

    app = make_app(THREE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await finished(pilot)
        last = len(screen.shown) - 1
        await pilot.press("j", "j")
        assert table(app).cursor_row == 2
        await pilot.press("k")
        assert table(app).cursor_row == 1
        await pilot.press("G")
        assert table(app).cursor_row == last
        await pilot.press("g")
        assert table(app).cursor_row == 0
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-body", Static).render())
        assert "each row is one claim" in text and "absent" in text
        assert "gutter" not in text  # the two-readout screen's help is not this screen's
        await pilot.press("escape")
        # At 80 columns every source column is on screen, and the model is named.
        shown = screen_text(app)
        assert "C TASS" in shown and "model fake-hashing" in shown


async def test_matrix_claim_text_uses_the_width_it_has() -> None:
    app = make_app(THREE)
    async with app.run_test(size=(200, 40)) as pilot:
        screen = await finished(pilot)
        assert screen.claim_width() > 120
        longest = max(len(st.text) for r in screen.readouts for st in r.statements)
        assert "Asia-Pacific region." in screen_text(app) and longest < screen.claim_width()
