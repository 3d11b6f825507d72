"""Quantities a statement states: dates, times, durations, money, percentages, ordinals and counts.

Pure regex-and-lexicon extractors over one text; every offset is local to that text. A
quantity carries its kind, so that a date on one side is never compared with a count on the
other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diffreadout.core.text.words import stem



_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ]
    )
    for m in names
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUM_ALT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS)
_CURRENCY = {
    "eur": "eur",
    "euro": "eur",
    "euros": "eur",
    "€": "eur",
    "usd": "usd",
    "$": "usd",
    "us$": "usd",
    "dollars": "usd",
    "dollar": "usd",
    "yen": "jpy",
    "jpy": "jpy",
    "¥": "jpy",
    "yuan": "cny",
    "rmb": "cny",
    "cny": "cny",
    "rubles": "rub",
    "roubles": "rub",
    "pounds": "gbp",
    "£": "gbp",
    "rupees": "inr",
}
# Every alternative starts at a word start or at a currency sign ("US$" too): testing that once, before the
# alternation, lets the scan skip the inside of words (the same matches, about 2x faster).
_QUANTITY = re.compile(
    rf"""(?:(?<!\w)(?=\w)|(?=[$€£¥]|US\$))
    (?:(?P<date1>\b(?P<month1>{_MONTH_ALT})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}})\b)?)
    |(?P<date2>\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>{_MONTH_ALT})\b\.?(?:,?\s+(?P<y2>\d{{4}})\b)?)
    |(?P<date3>\b(?P<month3>{_MONTH_ALT})\.?\s+(?P<y3>\d{{4}})\b)
    |(?P<date4>\b(?:last|this|next|in|early|late|mid-|since|from|until|by)\s*(?P<month4>{_MONTH_ALT})\b(?!\.?\s+\d))
    |(?P<time>\b\d{{1,2}}[:.]\d{{2}}\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\b\d{{1,2}}\s*(?:a\.m\.|p\.m\.))
    |(?P<money1>(?P<cur1>\bEUR|\bUSD|US\$|\$|€|£|¥|\bRMB|\bCNY|\bJPY)\s?(?P<n1>{_NUM_ALT})(?:\s+(?P<s1>thousand|million|billion|trillion))?)
    |(?P<ordinal>\b(?P<ord>\d+)(?:st|nd|rd|th)\b)
    |(?P<number>(?<![\w$€£¥.,-])(?P<num>{_NUM_ALT})(?![\w-])(?:\s+(?P<scale>thousand|million|billion|trillion))?))""",
    re.VERBOSE | re.IGNORECASE,
)
_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|by|of|until|till|from|year|before|after|early|late|mid|end|spring|summer|autumn|fall|winter|through)\s*$",
    re.IGNORECASE,
)
_DURATION_UNITS = {
    "minute": 1,
    "minutes": 1,
    "hour": 60,
    "hours": 60,
    "day": 1440,
    "days": 1440,
    "week": 10080,
    "weeks": 10080,
    "month": 43200,
    "months": 43200,
    "year": 525600,
    "years": 525600,
    "decade": 5256000,
    "decades": 5256000,
}
_COLLECTIVE_NOUNS = frozenset(
    "sides parties countries nations ministers leaders presidents heads peoples militaries delegations "
    "governments civilizations civilisations markets forces economies powers".split()
)
# A number written as a word counts only before a plural noun ("six properties", not "the two discussed").
_PLURAL_AHEAD = re.compile(r"(?:\s+[A-Za-z][\w-]*){0,2}?\s+(?:[A-Za-z][\w-]*s|people|children|personnel|staff)\b")
_UNIT_WORD = re.compile(r"[A-Za-z][\w'-]*")
_STOP_UNIT = frozenset(
    "of the a an and or in on for to from with over than per at by as its their our his her was were is are be "
    "been has have had will would which that who should must can could may shall".split()
)


@dataclass(frozen=True)
class Quantity:
    """A number with its kind, comparable value, unit words and local span."""

    kind: str
    value: tuple[float, ...]
    unit: frozenset[str]
    text: str
    start: int
    end: int


def _num(raw: str) -> float:
    raw = raw.lower()
    if raw in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[raw])
    return float(raw.replace(",", ""))


def _unit_after(text: str, pos: int, limit: int = 3) -> tuple[frozenset[str], str]:
    """The words right after a number, up to the first function word or punctuation (its unit)."""
    words: list[str] = []
    first = ""
    for match in _UNIT_WORD.finditer(text, pos, min(len(text), pos + 60)):
        if not re.fullmatch(r"\s+", text[pos : match.start()]):
            break
        word = match.group(0).lower()
        pos = match.end()
        if word in _SCALE:
            continue
        if word in _STOP_UNIT:
            break
        first = first or word
        words.append(stem(word))
        if len(words) >= limit:
            break
    return frozenset(words), first


_PERCENT_AFTER = re.compile(r"\s*(%|percent\b|per\s+cent\b)", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(
    r"\s*(?:u\.?s\.?\s+)?(dollars?|euros?|yen|yuan|rmb|rubles|roubles|pounds|rupees)\b", re.IGNORECASE
)
_IDENTIFIER_BEFORE = re.compile(r"\b(?:No|Resolution|Article|Chapter|Paragraph|Section|Point)\.?\s*$")


def _date(m: re.Match[str], text: str) -> Quantity | None:
    g = m.groupdict()
    month = g["month1"] or g["month2"] or g["month3"] or g["month4"]
    start, end = (m.start("month4"), m.end("month4")) if g["date4"] else (m.start(), m.end())
    if not month[0].isupper() or (g["date4"] and month.lower() == "may"):
        return None  # "may" the modal; a bare "May" is too ambiguous to count as a date
    year = float(g["y1"] or g["y2"] or g["y3"] or 0)
    day = float(g["d1"] or g["d2"] or 0)
    value = (year, float(_MONTHS[month[0].upper() + month[1:].lower()]), day)
    return Quantity("date", value, frozenset(), text[start:end], start, end)


def _number(m: re.Match[str], text: str) -> Quantity | None:
    """A bare number: a year, percentage, sum, duration or count, by what surrounds it."""
    raw, start, end = m.group("num"), m.start(), m.end()
    value = _num(raw) * _SCALE.get((m.group("scale") or "").lower(), 1.0)
    unit, first = _unit_after(text, end)
    percent = _PERCENT_AFTER.match(text, end)
    currency = _CURRENCY_AFTER.match(text, end)
    year_like = re.fullmatch(r"(?:19|20)\d\d", raw) and not m.group("scale")
    if year_like and (
        _YEAR_BEFORE.search(text, max(0, start - 12), start) or re.match(r"\s*(?:[,.;:)]|$)", text[end:])
    ):
        return Quantity("date", (float(raw), 0.0, 0.0), frozenset(), raw, start, end)
    if percent:
        return Quantity("percent", (value,), frozenset(), text[start : percent.end()], start, percent.end())
    if currency:
        cur = _CURRENCY.get(currency.group(1).lower(), currency.group(1).lower())
        return Quantity("money", (value,), frozenset({cur}), text[start : currency.end()], start, currency.end())
    if first in _DURATION_UNITS:
        return Quantity("duration", (value * _DURATION_UNITS[first],), frozenset(), f"{m.group(0)} {first}", start, end)
    if raw.isalpha() and (unit & {stem(w) for w in _COLLECTIVE_NOUNS} or not _PLURAL_AHEAD.match(text, end)):
        return None  # "the two sides", "the two discussed": no count
    if _IDENTIFIER_BEFORE.search(text[max(0, start - 12) : start]):
        return None  # "Resolution 2231"
    if re.match(r"[.)]", text[end : end + 1]) and not text[:start].strip(" \t(["):
        return None  # a paragraph number: "4. The delegations ..."
    return Quantity("count", (value,), unit, m.group(0), start, end)


def extract_quantities(text: str) -> list[Quantity]:
    """Dates, times, durations, sums of money, percentages, ordinals and counts in the text."""
    found: list[Quantity | None] = []
    for m in _QUANTITY.finditer(text):
        g = m.groupdict()
        if g["date1"] or g["date2"] or g["date3"] or g["date4"]:
            found.append(_date(m, text))
        elif g["time"]:
            found.append(Quantity("time", (0.0,), frozenset(), m.group(0), m.start(), m.end()))
        elif g["ordinal"]:
            unit, _ = _unit_after(text, m.end(), 2)
            found.append(Quantity("ordinal", (float(g["ord"]),), unit, m.group(0), m.start(), m.end()))
        elif g["money1"]:
            value = _num(g["n1"]) * _SCALE.get((g["s1"] or "").lower(), 1.0)
            currency = frozenset({_CURRENCY.get(g["cur1"].lower(), g["cur1"].lower())})
            found.append(Quantity("money", (value,), currency, m.group(0), m.start(), m.end()))
        elif g["number"]:
            found.append(_number(m, text))
    return [q for q in found if q is not None]


def same_value(x: Quantity, y: Quantity) -> bool:
    """Whether two quantities of one kind agree (a date agrees unless a stated part conflicts)."""
    if x.kind == "date":
        return all(a == b or a == 0 or b == 0 for a, b in zip(x.value, y.value, strict=True))
    if x.kind == "time":
        return x.text.replace(" ", "").lower() == y.text.replace(" ", "").lower()
    return abs(x.value[0] - y.value[0]) <= 1e-9 * max(1.0, abs(x.value[0]))


def comparable_quantities(x: Quantity, y: Quantity) -> bool:
    """Whether two quantities measure the same thing: the same kind, and a shared unit where units count."""
    if x.kind != y.kind:
        return False
    if x.kind in ("money", "count", "ordinal"):
        return bool(x.unit & y.unit) if (x.unit or y.unit) else x.kind != "count"
    return True
