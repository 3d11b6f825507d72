"""Gold cases: the one reader of a case folder (case.json and the readouts it names).

The format is ../shared/eval/FORMAT.md; the evaluation, the batch command and the benchmarks
all read cases through this module.
"""

from __future__ import annotations

import json
import math
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


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text} is out of range")
    return value


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def read_case_data(case_file: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """The parsed JSON of one case.json, or CaseError naming the file and the problem.

    Strict JSON: NaN, Infinity and numbers beyond a float's range (1e400) are refused, and so is
    nesting deeper than any case needs."""
    try:
        text = read_source(case_file, max_bytes=max_bytes).text
    except InputError as exc:
        raise CaseError(str(exc)) from exc
    depth = _nesting_depth(text)
    if depth > _MAX_DEPTH:
        raise CaseError(f"{case_file}: not a case (JSON nested {depth} levels deep; at most {_MAX_DEPTH})")
    try:
        data = json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise CaseError(f"{case_file}: not valid JSON ({exc})") from exc
    except (ValueError, RecursionError) as exc:
        raise CaseError(f"{case_file}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise CaseError(f"{case_file}: missing or malformed field (not a JSON object)")
    return data


_MAX_DEPTH = 32


def _nesting_depth(text: str) -> int:
    """The deepest bracket nesting of a JSON text, counted outside strings (no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _offset(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"offset {value!r} is not a whole number")
    return value


def _inside(folder: Path, name: str, case_file: Path) -> Path:
    """The readout file a case names, refused when it lies outside the case folder."""
    path = folder / name
    try:
        path.resolve().relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return path  # a symlink loop or an unreadable link: reading it says what is wrong
    except ValueError:
        raise CaseError(f"{case_file}: readout file {name!r} is outside the case folder") from None
    return path


def _check_gold(case_file: Path, statements: dict[str, tuple[tuple[str, int, int], ...]],
                links: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]) -> None:
    seen: set[str] = set()
    for side in ("A", "B"):
        if not statements[side]:
            raise CaseError(f"{case_file}: side {side} has no gold statements")
        for sid, _, _ in statements[side]:
            if sid in seen:
                raise CaseError(f"{case_file}: statement id {sid!r} appears more than once")
            seen.add(sid)
    ids = {side: {sid for sid, _, _ in statements[side]} for side in ("A", "B")}
    for number, (a, b, label) in enumerate(links, start=1):
        if label not in ("shared", "emphasis"):
            raise CaseError(f"{case_file}: link {number} has label {label!r} (shared or emphasis)")
        for side, members in (("A", a), ("B", b)):
            if not members:
                raise CaseError(f"{case_file}: link {number} has no side {side} statement")
            unknown = [x for x in members if x not in ids[side]]
            if unknown:
                raise CaseError(f"{case_file}: link {number} names {unknown[0]!r}, not a side {side} statement")


def _check_offsets(case_file: Path, side: str, name: str, text: str,
                   spans: tuple[tuple[str, int, int], ...]) -> None:
    for sid, start, end in spans:
        if not 0 <= start < end <= len(text):
            raise CaseError(
                f"{case_file}: statement {sid} spans {start}..{end}, outside {name} ({len(text)} characters)"
            )


def load_case(folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> GoldCase:
    """Read and check one case folder (case.json plus the two readout files, each at most max_bytes).

    Every problem is a CaseError naming the case file: a malformed field, an empty gold side, a
    duplicate statement id, a link to an unknown id, an offset outside its text, a readout file
    outside the case folder."""
    case_file = folder / "case.json"
    data = read_case_data(case_file, max_bytes)
    try:
        readouts = {r["side"]: r for r in data["readouts"]}
        files = (readouts["A"]["file"], readouts["B"]["file"])
        if not all(isinstance(name, str) and name for name in files):
            raise ValueError("'file' must name a file")
        labels = (str(readouts["A"].get("label", "A")), str(readouts["B"].get("label", "B")))
        statements = {
            side: tuple((str(s["id"]), _offset(s["start"]), _offset(s["end"])) for s in data["statements"][side])
            for side in ("A", "B")
        }
        links = tuple(
            (tuple(map(str, link["a"])), tuple(map(str, link["b"])), str(link["label"])) for link in data["links"]
        )
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise CaseError(f"{case_file}: missing or malformed field {exc}") from exc
    texts = []
    for name in files:
        try:
            texts.append(read_source(str(_inside(folder, name, case_file)), max_bytes=max_bytes).text)
        except InputError as exc:
            raise CaseError(str(exc)) from exc
    _check_gold(case_file, statements, links)
    for side, name, text in zip("AB", files, texts):
        _check_offsets(case_file, side, name, text, statements[side])
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
