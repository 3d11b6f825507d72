"""``diffreadout history FILE --publisher P``: each statement against the publisher's earlier readouts."""

from __future__ import annotations

from datetime import date as Date

import click

from diffreadout.cli.errors import fail
from diffreadout.cli.library import check_date, check_publisher, library_option, open_library


def history_for(readout: object, library: object, publisher: str, day: str, since: str, meeting: str) -> object:
    """The History of readout, or a one-line error (empty library, nothing earlier)."""
    from diffreadout.core.history import history_of, load_settings
    from diffreadout.storage.library import LibraryError
    from diffreadout.storage.library_query import LibraryScope

    settings = load_settings()
    try:
        with library.connect() as conn:  # type: ignore[attr-defined]
            scope = LibraryScope(conn, publisher, day, since=since, exclude_sha256=readout.sha256,  # type: ignore[attr-defined]
                                 meeting=meeting, max_df=settings.max_shingle_df,
                                 shingles_per_unit=settings.shingles_per_unit)
            if scope.readout_count() == 0:
                window = f" between {since} and {day}" if since else f" dated before {day}"
                fail(f"{library.path}: no readouts of {publisher!r}{window} in the library")  # type: ignore[attr-defined]
            return history_of(readout, scope, publisher=publisher, date=day, meeting=meeting, settings=settings)  # type: ignore[arg-type]
    except LibraryError as exc:
        fail(str(exc))


@click.command("history")
@click.argument("path")
@click.option("--publisher", required=True, help="Whose earlier readouts to compare against.")
@click.option("--date", "date_text", default=None, metavar="YYYY-MM-DD",
              help="The readout's date (default: its date in the library, else today).")
@click.option("--since", default="", metavar="YYYY-MM-DD", help="Only earlier readouts from this date on.")
@click.option("--meeting", default=None, help="Meeting key for 'previous' (default: the library's, if stored).")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("-o", "--output", default="-", show_default=True, help="Output path, or - for standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5 * 1024 * 1024, show_default=True)
@library_option
def history_command(path: str, publisher: str, date_text: str | None, since: str, meeting: str | None, fmt: str,
                    output: str, force: bool, max_bytes: int, library_path: str | None) -> None:
    """Mark each statement stock, variant or new against the publisher's earlier readouts, and list drops."""
    from diffreadout.cli.library import _read
    from diffreadout.export.history import dumps, render_markdown
    from diffreadout.output import OutputError, write_output

    publisher = check_publisher(publisher)
    since = check_date(since, "--since") if since else ""
    library = open_library(library_path)
    if not library.exists():
        fail(f"{library.path}: the library is empty (add readouts with 'diffreadout library add')")
    readout = _read(path, max_bytes)
    stored = library.find(readout.sha256)
    day = check_date(date_text) if date_text else (stored.date if stored else Date.today().isoformat())
    if stored and date_text and stored.date != day:
        fail(f"{path}: the library has this readout dated {stored.date}, not {day}")
    if since and since > day:
        fail(f"--since {since} is after the readout's date {day}: no earlier readout can match")
    meeting = (meeting if meeting is not None else (stored.meeting if stored else "")).strip()
    history = history_for(readout, library, publisher, day, since, meeting)
    content = dumps(history, readout) if fmt == "json" else render_markdown(history, readout)  # type: ignore[arg-type]
    try:
        write_output(output, content, force=force)
    except OutputError as exc:
        fail(str(exc))
