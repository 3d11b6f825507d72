"""The command line's one way to fail: a one-line message on stderr and an exit code."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

EXIT_BAD_INPUT = 1
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that every cleanup (temporary files) runs."""


def on_sigterm(signum: int, frame: object) -> None:
    """The CLI's SIGTERM handler: unwind like Ctrl-C does."""
    raise Terminated()


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print a one-line error to stderr and exit."""
    click.echo(f"diffreadout: error: {_one_line(message)}", err=True)
    sys.exit(code)


def _one_line(message: str) -> str:
    from diffreadout.textsafe import one_line, printable

    return printable(one_line(message))
