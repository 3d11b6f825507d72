"""The meeting as each readout states it: initiator, format, date, place and length, and where the sides differ.

Read from the title and opening statements; every found value carries its text and offsets.
"""

from __future__ import annotations

import re
from typing import Any


from diffreadout.core.reasons.facts import extract_initiative, normalise
from diffreadout.core.reasons.quantities import extract_quantities
from diffreadout.core.text.words import size_unit, text_size
from diffreadout.model import Readout, Statement

JSON = dict[str, Any]


_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "video",
        re.compile(
            r"\b(?:video\s*(?:call|conference|link|conversation|talks|meeting)|videoconference|virtual(?:ly)?\s+(?:meeting|summit|talks)|via\s+video)\b",
            re.I,
        ),
    ),
    (
        "telephone",
        re.compile(
            r"\b(?:tele)?phone\b|\bcall\s+with\b|['’]s\s+call\b|\bcalled\b(?=[^.]{0,40}\bcounterpart\b)|\bby\s+phone\b",
            re.I,
        ),
    ),
    (
        "in person",
        re.compile(
            r"\b(?:met|meeting|held\s+talks|talks|dialogue|visit(?:ed|ing)?|co-chaired|hosted|summit|consultations|in\s+person)\b",
            re.I,
        ),
    ),
)
_MEETING_VERB = re.compile(
    r"\b(?:held|had|met|spoke|talked|co-chaired|hosted|took\s+place|was\s+held|were\s+held)\b", re.I
)
_PLACE = re.compile(r"\b(?:in|at)\s+(?P<place>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})")
_NOT_PLACES = frozenset(
    "January February March April May June July August September October November December Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday The This".split()
)
_OTHER_EVENT = re.compile(r"(?:talks|negotiations|consultations|reached|agreement)\s*$")
_RELATIVE_DATE = re.compile(
    r"\b(?:today|yesterday|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b"
)

# ---- meeting metadata ----------------------------------------------------------------------


def _meeting_statements(readout: Readout, head: int = 4) -> list[Statement]:
    """The statements that describe the meeting itself: the title and the opening statements."""
    return list(readout.statements[:head])


def _found(st: Statement, start: int, end: int, value: str) -> JSON:
    return {
        "value": value,
        "text": st.text[start:end],
        "statement_id": st.id,
        "start": st.start + start,
        "end": st.start + end,
    }


def _iso_date(year: int, month: int, day: int) -> str:
    """ISO 8601 with the parts a readout states: 2025-05-17, --05-17 (no year), 2025-05, 2025."""
    if not year:
        return f"--{month:02d}-{day:02d}" if day else f"--{month:02d}"
    return "-".join([f"{year:04d}"] + ([f"{month:02d}"] if month else []) + ([f"{day:02d}"] if month and day else []))


def _initiator(readout: Readout, opening: list[Statement]) -> JSON | None:
    later = [st for st in readout.statements[len(opening) :] if re.search(r"\b(?:took\s+place|was\s+held)\b", st.text)]
    for st in opening + later:
        for mention in extract_initiative(st.text):
            parties = sorted(mention.keys - {"initiative", "request", "invitation", "suggestion", "proposal"})
            return _found(st, mention.start, mention.end, parties[0] if parties else normalise(mention.text))
    return None


def _format(opening: list[Statement]) -> JSON | None:
    for kind, pattern in _FORMATS:  # the first kind found wins: "phone talks" is a call
        for st in opening:
            match = pattern.search(st.text)
            if match:
                return _found(st, match.start(), match.end(), kind)
    return None


def _date_of(opening: list[Statement]) -> JSON | None:
    for st in opening:
        dates = [q for q in extract_quantities(st.text) if q.kind == "date"]
        if dates:
            year, month, day = (int(v) for v in dates[0].value)
            return _found(st, dates[0].start, dates[0].end, _iso_date(year, month, day))
        relative = _RELATIVE_DATE.search(st.text)
        if relative:
            return _found(st, relative.start(), relative.end(), relative.group(0).lower())
    return None


def _place(opening: list[Statement]) -> JSON | None:
    """"in X" in the statement that reports the meeting.

    Never a dateline: it says where the copy was filed ("BEIJING, Oct. 8 (Xinhua)" heads the
    report of a phone call); the readout keeps it as furniture (core/text/furniture.py).
    """
    meeting = next((st for st in opening if _MEETING_VERB.search(st.text)), None)
    for st in opening:
        if st is not meeting:
            continue
        for match in _PLACE.finditer(st.text):
            place = match.group("place")
            before = st.text[max(0, match.start() - 25) : match.start()].lower()
            if place.split()[0] in _NOT_PLACES or _OTHER_EVENT.search(before):
                continue
            return _found(st, match.start("place"), match.end("place"), place)
    return None


def meeting_metadata(readout: Readout) -> JSON:
    """Who initiated, the format, the date and the place, as this readout states them, with evidence."""
    opening = _meeting_statements(readout)
    return {
        "initiator": _initiator(readout, opening),
        "format": _format(opening),
        "date": _date_of(opening),
        "place": _place(opening),
        "words": text_size(readout.text, size_unit(readout.language)),  # characters for Chinese, Japanese
        "size_unit": size_unit(readout.language),
        "statements": len(readout.statements),
        "furniture": [
            {"kind": f.kind, "value": f.value, "text": f.text, "start": f.start, "end": f.end} for f in readout.furniture
        ],
    }


def _relative(value: str) -> bool:
    return not (value[:1].isdigit() or value.startswith("--"))


def _same_date(a: str, b: str) -> bool:
    """Whether two stated dates agree where both state a part ("--08-04" agrees with "2025-08-04")."""
    if _relative(a) or _relative(b):
        return False

    def parts(value: str) -> tuple[str, str, str]:
        year, _, rest = value.partition("-") if not value.startswith("--") else ("", "", value[2:])
        month, _, day = rest.partition("-")
        return year, month, day

    return all(x == y or not x or not y for x, y in zip(parts(a), parts(b), strict=True))


def compare_metadata(meta: dict[str, JSON]) -> list[JSON]:
    """Fields the two sides state differently, or that only one side states."""
    sides = sorted(meta)
    diffs: list[JSON] = []
    if len(sides) != 2:
        return diffs
    a, b = sides
    for name in ("initiator", "format", "date", "place"):
        va, vb = meta[a][name], meta[b][name]
        value_a = va["value"] if isinstance(va, dict) else None
        value_b = vb["value"] if isinstance(vb, dict) else None
        if value_a == value_b or (name == "date" and _same_date(str(value_a), str(value_b))):
            continue
        if value_a is None or value_b is None:
            only = a if value_b is None else b
            note = f"only {only} states the {name}"
        elif name == "date" and (_relative(str(value_a)) or _relative(str(value_b))):
            if _relative(str(value_a)) and _relative(str(value_b)):
                continue
            exact, loose = (a, b) if _relative(str(value_b)) else (b, a)
            note = f"only {exact} states the calendar date; {loose} says '{meta[loose]['date']['value']}'"
        else:
            note = f"the sides state different {name}s"
        diffs.append({"field": name, a: value_a, b: value_b, "note": note})
    words_a, words_b = int(meta[a]["words"]), int(meta[b]["words"])
    if min(words_a, words_b) and max(words_a, words_b) / min(words_a, words_b) >= 1.5:
        longer = a if words_a > words_b else b
        diffs.append(
            {
                "field": "words",
                a: words_a,
                b: words_b,
                "note": f"{longer} is {max(words_a, words_b) / min(words_a, words_b):.1f}x longer",
            }
        )
    return diffs
