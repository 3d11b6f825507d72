"""Gold cases: the one reader of a case folder (case.json and the readouts it names).

The format is ../shared/eval/FORMAT.md; the evaluation, the batch command and the benchmarks
all read cases through this module.
"""

from __future__ import annotations

import json
import os
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


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{text[:20]} is out of range")
    return value


def read_case_data(case_file: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """The parsed JSON of one case.json, or CaseError naming the file and the problem.

    NaN, Infinity and numbers beyond a float's range (1e400) are refused, as is nesting too deep
    to parse, each as one line.
    """
    try:
        text = read_source(case_file, max_bytes=max_bytes).text
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except InputError as exc:
        raise CaseError(str(exc)) from exc
    except json.JSONDecodeError as exc:
        raise CaseError(f"{case_file}: not valid JSON ({exc})") from exc
    except ValueError as exc:
        raise CaseError(f"{case_file}: not valid JSON ({exc})") from exc
    except RecursionError:
        raise CaseError(f"{case_file}: not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise CaseError(f"{case_file}: missing or malformed field (not a JSON object)")
    return data


def _bad(case_file: Path, problem: str) -> CaseError:
    return CaseError(f"{case_file}: {problem}")


def _readout_files(case_file: Path, data: dict[str, Any]) -> tuple[tuple[str, str], tuple[str, str]]:
    """(files, labels) of sides A and B; each file a relative path inside the case folder."""
    readouts = data.get("readouts")
    if not isinstance(readouts, list) or not all(isinstance(r, dict) for r in readouts):
        raise _bad(case_file, "'readouts' must be a list of objects")
    sides = [r.get("side") for r in readouts]
    if sorted(map(str, sides)) != ["A", "B"]:
        raise _bad(case_file, f"'readouts' must have exactly one side A and one side B (has {sides})")
    by_side = {r["side"]: r for r in readouts}
    for side in ("A", "B"):
        name = by_side[side].get("file")
        if not isinstance(name, str) or not name.strip():
            raise _bad(case_file, f"readout {side}: 'file' must name a file")
        # Lexically inside the folder (a link placed in the folder is the case author's choice).
        normal = os.path.normpath(name)
        if Path(name).is_absolute() or normal == ".." or normal.startswith(".." + os.sep):
            raise _bad(case_file, f"readout {side}: file {name!r} is outside the case folder")
    files = (by_side["A"]["file"], by_side["B"]["file"])
    labels = (str(by_side["A"].get("label", "A")), str(by_side["B"].get("label", "B")))
    return files, labels


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError
    return value


def _statements(case_file: Path, data: dict[str, Any], texts: tuple[str, str]) -> dict[str, tuple[tuple[str, int, int], ...]]:
    """Each side's (id, start, end), every id unique and every span inside its text."""
    raw = data.get("statements")
    if not isinstance(raw, dict):
        raise _bad(case_file, "'statements' must be an object with sides A and B")
    seen: set[str] = set()
    statements: dict[str, tuple[tuple[str, int, int], ...]] = {}
    for side, text in zip(("A", "B"), texts):
        items = raw.get(side)
        if not isinstance(items, list):
            raise _bad(case_file, f"statements of side {side}: the list is missing")
        spans = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)) or isinstance(item.get("id"), bool):
                raise _bad(case_file, f"statements of side {side}: each needs an id, start and end")
            sid = str(item["id"])
            try:
                start, end = _int(item.get("start")), _int(item.get("end"))
            except ValueError:
                raise _bad(case_file, f"statement {sid}: start and end must be whole numbers") from None
            if sid in seen:
                raise _bad(case_file, f"statement id {sid} is used twice")
            if not 0 <= start < end <= len(text):
                raise _bad(case_file, f"statement {sid}: span {start}-{end} is outside the text of side {side} "
                                      f"({len(text)} characters)")
            seen.add(sid)
            spans.append((sid, start, end))
        statements[side] = tuple(spans)
    return statements


def _links(case_file: Path, data: dict[str, Any],
           statements: dict[str, tuple[tuple[str, int, int], ...]]) -> tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]:
    raw = data.get("links")
    if not isinstance(raw, list):
        raise _bad(case_file, "'links' must be a list")
    ids = {side: {sid for sid, _, _ in statements[side]} for side in ("A", "B")}
    links = []
    for number, link in enumerate(raw, 1):
        if not isinstance(link, dict):
            raise _bad(case_file, f"link {number}: not an object")
        sides = []
        for side, key in (("A", "a"), ("B", "b")):
            members = link.get(key)
            if not isinstance(members, list) or not members or not all(isinstance(m, (str, int)) for m in members):
                raise _bad(case_file, f"link {number}: '{key}' must be a non-empty list of statement ids")
            unknown = [str(m) for m in members if str(m) not in ids[side]]
            if unknown:
                raise _bad(case_file, f"link {number}: {', '.join(unknown)} is not a statement of side {side}")
            sides.append(tuple(map(str, members)))
        label = link.get("label")
        if label not in ("shared", "emphasis"):
            raise _bad(case_file, f"link {number}: label must be shared or emphasis (is {label!r})")
        links.append((sides[0], sides[1], str(label)))
    return tuple(links)


def load_case(folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> GoldCase:
    """Read and validate one case folder (case.json plus its two readouts, each at most max_bytes).

    Every problem is a CaseError naming case.json and what is wrong: sides, files outside the
    folder, empty or duplicate statements, spans outside the text, links to unknown ids, labels.
    """
    case_file = folder / "case.json"
    data = read_case_data(case_file, max_bytes)
    files, labels = _readout_files(case_file, data)
    texts = []
    for name in files:
        try:
            texts.append(read_source(str(folder / name), max_bytes=max_bytes).text)
        except InputError as exc:
            raise CaseError(str(exc)) from exc
    pair = (texts[0], texts[1])
    statements = _statements(case_file, data, pair)
    return GoldCase(
        id=str(data.get("id", folder.name)),
        folder=folder,
        labels=labels,
        files=files,
        texts=pair,
        statements=statements,
        links=_links(case_file, data, statements),
    )


def find_cases(root: Path) -> list[Path]:
    """Case folders under root (root itself if it holds a case.json), sorted by name."""
    if (root / "case.json").is_file():
        return [root]
    return sorted(p.parent for p in root.glob("*/case.json"))
