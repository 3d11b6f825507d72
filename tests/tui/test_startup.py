"""Paint first: both texts are on screen before numpy, torch or the model are imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r'''
import json, sys, time
started = time.perf_counter()
from diffreadout.config import AnalysisConfig
from diffreadout.tui import app as app_module
from diffreadout.tui.screens.main_screen import MainScreen
from diffreadout.tui.widgets.alignment_view import AlignmentView

app_module.analysis_job = lambda *args, **kwargs: None  # the worker is not what is measured
marks = {}
mount = MainScreen.on_mount

def on_mount(self):
    mount(self)

    def painted():
        view = self.query_one(AlignmentView)
        lines = "\n".join(view.render_line(y).text for y in range(view.size.height))
        marks.update(
            seconds=time.perf_counter() - started,
            heavy=sorted(m for m in ("numpy", "torch", "sentence_transformers") if m in sys.modules),
            both_texts="A1 Alpha" in lines and "B1 Beta" in lines,
        )
        self.app.exit()

    self.call_after_refresh(painted)

MainScreen.on_mount = on_mount
sources = [("A", "a.txt", "Alpha one.\nAlpha two.\n"), ("B", "b.txt", "Beta one.\nBeta two.\n")]
app_module.DiffReadoutApp(sources, AnalysisConfig()).run(headless=True, size=(100, 30))
print(json.dumps(marks))
'''


def test_texts_are_painted_before_heavy_imports() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120, check=True)
    marks = json.loads(out.stdout.strip().splitlines()[-1])
    assert marks["both_texts"]
    assert marks["heavy"] == []
    assert marks["seconds"] < 5.0  # generous: the 0.5 s target is measured by hand, on a quiet machine


DEFERRED_PROBE = r'''
import json, sys
from textual.app import App
from diffreadout.config import AnalysisConfig
from diffreadout.tui import app as app_module

app_module.analysis_job = lambda *args, **kwargs: None
DEFERRED = [
    "diffreadout.tui.widgets.detail_panel", "diffreadout.tui.widgets.document_view",
    "diffreadout.tui.screens.export_screen", "diffreadout.tui.screens.help_screen",
    "diffreadout.tui.screens.paste_screen", "diffreadout.export.markdown", "textual.widgets._footer",
]
first = {}
display = App._display

def first_frame(self, screen, renderable):
    if renderable is not None and not first:
        first["imported"] = [name for name in DEFERRED if name in sys.modules]
        first["widgets"] = sorted({type(widget).__name__ for widget in screen.walk_children()})
        self.exit()
    return display(self, screen, renderable)

App._display = first_frame
sources = [("A", "a.txt", "Alpha one.\nAlpha two.\n"), ("B", "b.txt", "Beta one.\nBeta two.\n")]
app_module.DiffReadoutApp(sources, AnalysisConfig()).run(headless=True, size=(100, 40))
print(json.dumps(first))
'''


def test_the_first_frame_waits_for_nothing_but_the_texts() -> None:
    """Detail panel, document view, footer, dialogs and the exporter come after the first frame."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", DEFERRED_PROBE], capture_output=True, text=True, env=env, timeout=120, check=True)
    first = json.loads(out.stdout.strip().splitlines()[-1])
    assert first["imported"] == []
    assert "AlignmentView" in first["widgets"] and "SummaryHeader" in first["widgets"]
    assert not {"DetailPanel", "DocumentView", "Footer"} & set(first["widgets"])
