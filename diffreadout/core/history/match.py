"""How close two normalised formulations are, and whether one is a form of the other."""

from __future__ import annotations

from rapidfuzz import fuzz

from diffreadout.core.history.clauses import content_words
from diffreadout.core.history.settings import HistorySettings


def match_score(query: str, known: str, settings: HistorySettings) -> tuple[float, bool]:
    """The ratio of two normalised formulations and whether one is a form of the other."""
    ratio = fuzz.ratio(query, known) / 100.0
    if ratio >= settings.variant_ratio:
        return ratio, True
    short, long = sorted((query, known), key=len)
    short_words, long_words = content_words(short), content_words(long)
    if (
        len(short_words) >= settings.contained_min_words
        and len(short_words) >= settings.contained_min_share * max(len(long_words), 1)
        and fuzz.partial_ratio(short, long) / 100.0 >= settings.contained_partial
    ):
        return ratio, True
    return ratio, False
