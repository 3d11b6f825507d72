"""Helpers for the TUI tests: a small readout pair, a fixed comparison, app factories, screen text."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
from textual.pilot import Pilot

from diffreadout.config import AnalysisConfig
from diffreadout.core.similarity.embed import HashingEmbedder, ModelError
from diffreadout.model import Comparison, Link, ModelInfo, Nearest, Readout, Reason
from diffreadout.tui.app import DiffReadoutApp
from diffreadout.tui.messages import AnalysisComplete

# One statement per line (segment="lines"), so the tests do not depend on sentence splitting.
TEXT_A = """\
Foreign Minister Sergey Lavrov held talks with Foreign Minister Wang Yi in Johannesburg on February 21.
The ministers discussed the Ukrainian crisis and the results of the Riyadh meeting.
The sides firmly opposed the deployment of American intermediate-range missiles in the Asia-Pacific region.
Mutual trade keeps growing, and 95 percent of settlements are now made in national currencies.
The ministers agreed to continue regular contacts.
"""
TEXT_B = """\
Foreign Minister Wang Yi held talks with Foreign Minister Sergey Lavrov in Johannesburg on February 21.
Wang Yi said China supports all efforts conducive to peace in Ukraine, including the Riyadh meeting.
The two sides expressed concern over the deployment of intermediate-range missiles in the Asia-Pacific region.
China and Russia should support South Africa in delivering a successful G20 presidency this year.
The ministers agreed to continue regular contacts.
"""
SOURCES = [("Russian MFA", "a.txt", TEXT_A), ("Chinese MFA", "b.txt", TEXT_B)]
# For the snapshots: the same pair plus a statement on each side that the other leaves out.
SNAPSHOT_SOURCES = [
    ("Russian MFA", "a.txt", TEXT_A + "Lavrov handed over an invitation to the Victory Day parade in Moscow.\n"),
    ("Chinese MFA", "b.txt", TEXT_B + "Both delegations toured a solar plant outside Pretoria afterwards.\n"),
]
CONFIG = AnalysisConfig(segment="lines")


class CountingEmbedder(HashingEmbedder):
    """The fake embedder, counting encode calls (to prove re-labelling does not re-embed)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Count, then encode."""
        self.calls += 1
        return super().encode(texts)


class BrokenEmbedder:
    """A real-looking embedder whose model cannot load."""

    name = "broken-model"
    sha256 = ""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Always fail the way the real backend does."""
        raise ModelError("broken-model: cannot load the model: weights are missing")


def make_app(
    sources: list[tuple[str, str, str]] | None = None,
    embedder_factory: Callable[[], object] | None = HashingEmbedder,
    config: AnalysisConfig = CONFIG,
) -> DiffReadoutApp:
    """An app on the test pair with the fake embedder and no cursor blink."""
    return DiffReadoutApp(
        SOURCES if sources is None else sources,
        config,
        embedder_factory,  # type: ignore[arg-type]
        cursor_blink=False,
    )


async def settle(pilot: Pilot) -> None:
    """Wait for the analysis workers and the messages they posted."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def export_to(pilot: Pilot, path: object) -> None:
    """Press x, type the path into the export prompt, press Enter and let the write finish."""
    from textual.widgets import Input

    from diffreadout.tui.screens.export_screen import ExportScreen

    await pilot.press("x")
    assert isinstance(pilot.app.screen, ExportScreen)
    pilot.app.screen.query_one("#export-path", Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


def screen_text(app: DiffReadoutApp) -> str:
    """The text on screen now, line by line, as a person would read it."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def fixed_comparison(readouts: tuple[Readout, Readout]) -> Comparison:
    """A hand-made comparison of the test pair, independent of the engine's tuning.

    A1=B1 shared, A2~B2 emphasis, A3~B3 emphasis (with a reason), A4 and B4 omissions,
    A5=B5 shared.
    """
    a, b = readouts
    links = (
        Link(("A1",), ("B1",), "shared", 0.91, (("semantic", 0.93), ("lexical", 0.88))),
        Link(("A2",), ("B2",), "emphasis", 0.58, (("semantic", 0.61), ("lexical", 0.42))),
        Link(
            ("A3",),
            ("B3",),
            "emphasis",
            0.66,
            (("semantic", 0.70), ("lexical", 0.55)),
            (Reason("strength", "A says 'firmly opposed'; B says 'expressed concern'"),),
        ),
        Link(("A5",), ("B5",), "shared", 1.0, (("semantic", 1.0), ("lexical", 1.0))),
    )
    return Comparison(
        readouts=(a, b),
        links=links,
        omissions={"A": ("A4",), "B": ("B4",)},
        nearest={"A4": Nearest("A4", "B4", 0.21), "B4": Nearest("B4", "A4", 0.21)},
        model=ModelInfo("fixed", ""),
        thresholds=(("link", 0.55), ("shared", 0.72)),
    )


def fixed_job(
    readouts: tuple[Readout, Readout],
    current_config: Callable[[], AnalysisConfig],
    embedder_factory: object,
    post: Callable[[object], object],
    cancelled: Callable[[], bool],
) -> None:
    """Stands in for the analysis job: posts the fixed comparison with a real fake analysis."""
    from diffreadout.core.pipeline import analyse

    analysis = analyse(readouts, current_config(), HashingEmbedder())
    post(AnalysisComplete(fixed_comparison(readouts), analysis, current_config(), "final"))


# Hostile text: Rich/Textual markup, ANSI CSI (colour, clear screen), OSC 0 (window title),
# OSC 52 (clipboard write), OSC 8 (hyperlink), a C1 CSI, BEL and a bidi override. (No NUL: a
# text with NUL bytes is refused as binary, from a file as from the paste screen.)
HOSTILE = (
    "[bold]bold[/] [/] [link=https://evil.example]link[/link] [@click=app.quit]quit[/] "
    "\x1b[31mred\x1b[0m \x1b[2J \x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07 "
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x9b31m \u202eevil\u202c"
)
# What each hostile piece must look like on screen: literal, control characters made visible.
HOSTILE_SHOWN = (
    "[bold]bold[/]",
    "[link=https://evil.example]link[/link]",
    "[@click=app.quit]quit[/]",
    "␛[31mred␛[0m",
    "␛[2J",
    "␛]0;pwned␇",
    "␛]52;c;ZXZpbA==␇",
)
_CSI = re.compile(r"\x1b\[([0-9;?]*)([@-~])")


def terminal_output(app: DiffReadoutApp) -> str:
    """What a full repaint of the current screen writes to the terminal."""
    return app.screen._compositor.render_update(full=True).render_segments(app.console)


def assert_inert(output: str) -> None:
    """Only styling and cursor moves reach the terminal: no OSC, BEL, C1, or other CSI."""
    assert "\x1b]" not in output, "an OSC sequence (title, clipboard, hyperlink) reaches the terminal"
    assert "\x07" not in output and "\x00" not in output
    assert not re.search("[\x80-\x9f]", output), "a C1 control reaches the terminal"
    assert {final for _, final in _CSI.findall(output)} <= {"m", "H"}, "a CSI other than colour or cursor position"
    assert output.count("\x1b") == len(_CSI.findall(output)), "an escape that is not a plain CSI"
