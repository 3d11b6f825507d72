"""``diffreadout corrections`` (path, show, export) and the corrections ``report`` applies.

The corrections of a pair live in the user's data folder (see storage/corrections.py), keyed
by the sha256 of the two texts; ``report`` applies them unless told ``--no-corrections``, or
applies the file ``--corrections FILE`` names (a gold case.json works too).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from diffreadout.config import DEFAULT_MAX_BYTES, DEFAULT_MODEL, AnalysisConfig
from diffreadout.storage.corrections import CorrectionsFileError, corrections_path, read_json, write_json

if TYPE_CHECKING:  # the core (numpy) loads only when a command runs
    from diffreadout.core.corrections import Corrections

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False), default=None,
    help="Folder of the analyst's data (default $DIFFREADOUT_DATA_DIR, else $XDG_DATA_HOME/diffreadout).",
)


def use_data_dir(data_dir: str | None) -> None:
    """--data-dir for the TUI: where it keeps the analyst's corrections (it reads DIFFREADOUT_DATA_DIR)."""
    if data_dir:
        os.environ["DIFFREADOUT_DATA_DIR"] = data_dir


def _fail(message: str) -> NoReturn:
    from diffreadout.textsafe import one_line, printable

    click.echo(f"diffreadout: error: {printable(one_line(message))}", err=True)
    sys.exit(1)


def read_corrections(path: Path) -> Corrections | None:
    """The corrections in a file (None if it does not exist); CorrectionsFileError naming the file if bad."""
    from diffreadout.core.corrections import CorrectionsError, from_dict

    data = read_json(path)
    if data is None:
        return None
    try:
        return from_dict(data)
    except CorrectionsError as exc:
        raise CorrectionsFileError(f"{path}: {exc}") from exc


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes (the provenance of the corrections applied)."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored_path(comparison_or_texts: Any, data_dir: str | None) -> Path:
    """The stored corrections file of a pair (a Comparison, or the two texts)."""
    from diffreadout.core.corrections import text_sha256

    texts = comparison_or_texts
    if hasattr(texts, "readouts"):
        texts = (texts.a.text, texts.b.text)
    return corrections_path(text_sha256(texts[0]), text_sha256(texts[1]), data_dir)


def corrected(
    readouts: list[Any], config: AnalysisConfig, embedder: Any, corrections_file: str | None,
    no_corrections: bool, data_dir: str | None, progress: Any = None,
) -> Any:
    """Compare two readouts and apply the named or the stored corrections; problems are one line on stderr."""
    from diffreadout.core.corrections import apply
    from diffreadout.core.pipeline import align, analyse
    from diffreadout.core.similarity.embed import ModelError

    try:
        analysis = analyse(readouts, config, embedder, progress)
    except ModelError as exc:
        _fail(str(exc))
    comparison = align(analysis, config)
    if progress:
        progress("done", 1.0)
    if no_corrections:
        return comparison
    path = Path(corrections_file) if corrections_file else stored_path(comparison, data_dir)
    try:
        corrections = read_corrections(path)
    except CorrectionsFileError as exc:
        if corrections_file:
            _fail(str(exc))
        click.echo(f"diffreadout: warning: {exc}; report made without corrections", err=True)
        return comparison
    if corrections is None:
        if corrections_file:
            _fail(f"{path}: no such file")
        return comparison
    if corrections.sha256 == ("", ""):
        corrections = _with_case_texts(corrections, path)
    result, report = apply(comparison, corrections, analysis, source=str(path), sha256=file_sha256(path))
    for line in report.lines():
        click.echo(f"diffreadout: correction not applied: {line}", err=True)
    return result


def _with_case_texts(corrections: Corrections, path: Path) -> Corrections:
    """A gold case.json (no sha256s): take the statement texts from the readout files beside it, if there."""
    from diffreadout.core.corrections import with_texts
    from diffreadout.inputs.sources import InputError, read_source

    try:
        texts = [read_source(str(path.parent / name)).text for name in corrections.files]
    except InputError:
        return corrections
    return with_texts(corrections, (texts[0], texts[1]))


def _read_texts(paths: tuple[str, str], max_bytes: int) -> list[Any]:
    from diffreadout.inputs.sources import InputError, read_source

    out = []
    for path in paths:
        try:
            out.append(read_source(path, max_bytes=max_bytes))
        except InputError as exc:
            _fail(str(exc))
    return out


@click.group("corrections")
def corrections_group() -> None:
    """The analyst's corrections of a pair: where they are, what they hold, export as a gold case."""


@corrections_group.command("path")
@click.argument("a")
@click.argument("b")
@data_dir_option
def path_command(a: str, b: str, data_dir: str | None) -> None:
    """Print where the corrections of readouts A and B are kept."""
    sources = _read_texts((a, b), DEFAULT_MAX_BYTES)
    click.echo(str(stored_path((sources[0].text, sources[1].text), data_dir)))


@corrections_group.command("show")
@click.argument("a")
@click.argument("b")
@data_dir_option
def show_command(a: str, b: str, data_dir: str | None) -> None:
    """List the stored corrections of readouts A and B (links, unlinks, notes)."""
    from diffreadout.textsafe import printable

    sources = _read_texts((a, b), DEFAULT_MAX_BYTES)
    path = stored_path((sources[0].text, sources[1].text), data_dir)
    try:
        corrections = read_corrections(path)
    except CorrectionsFileError as exc:
        _fail(str(exc))
    if corrections is None:
        click.echo(f"no corrections for this pair ({path})")
        return
    click.echo(f"{path}: {corrections.size} decisions")
    linked: set[str] = set()
    for link in corrections.links:
        linked.update((*link.a, *link.b))
        note = f"  note: {link.note}" if link.note else ""
        click.echo(printable(f"link {'+'.join(link.a)} ~ {'+'.join(link.b)} {link.label}{note}"))
    notes = dict(corrections.notes)
    for st in corrections.statements:
        if st.id not in linked:
            note = f"  note: {notes[st.id]}" if st.id in notes else ""
            click.echo(printable(f"omission {st.id}{note}"))


@corrections_group.command("export")
@click.argument("a")
@click.argument("b")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Case folder to write.")
@click.option("--force", is_flag=True, help="Write into a folder that already holds a case.json.")
@click.option("--model", "model_name", default=None, help="Model name or folder.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
@data_dir_option
def export_command(a: str, b: str, output: str, force: bool, model_name: str | None, no_cache: bool,
                   data_dir: str | None) -> None:
    """Write the corrected alignment of A and B as a gold case folder that ``diffreadout eval`` reads."""
    from diffreadout.core.pipeline import default_embedder
    from diffreadout.inputs.sources import default_labels, segment_source
    from diffreadout.storage.embeddings import cached_embedder

    folder = Path(output)
    if (folder / "case.json").exists() and not force:
        _fail(f"{folder / 'case.json'}: already exists (use --force to overwrite)")
    config = AnalysisConfig(model_name=model_name or DEFAULT_MODEL, use_cache=not no_cache)
    sources = _read_texts((a, b), DEFAULT_MAX_BYTES)
    labels = default_labels([a, b])
    readouts = [segment_source(src, side, label) for src, side, label in zip(sources, "AB", labels)]
    embedder = default_embedder(config)
    comparison = corrected(readouts, config, cached_embedder(embedder) if config.use_cache else embedder,
                           None, False, data_dir)
    try:
        write_case(folder, comparison)
    except OSError as exc:
        _fail(f"{folder}: cannot be written ({exc.strerror or exc})")
    n = len(comparison.links)
    click.echo(f"wrote {folder / 'case.json'}: {n} links, {comparison.review.applied if comparison.review else 0} from the analyst")


def write_case(folder: Path, comparison: Any) -> None:
    """A gold case folder (FORMAT.md) of a comparison: a.txt, b.txt, case.json with every statement and link."""
    from diffreadout.core.corrections import text_sha256

    folder.mkdir(parents=True, exist_ok=True)
    for name, readout in (("a.txt", comparison.a), ("b.txt", comparison.b)):
        with open(folder / name, "w", encoding="utf-8", newline="") as handle:
            handle.write(readout.text)
    review = comparison.review
    data = {
        "id": folder.resolve().name,
        "readouts": [
            {"side": side, "label": r.label, "file": name, "sha256": text_sha256(r.text)}
            for side, r, name in (("A", comparison.a, "a.txt"), ("B", comparison.b, "b.txt"))
        ],
        "statements": {
            side: [{"id": st.id, "start": st.start, "end": st.end, "text": st.text} for st in r.statements]
            for side, r in (("A", comparison.a), ("B", comparison.b))
        },
        "links": [
            {"a": list(link.a), "b": list(link.b), "label": link.label, "by": link.by,
             **({"note": link.note} if link.note else {})}
            for link in comparison.links
        ],
        "notes": dict(review.omission_notes) if review else {},
    }
    write_json(folder / "case.json", data)


__all__ = ["corrected", "corrections_group", "data_dir_option", "read_corrections", "stored_path", "write_case"]
