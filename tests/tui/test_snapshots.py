"""Snapshot tests (pytest-textual-snapshot): fixed size, fixed theme, fake embedder, workers done.

The main-screen snapshots run the real pipeline with the deterministic fake embedder, so a
change to the engine's tuning changes them: refresh with ``pytest tests/tui --snapshot-update``
in the same change, after looking at the report.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from tui_helpers import SNAPSHOT_SOURCES, make_app, settle

THEME = "textual-dark"


async def _ready(pilot: Pilot) -> None:
    pilot.app.theme = THEME
    await settle(pilot)


SnapCompare = Callable[..., bool]


def test_main_screen(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(SNAPSHOT_SOURCES), terminal_size=(100, 30), run_before=_ready)


def test_main_screen_small_terminal(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(SNAPSHOT_SOURCES), terminal_size=(80, 24), run_before=_ready)


def test_main_screen_large_terminal(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(SNAPSHOT_SOURCES), terminal_size=(240, 60), run_before=_ready)


def test_filtered_view(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(SNAPSHOT_SOURCES), press=["f"], terminal_size=(100, 30), run_before=_ready)


def test_document_view(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(SNAPSHOT_SOURCES), press=["j", "t"], terminal_size=(100, 30), run_before=_ready)


def test_detail_panel(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(SNAPSHOT_SOURCES), press=["n", "d"], terminal_size=(100, 30), run_before=_ready)


def test_help_screen(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(SNAPSHOT_SOURCES), press=["question_mark"], terminal_size=(100, 30), run_before=_ready)


def test_light_theme(snap_compare: SnapCompare) -> None:
    async def light(pilot: Pilot) -> None:
        pilot.app.theme = "textual-light"
        await settle(pilot)

    assert snap_compare(make_app(SNAPSHOT_SOURCES), press=["n"], terminal_size=(100, 30), run_before=light)
