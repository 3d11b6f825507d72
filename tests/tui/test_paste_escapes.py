"""A bracketed paste holding escape sequences reaches the comparison exactly as pasted (issue 16).

Readouts copied from web pages can hold ANSI colours and OSC titles. The bytes go through the
parser the app installs for its terminal driver, split across reads as a terminal delivers
them, so the tests see what an analyst's paste becomes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from textual import constants, events
from textual.message import Message
from tui_helpers import CONFIG, TEXT_A, TEXT_B, settle

from diffreadout.core.similarity.embed import HashingEmbedder
from diffreadout.inputs.sources import read_source
from diffreadout.tui.app import DiffReadoutApp
from diffreadout.tui.screens.main_screen import MainScreen
from diffreadout.tui.screens.paste_screen import PasteArea, PasteScreen

SIZE = (120, 50)
START, END = "\x1b[200~", "\x1b[201~"
# TEXT_A as a web page's copy can hold it: a colour, a reset, a window title ended by BEL.
LINES = TEXT_A.splitlines(keepends=True)
PASTED = (
    LINES[0]
    + "The ministers \x1b[31mdiscussed\x1b[0m the Ukrainian crisis and the results of the Riyadh meeting.\n"
    + "\x1b]0;title\x07" + "".join(LINES[2:])
)


def paste_app() -> DiffReadoutApp:
    return DiffReadoutApp(None, CONFIG, HashingEmbedder, cursor_blink=False)  # type: ignore[arg-type]


def terminal_parser(app: DiffReadoutApp):  # type: ignore[no-untyped-def]
    """A parser of the class the app's terminal driver builds to read its input."""
    return sys.modules[app.get_driver_class().__module__].XTermParser()


def chunks(data: str) -> list[str]:
    """data cut into reads that split the paste markers and every escape sequence."""
    cuts = [3, 8, 20]
    for index, character in enumerate(data):
        if character == "\x1b":
            cuts += [index + 1, index + 3]
    cuts += [len(data) - 4]
    bounds = [0, *sorted({cut for cut in cuts if 0 < cut < len(data)}), len(data)]
    return [data[start:end] for start, end in zip(bounds, bounds[1:])]


def parse(app: DiffReadoutApp, data: str, *, pause_at: str | None = None) -> list[Message]:
    """The messages the app's terminal parser makes of data, fed in several reads.

    With pause_at, input stops after that piece for longer than the escape delay (a slow paste).
    """
    parser = terminal_parser(app)
    messages: list[Message] = []
    pieces = chunks(data) if pause_at is None else list(data.partition(pause_at))
    if pause_at is not None:
        pieces = [pieces[0] + pieces[1], pieces[2]]
    for piece in pieces:
        messages += parser.feed(piece)
        if pause_at is not None:
            time.sleep(constants.ESCAPE_DELAY + 0.05)
            messages += parser.tick()
    return messages


def test_a_bracketed_paste_split_across_reads_is_one_paste_of_exactly_the_pasted_text() -> None:
    app = paste_app()
    messages = parse(app, "x" + START + PASTED + END + "y\x1b[A")
    assert len(chunks(START + PASTED + END)) > 8
    assert [type(message) for message in messages] == [events.Key, events.Paste, events.Key, events.Key]
    keys = [message.key for message in messages if isinstance(message, events.Key)]
    assert keys == ["x", "y", "up"]
    assert next(message.text for message in messages if isinstance(message, events.Paste)) == PASTED


def test_a_paste_that_stops_after_an_escape_for_longer_than_the_escape_delay_stays_one_paste() -> None:
    app = paste_app()
    messages = parse(app, START + PASTED + END, pause_at="\x1b[3")
    assert [type(message) for message in messages] == [events.Paste]
    assert messages[0].text == PASTED  # type: ignore[attr-defined]


async def paste(pilot, app: DiffReadoutApp, side: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Paste text into one area through the app's terminal parser, as a terminal sends it."""
    app.screen.query_one(f"#paste-text-{side}", PasteArea).focus()
    await pilot.pause()
    for message in parse(app, START + text + END):
        app.post_message(message)
    await pilot.pause()


async def test_the_paste_screen_compares_exactly_the_pasted_text_as_a_file_of_it_would_be(tmp_path: Path) -> None:
    app = paste_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, PasteScreen)
        await paste(pilot, app, "a", PASTED)
        await paste(pilot, app, "b", TEXT_B)
        assert app.screen.query_one("#paste-text-a", PasteArea).text == PASTED
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.readouts is not None
        assert app.readouts[0].text == PASTED
        assert app.readouts[1].text == TEXT_B
    # Control characters are kept as data, as in a file holding the same bytes (shown inert).
    file = tmp_path / "a.txt"
    file.write_bytes(PASTED.encode("utf-8"))
    assert read_source(str(file)).text == app.readouts[0].text
    assert [s.text for s in app.readouts[0].statements][1] == LINES[1].replace(
        "discussed", "\x1b[31mdiscussed\x1b[0m"
    ).rstrip("\n")
