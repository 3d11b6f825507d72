"""Warnings a reader must see next to the figures: a model used outside its language."""

from __future__ import annotations

from collections.abc import Sequence

from diffreadout.config import DEFAULT_MODEL
from diffreadout.model import Readout

# Models known to be trained on English text only; their scores mean little in other languages.
ENGLISH_ONLY_MODELS = frozenset({DEFAULT_MODEL, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"})
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "zh": "Chinese", "ja": "Japanese", "ko": "Korean"}


def language_warnings(readouts: Sequence[Readout], model_name: str) -> tuple[str, ...]:
    """One line per readout in a language the model was not trained on (none for undetected)."""
    if model_name not in ENGLISH_ONLY_MODELS:
        return ()
    return tuple(
        f"model {model_name} is English-only; {r.side} is {LANGUAGE_NAMES.get(r.language, r.language)}, "
        "so its semantic scores are unreliable"
        for r in readouts
        if r.language not in ("en", "und")
    )
