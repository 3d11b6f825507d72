"""What a statement states besides figures: quotations, names, deliverables, initiative, polarity.

Pure regex-and-lexicon extractors over one text; every offset is local to that text (the
figures are in ``quantities``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diffreadout.core.reasons.speech import TITLE_WORDS
from diffreadout.core.text.countries import country_of
from diffreadout.core.text.words import WORD, stem
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
