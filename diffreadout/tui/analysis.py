"""The analysis jobs the app runs in thread workers, and the cheap readout building before them.

These functions only call the core and post messages; they never touch widgets. Heavy imports
(numpy, the model) happen inside the jobs, so the first paint does not wait for them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from diffreadout.config import AnalysisConfig
from diffreadout.textsafe import one_line
from diffreadout.tui.messages import AnalysisComplete, AnalysisFailed, AnalysisProgress, ClaimsComplete

if TYPE_CHECKING:
    from diffreadout.core.similarity.embed import Embedder
    from diffreadout.model import Analysis
    from diffreadout.model import Readout

EmbedderFactory = Callable[[], "Embedder"]
Post = Callable[[Message], object]

# The lexical preview runs first only when it is cheap next to the model: the lexical
# matrices are computed again by the final pass, so on large inputs the preview would delay it.
PRELIMINARY_MAX_PAIRS = 250_000
SIDES = ("A", "B")


def build_readouts(sources: Sequence[Sequence[str]], config: AnalysisConfig) -> tuple[Readout, Readout]:
    """Segment the two (label, source name, text[, sha256, encoding]) inputs into readouts A and B (numpy-free)."""
    if len(sources) != 2:
        raise ValueError("diffreadout compares exactly two readouts")
    built = [_readout(side, item, config) for side, item in zip(SIDES, sources)]
    return built[0], built[1]


def _readout(side: str, item: Sequence[str], config: AnalysisConfig) -> Readout:
    """A readout from (label, source name, text) or (label, source name, text, sha256, encoding).

    The raw bytes' hash and the detected encoding travel with a file's text, so the TUI's
    export gives the same provenance as ``report`` on the same file.
    """
    from diffreadout.core.text.readouts import make_readout

    label, source, text, *raw = item
    sha256 = raw[0] if raw else None
    encoding = raw[1] if len(raw) > 1 else "utf-8"
    return make_readout(side, label, source, text, segment_mode=config.segment, sha256=sha256, encoding=encoding)


def build_many_readouts(sources: Sequence[Sequence[str]], config: AnalysisConfig) -> tuple[Readout, ...]:
    """Segment three or more (label, source name, text) inputs into readouts A, B, C, ... (numpy-free)."""
    from diffreadout.model import SIDES as ALL_SIDES

    if not 2 <= len(sources) <= len(ALL_SIDES):
        raise ValueError(f"diffreadout compares 2 to {len(ALL_SIDES)} readouts")
    return tuple(_readout(side, item, config) for side, item in zip(ALL_SIDES, sources))


def readouts_problem(readouts: Sequence[Readout]) -> str | None:
    """Why these readouts cannot be compared (one line), or None.

    A readout without statements has nothing to align; one past the statement limit would take
    unbounded time and memory (statements are compared all against all). The texts are still
    shown; only the analysis is refused.
    """
    from diffreadout.inputs.sources import InputError, check_statement_count

    for readout in readouts:
        name = f"{readout.side} ({readout.label})"
        if not readout.statements:
            return f"{name}: no statements found in the text; nothing to compare"
        try:
            check_statement_count(name, len(readout.statements))
        except InputError as exc:
            return f"{exc}; not analysed"
    return None


def analysis_job(
    readouts: tuple[Readout, Readout],
    current_config: Callable[[], AnalysisConfig],
    embedder_factory: EmbedderFactory | None,
    post: Post,
    cancelled: Callable[[], bool],
) -> None:
    """Compare two readouts: a lexical preview first when cheap, then the model's result.

    Labels always use ``current_config()`` at the moment of aligning, so a threshold change
    made while the model loads is not lost. Any failure is reported as one line and whatever
    was already posted stays on screen.
    """
    from diffreadout.core import pipeline
    from diffreadout.core.similarity.embed import HashingEmbedder, ModelError

    def progress(stage: str, fraction: float) -> None:
        if not cancelled():
            post(AnalysisProgress(stage, fraction))

    kept_preliminary = False
    model_error: str | None = None
    embedder: Embedder | None = None
    try:
        progress("preparing the model", 0.02)
        factory = embedder_factory or (lambda: pipeline.default_embedder(current_config()))
        embedder = factory()
    except ModelError as exc:
        model_error = one_line(exc)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - a broken backend must not kill the app
        model_error = f"cannot prepare the model: {one_line(exc)}"
    n_pairs = len(readouts[0].statements) * len(readouts[1].statements)
    want_preview = not isinstance(embedder, HashingEmbedder) and n_pairs <= PRELIMINARY_MAX_PAIRS
    try:
        if want_preview and not cancelled():
            progress("lexical preview", 0.05)
            preview = pipeline.analyse(readouts, current_config(), HashingEmbedder())
            config = current_config()
            post(AnalysisComplete(pipeline.align(preview, config), preview, config, "preliminary"))
            kept_preliminary = True
        if model_error is not None or embedder is None:
            post(AnalysisFailed(model_error or "no embedding model", kept_preliminary))
            return
        load = getattr(embedder, "load", None)
        if callable(load) and not cancelled():
            load(lambda stage: progress(stage, 0.15))
        if cancelled():
            return
        analysis = pipeline.analyse(readouts, current_config(), embedder, progress)
        if cancelled():
            return
        config = current_config()
        post(AnalysisComplete(pipeline.align(analysis, config), analysis, config, "final"))
    except ModelError as exc:
        post(AnalysisFailed(one_line(exc), kept_preliminary))
    except Exception as exc:  # noqa: BLE001 - shown in the status line, never a traceback
        post(AnalysisFailed(f"analysis failed: {type(exc).__name__}: {one_line(exc)}", kept_preliminary))


def relabel_job(
    analysis: Analysis, config: AnalysisConfig, post: Post, cancelled: Callable[[], bool]
) -> None:
    """Re-label stored score matrices under new thresholds, without re-embedding."""
    from diffreadout.core import pipeline

    comparison = pipeline.align(analysis, config)
    if not cancelled():
        post(AnalysisComplete(comparison, analysis, config, "relabelled"))


def claims_job(
    readouts: Sequence[Readout],
    config: AnalysisConfig,
    embedder_factory: EmbedderFactory | None,
    post: Post,
    cancelled: Callable[[], bool],
) -> None:
    """Compare three or more readouts (every pair, then claims); any failure is one line."""
    from diffreadout.core import pipeline
    from diffreadout.core.similarity.embed import ModelError

    def progress(stage: str, fraction: float) -> None:
        if not cancelled():
            post(AnalysisProgress(stage, fraction))

    try:
        embedder = (embedder_factory or (lambda: pipeline.default_embedder(config)))()
        result = pipeline.compare_many(readouts, config, embedder, progress)
    except ModelError as exc:
        post(AnalysisFailed(one_line(exc), kept_preliminary=False))
    except Exception as exc:  # noqa: BLE001 - shown in the status line, never a traceback
        post(AnalysisFailed(f"analysis failed: {type(exc).__name__}: {one_line(exc)}", kept_preliminary=False))
    else:
        if not cancelled():
            post(ClaimsComplete(result))


def run_supervised(
    job: Callable[[Callable[[], bool]], None],
    name: str,
    threads: list[threading.Thread] | None,
    cancelled: Callable[[], bool],
) -> None:
    """The one worker pattern: job in a daemon thread (recorded in threads), supervised until done or cancelled."""
    thread, stop = start_daemon(job, name)
    if isinstance(threads, list):
        threads.append(thread)
    supervise(thread, stop, cancelled)


def start_daemon(job: Callable[[Callable[[], bool]], None], name: str) -> tuple[threading.Thread, threading.Event]:
    """Run job(cancelled) in a daemon thread; set the returned event to cancel it.

    Loading the model is one long call that no thread can interrupt. Run in Textual's
    executor, it would hold the process for seconds after the user quits (the event loop
    joins its executor on exit); a daemon thread does not.
    """
    stop = threading.Event()
    thread = threading.Thread(target=job, args=(stop.is_set,), name=name, daemon=True)
    thread.start()
    return thread, stop


def supervise(thread: threading.Thread, stop: threading.Event, cancelled: Callable[[], bool]) -> None:
    """Wait for a daemon job; if the supervising worker is cancelled, tell the job and stop waiting."""
    while thread.is_alive():
        thread.join(0.1)
        if cancelled():
            stop.set()
            return
