"""Command line: the TUI (default), report, eval, demo and cache commands.

Heavy modules (textual, torch, sentence-transformers) are imported only inside the command
that needs them, so ``diffreadout --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from diffreadout import __version__
from diffreadout.cli.corrections import corrected, corrections_group, data_dir_option, use_data_dir
from diffreadout.config import DEFAULT_MAX_BYTES, DEFAULT_MODEL, AnalysisConfig

from diffreadout.cli.errors import EXIT_BAD_INPUT, EXIT_TERMINATED, Terminated, fail, on_sigterm
from diffreadout.cli.report_history import history_options, side_histories, tui_histories, with_history

EXIT_INTERRUPTED = 130


class DefaultGroup(click.Group):
    """A group that runs ``open`` when the first argument is not a subcommand (``diffreadout A B``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Insert the default command before file arguments."""
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["open", *args]
        return super().parse_args(ctx, args)


def analysis_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that runs an analysis."""
    options = [
        click.option("--labels", nargs=2, metavar="LABEL_A LABEL_B", help="Names of the two readouts."),
        click.option(
            "--label", "label_list", multiple=True, metavar="LABEL",
            help="Name of the next readout; repeat once per readout (for three or more).",
        ),
        click.option(
            "--segment",
            type=click.Choice(["sentences", "lines"]),
            default="sentences",
            show_default=True,
            help="Cut into sentences, or take each non-empty line as one statement.",
        ),
        click.option(
            "--max-bytes",
            type=click.IntRange(min=1),
            default=DEFAULT_MAX_BYTES,
            show_default=True,
            help="Refuse inputs larger than this.",
        ),
        click.option("--model", "model_name", default=DEFAULT_MODEL, show_default=True, help="Model name or folder."),
        click.option("--allow-download", is_flag=True, help="Allow downloading a model named on the hub."),
        click.option(
            "--device",
            type=click.Choice(["auto", "cpu", "cuda"]),
            default="auto",
            show_default=True,
            help="Where to run the model: auto takes a CUDA GPU when torch sees one, else the CPU.",
        ),
        click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache."),
        click.option(
            "--issues", "issues_file", metavar="FILE",
            help="A TOML file of issues that extends the bundled issue lexicon (see README).",
        ),
    ]
    @functools.wraps(func)
    def merged(*args: Any, label_list: tuple[str, ...] = (), labels: tuple[str, ...] | None = None,
               issues_file: str | None = None, **kwargs: Any) -> Any:
        if label_list and labels:
            fail("use either --labels A B or --label (repeated), not both", code=2)
        if issues_file:
            from diffreadout.core.issues.lexicon import LexiconError, load_lexicon

            try:
                load_lexicon(issues_file)
            except LexiconError as error:
                fail(str(error))
            click.get_current_context().meta["diffreadout.issues_file"] = issues_file
        return func(*args, labels=tuple(label_list) or labels, **kwargs)

    for option in reversed(options):
        merged = option(merged)
    return merged


def make_config(segment: str, model_name: str, allow_download: bool, device: str, no_cache: bool) -> AnalysisConfig:
    """Build the analysis config from command-line options."""
    return AnalysisConfig(
        model_name=model_name,
        allow_download=allow_download,
        device=device,
        segment=segment,  # type: ignore[arg-type]
        use_cache=not no_cache,
        issues_file=_issues_file(),
    )


def _issues_file() -> str | None:
    """The --issues file of the running command, checked when the options were read."""
    context = click.get_current_context(silent=True)
    return context.meta.get("diffreadout.issues_file") if context is not None else None


def load_inputs(paths: Sequence[str], labels: Sequence[str] | None, max_bytes: int) -> list[tuple[str, Any]]:
    """Read every input (or fail with a one-line message); returns (label, Source) pairs."""
    from diffreadout.inputs.sources import InputError, default_labels, read_source

    if list(paths).count("-") > 1:
        fail("standard input ('-') can be given only once")
    if labels is not None and len(labels) != len(paths):
        fail(f"--labels gives {len(labels)} labels for {len(paths)} readouts")
    names = list(labels) if labels else default_labels(list(paths))
    out = []
    for path, label in zip(paths, names):
        try:
            out.append((label, read_source(path, max_bytes=max_bytes)))
        except InputError as exc:
            fail(str(exc))
    return out


def build_embedder(config: AnalysisConfig) -> Any:
    """The configured embedder, wrapped in the cache unless --no-cache; raises ModelError."""
    from diffreadout.storage.embeddings import cached_embedder
    from diffreadout.core.pipeline import default_embedder

    embedder = default_embedder(config)
    return cached_embedder(embedder) if config.use_cache else embedder


def load_readouts(paths: Sequence[str], labels: Sequence[str] | None, max_bytes: int, config: AnalysisConfig) -> list[Any]:
    """Read and segment every input as sides A, B, C...; fail on a readout with no statements."""
    from diffreadout.inputs.sources import InputError, segment_source
    from diffreadout.model import SIDES

    readouts = []
    for side, (label, source) in zip(SIDES, load_inputs(paths, labels, max_bytes)):
        try:
            readout = segment_source(source, side, label, config.segment)
        except InputError as exc:
            fail(str(exc))
        if not readout.statements:
            fail(f"{source.name}: no statements found in the text")
        readouts.append(readout)
    return readouts


def run_compare(paths: Sequence[str], labels: Sequence[str] | None, max_bytes: int, config: AnalysisConfig) -> Any:
    """Read and compare the readouts: a Comparison for two, a MultiComparison for more."""
    from diffreadout.core.similarity.embed import ModelError
    from diffreadout.core.pipeline import compare_many
    from diffreadout.core.pipeline import compare
    from diffreadout.model import SIDES

    if len(paths) > len(SIDES):
        fail(f"at most {len(SIDES)} readouts can be compared at once (got {len(paths)})", code=2)
    readouts = load_readouts(paths, labels, max_bytes, config)
    progress = _stderr_progress() if sys.stderr.isatty() else None
    run = compare if len(readouts) == 2 else compare_many
    try:
        return run(readouts, config, embedder=_embedder(config), progress=progress)
    except ModelError as exc:
        fail(str(exc))


def render_multi(multi: Any, fmt: str) -> str:
    """Render an N-readout comparison as Markdown or JSON text."""
    from diffreadout.export import multi as multi_export

    if fmt == "json":
        return multi_export.dumps(multi)
    from datetime import datetime, timezone

    return multi_export.render_markdown(multi, version=__version__, generated=datetime.now(timezone.utc))


def _embedder(config: AnalysisConfig) -> Any:
    """build_embedder for the command line: a model problem is a one-line error, exit 1."""
    from diffreadout.core.similarity.embed import ModelError

    try:
        return build_embedder(config)
    except ModelError as exc:
        fail(str(exc))


def _stderr_progress() -> Callable[[str, float], None]:
    def report(stage: str, fraction: float) -> None:
        from diffreadout.textsafe import printable

        end = "\n" if fraction >= 1.0 else ""
        click.echo(f"\r\x1b[2K{int(fraction * 100):3d}% {printable(stage)}", err=True, nl=False)
        if end:
            click.echo("", err=True)

    return report


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="diffreadout")
def main() -> None:
    """Compare diplomatic readouts of one meeting, statement by statement.

    \b
    diffreadout A.txt B.txt          open the two readouts in the terminal UI
    diffreadout                      paste two readouts into the terminal UI
    diffreadout demo                 open the bundled example pair
    diffreadout report A B -o r.md   write the Markdown report (or --format json)
    diffreadout eval CASES_DIR       score the aligner against gold cases
    """


@main.command("open", hidden=True)
@click.argument("paths", nargs=-1)
@history_options
@data_dir_option
@analysis_options
def open_command(paths: tuple[str, ...], publisher_a: str, publisher_b: str, library_path: str | None,
                 data_dir: str | None, labels: tuple[str, str] | None, segment: str, max_bytes: int,
                 model_name: str, allow_download: bool, device: str, no_cache: bool) -> None:
    """Open readouts in the terminal UI (the default command)."""
    use_data_dir(data_dir)
    if len(paths) == 1:
        fail(f"give two readouts to compare (got {len(paths)}), or none to paste them", code=2)
    from diffreadout.model import SIDES

    if len(paths) > len(SIDES):
        fail(f"at most {len(SIDES)} readouts can be compared at once (got {len(paths)})", code=2)
    config = make_config(segment, model_name, allow_download, device, no_cache)
    sources, histories = None, {}
    if paths:
        inputs = load_inputs(paths, labels, max_bytes)
        sources = [(label, src.name, src.text, src.sha256, src.encoding) for label, src in inputs]
        histories = tui_histories(inputs, segment, publisher_a, publisher_b, library_path)
    if histories:
        _run_tui(sources, config, histories=histories)
    else:
        _run_tui(sources, config)


@main.command("demo")
@analysis_options
def demo_command(labels: tuple[str, str] | None, segment: str, max_bytes: int, model_name: str,
                 allow_download: bool, device: str, no_cache: bool) -> None:
    """Open the bundled example pair (a Russian and a Chinese MFA readout) in the UI."""
    from diffreadout.examples import demo_sources

    config = make_config(segment, model_name, allow_download, device, no_cache)
    _run_tui(demo_sources(), config)


def _run_tui(sources: Sequence[tuple[str, ...]] | None, config: AnalysisConfig,
             histories: dict[str, Any] | None = None) -> None:
    try:
        from diffreadout.tui.app import run_app
    except ImportError as exc:  # pragma: no cover - broken install
        fail(f"the terminal UI cannot start: {exc}")
    # The factory runs in the UI's worker thread: a ModelError must reach the app (which shows
    # it and keeps the preview), not print over the screen.
    code = run_app(sources, config, embedder_factory=lambda: build_embedder(config), histories=histories)
    sys.exit(code)


@main.command("report")
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True, help="Report format.")
@click.option("-o", "--output", default="-", show_default=True, help="Output path, or - for standard output (with --batch: a folder).")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--batch", "batch_dir", metavar="DIR", help="Compare every pair folder under DIR; one report per pair into the -o folder.")
@click.option("--corrections", "corrections_file", metavar="FILE", help="Apply this corrections file (or gold case.json).")
@click.option("--no-corrections", is_flag=True, help="Do not apply the stored corrections of the pair.")
@data_dir_option
@history_options
@analysis_options
def report_command(paths: tuple[str, ...], fmt: str, output: str, force: bool, batch_dir: str | None,
                   corrections_file: str | None, no_corrections: bool, data_dir: str | None,
                   publisher_a: str, publisher_b: str, library_path: str | None, labels: tuple[str, str] | None, segment: str, max_bytes: int, model_name: str,
                   allow_download: bool, device: str, no_cache: bool) -> None:
    """Compare two readouts and write the Markdown report (or the JSON alignment)."""
    from diffreadout.output import OutputError, write_output

    config = make_config(segment, model_name, allow_download, device, no_cache)
    if batch_dir is not None:
        if paths:
            fail("give either two readouts or --batch DIR, not both", code=2)
        from diffreadout.cli.batch import run_batch

        sys.exit(run_batch(batch_dir, output, fmt=fmt, force=force, max_bytes=max_bytes, config=config,
                           embedder=_embedder(config), render=render))
    if len(paths) < 2:
        fail(f"report compares two or more readouts (got {len(paths)}); or use --batch DIR", code=2)
    _check_output(output, force)
    result = corrected(load_readouts(paths, labels, max_bytes, config), config, _embedder(config), corrections_file,
                       no_corrections, data_dir, _stderr_progress() if sys.stderr.isatty() else None
                       ) if len(paths) == 2 else run_compare(paths, labels, max_bytes, config)
    content = render(result, fmt) if len(paths) == 2 else render_multi(result, fmt)
    if len(paths) == 2:
        content = with_history(content, fmt, result, side_histories(result.readouts, publisher_a, publisher_b, library_path))
    try:
        write_output(output, content, force=force)
    except OutputError as exc:
        fail(str(exc))


def _check_output(output: str, force: bool) -> None:
    """Refuse a doomed output path before the (slow) analysis runs; write_output checks again."""
    import os
    import stat

    if output == "-":
        return
    try:
        if not stat.S_ISREG(os.stat(output).st_mode) and not os.path.isdir(output):
            return  # a device or pipe such as /dev/stdout is written in place
    except OSError:
        pass
    if os.path.isdir(output):
        fail(f"{output}: is a directory, not a file")
    if os.path.lexists(output) and not force:
        fail(f"{output}: already exists (use --force to overwrite)")
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        fail(f"{output}: folder {folder} does not exist")


def render(comparison: Any, fmt: str) -> str:
    """Render a comparison as Markdown or JSON text."""
    if fmt == "json":
        from diffreadout.export.json import dumps

        return dumps(comparison)
    from datetime import datetime, timezone

    from diffreadout.export.markdown import render_markdown

    return render_markdown(comparison, version=__version__, generated=datetime.now(timezone.utc))


@main.command("eval")
@click.argument("cases_dir", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--gold-segments", is_flag=True, help="Use the gold statements instead of our segmentation.")
@analysis_options
def eval_command(cases_dir: str, fmt: str, gold_segments: bool, labels: tuple[str, str] | None, segment: str,
                 max_bytes: int, model_name: str, allow_download: bool, device: str, no_cache: bool) -> None:
    """Score the aligner against gold cases (FORMAT.md): pair, labelled and omission F1."""
    from diffreadout.cli.evaluate import run_eval

    config = make_config(segment, model_name, allow_download, device, no_cache)
    code = run_eval(cases_dir, fmt=fmt, gold_segments=gold_segments, config=config, max_bytes=max_bytes,
                    embedder_factory=lambda: _embedder(config))
    sys.exit(code)


main.add_command(corrections_group)


def run(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: usage errors exit 2, Ctrl-C exits 130, SIGTERM 143, never a traceback."""
    import signal

    with contextlib.suppress(ValueError, OSError):  # not in the main thread: leave it alone
        signal.signal(signal.SIGTERM, on_sigterm)
    try:
        code = main.main(args=list(argv) if argv is not None else None, prog_name="diffreadout", standalone_mode=False)
    except Terminated:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write("diffreadout: terminated\n")
        sys.exit(EXIT_TERMINATED)
    except click.exceptions.Abort:
        click.echo("diffreadout: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("diffreadout: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except OSError as exc:
        # A write to standard output or error that failed outside write_output (a full disk, a
        # closed pipe): one line, non-zero exit.
        from diffreadout.output import stdout_failure

        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"diffreadout: error: {stdout_failure(exc)}\n")
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(code if isinstance(code, int) else 0)

