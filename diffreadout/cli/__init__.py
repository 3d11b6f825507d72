"""Command line: the click commands and the batch and eval runners behind them."""

from __future__ import annotations

from diffreadout.cli.cache import cache_group
from diffreadout.cli.commands import main, run
from diffreadout.cli.history import history_command
from diffreadout.cli.library import library_group

main.add_command(cache_group)
main.add_command(library_group)
main.add_command(history_command)

__all__ = ["main", "run"]
