"""``diffreadout library``: add, list, remove, search and import readouts kept for history."""

from __future__ import annotations

import csv
import os
import sys
from datetime import date as Date
from pathlib import Path
from typing import Any

import click

from diffreadout.cli.errors import fail

READABLE = (".txt", ".md", ".html", ".htm")
library_option = click.option(
    "--library", "library_path", metavar="PATH", envvar="DIFFREADOUT_LIBRARY",
    help="The library file (default $XDG_DATA_HOME/diffreadout/library.sqlite; env DIFFREADOUT_LIBRARY).",
)


def open_library(path: str | None) -> Any:
    """The Library at path, or the default one."""
    from diffreadout.storage.library import Library

    return Library(Path(path) if path else None)


def check_date(value: str, what: str = "--date") -> str:
    """value when it is a YYYY-MM-DD date, else a one-line error."""
    try:
        return Date.fromisoformat(value).isoformat() if len(value) == 10 else _bad_date(value, what)
    except ValueError:
        return _bad_date(value, what)


def _bad_date(value: str, what: str) -> str:
    fail(f"{what} {value!r}: not a date (YYYY-MM-DD)")


def check_publisher(publisher: str) -> str:
    """The publisher name stripped, or a one-line error when it is empty."""
    if not publisher.strip():
        fail("--publisher is empty: name who published the readout (for example \"Chinese MFA\")")
    return publisher.strip()


def _expand(paths: tuple[str, ...]) -> list[str]:
    out = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = sorted(str(p) for p in Path(path).rglob("*") if p.is_file() and p.suffix.lower() in READABLE)
            if not found:
                fail(f"{path}: no readouts (.txt, .md, .html) in this folder")
            out += found
        else:
            out.append(path)
    return out


def _read(path: str, max_bytes: int) -> Any:
    from diffreadout.inputs import InputError, read_source, segment_source

    try:
        readout = segment_source(read_source(path, max_bytes=max_bytes), "A", path)
    except InputError as exc:
        fail(str(exc))
    if not readout.statements:
        fail(f"{path}: no statements found in the text")
    return readout


def _progress(total: int, what: str) -> Any:
    """A progress bar on standard error, only on a terminal and for two or more readouts."""
    if total < 2 or not sys.stderr.isatty():
        return None

    def report(done: int, count: int) -> None:
        width = 30
        filled = int(width * done / count)
        click.echo(f"\r{what} {'█' * filled}{'░' * (width - filled)} {done}/{count}", err=True, nl=done == count)

    return report


def add_items(library: Any, items: list[Any]) -> None:
    """Add in one transaction and say what happened (duplicates are skipped, not errors)."""
    from diffreadout.storage.library import LibraryError
    from diffreadout.textsafe import printable

    try:
        results = library.add_many(items, progress=_progress(len(items), "adding "))
    except LibraryError as exc:
        fail(str(exc))
    added = sum(1 for _, entry in results if entry is not None)
    for item, entry in results:
        if entry is None:
            click.echo(f"{printable(item.readout.source)}: already in the library (same sha256), skipped", err=True)
    click.echo(f"added {added} readout{'s' if added != 1 else ''} to {library.path}")


@click.group("library")
def library_group() -> None:
    """The local library of readouts that 'history' compares against."""


@library_group.command("add")
@click.argument("paths", nargs=-1, required=True)
@click.option("--publisher", required=True, help='Who published the readouts ("Chinese MFA").')
@click.option("--date", "date_text", required=True, metavar="YYYY-MM-DD", help="Date of the readouts.")
@click.option("--meeting", default="", help="Counterpart or meeting key (\"previous\" readouts share it).")
@click.option("--language", default="", help="Language code (default: detected).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5 * 1024 * 1024, show_default=True)
@library_option
def add_command(paths: tuple[str, ...], publisher: str, date_text: str, meeting: str, language: str,
                max_bytes: int, library_path: str | None) -> None:
    """Add readouts (files, folders, - or URLs) with their publisher and date."""
    from diffreadout.storage.library import NewReadout

    publisher, day = check_publisher(publisher), check_date(date_text)
    files = _expand(paths)
    if files.count("-") > 1:
        fail("standard input ('-') can be given only once")
    reading = _progress(len(files), "reading")
    items = []
    for n, path in enumerate(files, 1):
        items.append(NewReadout(_read(path, max_bytes), publisher, day, meeting.strip(), language.strip()))
        if reading is not None:
            reading(n, len(files))
    add_items(open_library(library_path), items)


@library_group.command("import")
@click.argument("csv_path")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5 * 1024 * 1024, show_default=True)
@library_option
def import_command(csv_path: str, max_bytes: int, library_path: str | None) -> None:
    """Import an archive from a CSV with publisher, date and path columns (meeting, language optional)."""
    from diffreadout.storage.library import NewReadout

    try:
        with open(csv_path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        fail(f"{csv_path}: cannot read the CSV ({exc})")
    if not rows or not {"publisher", "date", "path"} <= set(rows[0]):
        fail(f"{csv_path}: needs a header row with publisher, date and path columns")
    base = Path(csv_path).resolve().parent
    items = []
    for n, row in enumerate(rows, 2):
        if not (row.get("publisher") or "").strip():
            fail(f"{csv_path}: line {n}: the publisher is empty")
        day = check_date((row.get("date") or "").strip(), f"{csv_path}: line {n}: date")
        raw = (row.get("path") or "").strip()
        path = raw if raw.startswith(("http://", "https://")) or os.path.isabs(raw) else str(base / raw)
        items.append(NewReadout(_read(path, max_bytes), row["publisher"].strip(), day,
                                (row.get("meeting") or "").strip(), (row.get("language") or "").strip()))
    add_items(open_library(library_path), items)


@library_group.command("list")
@click.option("--publisher", default=None, help="Only this publisher's readouts.")
@library_option
def list_command(publisher: str | None, library_path: str | None) -> None:
    """List the readouts in the library: id, date, publisher, meeting, statements, source."""
    from diffreadout.storage.library import LibraryError
    from diffreadout.textsafe import printable

    library = open_library(library_path)
    try:
        entries = library.entries(publisher)
    except LibraryError as exc:
        fail(str(exc))
    for e in entries:
        click.echo(printable(f"{e.id}\t{e.date}\t{e.publisher}\t{e.meeting or '-'}\t{e.statements} st\t{e.sha256[:12]}\t{e.source}"))
    click.echo(f"{len(entries)} readout{'s' if len(entries) != 1 else ''} in {library.path}", err=True)


@library_group.command("remove")
@click.argument("keys", nargs=-1, required=True)
@library_option
def remove_command(keys: tuple[str, ...], library_path: str | None) -> None:
    """Remove readouts by id or sha256 (a prefix of 8 or more characters)."""
    from diffreadout.storage.library import LibraryError

    try:
        removed = open_library(library_path).remove(list(keys))
    except LibraryError as exc:
        fail(str(exc))
    click.echo(f"removed {len(removed)} readout{'s' if len(removed) != 1 else ''}")


@library_group.command("search")
@click.argument("phrase")
@click.option("--publisher", default="", help="Only this publisher's readouts.")
@click.option("--exact", is_flag=True, help="Exact phrase only (no fuzzy matches).")
@click.option("--cutoff", type=click.FloatRange(0.5, 1.0), default=0.85, show_default=True, help="Fuzzy score cut-off.")
@library_option
def search_command(phrase: str, publisher: str, exact: bool, cutoff: float, library_path: str | None) -> None:
    """Every use of a formulation over time, with dates: exact (FTS5) and fuzzy (rapidfuzz)."""
    from diffreadout.storage.library import LibraryError
    from diffreadout.storage.library_query import search
    from diffreadout.core.history import normalise
    from diffreadout.textsafe import printable

    if not normalise(phrase):
        fail("the search phrase has no words")
    try:
        with open_library(library_path).connect() as conn:
            hits = search(conn, phrase, publisher=publisher, fuzzy_cutoff=1.0 if exact else cutoff)
    except LibraryError as exc:
        fail(str(exc))
    for h in hits:
        click.echo(printable(f"{h.date}\t{h.publisher}\t{h.match} {h.score:.2f}\t{h.source}:{h.start}-{h.end}\t{h.text}", keep_newlines=False))
    click.echo(f"{len(hits)} use{'s' if len(hits) != 1 else ''}", err=True)
