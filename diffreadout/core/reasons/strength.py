"""How strongly a statement is reported: reporting verbs and modal phrases, graded by family.

Pure regex-and-lexicon functions; every offset is local to the text they are given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class StrengthMark:
    """A reporting verb or modal phrase with its family and graded level (local offsets).

    Levels are comparable across the speech families (assert, concern, opposition, welcome):
    noted 1 < said 2 < stressed 3 < firmly opposes 4 < condemned in the strongest terms 5;
    expressed concern 2 < condemned 4; does not support 2 < opposes 3 < firmly opposes 4.
    Agreement (discussed 1 < ready 2 < agreed 3 < signed 4) and modality (hope 1 < should 2 <
    must 3) are scales of their own.
    """

    family: str
    level: int
    cue: str
    start: int
    end: int


_STRENGTH: tuple[tuple[str, int, str], ...] = (
    ("concern", 5, r"condemned(?:\s+\w+){0,4}\s+in\s+the\s+strongest(?:\s+possible)?\s+terms"),
    ("opposition", 5, r"will\s+never\s+(?:accept|allow|tolerate)|red\s+line|must\s+not\s+be\s+crossed"),
    ("concern", 4, r"condemn(?:ed|s)?|denounced|denounces"),
    ("concern", 3, r"(?:serious|grave|deep|strong)\s+concerns?|deplored|criticized|criticised|protested|regretted"),
    (
        "concern",
        2,
        r"(?:expressed|raised|voiced|shared)\s+(?:\w+\s+){0,2}concerns?|concerned\s+(?:about|over|by|with)|concerns?\s+(?:about|over|regarding)",
    ),
    (
        "agreement",
        2,
        r"expressed\s+(?:\w+\s+)?(?:readiness|willingness)|(?:is|are|was|were)\s+(?:\w+\s+)?(?:ready|willing|prepared)\s+to|readiness\s+to|proposed|put\s+forward|looked?\s+forward\s+to",
    ),
    (
        "modal",
        1,
        r"expressed\s+(?:\w+\s+)?hopes?|hopes?|hoped|hoping|would\s+like\s+to|wish(?:es|ed)?\s+to|(?-i:may|might|could)",
    ),
    ("welcome", 3, r"warmly\s+welcomed|highly\s+(?:appreciated|appreciates|praised)|praised|commended|spoke\s+highly"),
    (
        "welcome",
        2,
        r"welcom(?:ed|es|e)|appreciated|appreciates|noted\s+with\s+(?:satisfaction|appreciation)|positively\s+(?:assessed|evaluated)",
    ),
    ("welcome", 1, r"took\s+note\s+of|takes\s+note\s+of|noted\s+with\s+(?:interest|attention)"),
    ("opposition", 4, r"(?:firmly|resolutely|strongly|categorically)\s+(?:opposes?|opposed|rejects?|rejected)"),
    ("opposition", 3, r"oppos(?:es|ed|e)|reject(?:s|ed)?|objected"),
    ("opposition", 2, r"(?:does|do|did)\s+not\s+(?:support|accept|endorse)|disagreed?"),
    ("agreement", 4, r"signed|adopted|pledged|(?:is|are|was|were|remain)\s+(?:\w+\s+)?committed\s+to"),
    (
        "agreement",
        3,
        r"agreed|agrees?|concurred|decided|reached\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:consensus|agreement|understanding)",
    ),
    (
        "agreement",
        1,
        r"discussed|discuss|exchanged\s+(?:\w+\s+)?(?:views|opinions|ideas)|exchange\s+of\s+views|reviewed|talked\s+about|touched\s+(?:up)?on|explored|had\s+an?\s+(?:[\w-]+\s+)?exchange",
    ),
    (
        "assert",
        3,
        r"stress(?:ed|es)?|emphasi[sz](?:ed|es|e)|underlin(?:ed|es)|underscor(?:ed|es)|reiterat(?:ed|es)|reaffirm(?:ed|s)?|made\s+(?:it\s+)?clear|highlighted|insisted|affirmed|urged|urges|pressed|warned|demanded|called\s+(?:for|on|upon)",
    ),
    (
        "assert",
        2,
        r"said|says|stated|confirmed|told|pointed\s+out|points\s+out|added|expressed|raised|voiced|informed|explained|elaborated|indicated|briefed|conveyed|outlined|believes|considers",
    ),
    ("assert", 1, r"noted|notes|mentioned|recalled|observed|remarked"),
    ("modal", 3, r"(?-i:must)|ha(?:ve|s)\s+to|(?-i:shall)|(?-i:cannot)|is\s+imperative"),
    ("modal", 2, r"should|ought\s+to|needs?\s+to|the\s+need\s+(?:to|for)"),
)
# Every cue starts with a letter, so a leading word boundary is "no word character before, one
# after"; testing it once, outside the alternation, makes the scan about 4x faster than a \b
# in each alternative (the regex engine would otherwise try every alternative at every position).
_STRENGTH_RE = re.compile(
    r"(?<!\w)(?=\w)(?:"
    + "|".join(f"(?P<g{i}>(?:{pattern})\\b)" for i, (_, _, pattern) in enumerate(_STRENGTH))
    + ")",
    re.IGNORECASE,
)
_INTENSIFIER = re.compile(
    r"\b(?:firmly|strongly|resolutely|categorically|solemnly|sternly|severely|vehemently|emphatically|seriously|gravely)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_STRONGEST = re.compile(r"^\s*(?:\w+\s+){0,4}in\s+the\s+strongest(?:\s+possible)?\s+terms", re.IGNORECASE)
LEVEL_WORDS = {1: "weak", 2: "plain", 3: "strong", 4: "very strong", 5: "strongest"}
SPEECH_FAMILIES = frozenset({"assert", "concern", "opposition", "welcome"})


def reporting_strength(text: str) -> list[StrengthMark]:
    """Find reporting verbs and modal phrases with their graded level, in text order.

    An intensifier just before the cue ("firmly", "strongly") or "in the strongest terms"
    after it raises the level by one; the longest cue wins where cues overlap.
    """
    marks: list[StrengthMark] = []
    for match in _STRENGTH_RE.finditer(text):
        index = int(next(name for name, value in match.groupdict().items() if value is not None)[1:])
        family, level, _ = _STRENGTH[index]
        cue_start = match.start()
        before = _INTENSIFIER.search(text, max(0, match.start() - 30), match.start())
        intensified = (
            bool(before)
            and family != "modal"
            and not re.match(r"(?:firmly|resolutely|strongly|categorically)", match.group(0), re.IGNORECASE)
        )
        if before and intensified:
            cue_start = before.start()
        if _STRONGEST.match(text, match.end()) and level < 5:
            intensified = True
        if (
            family == "concern"
            and level == 2
            and re.search(r"\b(?:serious|grave|deep|strong)", match.group(0), re.IGNORECASE)
        ):
            level = 3
        if intensified:
            level = min(5, level + 1)
        marks.append(
            StrengthMark(
                family=family, level=level, cue=text[cue_start : match.end()], start=cue_start, end=match.end()
            )
        )
    return marks


def comparable(x: StrengthMark, y: StrengthMark) -> bool:
    """Whether two marks sit on one scale.

    They do within one family, for a plain assertion against an evaluative verb ("noted" against
    "condemned"), and for concern against opposition.
    """
    if x.family == y.family:
        return True
    families = {x.family, y.family}
    return families <= SPEECH_FAMILIES and ("assert" in families or families == {"concern", "opposition"})
