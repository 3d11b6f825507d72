#!/usr/bin/env python3
"""The README's two ```sh commands, read from README.md so CI runs them as a user would.

    python3 .ci/readme_commands.py --dry-run     print the commands, one per line
    python3 .ci/readme_commands.py               run them in the repository root, in order

The first two ```sh blocks of README.md are the install-and-run command and the
install-and-test command. Each runs in its own `sh -c`, as a user pasting it into a fresh
shell would; the run stops at the first that fails, with its exit status.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_SH_BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def readme_commands(text: str) -> list[str]:
    """The first two ```sh blocks of a README, each as one command line."""
    blocks = [block.strip() for block in _SH_BLOCK.findall(text)]
    if len(blocks) < 2 or not all(blocks[:2]):
        raise ValueError("README.md must open with two ```sh blocks (install and run; install and test)")
    return blocks[:2]


def main(argv: list[str]) -> int:
    commands = readme_commands(README.read_text(encoding="utf-8"))
    if "--dry-run" in argv:
        for command in commands:
            print(command)
        return 0
    for command in commands:
        print(f"+ {command}", flush=True)
        status = subprocess.run(["sh", "-c", command], cwd=ROOT).returncode
        if status != 0:
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
