"""Command line: the click commands and the batch and eval runners behind them."""

from __future__ import annotations

from diffreadout.cli.commands import main, run

__all__ = ["main", "run"]
