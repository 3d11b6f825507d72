"""The TUI's export: the Markdown report of what is on screen, written without overwriting silently."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diffreadout.model import Comparison, MultiComparison


def report_markdown(comparison: Comparison | None, claims: MultiComparison | None = None) -> str | None:
    """The Markdown report of the claims matrix when given, else of the comparison (None if neither)."""
    from diffreadout import __version__
    from diffreadout.present import timestamp

    generated = timestamp()
    if claims is not None:
        from diffreadout.export.multi import render_markdown as render_multi

        return render_multi(claims, version=__version__, generated=generated)
    if comparison is not None:
        from diffreadout.export.markdown import render_markdown

        return render_markdown(comparison, version=__version__, generated=generated)
    return None


def write_report_file(path: str, content: str, *, overwrite: bool) -> str | None:
    """Write the report; None when written, else the one-line problem to show."""
    from diffreadout.output import OutputError, write_output

    try:
        write_output(path, content, force=overwrite)
    except OutputError as exc:
        return str(exc)
    return None
