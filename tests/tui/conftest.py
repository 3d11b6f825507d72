"""Fixtures for the TUI tests (helpers live in tui_helpers.py)."""

from __future__ import annotations

import pytest
from tui_helpers import fixed_job, make_app

from diffreadout.tui.app import DiffReadoutApp


@pytest.fixture
def app() -> DiffReadoutApp:
    """The app on the test pair, analysed by the fake embedder."""
    return make_app()


@pytest.fixture
def fixed_app(monkeypatch: pytest.MonkeyPatch) -> DiffReadoutApp:
    """The app on the test pair, showing the hand-made comparison."""
    monkeypatch.setattr("diffreadout.tui.app.analysis_job", fixed_job)
    return make_app()
