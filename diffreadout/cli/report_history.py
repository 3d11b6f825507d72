"""History in the comparison report: "New language" and "Dropped formulations" for each side.

A side gets them when its publisher is named (``--publisher-a`` / ``--publisher-b``) or when
the library holds the readout (matched by sha256, with its stored publisher and date).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date as Date
from typing import Any

import click

from diffreadout.cli.errors import fail
from diffreadout.cli.library import check_publisher, open_library


def history_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--publisher-a, --publisher-b and --library: history from the library for each side."""
    for option in reversed([
        click.option("--publisher-a", default="", help="Publisher of A: its history from the library."),
        click.option("--publisher-b", default="", help="Publisher of B: its history from the library."),
        click.option("--library", "library_path", metavar="PATH", envvar="DIFFREADOUT_LIBRARY", help="The library file."),
    ]):
        func = option(func)
    return func


def side_histories(readouts: Any, publisher_a: str, publisher_b: str, library_path: str | None) -> dict[str, Any]:
    """side -> History for each readout whose publisher is known and has earlier readouts."""
    from diffreadout.core.history import history_of, load_settings
    from diffreadout.storage.library import LibraryError
    from diffreadout.storage.library_query import LibraryScope
    from diffreadout.textsafe import printable

    publishers = {side: p for side, p in (("A", publisher_a), ("B", publisher_b)) if p}
    library = open_library(library_path)
    if not library.exists():
        if publishers:
            click.echo(f"diffreadout: note: {library.path}: the library is empty; no history sections", err=True)
        return {}
    settings = load_settings()
    out = {}
    try:
        for readout in readouts:
            stored = library.find(readout.sha256)
            publisher = publishers.get(readout.side) or (stored.publisher if stored else "")
            if not publisher:
                continue
            publisher = check_publisher(publisher)
            day = stored.date if stored else Date.today().isoformat()
            meeting = stored.meeting if stored else ""
            with library.connect() as conn:
                scope = LibraryScope(conn, publisher, day, exclude_sha256=readout.sha256, meeting=meeting,
                                     max_df=settings.max_shingle_df, shingles_per_unit=settings.shingles_per_unit)
                if scope.readout_count() == 0:
                    click.echo(printable(f"diffreadout: note: no readouts of {publisher!r} before {day} in the library;"
                                         f" no history for {readout.side}"), err=True)
                    continue
                out[readout.side] = history_of(readout, scope, publisher=publisher, date=day, meeting=meeting,
                                               settings=settings)
    except LibraryError as exc:
        fail(str(exc))
    return out


def tui_histories(inputs: list[tuple[str, Any]], segment: str, publisher_a: str, publisher_b: str,
                  library_path: str | None) -> dict[str, Any]:
    """Histories for the UI's two readouts, segmented as the UI segments them (same ids)."""
    from diffreadout.inputs import segment_source
    from diffreadout.model import SIDES

    if len(inputs) != 2 or (not publisher_a and not publisher_b and not open_library(library_path).exists()):
        return {}
    readouts = [segment_source(source, side, label, segment) for side, (label, source) in zip(SIDES, inputs)]
    return side_histories(readouts, publisher_a, publisher_b, library_path)


def with_history(content: str, fmt: str, comparison: Any, histories: dict[str, Any]) -> str:
    """The report with the history sections (Markdown) or a top-level "history" object (JSON)."""
    if not histories:
        return content
    from diffreadout.export.history import sections, to_dict

    if fmt == "json":
        from diffreadout.export.json import _UNSAFE_IN_JSON

        data = json.loads(content)
        data["history"] = {side: to_dict(h, comparison.readout(side)) for side, h in sorted(histories.items())}
        text = json.dumps(data, ensure_ascii=False, indent=2)
        return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"
    lines = [content.rstrip("\n"), ""]
    for side, history in sorted(histories.items()):
        lines += sections(history, f"{side} · {comparison.readout(side).label} ({history.publisher})")
    return "\n".join(lines)
