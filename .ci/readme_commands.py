#!/usr/bin/env python3
"""The README's own two commands, read from README.md: CI runs exactly what a user would.

The README starts with two ```sh blocks: the first installs diffreadout and runs it on the
bundled example pair, the second installs it with the test extra and runs the tests. This
script extracts them (``--dry-run`` prints them) and runs them in order in the repository
root, each in a fresh ``bash -e``, stopping at the first failure with its exit code. CI
(``.ci/run``) calls it, and tests/unit/test_readme_commands.py fails when the README and CI
drift apart.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_BLOCK = re.compile(r"^```sh[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def readme_commands(readme: Path = ROOT / "README.md") -> list[str]:
    """The first two ```sh blocks of the README, each as one command line (continuations joined)."""
    blocks = _BLOCK.findall(readme.read_text(encoding="utf-8"))
    commands = [" ".join(block.replace("\\\n", " ").split()) for block in blocks[:2]]
    if len(commands) != 2 or not all(commands):
        raise SystemExit(f"{readme}: expected two ```sh blocks (install and run; install and test), found {len(commands)}")
    return commands


def main(argv: list[str]) -> int:
    commands = readme_commands()
    if "--dry-run" in argv:
        for command in commands:
            print(command)
        return 0
    for number, command in enumerate(commands, 1):
        print(f"+ README command {number}: {command}", flush=True)
        code = subprocess.call(["bash", "-e", "-c", command], cwd=ROOT)
        if code != 0:
            print(f"README command {number} failed with exit code {code}", file=sys.stderr)
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
