"""Pilot tests: help, export (never overwriting silently), thresholds, the paste screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea
from tui_helpers import CONFIG, SOURCES, CountingEmbedder, export_to, make_app, screen_text, settle

from diffreadout.tui.app import DiffReadoutApp
from diffreadout.tui.screens.export_screen import ConfirmScreen, ExportScreen
from diffreadout.tui.screens.help_screen import HelpScreen
from diffreadout.tui.screens.main_screen import MainScreen
from diffreadout.tui.screens.paste_screen import PasteScreen

SIZE = (100, 40)


async def test_help_explains_the_relations_and_closes(fixed_app: DiffReadoutApp) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(fixed_app.screen, HelpScreen)
        text = screen_text(fixed_app)
        assert "Both readouts report the same substance" in text
        assert "materially different framing" in text
        assert "no counterpart on the other side" in text
        assert "Next diff" not in text or "next emphasis or omission" in text
        await pilot.press("escape")
        assert isinstance(fixed_app.screen, MainScreen)
        await pilot.press("f1")
        assert isinstance(fixed_app.screen, HelpScreen)
        await pilot.press("q")
        assert isinstance(fixed_app.screen, MainScreen) and fixed_app.is_running


async def _export(pilot, app: DiffReadoutApp, path: Path) -> None:  # type: ignore[no-untyped-def]
    await export_to(pilot, path)


async def test_export_writes_the_markdown_report(fixed_app: DiffReadoutApp, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _export(pilot, fixed_app, target)
        assert isinstance(fixed_app.screen, MainScreen)
    report = target.read_text(encoding="utf-8")
    assert report.startswith("# ")
    assert "Russian MFA" in report and "Chinese MFA" in report


async def test_export_refuses_to_overwrite_without_a_yes(fixed_app: DiffReadoutApp, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("keep me\n", encoding="utf-8")
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _export(pilot, fixed_app, target)
        assert isinstance(fixed_app.screen, ConfirmScreen)
        await pilot.press("enter")  # Cancel has the focus: Enter alone never confirms.
        await pilot.pause()
        assert isinstance(fixed_app.screen, ExportScreen)
        assert "exists and was kept" in str(fixed_app.screen.query_one("#export-problem").render())
        assert target.read_text(encoding="utf-8") == "keep me\n"
        await pilot.press("escape")
        assert isinstance(fixed_app.screen, MainScreen)
        assert target.read_text(encoding="utf-8") == "keep me\n"
        await _export(pilot, fixed_app, target)
        assert isinstance(fixed_app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "keep me\n"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(fixed_app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(fixed_app.screen, MainScreen)
    assert target.read_text(encoding="utf-8").startswith("# ")


async def test_export_refuses_a_folder(fixed_app: DiffReadoutApp, tmp_path: Path) -> None:
    async with fixed_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _export(pilot, fixed_app, tmp_path)
        assert isinstance(fixed_app.screen, ExportScreen)
        assert "is a folder" in str(fixed_app.screen.query_one("#export-problem").render())


async def test_threshold_keys_relabel_without_reembedding() -> None:
    embedder = CountingEmbedder()
    app = make_app(embedder_factory=lambda: embedder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        calls = embedder.calls
        start = app.config
        assert app.comparison is not None and app.comparison.thresholds == start.thresholds()
        await pilot.press("plus")
        await settle(pilot)
        assert app.config.link_threshold > start.link_threshold
        assert app.comparison.thresholds == app.config.thresholds()
        await pilot.press("minus", "minus")
        await settle(pilot)
        assert app.config.link_threshold < start.link_threshold
        assert app.comparison.thresholds == app.config.thresholds()
        assert embedder.calls == calls
        assert f"link ≥ {app.config.link_threshold:.2f}" in screen_text(app)


async def test_lower_thresholds_never_link_fewer_statements() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.comparison is not None
        before = sum(len(ids) for ids in app.comparison.omissions.values())
        for _ in range(4):
            await pilot.press("minus")
        await settle(pilot)
        after = sum(len(ids) for ids in app.comparison.omissions.values())
        assert after <= before


async def test_paste_screen_compares_what_was_pasted() -> None:
    app = DiffReadoutApp(None, CONFIG, None, cursor_blink=False)
    from diffreadout.core.similarity.embed import HashingEmbedder

    app.embedder_factory = HashingEmbedder
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, PasteScreen)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PasteScreen)
        assert "Readout A is empty" in screen_text(app)
        app.screen.query_one("#paste-label-a", Input).value = "Kremlin"
        app.screen.query_one("#paste-text-a", TextArea).text = SOURCES[0][2]
        app.screen.query_one("#paste-text-b", TextArea).text = SOURCES[1][2]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.left.label == "Kremlin" and app.screen.right.label == "Readout B"
        assert app.comparison is not None


async def test_paste_screen_escape_quits() -> None:
    app = DiffReadoutApp(None, CONFIG, None, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0
