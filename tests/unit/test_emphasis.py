"""Reasons why two linked statements differ: each code with positive cases and near-misses.

All sentences are invented, in the style of foreign-ministry readouts.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from diffreadout.core.reasons.engine import (
    CODES,
    difference_features,
    explain,
    explain_link,
    extract_attribution,
    material_difference,
    material_difference_link,
    reporting_strength,
)
from diffreadout.model import Reason, Statement

PAD_A = "Readout A.\n"
PAD_B = "Readout of side B, opening line.\n"


def stmt(side: str, text: str, pad: str = "", index: int = 0) -> Statement:
    """A statement placed after ``pad`` in its readout, so offsets are absolute, not local."""
    return Statement(
        id=f"{side}{index + 1}", side=side, index=index, start=len(pad), end=len(pad) + len(text), text=text
    )


def pair(a_text: str, b_text: str) -> tuple[Statement, Statement, dict[str, str]]:
    """Two statements at different offsets in their readouts, and the readout texts."""
    return stmt("A", a_text, PAD_A), stmt("B", b_text, PAD_B), {"A": PAD_A + a_text, "B": PAD_B + b_text}


def reasons(a_text: str, b_text: str) -> tuple[tuple[Reason, ...], dict[str, str]]:
    a, b, texts = pair(a_text, b_text)
    return explain(a, b), texts


def codes(a_text: str, b_text: str) -> list[str]:
    return [r.code for r in reasons(a_text, b_text)[0]]


def of_code(found: tuple[Reason, ...], code: str) -> list[Reason]:
    return [r for r in found if r.code == code]


def evidence_texts(reason: Reason, texts: dict[str, str]) -> list[str]:
    return [texts[s.side][s.start : s.end] for s in reason.evidence]


# ---- attribution extraction ---------------------------------------------------------------


def test_attribution_finds_named_person_with_titles_and_span() -> None:
    text = "Foreign Minister Ivan Petrov stressed that the talks must continue."
    (att,) = extract_attribution(text)
    assert att.kind == "person" and att.names == ("ivan", "petrov") and "minister" in att.titles
    assert text[att.start : att.end] == "Foreign Minister Ivan Petrov"
    assert text[att.verb_start : att.verb_end] == "stressed"


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("The two sides agreed to keep in touch.", "collective", "both"),
        ("Both sides noted the progress made.", "collective", "both"),
        ("The ministers exchanged views on the region.", "collective", "both"),
        ("The US side raised the cases of detained citizens.", "side", "side:us"),
        ("The American side expressed concern about the strikes.", "side", "side:us"),
        ("China firmly opposes unilateral sanctions.", "side", "side:china"),
        ("The Secretary reiterated support for the talks.", "role", "role:secretary"),
        ("It was agreed to keep in touch.", "impersonal", "impersonal"),
        ("Special attention was paid to the consular agenda.", "impersonal", "impersonal"),
    ],
)
def test_attribution_kinds(text: str, kind: str, key: str) -> None:
    found = extract_attribution(text)
    assert found and found[0].kind == kind and found[0].key == key


def test_attribution_conjunction_and_meeting_verb_give_both_parties() -> None:
    (joint,) = extract_attribution("The Secretary and Foreign Minister Petrov agreed to stay in contact.")
    assert joint.kind == "collective" and [m.key for m in joint.members] == ["role:secretary", "petrov"]
    (call,) = extract_attribution("Secretary of State John Smith spoke today with Foreign Minister Ivan Petrov.")
    assert call.kind == "collective" and {m.key for m in call.members} == {"john smith", "ivan petrov"}


def test_attribution_pronoun_resolved_only_when_a_name_precedes() -> None:
    resolved = extract_attribution("Minister Petrov welcomed the exchange. He stressed that more work is needed.")
    assert [a.key for a in resolved] == ["petrov", "petrov"]
    (alone,) = extract_attribution("He stressed that more work is needed.")
    assert alone.kind == "pronoun"


def test_attribution_trailing_frame_and_coordinated_verb() -> None:
    (trailing,) = extract_attribution("The two navies should build trust, Admiral Tan added.")
    assert trailing.key == "tan" and trailing.verb == "added"
    coordinated = extract_attribution("The Secretary welcomed the deal and emphasized the need for a ceasefire.")
    assert len(coordinated) == 1  # "and emphasized" keeps the same speaker


def test_attribution_ignores_non_speakers() -> None:
    assert extract_attribution("The agreement reached in Geneva remains in force.") == []
    assert extract_attribution("EU support for the programme continues.") == []


# ---- strength extraction ------------------------------------------------------------------


def level(text: str) -> tuple[str, int]:
    marks = reporting_strength(text)
    assert marks, text
    return marks[0].family, marks[0].level


def test_strength_scale_of_reporting_verbs() -> None:
    noted, said, stressed, opposes = (
        level(t)[1]
        for t in (
            "Petrov noted the proposal.",
            "Petrov said the proposal was useful.",
            "Petrov stressed the proposal.",
            "Petrov firmly opposes the proposal.",
        )
    )
    assert noted < said < stressed < opposes


def test_strength_agreement_concern_and_modal_scales() -> None:
    assert level("The sides discussed trade.") == ("agreement", 1)
    assert level("The sides agreed to expand trade.") == ("agreement", 3)
    assert level("She expressed concern about the strikes.")[1] < level("She condemned the strikes.")[1]
    assert level("She condemned the strikes.")[1] < level("They condemned the attack in the strongest terms.")[1]
    assert level("He raised serious concerns about it.") == ("concern", 3)
    assert level("The parties should respect the ceasefire.") == ("modal", 2)
    assert level("The parties must respect the ceasefire.") == ("modal", 3)


def test_strength_month_may_is_not_a_modal() -> None:
    assert reporting_strength("The talks on May 16 in Geneva.") == []


# ---- attribution reasons ------------------------------------------------------------------


def test_attribution_reason_shared_vs_single_speaker_with_absolute_evidence() -> None:
    found, texts = reasons(
        "The two sides agreed to continue consultations on the embassies.",
        "Minister Petrov stressed the need to continue consultations on the embassies.",
    )
    (reason,) = of_code(found, "attribution")
    assert "both sides" in reason.summary and "Petrov" in reason.summary
    assert evidence_texts(reason, texts) == ["The two sides", "agreed", "Minister Petrov", "stressed"]
    assert {s.side for s in reason.evidence} == {"A", "B"}


def test_attribution_reason_different_named_speakers() -> None:
    found, _ = reasons(
        "Minister Petrov called for an early truce.",
        "Secretary Smith called for an early truce.",
    )
    assert of_code(found, "attribution")


def test_attribution_reason_role_conflicts_with_titled_person() -> None:
    assert "attribution" in codes(
        "The Secretary raised the detention of two journalists.",
        "Foreign Minister Petrov raised the detention of two journalists.",
    )


@pytest.mark.parametrize(
    ("a_text", "b_text"),
    [
        # identical attribution in a different word order
        ("Petrov and Smith agreed to stay in contact.", "Smith and Petrov agreed to stay in contact."),
        ("Minister Petrov stressed that the talks were useful.", "The talks were useful, Minister Petrov stressed."),
        ("The two sides agreed to stay in contact.", "Both sides agreed to stay in contact."),
        ("Secretary Smith welcomed the exchange.", "Secretary of State John Smith welcomed the exchange."),
        # an impersonal agreement is an agreement of both sides
        ("It was agreed to keep in touch.", "The ministers agreed to keep in touch."),
        # a bare role against an untitled name: not enough to say they differ
        ("The Secretary welcomed the exchange.", "Smith welcomed the exchange."),
    ],
)
def test_attribution_near_misses_do_not_fire(a_text: str, b_text: str) -> None:
    assert "attribution" not in codes(a_text, b_text)


# ---- strength reasons ---------------------------------------------------------------------


def test_strength_reason_discussed_vs_agreed() -> None:
    found, texts = reasons(
        "The ministers discussed cooperation on fisheries.",
        "The ministers agreed to expand cooperation on fisheries.",
    )
    (reason,) = of_code(found, "strength")
    assert evidence_texts(reason, texts) == ["discussed", "agreed"]
    assert "B is stronger" in reason.summary and dict(reason.detail)["gap"] == "2"


def test_strength_reason_noted_vs_condemned() -> None:
    found, _ = reasons(
        "Minister Petrov noted the attack on the convoy.", "Minister Petrov condemned the attack on the convoy."
    )
    (reason,) = of_code(found, "strength")
    assert "A 'noted'" in reason.summary and "B 'condemned'" in reason.summary


def test_strength_reason_should_vs_must() -> None:
    assert "strength" in codes(
        "The parties should respect the ceasefire line.", "The parties must respect the ceasefire line."
    )


def test_strength_same_verb_in_a_different_clause_does_not_fire() -> None:
    # B's "said" answers A's "said"; A's "stressed" governs a clause B does not report.
    assert "strength" not in codes(
        "The Secretary said the talks were useful and stressed the need for a border truce.",
        "The Secretary said the talks were useful.",
    )


def test_strength_same_level_different_verbs_does_not_fire() -> None:
    assert "strength" not in codes("Petrov stressed the need for dialogue.", "Petrov underlined the need for dialogue.")


def test_strength_unrelated_families_are_not_compared() -> None:
    # "welcomed" (positive evaluation) and "expressed concern" are not one scale: that is stance.
    assert "strength" not in codes("Smith welcomed the grain deal.", "Smith expressed concern about the grain deal.")


# ---- stance -------------------------------------------------------------------------------


def test_stance_opposite_evaluation_is_flagged_as_contradiction() -> None:
    found, texts = reasons(
        "The consultations took place in a tense and at points hostile mood.",
        "The consultations took place in a warm, productive and positive mood.",
    )
    (reason,) = of_code(found, "stance")
    assert reason.summary.startswith("contradiction")
    assert set(evidence_texts(reason, texts)) == {"tense", "hostile", "warm", "productive", "positive"}


def test_stance_negation_contrast() -> None:
    found, texts = reasons(
        "Minister Petrov said that Veldonia does not accept the proposal for a ceasefire.",
        "Minister Petrov said that Veldonia accepts the proposal for a ceasefire.",
    )
    (reason,) = of_code(found, "stance")
    assert "A negates 'accept'" in reason.summary
    assert evidence_texts(reason, texts) == ["accept", "accepts"]


@pytest.mark.parametrize(
    ("a_text", "b_text"),
    [
        ("Veldonia does not seek confrontation.", "Veldonia does not seek confrontation with anyone."),
        ("They discussed not only trade but also investment.", "They discussed trade and investment."),
        (
            "Smith raised concerns about the dangerous manoeuvres.",
            "Smith expressed concern over provocative manoeuvres.",
        ),
        ("The talks were constructive.", "The talks were difficult."),  # one word each: too thin to call
    ],
)
def test_stance_near_misses_do_not_fire(a_text: str, b_text: str) -> None:
    assert "stance" not in codes(a_text, b_text)


# ---- detail -------------------------------------------------------------------------------


def test_detail_initiative_on_one_side_only() -> None:
    found, texts = reasons(
        "On June 3, at the initiative of the American side, Minister Petrov had a telephone conversation"
        " with Secretary Smith.",
        "Secretary Smith spoke with Minister Petrov today.",
    )
    initiative = [r for r in of_code(found, "detail") if "initiated" in r.summary]
    assert len(initiative) == 1
    assert evidence_texts(initiative[0], texts) == ["at the initiative of the American side"]
    assert any("date 'June 3'" in r.summary for r in of_code(found, "detail"))
    assert "attribution" not in [r.code for r in found]


def test_detail_names_figures_and_deliverables_on_one_side() -> None:
    found, texts = reasons(
        "The ministers reviewed the consultations in Geneva and agreed to set up a working group.",
        "The ministers reviewed the consultations.",
    )
    (reason,) = of_code(found, "detail")
    assert reason.evidence[0].side == "A"
    assert evidence_texts(reason, texts) == ["Geneva", "working group"]


def test_detail_speaker_names_and_acronyms_are_not_details() -> None:
    found, _ = reasons(
        "Minister Petrov said the WTO must be reformed.",
        "Foreign Minister Ivan Petrov said the World Trade Organization must be reformed.",
    )
    assert of_code(found, "detail") == []


def test_detail_same_date_written_differently_is_no_detail() -> None:
    assert codes("The talks took place on 16 May.", "The talks took place on May 16.") == []


def test_detail_paragraph_number_is_no_figure() -> None:
    found, _ = reasons("4. The delegations welcomed the progress.", "The delegations welcomed the progress.")
    assert of_code(found, "detail") == [] and of_code(found, "numbers") == []


# ---- numbers ------------------------------------------------------------------------------


def test_numbers_counts_that_differ() -> None:
    found, texts = reasons(
        "They discussed the exchange of 2,000 prisoners agreed in Geneva.",
        "They discussed the exchange of 1,500 prisoners agreed in Geneva.",
    )
    (reason,) = of_code(found, "numbers")
    assert evidence_texts(reason, texts) == ["2,000", "1,500"]
    assert reason.summary.startswith("count:")


def test_numbers_dates_that_differ() -> None:
    found, texts = reasons("The call took place on May 17.", "The call took place on May 22.")
    (reason,) = of_code(found, "numbers")
    assert evidence_texts(reason, texts) == ["May 17", "May 22"]


def test_numbers_date_on_one_side_and_count_on_the_other_are_not_compared() -> None:
    found, _ = reasons("The talks in Geneva took place on May 16.", "The two sides exchanged 16 prisoners in Geneva.")
    assert of_code(found, "numbers") == []
    assert len(of_code(found, "detail")) == 2  # each side's figure is its own detail


def test_numbers_year_and_count_are_not_compared() -> None:
    found, _ = reasons("Relations were established in 1992.", "Relations now involve 1992 joint projects.")
    assert of_code(found, "numbers") == []


def test_numbers_sums_in_different_currencies_are_not_compared() -> None:
    found, _ = reasons(
        "Smith noted a trade imbalance above EUR 40 billion.",
        "Smith noted bilateral trade of 96.2 billion U.S. dollars.",
    )
    assert of_code(found, "numbers") == []


def test_numbers_equal_in_words_and_digits() -> None:
    assert (
        codes(
            "They agreed to double student exchanges within five years.",
            "They agreed to double student exchanges within 5 years.",
        )
        == []
    )


# ---- quotes -------------------------------------------------------------------------------


def test_quote_on_one_side_only() -> None:
    found, texts = reasons(
        'Petrov said the sanctions list was a "red line" for his country.',
        "Petrov said the sanctions list was unacceptable to his country.",
    )
    (reason,) = of_code(found, "quote")
    assert evidence_texts(reason, texts) == ['"red line"']
    assert "only in A" in reason.summary


def test_quote_scare_quotes_against_plain_words() -> None:
    found, texts = reasons(
        "Petrov said the so-called “stability fund” serves one side only.",
        "Smith said the stability fund serves both economies.",
    )
    (reason,) = of_code(found, "quote")
    assert "quotation marks" in reason.summary
    assert evidence_texts(reason, texts) == ["“stability fund”", "stability fund"]


def test_quote_quoted_differently() -> None:
    found, _ = reasons(
        'He called it "a boundary that no one may cross".',
        'He called it "the boundary that nobody may ever cross".',
    )
    (reason,) = of_code(found, "quote")
    assert reason.summary.startswith("quoted differently")


@pytest.mark.parametrize(
    ("a_text", "b_text"),
    [
        (
            'They exchanged prisoners on the "500 for 500" formula.',
            "They exchanged prisoners on the “500 for 500” formula.",
        ),
        (
            "Both sides' views and Veldonia’s position were heard.",
            "Both sides' views and Veldonia's position were heard.",
        ),
    ],
)
def test_quote_near_misses_do_not_fire(a_text: str, b_text: str) -> None:
    assert "quote" not in codes(a_text, b_text)


# ---- wording ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a_text", "b_text", "a_term", "b_term"),
    [
        (
            "They exchanged views on the Ukrainian crisis.",
            "They discussed the war in Ukraine.",
            "Ukrainian crisis",
            "war in Ukraine",
        ),
        ("He stressed peace in the Taiwan region.", "He stressed peace across Taiwan.", "Taiwan region", "Taiwan"),
        ("They discussed human rights in Xizang.", "They discussed human rights in Tibet.", "Xizang", "Tibet"),
        (
            "Smith called for an immediate truce along the border.",
            "Smith called for an unconditional truce along the border.",
            "immediate",
            "unconditional",
        ),
    ],
)
def test_wording_different_terms_for_one_referent(a_text: str, b_text: str, a_term: str, b_term: str) -> None:
    found, texts = reasons(a_text, b_text)
    (reason,) = of_code(found, "wording")
    assert evidence_texts(reason, texts) == [a_term, b_term]


@pytest.mark.parametrize(
    ("a_text", "b_text"),
    [
        ("The Veldonia-Ostland dialogue resumed.", "The Ostland-Veldonia dialogue resumed."),
        ("Minister Petrov welcomed the grain deal.", "Secretary Smith welcomed the grain deal."),  # a name is no term
        ("The sides agreed to stay in contact.", "The sides agreed to stay in contact."),
        ("The talks on 16 May were useful.", "The talks on 17 May were useful."),  # a number is reported as numbers
    ],
)
def test_wording_near_misses_do_not_fire(a_text: str, b_text: str) -> None:
    assert "wording" not in codes(a_text, b_text)


# ---- links, evidence, determinism, symmetry ------------------------------------------------

SAMPLES = [
    (
        "The two sides agreed to continue consultations on the embassies.",
        "Minister Petrov stressed the need to continue consultations.",
    ),
    (
        "The ministers discussed cooperation on fisheries.",
        "The ministers agreed to expand cooperation on fisheries.",
    ),
    (
        "The consultations took place in a tense and at points hostile mood.",
        "The consultations took place in a warm and productive mood.",
    ),
    (
        'Petrov said it was a "red line" for Veldonia on May 3.',
        "Petrov said the exchange of 2,000 prisoners was useful.",
    ),
    ("They exchanged views on the Ukrainian crisis.", "They discussed the war in Ukraine."),
    (
        "Smith called for an immediate truce along the border.",
        "Smith called for an unconditional truce along the border.",
    ),
]


@pytest.mark.parametrize(("a_text", "b_text"), SAMPLES)
def test_every_reason_has_evidence_inside_its_statements(a_text: str, b_text: str) -> None:
    a, b, texts = pair(a_text, b_text)
    for reason in explain(a, b):
        assert reason.code in CODES and reason.summary and reason.evidence
        for span in reason.evidence:
            st = a if span.side == "A" else b
            assert st.start <= span.start < span.end <= st.end
            assert texts[span.side][span.start : span.end].strip()


@pytest.mark.parametrize(("a_text", "b_text"), SAMPLES)
def test_deterministic_and_symmetric(a_text: str, b_text: str) -> None:
    a, b, _ = pair(a_text, b_text)
    first = explain(a, b)
    assert first == explain(a, b)
    assert sorted(r.code for r in first) == sorted(r.code for r in explain(b, a))
    assert material_difference(a, b) == material_difference(b, a)


def test_reasons_are_json_serialisable_dataclasses() -> None:
    a, b, _ = pair(*SAMPLES[0])
    json.dumps([asdict(r) for r in explain(a, b)])


def test_explain_link_reads_the_joined_side() -> None:
    pad = "The ministers met in Geneva. "
    b1 = stmt("B", "The ministers discussed the prisoner exchange.", pad, 0)
    b2_text = "They welcomed the exchange of 2,000 prisoners."
    b2 = Statement("B2", "B", 1, b1.end + 1, b1.end + 1 + len(b2_text), b2_text)
    full_b = pad + b1.text + " " + b2_text
    a = stmt("A", "Smith welcomed the exchange of 2,000 prisoners in Geneva.", PAD_A)
    found = explain_link([a], [b2, b1])  # input order does not matter
    assert of_code(found, "numbers") == []  # 2,000 stated in B2 answers A
    assert found == explain_link([a], [b1, b2])
    one_to_one = explain(a, b1)
    assert any("2,000" in r.summary for r in of_code(one_to_one, "detail"))
    for reason in found:
        for span in reason.evidence:
            text = (PAD_A + a.text) if span.side == "A" else full_b
            assert text[span.start : span.end].strip()


# ---- material difference -------------------------------------------------------------------


def test_material_difference_zero_for_the_same_substance() -> None:
    a, b, _ = pair("The sides agreed to stay in contact.", "The sides agreed to stay in contact.")
    assert material_difference(a, b) == 0.0


def test_material_difference_orders_findings_by_weight() -> None:
    def md(x: str, y: str) -> float:
        a, b, _ = pair(x, y)
        return material_difference(a, b)

    initiative = md("At the initiative of the American side, Petrov spoke with Smith.", "Petrov spoke with Smith.")
    contradiction = md("The talks were tense and hostile.", "The talks were warm and productive.")
    wording = md("Smith called for an immediate truce.", "Smith called for an unconditional truce.")
    same = md("The sides agreed to stay in contact.", "Both sides agreed to stay in contact.")
    assert initiative >= 0.5 and contradiction >= 0.5
    assert 0.0 < wording < 0.3
    assert same == 0.0
    for value in (initiative, contradiction, wording, same):
        assert 0.0 <= value <= 1.0


def test_difference_features_and_link_variant() -> None:
    a, b, _ = pair("The ministers discussed trade.", "The ministers agreed to expand trade.")
    features = difference_features(a, b)
    assert features["strength"] == 1.0 and features["strength_gap"] == 2.0
    assert set(features) >= {"attribution", "initiative", "strength", "stance", "numbers", "detail", "quote", "wording"}
    assert material_difference_link([a], [b]) == material_difference(a, b)
