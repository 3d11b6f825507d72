"""Why two linked statements differ: attribution, strength, stance, detail, numbers, quotes, wording.

``explain`` (one pair) and ``explain_link`` (one-to-many) return Reasons whose evidence spans
are absolute offsets into each readout's text; ``material_difference`` condenses the same
findings into one 0..1 figure the aligner can weigh when it labels a link shared or emphasis.
Everything here is pure and deterministic. The cue extractors: ``speech`` (who speaks),
``strength`` (how strongly), ``quantities`` (figures), ``facts`` (names, quotations, polarity);
``doc`` joins a link side; the checks: ``voice`` (attribution, strength, stance), ``detail``
(numbers, detail, initiative, elaboration) and ``wording`` (quotes and wording).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from diffreadout.core.reasons.doc import Doc, Findings
from diffreadout.core.reasons.speech import Attribution, extract_attribution
from diffreadout.core.reasons.strength import StrengthMark, reporting_strength
from diffreadout.core.reasons.detail import elaboration_reasons, initiative_reasons, number_and_detail_reasons
from diffreadout.core.reasons.voice import attribution_reasons, stance_reasons, strength_reasons
from diffreadout.core.reasons.wording import quote_reasons, wording_reasons
from diffreadout.model import Reason, Statement

__all__ = [
    "CODES",
    "Attribution",
    "StrengthMark",
    "difference_features",
    "explain",
    "explain_link",
    "extract_attribution",
    "material_difference",
    "material_difference_link",
    "reporting_strength",
]

CODES = ("attribution", "strength", "stance", "detail", "numbers", "quote", "wording")
# Weights of the noisy-OR in material_difference: how far each kind of finding, on its own,
# makes a link "emphasis" rather than "shared". Principles, not tuned to a case: who initiated
# and who speaks are material by annotation policy; a contradiction is; wording alone is not.
WEIGHTS: dict[str, float] = {
    "attribution": 0.6,
    "initiative": 0.8,
    "strength": 0.6,
    "stance": 0.7,
    "numbers": 0.5,
    "detail": 0.3,
    "quote": 0.3,
    "wording": 0.25,
}


def _analyse(link_a: Sequence[Statement], link_b: Sequence[Statement]) -> Findings:
    return _analyse_cached(tuple(link_a), tuple(link_b))


@lru_cache(maxsize=16384)
def _analyse_cached(link_a: tuple[Statement, ...], link_b: tuple[Statement, ...]) -> Findings:
    """The findings of one pair or link (cached: labelling and explaining meet the same pairs).

    Callers must not mutate the returned Findings.
    """
    a, b = Doc.of(link_a), Doc.of(link_b)
    findings = Findings([], {})
    steps = (
        attribution_reasons,
        strength_reasons,
        stance_reasons,
        initiative_reasons,
        number_and_detail_reasons,
        elaboration_reasons,
        quote_reasons,
        wording_reasons,
    )
    for step in steps:
        step(a, b, findings)
    order = {code: k for k, code in enumerate(CODES)}
    findings.reasons.sort(key=lambda r: (order.get(r.code, len(order)), r.evidence[0].side, r.evidence[0].start))
    return findings


def explain(a: Statement, b: Statement) -> tuple[Reason, ...]:
    """Why two linked statements differ: reasons in the order of CODES, each with its evidence spans."""
    return tuple(_analyse([a], [b]).reasons)


def explain_link(link_a: Sequence[Statement], link_b: Sequence[Statement]) -> tuple[Reason, ...]:
    """Reasons for a one-to-many or many-to-many link, read as the joined statements of each side.

    Joining lets a figure stated in one statement answer a figure in another, and reports a
    speaker difference only when no statement on one side shares a speaker with the other.
    """
    return tuple(_analyse(link_a, link_b).reasons)


def difference_features(a: Statement | Sequence[Statement], b: Statement | Sequence[Statement]) -> dict[str, float]:
    """The findings as features in 0..1 (strength_gap and detail_items are counts).

    The keys of WEIGHTS feed material_difference; ``elaboration`` (how much more one side says,
    0..1) is reported for a learned combination but left out of the noisy-OR, where it did not
    help tell shared from emphasis.
    """
    link_a = [a] if isinstance(a, Statement) else list(a)
    link_b = [b] if isinstance(b, Statement) else list(b)
    features = {name: 0.0 for name in WEIGHTS}
    features.update({"strength_gap": 0.0, "detail_items": 0.0, "elaboration": 0.0})
    features.update(_analyse(link_a, link_b).features)
    return features


def material_difference(a: Statement, b: Statement) -> float:
    """How materially two statements on the same matter differ, 0 (same substance) to 1.

    A noisy-OR of the findings: each kind of finding alone makes the difference material
    with its WEIGHTS probability, and independent findings accumulate.
    """
    return material_difference_from(difference_features(a, b))


def material_difference_link(link_a: Sequence[Statement], link_b: Sequence[Statement]) -> float:
    """material_difference for a one-to-many or many-to-many link."""
    return material_difference_from(difference_features(link_a, link_b))


def material_difference_from(features: dict[str, float]) -> float:
    """Combine difference_features into one 0..1 score (a noisy-OR over WEIGHTS)."""
    keep = 1.0
    for name, weight in WEIGHTS.items():
        keep *= 1.0 - weight * min(1.0, max(0.0, features.get(name, 0.0)))
    return round(1.0 - keep, 4)
