"""A word diff from an earlier formulation to this one, with offsets into this one."""

from __future__ import annotations

from difflib import SequenceMatcher

from diffreadout.core.history.types import WordChange
from diffreadout.core.text.words import WORD


def word_diff(before: str, after: str, offset: int = 0) -> tuple[WordChange, ...]:
    """The insertions, deletions and replacements of words from before to after.

    Words are compared in lower case; each change's start and end index ``after`` shifted by
    ``offset`` (a deletion has an empty span where the words were).
    """
    old = [m for m in WORD.finditer(before)]
    new = [m for m in WORD.finditer(after)]
    matcher = SequenceMatcher(None, [m.group(0).lower() for m in old], [m.group(0).lower() for m in new], autojunk=False)
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        was = before[old[i1].start():old[i2 - 1].end()] if i2 > i1 else ""
        if j2 > j1:
            start, end = new[j1].start(), new[j2 - 1].end()
        else:
            start = end = new[j1].start() if j1 < len(new) else (new[-1].end() if new else 0)
        changes.append(WordChange(op, was, after[start:end], offset + start, offset + end))  # type: ignore[arg-type]
    return tuple(changes)


def describe(changes: tuple[WordChange, ...]) -> str:
    """One line per readout: '"old" -> "new"' for each change, joined by '; '."""
    parts = []
    for ch in changes:
        if ch.op == "insert":
            parts.append(f'+ "{ch.after}"')
        elif ch.op == "delete":
            parts.append(f'- "{ch.before}"')
        else:
            parts.append(f'"{ch.before}" -> "{ch.after}"')
    return "; ".join(parts)
