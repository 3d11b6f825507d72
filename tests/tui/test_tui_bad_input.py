"""Bad input, hostile text, interruptions (issue 7) in the TUI.

The paste screen's bad-input battery (each input gives a result or a one-line message, in
bounded time), hostile text inert on every surface (checked on the bytes a repaint writes to
the terminal, not only on the text), Ctrl-C and signals, and an interrupted export.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import ContentSwitcher, Input
from tui_helpers import (
    CONFIG,
    HOSTILE,
    HOSTILE_SHOWN,
    TEXT_A,
    TEXT_B,
    assert_inert,
    fixed_comparison,
    make_app,
    screen_text,
    settle,
    terminal_output,
)

from diffreadout.core.similarity.embed import HashingEmbedder, ModelError
from diffreadout.model import Reason
from diffreadout.tui.app import DiffReadoutApp
from diffreadout.tui.messages import AnalysisComplete
from diffreadout.tui.screens.export_screen import ConfirmScreen, ExportScreen
from diffreadout.tui.screens.main_screen import MainScreen
from diffreadout.tui.screens.paste_screen import (
    PASTE_LIMIT_BYTES,
    PasteArea,
    PasteScreen,
)

SIZE = (120, 50)
# Generous: a bound on hanging, not a speed target (CI machines are slow and shared).
BOUND_S = 30.0


def paste_app() -> DiffReadoutApp:
    """The app with no readouts: the paste screen, the fake embedder."""
    return DiffReadoutApp(None, CONFIG, HashingEmbedder, cursor_blink=False)  # type: ignore[arg-type]


async def paste(pilot, side: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Paste text into one readout's area as a terminal does (a Paste event to the app)."""
    pilot.app.screen.query_one(f"#paste-text-{side}", PasteArea).focus()
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def problem(app: DiffReadoutApp) -> str:
    return str(app.screen.query_one("#paste-problem").render())


CJK = "中国和俄罗斯的关系处于历史最高水平双方将继续密切合作共同维护国际秩序" * 3
MIXED_SCRIPTS = "Лавров и Ван И 😀 обсудили. שלום עולם. e\u0301te\u0301 zero\u200bwidth \u202eevil\u202c.\n"

# (readout A, readout B, a piece of the expected message, or None: the comparison opens)
BATTERY = [
    pytest.param("", "", "Readout A is empty", id="both-empty"),
    pytest.param(" \n\t \n  ", TEXT_B, "Readout A is empty", id="whitespace-only"),
    pytest.param(TEXT_A, "", "Readout B is empty", id="one-side-empty"),
    pytest.param("\ufeff", TEXT_B, "Readout A", id="bom-only"),
    pytest.param(TEXT_A, "bin\x00ary\x00data", "NUL bytes", id="nul-bytes"),
    pytest.param("\x01\x02\x03\x04abc" * 40, TEXT_B, "control characters", id="binary-looking"),
    pytest.param("... !!! ??? ;;;", TEXT_B, None, id="only-punctuation"),
    pytest.param("12 345 6789 2025 21.02", TEXT_B, None, id="only-numbers"),
    pytest.param("word " * 10_000, TEXT_B, None, id="50000-chars-no-punctuation"),
    pytest.param(MIXED_SCRIPTS, TEXT_B, None, id="emoji-rtl-zero-width-combining"),
    pytest.param(CJK, CJK[:40], None, id="cjk-without-spaces"),
    pytest.param(TEXT_A, TEXT_A, None, id="identical-readouts"),
    pytest.param(HOSTILE + "\n" + TEXT_A, TEXT_B, None, id="hostile-text"),
]


@pytest.mark.parametrize(("text_a", "text_b", "expected"), BATTERY)
async def test_paste_battery_gives_a_result_or_a_message(text_a: str, text_b: str, expected: str | None) -> None:
    app = paste_app()
    async with app.run_test(size=SIZE) as pilot:
        started = time.perf_counter()
        app.screen.query_one("#paste-text-a", PasteArea).text = text_a
        app.screen.query_one("#paste-text-b", PasteArea).text = text_b
        assert_inert(terminal_output(app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        if expected is None:
            assert isinstance(app.screen, MainScreen), problem(app)
            assert app.comparison is not None or app.failure is not None
            assert_inert(terminal_output(app))
        else:
            assert isinstance(app.screen, PasteScreen)
            message = problem(app)
            assert expected in message and "\n" not in message.strip()
        assert time.perf_counter() - started < BOUND_S


async def test_a_5_mb_paste_is_refused_with_a_message_and_the_screen_stays_responsive() -> None:
    app = paste_app()
    async with app.run_test(size=SIZE) as pilot:
        started = time.perf_counter()
        await paste(pilot, "a", "The ministers met in Moscow " * 190_000)  # 5.3 MB
        area = app.screen.query_one("#paste-text-a", PasteArea)
        assert area.text == ""
        assert "over the 1.0 MB" in problem(app) and "diffreadout A.txt B.txt" in problem(app)
        await paste(pilot, "a", TEXT_A)
        assert area.text == TEXT_A
        assert time.perf_counter() - started < BOUND_S


async def test_100000_tiny_lines_are_refused_at_compare_with_the_statement_limit() -> None:
    tiny = "\n".join(f"l{i}." for i in range(100_000))
    assert len(tiny.encode()) < PASTE_LIMIT_BYTES
    app = paste_app()
    async with app.run_test(size=SIZE) as pilot:
        started = time.perf_counter()
        await paste(pilot, "a", tiny)
        await paste(pilot, "b", TEXT_B)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PasteScreen)
        assert "100,000 statements is over the 2,000-statement limit" in problem(app)
        assert time.perf_counter() - started < BOUND_S


async def test_a_pasted_line_past_the_long_line_length_turns_soft_wrap_off() -> None:
    app = paste_app()
    async with app.run_test(size=SIZE) as pilot:
        await paste(pilot, "a", "x" * 20_000)
        assert not app.screen.query_one("#paste-text-a", PasteArea).soft_wrap
        assert app.screen.query_one("#paste-text-b", PasteArea).soft_wrap


async def test_too_many_statements_from_files_are_shown_but_not_analysed() -> None:
    tiny = "\n".join(f"l{i}." for i in range(3_000))
    app = make_app(sources=[("A", "a.txt", tiny), ("B", "b.txt", TEXT_B)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.comparison is None and not app.analysis_running
        assert app.failure is not None and "3,000 statements is over the 2,000-statement limit" in app.failure
        text = screen_text(app)
        assert "A1 l0." in text and "not analysed" in text


async def test_hostile_labels_and_text_from_the_paste_screen_are_literal_and_inert() -> None:
    label_a = "[bold]Kremlin[/] \x1b]0;pwned\x07 [@click=app.quit]x[/]"
    label_b = "\x1b[31mMFA\x1b[0m [link=https://evil.example]l[/link]"
    app = paste_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#paste-label-a", Input).value = label_a
        app.screen.query_one("#paste-label-b", Input).value = label_b
        await paste(pilot, "a", HOSTILE + "\n" + TEXT_A)
        await paste(pilot, "b", TEXT_B)
        text = screen_text(app)
        # In the text fields (Rich drops BEL itself, so it shows as nothing there).
        assert "[bold]Kremlin[/] ␛]0;pwned [@click=app.quit]x[/]" in text and "␛[31mMFA␛[0m" in text
        assert "ZXZpbA==" in text and "␛[2J" in text and "␛[31mred␛[0m" in text
        assert_inert(terminal_output(app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.left.label == label_a  # the data is kept as given; only its display is inert
        text = screen_text(app)
        assert "A · [bold]Kremlin[/] ␛]0;pwned␇ [@click=app.quit]x[/]" in text  # detail panel
        assert "␛[31mMFA␛[0m" in text
        for shown in HOSTILE_SHOWN:
            assert shown in text, shown
        assert_inert(terminal_output(app))
        await pilot.click("#summary", offset=(5, 0))
        await pilot.press("f", "f")  # the filter names a label: "omitted by A ([bold]Kremlin…)"
        assert "omitted by A ([bold]Kremlin[/]" in screen_text(app)
        await pilot.press("t")
        assert screen.query_one(ContentSwitcher).current == "document"
        assert "[bold]Kremlin[/] ␛]0;pwned␇" in screen_text(app)  # document title
        assert_inert(terminal_output(app))
        assert app.is_running and app.return_code is None


def _hostile_reason_job(readouts, current_config, embedder_factory, post, cancelled) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from diffreadout.core.pipeline import analyse

    comparison = fixed_comparison(readouts)
    links = list(comparison.links)
    links[2] = replace(links[2], reasons=(Reason("[b]strength[/b]\x1b]0;t\x07", HOSTILE),))
    analysis = analyse(readouts, current_config(), HashingEmbedder())
    post(AnalysisComplete(replace(comparison, links=tuple(links)), analysis, current_config(), "final"))


async def test_detail_panel_reasons_are_literal_and_inert(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("diffreadout.tui.app.analysis_job", _hostile_reason_job)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        text = screen_text(app)
        assert "• [b]strength[/b]␛]0;t␇:" in text
        for shown in HOSTILE_SHOWN[:3]:
            assert shown in text, shown
        assert_inert(terminal_output(app))


async def test_search_box_status_line_and_notifications_are_literal_and_inert() -> None:
    app = make_app(sources=[("A", "a.txt", TEXT_A), ("B", "b.txt", TEXT_B)])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        search = app.screen.query_one("#search", Input)
        search.value = "[@click=app.quit]nothing[/] \x1b]0;t\x07"
        await pilot.pause()
        assert "[@click=app.quit]nothing[/] ␛]0;t" in screen_text(app)  # the search box itself
        assert_inert(terminal_output(app))
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "search: [@click=app.quit]nothing[/] ␛]0;t␇" in text  # status line
        assert "Not found: [@click=app.quit]nothing[/] ␛]0;t␇" in text  # notification
        assert_inert(terminal_output(app))
        for y in range(SIZE[1]):  # clicking anywhere, toasts included, runs no markup action
            await pilot.click(offset=(SIZE[0] - 20, y))
        assert app.is_running and app.return_code is None


async def test_a_hostile_model_error_is_literal_and_inert() -> None:
    def factory() -> object:
        raise ModelError("[bold]model[/] \x1b]0;pwned\x07 [@click=app.quit]gone[/]")

    app = make_app(embedder_factory=factory)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "⚠ [bold]model[/] ␛]0;pwned␇ [@click=app.quit]gone[/]" in text  # status line
        assert text.count("[@click=app.quit]gone[/]") >= 2  # and the notification
        assert_inert(terminal_output(app))


async def test_export_prompt_and_confirmation_are_literal_and_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # relative paths: short enough not to wrap in the dialog
    name = "[@click=app.quit]r\x1b]0;pwned\x07.md"
    Path(name).write_text("keep me\n", encoding="utf-8")
    Path("[@click=app.quit]folder").mkdir()
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("x")
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = "[@click=app.quit]folder"
        await pilot.press("enter")
        await pilot.pause()
        assert "[@click=app.quit]folder is a folder" in screen_text(app)
        path_input.value = name
        await pilot.pause()
        assert "[@click=app.quit]r␛]0;pwned.md" in screen_text(app)  # the path field
        assert_inert(terminal_output(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "[@click=app.quit]r␛]0;pwned␇.md already exists" in screen_text(app)
        assert_inert(terminal_output(app))
        await pilot.press("y")
        await pilot.pause()
        text = screen_text(app)
        assert "Report written to" in text and "[@click=app.quit]r␛]0;pwned␇.md" in text  # notification
        assert_inert(terminal_output(app))
    assert Path(name).read_text(encoding="utf-8").startswith("# ")


async def test_ctrl_c_quits_with_130_from_the_main_screen_a_dialog_and_a_text_area() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 130
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 130
    app = paste_app()
    async with app.run_test(size=SIZE) as pilot:
        await paste(pilot, "a", TEXT_A)
        await pilot.press("ctrl+c")  # a TextArea would take it as copy
        await pilot.pause()
    assert app.return_code == 130


async def _export_to(pilot, app: DiffReadoutApp, path: Path) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("x")
    app.screen.query_one("#export-path", Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def test_an_export_that_fails_while_writing_leaves_no_file_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        monkeypatch.setattr(os, "fsync", disk_full)
        await _export_to(pilot, app, tmp_path / "report.md")
        monkeypatch.undo()
        assert isinstance(app.screen, MainScreen) and app.is_running
        assert "Export failed" in screen_text(app) and "No space left" in screen_text(app)
    assert list(tmp_path.iterdir()) == []

