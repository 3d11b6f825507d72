"""Words and stems: the one word pattern, stop-word list and stemmer every part of the core uses.

``suffix_stem`` folds plurals and common suffixes ("sanctions" -> "sanction"); ``stem`` also
folds a possessive and a country name, demonym or capital to its country key ("Chinese" ->
"china"), for the reasons engine and the profile, which compare what is said of whom.
"""

from __future__ import annotations

import re
from functools import lru_cache

from diffreadout.core.text.countries import country_of

__all__ = ["LETTERS", "STOPWORDS", "TOKEN", "WORD", "stem", "suffix_stem"]

# A word: letters and digits, joined by inner hyphens or apostrophes ("co-chaired", "China's").
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# A word, or an abbreviation written with dots ("U.S.", "U.N.") kept whole.
TOKEN = re.compile(r"(?:[A-Z]\.){2,}|" + WORD.pattern)
# A run of letters only (no digits, no underscore): for judging scripts and languages.
LETTERS = re.compile(r"[^\W\d_]+")

STOPWORDS = frozenset(
    """
    a an the and or but of to in on at for with by from as about into over after before under
    between through during without within against among upon than then that this these those
    it its it's is are was were be been being has have had having do does did will would shall
    should can could may might must also both either neither each other such same so very more
    most much many any all some no not nor only own just further there their they them he she
    his her him we our us you your i me my who whom which what when where why how while if
    said say says noted stressed emphasized emphasised underlined underscored reiterated
    reaffirmed stated added pointed out expressed highlighted affirmed mentioned told
    side sides two parties party minister ministers foreign secretary president
    mr mrs ms dr state states
    """.split()
)

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


@lru_cache(maxsize=65536)
def suffix_stem(word: str) -> str:
    """A crude, deterministic stem of a lower-case word: the longest common suffix off, four letters kept."""
    if _CJK.match(word) or len(word) <= 4:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """suffix_stem of any word, after folding case, a possessive and a country to its one key."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return country_of(word) or suffix_stem(word)


# Chinese and Japanese are written without spaces between words: their size is counted in characters.
CHARACTER_LANGUAGES = frozenset({"zh", "ja"})
_SIZE_WORD = re.compile(r"[^\W_]+(?:['\u2019\-.,:/][^\W_]+)*")


def size_unit(language: str) -> str:
    """'characters' for Chinese and Japanese, else 'words'."""
    return "characters" if language in CHARACTER_LANGUAGES else "words"


def text_size(text: str, unit: str) -> int:
    """Words in text, or (unit 'characters') its letters and digits."""
    if unit == "characters":
        return sum(1 for ch in text if ch.isalnum())
    return len(_SIZE_WORD.findall(text))
