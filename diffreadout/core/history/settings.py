"""The thresholds of history matching, read from ``history.json`` beside this module."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

SETTINGS_FILE = Path(__file__).parent / "history.json"


@dataclass(frozen=True)
class HistorySettings:
    """Every number history matching depends on (see history.json for the meaning of each)."""

    stock: float
    variant_ratio: float
    contained_partial: float
    contained_min_words: int
    contained_min_share: float
    present_partial: float
    min_clause_words: int
    previous_readouts: int
    carried_min: int
    earlier_listed: int
    candidates_per_unit: int
    matches_per_unit: int
    shingles_per_unit: int
    max_shingle_df: int


@lru_cache(maxsize=1)
def load_settings() -> HistorySettings:
    """The settings of history.json, parsed once."""
    data = json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))
    return HistorySettings(**{f.name: data[f.name] for f in fields(HistorySettings)})
