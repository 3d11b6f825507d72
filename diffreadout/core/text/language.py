"""Which script and language a readout is written in, from its characters alone.

Enough to tell the cases diffreadout must treat differently (an English, Russian, Chinese,
Japanese or Korean readout), deterministic and instant; not a general language identifier.
"""

from __future__ import annotations

import unicodedata

from diffreadout.core.text.words import LETTERS

_ENGLISH = frozenset("the and of to in that with on for was is by as said".split())


def script_counts(text: str, limit: int = 20000) -> dict[str, int]:
    """Letters per script in the first `limit` characters: latin, cyrillic, han, kana, hangul, other."""
    counts = {"latin": 0, "cyrillic": 0, "han": 0, "kana": 0, "hangul": 0, "other": 0}
    for ch in text[:limit]:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if code < 0x250 or 0x1E00 <= code < 0x1F00:
            counts["latin"] += 1
        elif 0x400 <= code < 0x530:
            counts["cyrillic"] += 1
        elif 0x3040 <= code < 0x3100:
            counts["kana"] += 1
        elif 0xAC00 <= code < 0xD7B0 or 0x1100 <= code < 0x1200:
            counts["hangul"] += 1
        elif unicodedata.name(ch, "").startswith("CJK"):
            counts["han"] += 1
        else:
            counts["other"] += 1
    return counts


def dominant_script(text: str) -> str:
    """The script most letters belong to ('none' for text without letters)."""
    counts = script_counts(text)
    # Han characters carry a word each, so weigh them against alphabetic letters.
    weighted = {k: v * (3 if k in ("han", "kana", "hangul") else 1) for k, v in counts.items()}
    best = max(weighted, key=lambda k: (weighted[k], k))
    return best if weighted[best] else "none"


def detect_language(text: str) -> str:
    """An ISO 639-1 guess: en, ru, zh, ja or ko; 'und' where the script does not tell."""
    counts = script_counts(text)
    script = dominant_script(text)
    if script == "cyrillic":
        return "ru"
    if script in ("han", "kana"):
        return "ja" if counts["kana"] > 0.05 * (counts["han"] + counts["kana"]) else "zh"
    if script == "hangul":
        return "ko"
    if script == "latin":
        words = [w.lower() for w in LETTERS.findall(text[:20000])]
        if words and sum(w in _ENGLISH for w in words) / len(words) >= 0.08:
            return "en"
    return "und"


def same_script(a: str, b: str) -> bool:
    """Whether two texts are written mainly in the same script (so word overlap means something)."""
    sa, sb = dominant_script(a), dominant_script(b)
    cjk = {"han", "kana"}
    return sa == sb or (sa in cjk and sb in cjk)
