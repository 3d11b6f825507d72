"""Gold cases: the one reader of a case folder (case.json and the readouts it names).

The format is ../shared/eval/FORMAT.md; the evaluation, the batch command and the benchmarks
all read cases through this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diffreadout.config import DEFAULT_MAX_BYTES
from diffreadout.inputs.sources import InputError, read_source

__all__ = ["CaseError", "GoldCase", "find_cases", "load_case", "read_case_data"]


class CaseError(Exception):
    """A case folder is malformed; str() is one line naming the file."""


@dataclass(frozen=True)
class GoldCase:
    """One annotated readout pair."""

    id: str
    folder: Path
    labels: tuple[str, str]
    files: tuple[str, str]
    texts: tuple[str, str]
    statements: dict[str, tuple[tuple[str, int, int], ...]]
    links: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]

    def gold_pairs(self) -> set[tuple[str, str, str]]:
        """Every (a id, b id, label) pair the gold links stand for."""
        return {(a, b, label) for la, lb, label in self.links for a in la for b in lb}

    def gold_omissions(self) -> set[str]:
        """Gold statements in no gold link."""
        linked = {x for la, lb, _ in self.links for x in (*la, *lb)}
        return {sid for side in ("A", "B") for sid, _, _ in self.statements[side] if sid not in linked}


def read_case_data(case_file: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """The parsed JSON of one case.json, or CaseError naming the file and the problem."""
    try:
        data = json.loads(read_source(case_file, max_bytes=max_bytes).text)
    except InputError as exc:
        raise CaseError(str(exc)) from exc
    except json.JSONDecodeError as exc:
        raise CaseError(f"{case_file}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise CaseError(f"{case_file}: missing or malformed field (not a JSON object)")
    return data


def load_case(folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> GoldCase:
    """Read one case folder (case.json plus the two readout files, each at most max_bytes)."""
    case_file = folder / "case.json"
    data = read_case_data(case_file, max_bytes)
    try:
        readouts = {r["side"]: r for r in data["readouts"]}
        files = (readouts["A"]["file"], readouts["B"]["file"])
        if not all(isinstance(name, str) and name for name in files):
            raise ValueError("'file' must name a file")
        labels = (str(readouts["A"].get("label", "A")), str(readouts["B"].get("label", "B")))
        statements = {
            side: tuple((str(s["id"]), int(s["start"]), int(s["end"])) for s in data["statements"][side])
            for side in ("A", "B")
        }
        links = tuple(
            (tuple(map(str, link["a"])), tuple(map(str, link["b"])), str(link["label"])) for link in data["links"]
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CaseError(f"{case_file}: missing or malformed field {exc}") from exc
    texts = []
    for name in files:
        try:
            texts.append(read_source(str(folder / name), max_bytes=max_bytes).text)
        except InputError as exc:
            raise CaseError(str(exc)) from exc
    return GoldCase(
        id=str(data.get("id", folder.name)),
        folder=folder,
        labels=labels,
        files=files,
        texts=(texts[0], texts[1]),
        statements=statements,
        links=links,
    )


def find_cases(root: Path) -> list[Path]:
    """Case folders under root (root itself if it holds a case.json), sorted by name."""
    if (root / "case.json").is_file():
        return [root]
    return sorted(p.parent for p in root.glob("*/case.json"))
