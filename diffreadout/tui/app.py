"""The diffreadout app: thin. Compose screens, bind keys, start the workers, route messages.

Paint first: the readouts are segmented and shown at once; the model loads and the
alignment runs in a thread worker that only posts messages.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from diffreadout.config import AnalysisConfig
from diffreadout.tui.analysis import (analysis_job, build_many_readouts, build_readouts, readouts_problem,
                                      relabel_job, run_supervised)
from diffreadout.tui.commands import ACTION_HELP, PALETTE_TITLES
from diffreadout.tui.corrections import CorrectionSession
from diffreadout.tui.exporting import report_markdown, write_report_file
from diffreadout.tui.messages import AnalysisComplete, AnalysisFailed, AnalysisProgress
from diffreadout.tui.screens.main_screen import MainScreen
from diffreadout.tui.text import visible

if TYPE_CHECKING:
    from diffreadout.core.similarity.embed import Embedder
    from diffreadout.model import Analysis
    from diffreadout.model import Comparison, Readout
    from diffreadout.tui.screens.export_screen import ExportRequest
    from diffreadout.tui.screens.matrix_screen import MatrixScreen
    from textual.driver import Driver

Sources = Sequence[tuple[str, ...]]  # (label, source name, text[, sha256, encoding])
THRESHOLD_STEP = 0.05
EXIT_INTERRUPTED = 130  # as the command line's Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM
EXIT_MESSAGES = {EXIT_INTERRUPTED: "interrupted", EXIT_TERMINATED: "terminated"}
DEFAULT_EXPORT_PATH = "diffreadout-report.md"


class DiffReadoutApp(App[int]):
    """Compare two readouts of one meeting, statement by statement."""

    CSS_PATH = ["app.tcss", "screens/matrix_screen.tcss"]
    TITLE = "diffreadout"
    BINDINGS = [
        Binding("x", "export", "Export", id="export"),
        Binding("plus,equals_sign", "threshold_up", "Stricter", show=False, id="threshold-up"),
        Binding("minus", "threshold_down", "Looser", show=False, id="threshold-down"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        # Ctrl-C leaves from anywhere (a text field would otherwise take it as copy), exit 130.
        Binding("ctrl+c", "interrupt", "Interrupt", show=False, priority=True, id="interrupt"),
    ]

    def __init__(
        self,
        sources: Sources | None,
        config: AnalysisConfig,
        embedder_factory: Callable[[], Embedder] | None = None,
        *,
        cursor_blink: bool = True,
        histories: dict[str, object] | None = None,
    ) -> None:
        super().__init__()
        self.histories = histories or {}
        self.sources = sources
        self.config = config
        self.embedder_factory = embedder_factory
        self.cursor_blink = cursor_blink
        self.readouts: tuple[Readout, Readout] | None = None
        self.analysis: Analysis | None = None
        self.comparison: Comparison | None = None
        self.result_stage: str | None = None
        self.analysis_running = False
        self.failure: str | None = None
        self.job_threads: list[threading.Thread] = []
        self.corrections = CorrectionSession()

    # --- start ----------------------------------------------------------------------------

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal, reading a bracketed paste exactly as pasted."""
        from diffreadout.tui.paste_parser import install_paste_parser

        driver_class = super().get_driver_class()
        install_paste_parser(driver_class)
        return driver_class

    def get_default_screen(self) -> Screen:
        """Given readouts, the main screen is the first screen: no blank screen is drawn first."""
        if self.sources is None:
            return super().get_default_screen()
        if len(self.sources) >= 3:  # claims x sources; the screen runs its own worker
            from diffreadout.tui.screens.matrix_screen import MatrixScreen

            return MatrixScreen(build_many_readouts(self.sources, self.config), self.config, self.embedder_factory)
        self.readouts = build_readouts(self.sources, self.config)
        return MainScreen(self.readouts, cursor_blink=self.cursor_blink)

    def on_mount(self) -> None:
        """Analyse the readouts on screen, or open the paste screen when there are none."""
        if self.sources is not None and len(self.sources) >= 3:
            return  # the matrix screen analyses its readouts itself
        if self.readouts is None:
            from diffreadout.tui.screens.paste_screen import PasteScreen

            self.push_screen(PasteScreen(self.config, cursor_blink=self.cursor_blink), self._compare_pasted)
        else:
            self._start_analysis(self.readouts)

    def _compare_pasted(self, readouts: tuple[Readout, Readout] | None) -> None:
        if readouts is None:
            self.exit(0)
        else:
            self.show_readouts(readouts)

    def show_readouts(self, readouts: tuple[Readout, Readout]) -> None:
        """Show segmented readouts now; analyse them in a worker."""
        self.readouts = readouts
        self.push_screen(MainScreen(readouts, cursor_blink=self.cursor_blink))
        self._start_analysis(readouts)

    def _start_analysis(self, readouts: tuple[Readout, Readout]) -> None:
        self._update_settings()
        self.analysis_running = True
        # Start the worker once the texts are on screen: its imports (numpy, the model) hold
        # the GIL for a while and would otherwise delay the first paint.
        self.call_after_refresh(lambda: self._analyse(readouts))

    def _analyse(self, readouts: tuple[Readout, Readout]) -> None:
        problem = readouts_problem(readouts)
        if problem is None:
            self.run_analysis(readouts)
            return
        # Shown, not analysed: comparing it would take unbounded time and memory.
        self.analysis_running = False
        self.failure = problem
        if self.main_screen is not None:
            self.main_screen.show_failure(problem)

    @property
    def main_screen(self) -> MainScreen | None:
        """The main screen, if it is open (it may be under a modal screen)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    # --- workers: they only post messages -------------------------------------------------

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def run_analysis(self, readouts: tuple[Readout, Readout]) -> None:
        """Preview, load the model, align: in a daemon thread this worker supervises."""
        worker = get_current_worker()

        def job(cancelled: Callable[[], bool]) -> None:
            analysis_job(readouts, lambda: self.config, self.embedder_factory, self.post_message, cancelled)

        run_supervised(job, "diffreadout-analysis", self.job_threads, lambda: worker.is_cancelled)

    @work(thread=True, exclusive=True, group="relabel", exit_on_error=False)
    def run_relabel(self, analysis: Analysis, config: AnalysisConfig) -> None:
        """Re-label the stored analysis under new thresholds, in a thread."""
        worker = get_current_worker()
        relabel_job(analysis, config, self.post_message, lambda: worker.is_cancelled)

    def on_analysis_progress(self, message: AnalysisProgress) -> None:
        """Hand progress to the screen."""
        if self.main_screen is not None:
            self.main_screen.show_progress(message.stage, message.fraction)

    def on_analysis_complete(self, message: AnalysisComplete) -> None:
        """Show a result; re-label it if the thresholds moved while it was computed."""
        if message.stage == "relabelled":
            if message.analysis is not self.analysis:
                return
        else:
            self.analysis = message.analysis
            self.result_stage = message.stage
            if message.stage == "final":
                self.analysis_running = False
        if message.config != self.config:
            self.run_relabel(message.analysis, self.config)
        self.comparison, problems = self.corrections.attach(message.analysis, message.comparison)
        for problem in problems:
            self.notify(visible(problem), title="Corrections", severity="warning", timeout=8, markup=False)
        screen = self.main_screen
        if screen is not None:
            screen.show_comparison(self.comparison, preview=self.result_stage == "preliminary")
            if not self.analysis_running:
                screen.show_done()
        self._update_settings()

    def show_corrected(self, comparison: Comparison) -> None:
        """Show the comparison an analyst's correction made (no re-embedding)."""
        self.comparison = comparison
        if self.main_screen is not None:
            self.main_screen.show_comparison(comparison, preview=self.result_stage == "preliminary")

    def on_analysis_failed(self, message: AnalysisFailed) -> None:
        """Say what failed; keep whatever was computed."""
        self.analysis_running = False
        self.failure = message.message
        if self.main_screen is not None:
            self.main_screen.show_failure(message.message)
        self.notify(visible(message.message), title="Analysis failed", severity="error", timeout=8, markup=False)
        self._update_settings()

    def _update_settings(self) -> None:
        config = self.config
        if self.comparison is None:
            model = f"model {config.model_name} (loading)" if self.failure is None else "no result"
        elif self.result_stage == "preliminary":
            model = f"word-overlap preview ({self.comparison.model.name})"
            if self.failure is None:
                model += f", waiting for {config.model_name}"
        else:
            model = f"model {self.comparison.model.name}"
        info = f"{model} · link ≥ {config.link_threshold:.2f} shared ≥ {config.shared_threshold:.2f}"
        if self.main_screen is not None:
            self.main_screen.set_settings(info, config.model_name)

    # --- actions --------------------------------------------------------------------------

    def _matrix_screen(self) -> MatrixScreen | None:
        """The claims x sources screen, when it is the one showing."""
        from diffreadout.tui.screens.matrix_screen import MatrixScreen

        return self.screen if isinstance(self.screen, MatrixScreen) else None

    def _move_thresholds(self, delta: float) -> None:
        self.config = self.config.with_thresholds(delta)
        matrix = self._matrix_screen()
        if matrix is not None:
            matrix.realign(self.config)  # every pair again; embeddings come from the caches
        else:
            self._update_settings()
        if self.analysis is not None:
            self.run_relabel(self.analysis, self.config)
        self.notify(
            f"link ≥ {self.config.link_threshold:.2f} · shared ≥ {self.config.shared_threshold:.2f}",
            title="Thresholds",
            timeout=2,
            markup=False,
        )

    def action_threshold_up(self) -> None:
        """Raise the thresholds: fewer links, fewer shared (no re-embedding)."""
        self._move_thresholds(THRESHOLD_STEP)

    def action_threshold_down(self) -> None:
        """Lower the thresholds: more links, more shared (no re-embedding)."""
        self._move_thresholds(-THRESHOLD_STEP)

    def action_help(self) -> None:
        """Open help (what shared, emphasis and omission mean; every key)."""
        from diffreadout.tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_help(), matrix=self._matrix_screen() is not None))

    def action_interrupt(self) -> None:
        """Ctrl-C: leave at once with the interrupted exit code; nothing half-written is left."""
        self.exit(return_code=EXIT_INTERRUPTED)

    def key_help(self) -> list[tuple[str, str]]:
        """(keys, description) for every main-screen and app binding."""
        out: list[tuple[str, str]] = []
        screen_bindings = MainScreen.BINDINGS
        if self.sources is not None and len(self.sources) >= 3:
            from diffreadout.tui.screens.matrix_screen import MatrixScreen

            screen_bindings = MatrixScreen.BINDINGS
        for binding in [*screen_bindings, *self.BINDINGS]:
            assert isinstance(binding, Binding)
            keys = ", ".join(self.get_key_display(Binding(key, "")) for key in binding.key.split(","))
            out.append((keys, ACTION_HELP.get(binding.action, binding.description)))
        return out

    def action_export(self) -> None:
        """Ask for a path and write the Markdown report there (never overwriting silently)."""
        matrix = self._matrix_screen()
        if (matrix.result if matrix is not None else self.comparison) is None:
            self.notify("Nothing to export until the analysis has produced a result.", timeout=3, markup=False)
            return
        problem = self.export_refusal()
        if problem is not None:
            self.notify(problem, title="Not exported", severity="warning", timeout=6, markup=False)
            return
        from diffreadout.tui.screens.export_screen import ExportScreen

        self.push_screen(ExportScreen(DEFAULT_EXPORT_PATH, cursor_blink=self.cursor_blink), self.write_report)

    def export_refusal(self) -> str | None:
        """Why no report may be written now (a stand-in's figures are on screen), or None."""
        if self._matrix_screen() is not None or self.result_stage != "preliminary":
            return None
        if self.failure is not None:
            return "The model failed, so only the word-overlap preview is on screen; no report is made from it."
        return "The word-overlap preview is on screen; export once the model's result replaces it."

    def write_report(self, request: ExportRequest | None) -> None:
        """Write the report for an answered export prompt."""
        if request is None:
            return
        problem = self.export_refusal()
        if problem is not None:
            self.notify(problem, title="Not exported", severity="warning", timeout=6, markup=False)
            return
        matrix = self._matrix_screen()
        content = report_markdown(self.comparison, matrix.result if matrix is not None else None)
        if content is None:
            return
        problem = write_report_file(request.path, content, overwrite=request.overwrite)
        if problem is not None:
            self.notify(visible(problem), title="Export failed", severity="error", timeout=6, markup=False)
            return
        self.notify(f"Report written to {visible(request.path)}", title="Exported", timeout=4, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: every key's action by name, then Textual's own commands."""
        main = self.main_screen
        if main is not None and screen is main:
            for binding in MainScreen.BINDINGS:
                assert isinstance(binding, Binding)
                title = PALETTE_TITLES.get(binding.action, binding.description)
                yield SystemCommand(title, ACTION_HELP.get(binding.action, ""), _runner(main, binding.action))
            for action, callback in (
                ("export", self.action_export),
                ("threshold_up", self.action_threshold_up),
                ("threshold_down", self.action_threshold_down),
            ):
                yield SystemCommand(PALETTE_TITLES[action], ACTION_HELP[action], callback)
        yield SystemCommand(PALETTE_TITLES["help"], ACTION_HELP["help"], self.action_help)
        yield from super().get_system_commands(screen)


def _runner(screen: Screen, action: str) -> Callable[[], object]:
    async def run() -> None:
        await screen.run_action(action)

    return run


def _exit_on_signal(app: App[int], code: int) -> Callable[[int, object], None]:
    def handler(signum: int, frame: object) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise KeyboardInterrupt from None
        loop.call_soon_threadsafe(partial(app.exit, return_code=code))

    return handler


def run_app(
    sources: Sources | None,
    config: AnalysisConfig,
    embedder_factory: Callable[[], Embedder] | None = None,
    histories: dict[str, object] | None = None,
) -> int:
    """Run the TUI on (label, source name, text) pairs, or the paste screen for None; the exit code."""
    app = DiffReadoutApp(sources, config, embedder_factory, histories=histories)
    # The terminal's Ctrl-C is a key here (ctrl+c); these are signals sent from outside. Each
    # closes the app as q does, so the terminal is restored, with the conventional exit code.
    handlers = {signal.SIGINT: _exit_on_signal(app, EXIT_INTERRUPTED), signal.SIGTERM: _exit_on_signal(app, EXIT_TERMINATED)}
    previous = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    try:
        result = app.run()
    except KeyboardInterrupt:  # a signal before the app's loop ran
        result = EXIT_INTERRUPTED
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    code = result if isinstance(result, int) else (app.return_code or 0)
    if code in EXIT_MESSAGES:
        print(f"diffreadout: {EXIT_MESSAGES[code]}", file=sys.stderr)
    if any(thread.is_alive() for thread in app.job_threads):
        # A thread cannot be interrupted, and loading the model is one long call: waiting for
        # it would hold the terminal for seconds after q. Nothing of it needs keeping (the
        # embedding cache is SQLite, safe against an abrupt exit).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
