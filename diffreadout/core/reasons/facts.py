"""What a statement states: quantities, quotations, names, deliverables, initiative, polarity.

Pure regex-and-lexicon extractors over one text; every offset is local to that text. A
quantity carries its kind (date, time, duration, money, percent, ordinal, count), so that a
date on one side is never compared with a count on the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diffreadout.core.reasons.speech import TITLE_WORDS
from diffreadout.core.text.countries import country_of
from diffreadout.core.text.words import WORD, stem

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


# ---- quotations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A direct quotation: its inner text, normalised form and local span (quote marks included)."""

    text: str
    norm: str
    start: int
    end: int


_QUOTE = re.compile(
    r"\"(?P<a>[^\"\n]{1,400})\"|“(?P<b>[^”\n]{1,400})”|«(?P<c>[^»\n]{1,400})»"
    r"|(?<![\w])‘(?P<d>[^’‘\n]{1,200})’(?![\w])|(?<![\w'])'(?P<e>[^'\n]{2,120})'(?![\w])"
)


def normalise(text: str) -> str:
    """Lower-case words only, single-spaced: for comparing quotations and phrases."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def extract_quotes(text: str) -> list[Quote]:
    """Direct quotations in straight, curly, guillemet or single quote marks."""
    out = []
    for m in _QUOTE.finditer(text):
        inner = next(v for v in m.groups() if v is not None)
        if normalise(inner):
            out.append(Quote(inner, normalise(inner), m.start(), m.end()))
    return out


# ---- names, deliverables, initiative -------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A named entity, deliverable or initiative phrase with its local span and match keys."""

    kind: str
    text: str
    keys: frozenset[str]
    start: int
    end: int


_CAP_FUNCTION = frozenset(
    "the on in at he she they it this that these those both first second third fourth furthermore moreover also "
    "however meanwhile during after before according while as regarding since with for and but to of a an its "
    "their his her our we".split()
)
_GENERIC_CAPS = TITLE_WORDS | frozenset(
    "ministry committee bureau council commission office department federation republic union government "
    "cpc central political people's affairs strategic dialogue partnership meeting conversation call talks "
    "phone telephone readout spokesperson today hr vp eam shri h.e jr sr".split()
)
_ENTITY = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]\.(?=\s+[A-Z])|[A-Z][\w’'/.-]*[\w]|[A-Z]")
_DELIVERABLE = re.compile(
    r"\b(?:memorandum(?:\s+of\s+understanding)?|MoU|joint\s+(?:statement|declaration|communiqu[eé]|press\s+release)|"
    r"declaration|action\s+plan|road\s?map|working\s+group|mechanism|treaty|protocol|framework\s+agreement|"
    r"peace\s+plan|next\s+round|roadmap|agreements?\s+(?:on|to)\s+\w+|proposals?)\b",
    re.IGNORECASE,
)
_PARTY_WORD = r"(?:(?:[A-Z]\.){2,}|[\w’'-]+)"
_STOP_PARTY = r"(?:a|an|to|and|which|was|were)\b"
_INITIATIVE = re.compile(
    rf"\b(?:at|on|upon)\s+(?:the\s+)?(?P<what>initiative|request|invitation|suggestion|proposal)\s+of\s+"
    rf"(?P<party>(?:the\s+)?{_PARTY_WORD}(?:\s+(?!{_STOP_PARTY}){_PARTY_WORD}){{0,4}}?)"
    rf"(?=\s*[,.;]|\s*$|\s+{_STOP_PARTY})"
    rf"|\b(?:at|on|upon)\s+(?P<party2>{_PARTY_WORD}(?:\s+{_PARTY_WORD}){{0,3}}?)['’]s\s+"
    rf"(?P<what2>initiative|request|invitation)\b"
    rf"|\b(?P<what3>initiated|requested)\s+by\s+(?P<party3>(?:the\s+)?{_PARTY_WORD}(?:\s+{_PARTY_WORD}){{0,3}}?)"
    rf"(?=\s*[,.;]|\s*$)",
    re.IGNORECASE,
)


def party_key(party: str) -> str:
    """Normalise who initiated ("the American side" -> "us", "Secretary Rubio" -> "rubio")."""
    words = re.findall(r"(?:[A-Z]\.){2,}|[\w’'-]+", party)
    for word in words:
        if country_of(word):
            return country_of(word)
    lowered = party.lower()
    for alias in ("united states", "russian federation", "european union", "united kingdom"):
        if alias in lowered:
            return country_of(alias)
    names = [w.lower() for w in words if w[:1].isupper() and w.lower() not in TITLE_WORDS]
    return names[-1] if names else normalise(party)


def extract_initiative(text: str) -> list[Mention]:
    """Phrases saying who initiated a meeting: "at the initiative of the US side", "at Kyiv's request"."""
    out = []
    for m in _INITIATIVE.finditer(text):
        party = m.group("party") or m.group("party2") or m.group("party3") or ""
        what = (m.group("what") or m.group("what2") or m.group("what3") or "").lower()
        what = {"initiated": "initiative", "requested": "request"}.get(what, what)
        out.append(Mention("initiative", m.group(0), frozenset({what, party_key(party)}), m.start(), m.end()))
    return out


def _sentence_initial(text: str, pos: int) -> bool:
    return not text[:pos].strip() or bool(re.search(r"(?:[.!?:;\n]|^\d+[.)])\s*[\"“(]?$", text[max(0, pos - 6) : pos]))


def _split_people(text: str, run: list[re.Match[str]]) -> list[re.Match[str]]:
    """Cut a run joined by "and" where a side names a person by title: keep the last person only."""
    cut = 0
    for k in range(1, len(run)):
        if text[run[k - 1].end() : run[k].start()].strip() == "and":
            left = {t.group(0).lower() for t in run[cut:k]}
            right = {t.group(0).lower() for t in run[k:]}
            if left & TITLE_WORDS or right & TITLE_WORDS:
                cut = k
    return run[cut:]


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Spans of headline lines, where capitals mark style rather than names."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        words = re.findall(r"[A-Za-z][\w’'-]*", m.group(0))
        if (
            len(words) >= 4
            and sum(w[0].isupper() for w in words) >= 0.7 * len(words)
            and not m.group(0).rstrip().endswith(".")
        ):
            out.append((m.start(), m.end()))
    return out


def extract_entities(text: str) -> list[Mention]:
    """Runs of capitalised words and acronyms (place, person, organisation, programme names)."""
    out: list[Mention] = []
    headlines = _title_case_lines(text)
    tokens = [t for t in _ENTITY.finditer(text) if not any(s <= t.start() < e for s, e in headlines)]
    i = 0
    while i < len(tokens):
        run = [tokens[i]]
        j = i + 1
        while j < len(tokens):
            gap = text[run[-1].end() : tokens[j].start()]
            if re.fullmatch(r"\s+|\s+(?:of|the|of\s+the|for|de|and)\s+|-", gap):
                run.append(tokens[j])
                j += 1
            else:
                break
        i = j
        run = _split_people(text, run)
        if (
            run
            and _sentence_initial(text, run[0].start())
            and len(run) == 1
            and not country_of(run[0].group(0))
            and not run[0].group(0).isupper()
        ):
            continue  # "Special attention ...": a capital only because the sentence starts there
        while run and run[0].group(0).lower() in _CAP_FUNCTION:
            run = run[1:]
        while run and run[-1].group(0).lower() in _CAP_FUNCTION:
            run = run[:-1]
        keys = set()
        for tok in run:
            for part in re.split(r"[-’']", tok.group(0).rstrip(".")):
                low = part.lower()
                if not part or low in _GENERIC_CAPS or low in _CAP_FUNCTION or len(part) < 2 or "/" in part:
                    continue
                if (
                    low
                    in (
                        "january february march april may june july august september october november december monday "
                        "tuesday wednesday thursday friday saturday sunday"
                    ).split()
                ):
                    continue
                keys.add(stem(low))
        if keys:
            out.append(
                Mention("entity", text[run[0].start() : run[-1].end()], frozenset(keys), run[0].start(), run[-1].end())
            )
    return out


def extract_deliverables(text: str) -> list[Mention]:
    """Concrete outcomes a readout may name: memoranda, joint statements, mechanisms, next rounds."""
    return [
        Mention(
            "deliverable",
            m.group(0),
            frozenset({" ".join(stem(w) for w in normalise(m.group(0)).split()[:2])}),
            m.start(),
            m.end(),
        )
        for m in _DELIVERABLE.finditer(text)
    ]


# ---- polarity and negation -----------------------------------------------------------------

POSITIVE = frozenset(
    """
    positive positively constructive friendly productive fruitful successful success progress stable stabilized
    stabilised stability improve improved improving improvement good useful beneficial benefit benefits
    favourably favorably legitimate lawful peaceful reasonable objective impartial welcome welcomed
    appreciated appreciate cordial warm tangible win-win healthy sound
    """.split()
)
NEGATIVE = frozenset(
    """
    difficult tense dangerous deteriorating deteriorated deterioration worsening unjustified unsubstantiated
    unfounded groundless illegal illegitimate unlawful violation violations provocative provocation provocations
    aggression aggressive coercion coercive smear smearing so-called unilateral bullying hegemonic hegemony
    destabilizing destabilising escalation threat threats threatening harms harmful undermine undermines
    undermining unfair discriminatory protectionist wrongful wrongfully arbitrary arbitrarily regret deplore
    deplored condemn condemned concern concerns concerned accountable dead-end confrontation hostile
    irresponsible unacceptable gross flagrant absurd baseless
    """.split()
)
_NEGATOR = re.compile(
    r"\b(?:not(?!\s+only\b)|never|no(?!\s+(?:doubt|matter|less|sooner)\b)|without|neither|nor|cannot|rather\s+than|instead\s+of)\b|n['’]t\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Polar:
    """An evaluative word (+1 or -1, flipped when negated) or a word under a negation, with its span.

    ``scope`` numbers the negation a word falls under (-1 if none).
    """

    word: str
    polarity: int
    negated: bool
    start: int
    end: int
    scope: int = -1


def polar_words(text: str) -> list[Polar]:
    """Evaluative words with their polarity, and every word under a negation (4 words of scope)."""
    scopes: list[tuple[int, int]] = []
    for m in _NEGATOR.finditer(text):
        words = list(WORD.finditer(text, m.end()))
        end = m.end()
        for w in words[:4]:
            if re.search(r"[,.;:!?]|\bbut\b", text[end : w.start()]):
                break
            end = w.end()
        scopes.append((m.end(), end))
    out = []
    for w in WORD.finditer(text):
        word = w.group(0).lower()
        scope = next((k for k, (s, e) in enumerate(scopes) if s <= w.start() < e), -1) if scopes else -1
        pol = 1 if word in POSITIVE else -1 if word in NEGATIVE else 0
        if pol or scope >= 0:
            out.append(Polar(word, -pol if scope >= 0 else pol, scope >= 0, w.start(), w.end(), scope))
    return out
