"""Clause statements: a sentence joining two predications becomes two statements."""

from __future__ import annotations

import pytest

from diffreadout.core.text.segment import segment


def _texts(text: str) -> list[str]:
    return [text[s:e] for s, e in segment(text)]


@pytest.mark.parametrize(
    "joint",
    [" and delivered President Smith's strong message that the war must end now.",
     ", and that the other side should honour its commitments made last year in full.",
     ", and the US side should fulfil its commitment to the principles agreed before.",
     ", agreeing to hold the next round of consultations in the capital next month."],
)
def test_a_second_predication_is_cut_off(joint: str) -> None:
    first = "The Secretary welcomed the prisoner exchange agreement reached during the talks"
    parts = _texts(first + joint)
    assert len(parts) == 2
    assert parts[0].rstrip(",") == first and parts[1] == joint.lstrip(", ")


@pytest.mark.parametrize(
    "text",
    ["They discussed trade, investment and energy and agreed.",
     "The ministers discussed Ukraine, the Middle East and the Korean Peninsula in detail.",
     "Wang Yi and Blinken agreed to keep in touch and welcomed it."],
)
def test_noun_lists_and_short_formulas_stay_whole(text: str) -> None:
    assert _texts(text) == [text]


def test_every_character_stays_in_a_statement() -> None:
    text = "Rubio welcomed the exchange of prisoners agreed in May, and emphasized Washington's readiness to help settle it."
    spans = segment(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "") == text.replace(" ", "")
