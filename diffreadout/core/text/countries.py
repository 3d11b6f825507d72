"""Countries as readouts name them: country, demonym, capital and metonym, each to one key.

A lexicon written from common diplomatic usage; the reasons engine, the mirror rule and the
stemmer all read countries through it.
"""

from __future__ import annotations

__all__ = ["COUNTRY_ALIASES", "COUNTRY_NAMES", "MULTIWORD_COUNTRIES", "country_of"]


# Countries and their usual metonyms: a side is named by its country, demonym or capital.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "us": ("us", "u.s.", "usa", "u.s.a.", "united states", "america", "american", "americans", "washington"),
    "russia": ("russia", "russian", "russians", "russian federation", "moscow", "kremlin"),
    "china": ("china", "chinese", "prc", "beijing"),
    "eu": ("eu", "e.u.", "european union", "european", "europeans"),
    "ukraine": ("ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"),
    "japan": ("japan", "japanese", "tokyo"),
    "india": ("india", "indian", "new delhi", "delhi"),
    "uk": ("uk", "u.k.", "united kingdom", "britain", "british", "london"),
    "korea": ("korea", "korean", "rok", "seoul"),
    "iran": ("iran", "iranian", "tehran"),
    "israel": ("israel", "israeli"),
    "germany": ("germany", "german", "berlin"),
    "france": ("france", "french", "paris"),
    "turkey": ("turkey", "turkish", "türkiye", "ankara"),
    "philippines": ("philippines", "philippine", "manila"),
}
# Each key as a reader names the country or union.
COUNTRY_NAMES: dict[str, str] = {
    "us": "United States", "russia": "Russia", "china": "China", "eu": "European Union", "ukraine": "Ukraine",
    "japan": "Japan", "india": "India", "uk": "United Kingdom", "korea": "Republic of Korea", "iran": "Iran",
    "israel": "Israel", "germany": "Germany", "france": "France", "turkey": "Türkiye", "philippines": "Philippines",
}
_ALIAS_TO_COUNTRY: dict[str, str] = {
    alias.replace(".", ""): key for key, aliases in COUNTRY_ALIASES.items() for alias in aliases
}
# The names of several words ("united states"), each with its country: a word-by-word reading
# (country_of) never sees them whole.
MULTIWORD_COUNTRIES: dict[str, str] = {
    alias: key for key, aliases in COUNTRY_ALIASES.items() for alias in aliases if " " in alias
}


def country_of(word: str) -> str:
    """The country key of a country name, demonym or capital ("" if none)."""
    key = word.lower().replace(".", "").strip("’'")
    if key.endswith(("'s", "’s")):
        key = key[:-2]
    return _ALIAS_TO_COUNTRY.get(key, "")
