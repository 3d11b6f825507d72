"""The meeting metadata as a reader names it: countries by name, dates as dates, furniture by kind."""

from __future__ import annotations

import re

from diffreadout.core.text.countries import COUNTRY_NAMES

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_ISO = re.compile(r"(?P<year>\d{4}|-)-(?P<month>\d{2})?(?:-(?P<day>\d{2}))?")
FURNITURE_FIELDS = (("dateline", "dateline"), ("attribution", "attributed to"), ("byline", "byline"), ("date", "dated"))


def date_words(value: str) -> str:
    """'2025-02-21' as '21 February 2025', '--02-21' as '21 February (no year stated)', '2025' as is."""
    if re.fullmatch(r"\d{4}", value):
        return value
    match = _ISO.fullmatch(value)
    if match is None:
        return value
    month = int(match.group("month") or 0)
    if not 1 <= month <= 12:
        return value
    day = int(match.group("day") or 0)
    text = f"{day} {_MONTHS[month - 1]}" if day else _MONTHS[month - 1]
    year = match.group("year")
    return f"{text} {year}" if year != "-" else f"{text} (no year stated)"


def display_value(field: str, value: object) -> str:
    """A metadata value as a reader would name it."""
    text = str(value)
    if field == "initiator":
        return COUNTRY_NAMES.get(text.casefold(), text)
    if field == "date":
        relative = re.fullmatch(r"(?:on\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)", text, re.I)
        return relative.group(1).title() if relative else date_words(text)
    return text
