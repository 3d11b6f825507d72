"""The corrections file: a gold case (FORMAT.md: statements as spans, links with labels) plus notes and sha256s.

Every statement the file lists is *decided*: in the corrected alignment it is linked exactly as
the file's links say, or, in no link, an omission. A gold case.json is therefore a complete set
of corrections, and a file the TUI writes lists only the statements the analyst touched. Extra
fields the scorer ignores: each statement's ``text`` (to find it again if a readout changes),
each link's ``note`` and ``by``, ``notes`` (omitted statement id -> note) and each readout's
``sha256`` (of its UTF-8 text).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from diffreadout.model import Comparison, Link

FORMAT_NAME = "diffreadout-corrections"


class CorrectionsError(ValueError):
    """A corrections file is malformed; str() is one line naming the problem."""


@dataclass(frozen=True)
class CorrectionStatement:
    """A statement of one readout as a character span, with its text when known."""

    id: str
    side: str
    start: int
    end: int
    text: str = ""


@dataclass(frozen=True)
class CorrectionLink:
    """Statements of A and B the analyst links, with a label and an optional note."""

    a: tuple[str, ...]
    b: tuple[str, ...]
    label: str
    note: str = ""


@dataclass(frozen=True)
class Corrections:
    """An analyst's decisions for one pair of readouts."""

    statements: tuple[CorrectionStatement, ...] = ()
    links: tuple[CorrectionLink, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    sha256: tuple[str, str] = ("", "")
    labels: tuple[str, str] = ("A", "B")
    files: tuple[str, str] = ("a.txt", "b.txt")
    id: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def statement(self, statement_id: str) -> CorrectionStatement | None:
        """The listed statement with this id, or None."""
        for st in self.statements:
            if st.id == statement_id:
                return st
        return None

    @property
    def size(self) -> int:
        """How many decisions the file holds: its links plus its decided statements in no link."""
        linked = {x for link in self.links for x in (*link.a, *link.b)}
        return len(self.links) + sum(1 for st in self.statements if st.id not in linked)


def text_sha256(text: str) -> str:
    """The sha256 of a readout's text as UTF-8: the key of its corrections file."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _field(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise CorrectionsError(f"missing field {key!r} in {where}")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise CorrectionsError(f"field {key!r} in {where} is {type(value).__name__}, not {getattr(kind, '__name__', kind)}")
    return value


def from_dict(data: Any) -> Corrections:
    """Read a corrections file's (or a gold case.json's) parsed JSON; CorrectionsError if malformed."""
    if not isinstance(data, dict):
        raise CorrectionsError("not a JSON object")
    readouts = _field(data, "readouts", list, "the file")
    by_side = {r.get("side"): r for r in readouts if isinstance(r, dict)}
    if set(by_side) != {"A", "B"}:
        raise CorrectionsError("'readouts' must name side A and side B")
    statements: list[CorrectionStatement] = []
    seen: set[str] = set()
    raw_statements = _field(data, "statements", dict, "the file")
    for side in ("A", "B"):
        for k, st in enumerate(raw_statements.get(side, []) or []):
            where = f"statements.{side}[{k}]"
            sid = str(_field(st, "id", (str, int), where))
            start, end = _field(st, "start", int, where), _field(st, "end", int, where)
            if not 0 <= start < end:
                raise CorrectionsError(f"{where}: span {start}..{end} is empty or negative")
            if sid in seen:
                raise CorrectionsError(f"{where}: statement id {sid} given twice")
            seen.add(sid)
            text = st.get("text", "")
            statements.append(CorrectionStatement(sid, side, start, end, text if isinstance(text, str) else ""))
    sides = {st.id: st.side for st in statements}
    links: list[CorrectionLink] = []
    for k, link in enumerate(_field(data, "links", list, "the file")):
        where = f"links[{k}]"
        a = tuple(str(x) for x in _field(link, "a", list, where))
        b = tuple(str(x) for x in _field(link, "b", list, where))
        label = _field(link, "label", str, where)
        if label not in ("shared", "emphasis"):
            raise CorrectionsError(f"{where}: label {label!r} is not shared or emphasis")
        for side, ids in (("A", a), ("B", b)):
            if not ids:
                raise CorrectionsError(f"{where}: side {side} lists no statement")
            for x in ids:
                if sides.get(x) != side:
                    raise CorrectionsError(f"{where}: {x} is not a statement of side {side}")
        note = link.get("note", "")
        links.append(CorrectionLink(a, b, label, note if isinstance(note, str) else ""))
    notes_data = data.get("notes", {})
    if not isinstance(notes_data, dict):
        raise CorrectionsError("'notes' must map statement ids to notes")
    notes = tuple(sorted((str(k), str(v)) for k, v in notes_data.items() if str(k) in sides and str(v)))
    return Corrections(
        statements=tuple(statements),
        links=tuple(links),
        notes=notes,
        sha256=(str(by_side["A"].get("sha256", "")), str(by_side["B"].get("sha256", ""))),
        labels=(str(by_side["A"].get("label", "A")), str(by_side["B"].get("label", "B"))),
        files=(str(by_side["A"].get("file", "a.txt")), str(by_side["B"].get("file", "b.txt"))),
        id=str(data.get("id", "")),
    )


def to_dict(corrections: Corrections) -> dict[str, Any]:
    """The corrections as a gold case's JSON (plus notes, texts and sha256s), keys in a fixed order."""
    return {
        "format": FORMAT_NAME,
        "id": corrections.id,
        "readouts": [
            {"side": side, "label": label, "file": name, "sha256": sha}
            for side, label, name, sha in zip("AB", corrections.labels, corrections.files, corrections.sha256)
        ],
        "statements": {
            side: [
                {"id": st.id, "start": st.start, "end": st.end, "text": st.text}
                for st in sorted((s for s in corrections.statements if s.side == side), key=lambda s: (s.start, s.id))
            ]
            for side in ("A", "B")
        },
        "links": [
            {"a": list(link.a), "b": list(link.b), "label": link.label, "by": "analyst",
             **({"note": link.note} if link.note else {})}
            for link in corrections.links
        ],
        "notes": dict(corrections.notes),
    }


def with_texts(corrections: Corrections, texts: tuple[str, str]) -> Corrections:
    """Fill in the sha256s and statement texts from the readouts the file was made on (a gold case's files)."""
    by_side = dict(zip("AB", texts))
    statements = tuple(
        replace(st, text=st.text or by_side[st.side][st.start : st.end]) for st in corrections.statements
    )
    return replace(corrections, statements=statements, sha256=(text_sha256(texts[0]), text_sha256(texts[1])))


def from_comparison(
    comparison: Comparison, decided: set[str] | frozenset[str], notes: dict[str, str], case_id: str = ""
) -> Corrections:
    """The corrections that reproduce a corrected comparison's alignment of the decided statements.

    Every link touching a decided statement is kept whole, so its other statements are decided too.
    """
    chosen: list[Link] = [link for link in comparison.links if decided & {*link.a, *link.b}]
    ids = set(decided) | {x for link in chosen for x in (*link.a, *link.b)}
    statements = tuple(
        CorrectionStatement(st.id, r.side, st.start, st.end, st.text)
        for r in comparison.readouts for st in r.statements if st.id in ids
    )
    linked = {x for link in chosen for x in (*link.a, *link.b)}
    return Corrections(
        statements=statements,
        links=tuple(CorrectionLink(link.a, link.b, link.label, link.note) for link in chosen),
        notes=tuple(sorted((k, v) for k, v in notes.items() if v and k in ids and k not in linked)),
        sha256=(text_sha256(comparison.a.text), text_sha256(comparison.b.text)),
        labels=(comparison.a.label, comparison.b.label),
        id=case_id,
    )
