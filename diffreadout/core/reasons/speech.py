"""Who speaks: the attribution cues of one statement (speaker, title, country, verb).

Pure regex-and-lexicon functions; every offset is local to the text they are given. The
lexicons follow the house styles of foreign-ministry readouts ("Minister Petrov stressed",
"The Secretary underlined", "The two sides agreed", "It was agreed").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from diffreadout.core.text.countries import country_of


TITLE_WORDS = frozenset(
    """
    secretary state minister foreign president vice prime premier director general member
    chancellor spokesperson spokesman spokeswoman ambassador envoy councilor councillor
    high representative hr/vp eam external affairs defense defence mr mrs ms dr h.e. his her
    excellency of the and deputy chairman chair head special assistant advisor adviser national
    security senator king queen emperor crown prince sheikh commissioner representative admiral
    marshal colonel commander
    """.split()
)
_ORG_WORDS = frozenset(
    """
    committee bureau ministry council commission office department federation republic union
    party government cpc central political people's peoples administration agency agencies
    forces armed military
    """.split()
)
_ROLE_HEADS: tuple[tuple[str, str], ...] = (
    ("high representative", "hr/vp"),
    ("hr/vp", "hr/vp"),
    ("prime minister", "prime-minister"),
    ("vice president", "vice-president"),
    ("state councilor", "councilor"),
    ("secretary", "secretary"),
    ("president", "president"),
    ("minister", "minister"),
    ("eam", "minister"),
    ("director", "director"),
    ("chancellor", "chancellor"),
    ("premier", "premier"),
    ("spokesperson", "spokesperson"),
    ("ambassador", "ambassador"),
    ("councilor", "councilor"),
    ("general", "general"),
    ("admiral", "admiral"),
    ("envoy", "envoy"),
)
_NOT_NAMES = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday the on in at
    """.split()
)

_COLLECTIVE = re.compile(
    r"""^(?:the\s+)?(?:
        (?:two|both)(?:\s+[\w-]+){0,2}?\s+(?:sides|parties|ministers|leaders|countries|nations|presidents|
            secretaries|delegations|interlocutors|counterparts|militaries|governments|chiefs|officials|
            diplomats|heads(?:\s+of\s+[\w\s]+)?)
        |sides|parties|ministers|foreign\s+ministers|interlocutors|leaders|delegations|counterparts
        |heads\s+of\s+[\w\s]+|two|both|both\s+sides|they|we
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_SIDE = re.compile(
    r"^(?:the\s+)?(?P<who>[\w.'’ -]+?)\s+(?:side|party|delegation|government|military|administration|leadership)$",
    re.IGNORECASE,
)

ADVERBS = (
    r"(?:also|further|again|once\s+again|repeatedly|firmly|strongly|resolutely|categorically|solemnly|warmly|"
    r"highly|sincerely|fully|both|then|has|have|had|had\s+also|has\s+also|have\s+also)"
)
_VERBS = (
    "said|says|stated|noted|notes|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|underlined|underlines|"
    "underscored|underscores|reiterated|reiterates|reaffirmed|reaffirms|pointed\\s+out|points\\s+out|added|"
    "highlighted|affirmed|mentioned|told|informed|expressed|expresses|raised|voiced|welcomed|welcomes|"
    "agreed|agrees|concurred|discussed|exchanged|reviewed|confirmed|condemned|condemns|opposes|opposed|"
    "supports|supported|urged|urges|called\\s+for|called\\s+on|called\\s+upon|hoped|hopes|expects|"
    "proposed|put\\s+forward|elaborated|briefed|made\\s+(?:it\\s+)?clear|warned|insisted|recalled|thanked|"
    "congratulated|appreciated|appreciates|encouraged|pressed|asked|demanded|drew\\s+attention|believes|"
    "considers|touched\\s+upon|touched\\s+on|looked\\s+forward|conveyed|delivered|explained|outlined|"
    "praised|regretted|rejected|rejects|denounced|deplored|acknowledged|spoke|talked|met|held|co-chaired|hosted|"
    "had(?=\\s+(?:an?\\s+)?(?:[\\w-]+\\s+){0,3}(?:conversation|talks|call|meeting|exchange|discussion)\\b)"
)
_BARE_VERBS = (  # plural forms: only after a plural subject ("The two sides agree")
    "agree|support|oppose|hope|believe|reject|discuss|say|condemn|stress|reaffirm|reiterate|welcome|note|"
    "look\\s+forward"
)
# Every verb starts with a letter: one word-start test outside the alternation (as a \b inside
# it would be) is the same match, found several times faster.
_VERB = re.compile(rf"(?<!\w)(?=\w)(?P<verb>{_VERBS}|{_BARE_VERBS})\b", re.IGNORECASE)
_BARE = re.compile(rf"^(?:{_BARE_VERBS})$", re.IGNORECASE)
_MEETING = re.compile(r"^(?:spoke|talked|met|held|had|co-chaired|hosted)$", re.IGNORECASE)
_BOUNDARY = re.compile(
    # the full stop first, then the abbreviations it may end: the look-behinds run only at a "."
    r"[;:!?\n(\"“”]|\.(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bNo\.)(?<!\bMrs\.)(?=\s)|,\s|\s[-–—]\s|\bthat\s"
)
_PASSIVE = re.compile(
    r"\b(?P<subj>[Ii]t|[\w-]+(?:\s+[\w-]+){0,2})\s+(?P<aux>was|were)\s+(?:also\s+)?"
    r"(?P<verb>agreed|noted|stressed|emphasi[sz]ed|decided|underlined|pointed\s+out|confirmed|stated|"
    r"reaffirmed|discussed|paid|reviewed|touched\s+upon|exchanged|welcomed)\b"
)
_BY_AGENT = re.compile(
    r"\b(?P<verb>voiced|expressed|raised|proposed|put\s+forward|initiated|advanced|presented|requested)\s+by\s+"
    r"(?P<agent>(?:the\s+)?[\w.’'-]+(?:\s+[A-Z][\w.’'-]*){0,3}(?:\s+side)?)"
)
_WITH = re.compile(
    r"\bwith\s+(?P<obj>[^,;:()]{2,160}?)"
    r"(?=\s*(?:[,;:(]|\.(?=\s|$)(?<!\b[A-Z]\.)|$)|\s(?:on|in|at|today|yesterday|via|by|during|for|to)\b)"
)
_WORDS = re.compile(r"(?:[A-Z]\.){2,}|[\w/]+(?:[-'’.][\w]+)*")


@dataclass(frozen=True)
class Attribution:
    """Who a statement says speaks or agrees, with the local span of the speaker phrase.

    ``kind`` is person, role, side, collective, impersonal or pronoun; ``key`` is a normalised
    identity ("rubio", "role:secretary", "side:us", "both", "impersonal", "pronoun").
    """

    speaker: str
    kind: str
    key: str
    verb: str
    start: int
    end: int
    verb_start: int
    verb_end: int
    names: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    country: str = ""
    members: tuple[Attribution, ...] = ()


@lru_cache(maxsize=None)
def _role_head_re(head: str) -> re.Pattern[str]:
    """The word-bounded pattern of one role head (compiled once)."""
    return re.compile(rf"\b{re.escape(head)}\b")


def _person_name(words: list[str]) -> list[str]:
    """The name that ends a subject phrase ("Foreign Minister Ivan Petrov" -> ivan, petrov), if any.

    Only a trailing run counts, so "Particular attention" (followed by lower-case words) is no
    name, and a run ending in an organisation word ("the Central Committee") is none either.
    """
    run: list[str] = []
    for word in words:
        low = word.lower()
        if (
            word[:1].isupper()
            and low not in TITLE_WORDS
            and low not in _ORG_WORDS
            and not country_of(word)
            and low not in _NOT_NAMES
            and len(word) > 1
            and not re.fullmatch(r"(?:[A-Z]\.)+", word)
        ):
            run.append(low)
        elif re.fullmatch(r"[A-Z]\.?", word):  # an initial inside a name
            continue
        else:
            run = []
    if any(w.lower() in _ORG_WORDS for w in words[-2:]):
        return []
    return run


def _speaker(
    phrase: str, start: int, end: int, verb: str, v_start: int, v_end: int, allow_conj: bool = True
) -> Attribution | None:
    """Classify a subject phrase as a speaker, or None if it does not name one."""
    text = phrase.strip().strip("[]").strip()
    text = re.sub(r"(?:['’]s)$", "", text)
    lower = re.sub(r"\s+", " ", text.lower())
    if not text or len(text.split()) > 18:
        return None

    def make(
        kind: str,
        key: str,
        names: tuple[str, ...] = (),
        titles: tuple[str, ...] = (),
        country: str = "",
        members: tuple[Attribution, ...] = (),
    ) -> Attribution:
        return Attribution(phrase.strip(), kind, key, verb, start, end, v_start, v_end, names, titles, country, members)

    if lower in ("he", "she"):
        return make("pronoun", "pronoun")
    if _COLLECTIVE.match(lower):
        return make("collective", "both")
    if allow_conj:
        parts = re.split(r"\s+(?:and|&)\s+", text)
        if len(parts) >= 2:
            members = [_speaker(p, start, end, verb, v_start, v_end, allow_conj=False) for p in parts]
            strict = [
                m
                for m, p in zip(members, parts, strict=True)
                if m is not None and (m.kind != "role" or p.lower().startswith("the "))
            ]
            if len(strict) == len(parts):
                return make("collective", "both", members=tuple(strict))
    side = _SIDE.match(lower)
    bare = lower[4:] if lower.startswith("the ") else lower
    for who in (side.group("who") if side else "", bare):
        if country_of(who):
            return make("side", "side:" + country_of(who), country=country_of(who))
    words = _WORDS.findall(text)
    country = next((country_of(w) for w in words if country_of(w)), "")
    titles = tuple(dict.fromkeys(key for head, key in _ROLE_HEADS if head in lower and _role_head_re(head).search(lower)))
    names = _person_name(words)
    if names:
        return make("person", " ".join(names), names=tuple(names), titles=titles, country=country)
    if titles and (lower.startswith("the ") or len(words) <= 3):
        return make("role", "role:" + titles[0], titles=titles, country=country)
    return None


def _clause_starts(text: str) -> list[int]:
    """Where each clause begins: the end of every boundary mark, in order (found once per text)."""
    return [match.end() for match in _BOUNDARY.finditer(text)]


def _clause_start(boundaries: list[int], pos: int) -> int:
    """Start of the clause that ends at ``pos`` (after the last boundary mark before it)."""
    k = bisect.bisect_right(boundaries, pos) - 1
    return boundaries[k] if k >= 0 else 0


def extract_attribution(text: str) -> list[Attribution]:
    """Find who the text says is speaking or agreeing, in text order.

    A bare "He"/"She" is resolved to the last named person or role before it, when there is
    one; a verb coordinated with an earlier one ("... and emphasized") inherits its speaker and
    is not listed again. Meeting verbs ("spoke with", "held talks with") give both parties.
    """
    found: list[Attribution] = []
    boundaries = _clause_starts(text)
    passive = _PASSIVE.finditer(text) if ("was" in text or "were" in text) else ()
    for match in passive:
        subj = match.group("subj")
        if subj.lower() == "it" or not _speaker(subj, 0, 0, "", 0, 0):
            found.append(
                Attribution(
                    speaker=match.group(0),
                    kind="impersonal",
                    key="impersonal",
                    verb=match.group("verb"),
                    start=match.start(),
                    end=match.end("aux"),
                    verb_start=match.start("verb"),
                    verb_end=match.end("verb"),
                )
            )
    for match in _BY_AGENT.finditer(text) if "by" in text else ():
        who = _speaker(
            match.group("agent"),
            match.start("agent"),
            match.end("agent"),
            match.group("verb"),
            match.start("verb"),
            match.end("verb"),
        )
        if who and who.kind != "pronoun":
            found.append(who)
    last: Attribution | None = None
    for match in _VERB.finditer(text):
        verb = match.group("verb")
        if any(a.verb_start <= match.start() < a.verb_end for a in found):
            continue
        clause = _clause_start(boundaries, match.start())
        prefix = text[clause : match.start()]
        stripped = re.sub(rf"(?:\s+{ADVERBS})+\s*$", "", " " + prefix, flags=re.IGNORECASE).strip()
        lead = len(prefix) - len(prefix.lstrip())
        if not stripped or stripped.lower() in ("and", "but", "then") or re.search(r"\s(?:and|but)$", stripped):
            continue  # a verb coordinated with the previous one keeps its speaker
        who = _speaker(stripped, clause + lead, clause + lead + len(stripped), verb, match.start(), match.end())
        if who is None:
            continue
        if _BARE.match(verb) and who.kind != "collective":  # "EU support for ..." is a noun
            continue
        if _MEETING.match(verb.split()[0]) and who.kind != "collective":
            obj = _WITH.search(text, match.end(), min(len(text), match.end() + 120))
            other = (
                _speaker(
                    obj.group("obj"),
                    obj.start("obj"),
                    obj.end("obj"),
                    verb,
                    match.start(),
                    match.end(),
                    allow_conj=False,
                )
                if obj
                else None
            )
            if other is None or other.kind in ("pronoun", "collective"):
                continue
            who = replace(who, kind="collective", key="both", members=(who, other))
        if who.kind == "pronoun" and last is not None and last.kind in ("person", "role"):
            who = replace(who, kind=last.kind, key=last.key, names=last.names, titles=last.titles, country=last.country)
        found.append(who)
        if who.kind in ("person", "role"):
            last = who
    found.sort(key=lambda a: (a.verb_start, a.start))
    return found


def same_speaker(x: Attribution, y: Attribution) -> bool | None:
    """True if two attributions name the same speaker, False if different, None if unknown."""
    if "pronoun" in (x.kind, y.kind):
        return None
    group = {"collective", "impersonal"}
    if x.kind in group or y.kind in group:
        if x.kind in group and y.kind in group:
            if x.members and y.members:
                verdicts = [max((same_speaker(m, n) is not False) for n in y.members) for m in x.members]
                return all(verdicts)
            return True
        return False
    if x.country and y.country and x.country != y.country:
        return False
    if x.kind == "person" and y.kind == "person":
        return bool(set(x.names) & set(y.names))
    if x.kind == "side" and y.kind == "side":
        return x.key == y.key
    if x.kind == "role" and y.kind == "role":
        return x.key == y.key
    person, other = (x, y) if x.kind == "person" else (y, x)
    if person.kind == "person" and other.kind == "role":
        role = other.key.split(":", 1)[1]
        if role in person.titles:
            return True
        return False if person.titles else None
    if x.country and y.country:
        return x.country == y.country
    return None


def describe_speaker(attribution: Attribution) -> str:
    """A short readable name for a speaker ("both sides", "Sergey Lavrov", "the US side")."""
    if attribution.kind == "collective":
        if attribution.members:
            return " and ".join(m.speaker.strip() for m in attribution.members)
        return "both sides"
    if attribution.kind == "impersonal":
        return "no one in particular (impersonal)"
    return attribution.speaker.strip().strip("[]")
