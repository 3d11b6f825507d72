"""Entry point for ``python -m diffreadout``."""

from diffreadout.cli.commands import run

if __name__ == "__main__":
    run()
