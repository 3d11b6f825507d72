"""The rules that complete an exchange beyond sentence similarity (core/align/exchanges.py):
the opening group, statements that report issues as discussed, statements that point back,
and named events that tell two summits apart; the tagging rules they rest on; and the label
convention that who initiated a call, on one side only, is material."""

from __future__ import annotations

import numpy as np

from diffreadout.config import AnalysisConfig
from diffreadout.core.align.exchanges import complete_discussions, complete_opening, follow_references
from diffreadout.core.align.links import LABEL_FEATURE_NAMES, by_convention, label_features
from diffreadout.core.issues.discussion import reports_discussion
from diffreadout.core.issues.events import different_events, event_names
from diffreadout.core.issues.pairs import opening_block
from diffreadout.core.issues.tagger import tag_pair
from diffreadout.core.pipeline import analyse
from diffreadout.core.similarity.embed import HashingEmbedder
from test_issues import _readout


def _ids(tags: dict, statement_id: str) -> set[str]:  # type: ignore[type-arg]
    return {t.id for t in tags.get(statement_id, ())}


A_OPENING = [
    "Secretary Blinken's Call with Foreign Minister Wang Yi",
    "The below is attributable to Spokesperson Matthew Miller:",
    "Secretary of State Antony J. Blinken spoke today with Foreign Minister Wang Yi.",
    "The Secretary raised concerns about the situation in the Middle East.",
]
B_OPENING = [
    "Wang Yi held a phone call with U.S. Secretary of State Blinken on Tuesday.",
    "Wang Yi said that the Taiwan question is the most important issue.",
]


def test_the_opening_is_the_title_and_first_sentence_passing_over_furniture() -> None:
    a, b = _readout("A", A_OPENING), _readout("B", B_OPENING)
    tags = tag_pair(a, b)
    assert opening_block(a.statements, [tags.get(s.id, ()) for s in a.statements]) == [0, 2]
    # No title: the first sentence alone; a sentence on another subject never joins.
    assert opening_block(b.statements, [tags.get(s.id, ()) for s in b.statements]) == [0]


def test_the_two_openings_are_linked_as_one_group_once_any_pair_of_them_is() -> None:
    a, b = _readout("A", A_OPENING), _readout("B", B_OPENING)
    tags = tag_pair(a, b)
    none = np.zeros((4, 2), dtype=bool)
    assert not complete_opening(none, a.statements, b.statements, tags).any()
    one = none.copy()
    one[2, 0] = True
    extra = complete_opening(one, a.statements, b.statements, tags)
    assert extra[0, 0] and extra[2, 0]
    assert extra.sum() == 2  # the attribution line and the Middle East sentence stay out


A_TOPICS = [
    "The two ministers held talks in Beijing.",
    "They also discussed the situation in the Middle East.",
    "The Secretary raised the cases of detained U.S. citizens.",
]
B_TOPICS = [
    "Wang Yi held talks with the Secretary in Beijing.",
    "Wang Yi said a ceasefire in Gaza is the most pressing task in the Middle East.",
    "China supports resolving the Iranian nuclear issue through political means.",
    "Wang Yi stressed that the Taiwan question is the most important issue.",
]


def test_a_discussed_statement_links_to_every_statement_on_its_issue_opposite() -> None:
    a, b = _readout("A", A_TOPICS), _readout("B", B_TOPICS)
    tags = tag_pair(a, b)
    extra = complete_discussions(a.statements, b.statements, tags)
    assert extra[1, 1] and extra[1, 2]  # Gaza and Iran are both the Middle East (Iran lies within it)
    assert not extra[1, 3] and not extra[0].any() and not extra[2].any()
    # Symmetric: swapping the readouts transposes the result.
    swapped = complete_discussions(b.statements, a.statements, tag_pair(b, a))
    assert (swapped == extra.T).all()


def test_only_a_finite_discussion_verb_reports_a_subject_as_discussed() -> None:
    assert reports_discussion("They also exchanged views on the Korean Peninsula.")
    assert reports_discussion("The two leaders also discussed the situation on the Korean Peninsula.")
    assert not reports_discussion("In discussing the Ukrainian crisis, Lavrov briefed Wang Yi on the talks.")
    assert not reports_discussion("The Secretary raised the situation on the Korean Peninsula.")


def test_an_issue_that_fills_a_readout_is_its_field_not_one_exchange() -> None:
    a = _readout("A", ["They also discussed Ukraine's path to NATO membership.", "The weather was fine."])
    b = _readout("B", [f"Kuleba raised point {n} on Ukraine's air defence." for n in range(1, 7)])
    extra = complete_discussions(a.statements, b.statements, tag_pair(a, b))
    assert not extra.any()


def test_named_summits_are_different_events_and_bare_summits_decide_nothing() -> None:
    assert event_names("ahead of the NATO Summit in Washington") == [{"nato", "washington"}]
    assert different_events("preparations for the Summit on Peace in Ukraine in Switzerland",
                            "the NATO Summit in Washington must bring Ukraine closer to membership")
    assert not different_events("the Summit on Peace in Ukraine", "the Global Peace Summit in Switzerland")
    assert not different_events("preparations for the summit", "the NATO Summit in Washington")
    a = _readout("A", ["They also discussed preparations for the Summit on Peace in Switzerland."])
    b = _readout("B", ["Kuleba stressed that the NATO Summit in Washington must deliver.",
                       "The parties discussed preparations for the Global Peace Summit in Switzerland."])
    extra = complete_discussions(a.statements, b.statements, tag_pair(a, b))
    assert extra.tolist() == [[False, True]]


def test_a_statement_that_points_back_takes_the_links_of_the_one_before() -> None:
    a = _readout("A", ["Wang Yi said the U.S. keeps adding Chinese entities to its sanctions lists.",
                       'This is not "de-risking" but creating risks.',
                       "China firmly opposes this and will take resolute measures.",
                       "Wang Yi supports this year's climate conference on emissions."])
    b = _readout("B", ["The Secretary said the United States will keep its export controls."])
    selected = np.array([[True], [False], [False], [False]])
    out = follow_references(selected, a.statements, b.statements, tag_pair(a, b))
    assert out[:, 0].tolist() == [True, True, True, False]
    # Nothing linked before: nothing to follow.
    assert not follow_references(np.zeros((4, 1), dtype=bool), a.statements, b.statements, tag_pair(a, b)).any()


def test_who_speaks_is_not_an_issue_and_a_name_inside_a_longer_name_is_that_name() -> None:
    a = _readout("A", ["The two leaders discussed the India-Middle East-Europe Economic Corridor.",
                       "The discussion was frank and at times difficult."])
    b = _readout("B", ["The heads of state spoke about the situation in the Middle East.",
                       "The talks were held in a friendly and constructive atmosphere.",
                       "Relations rest on friendly and cooperative ties since 1965."])
    tags = tag_pair(a, b)
    assert "heads_of_state" not in _ids(tags, "A1") | _ids(tags, "B1")
    assert "middle_east" not in _ids(tags, "A1") and "infrastructure" in _ids(tags, "A1")
    assert "middle_east" in _ids(tags, "B1")
    assert "atmosphere" in _ids(tags, "A2") and "atmosphere" in _ids(tags, "B2")
    assert "atmosphere" not in _ids(tags, "B3")


def test_general_discussions_on_both_sides_are_one_exchange() -> None:
    a = _readout("A", ["The two ministers held talks in Moscow.",
                       "The two ministers exchanged views on regional situations."])
    b = _readout("B", ["Wang Yi held talks with Lavrov in Moscow.",
                       "Wang Yi said that the international situation is turbulent.",
                       "The two sides also exchanged views on international and regional issues of common concern."])
    extra = complete_discussions(a.statements, b.statements, tag_pair(a, b))
    assert extra.tolist() == [[False, False, False], [False, False, True]]


def test_staying_in_touch_is_not_the_next_round_of_a_dialogue() -> None:
    a = _readout("A", ["The Secretary and the Foreign Minister agreed to stay in contact."])
    b = _readout("B", ["The parties agreed to hold the next round of consultations on bilateral irritants."])
    tags = tag_pair(a, b)
    assert "contacts" in _ids(tags, "A1") and "consultations" not in _ids(tags, "A1")
    assert "consultations" in _ids(tags, "B1") and "contacts" not in _ids(tags, "B1")


def test_that_introducing_a_clause_is_no_reference_back() -> None:
    a = _readout("A", ["Wang Yi said the U.S. keeps adding Chinese entities to its sanctions lists.",
                       "He welcomed that the two sides agreed to resume talks.",
                       "China rejects it."])
    b = _readout("B", ["The Secretary said the United States will keep its export controls."])
    out = follow_references(np.array([[True], [False], [False]]), a.statements, b.statements, tag_pair(a, b))
    assert out[:, 0].tolist() == [True, False, False]
    out = follow_references(np.array([[False], [True], [False]]), a.statements, b.statements, tag_pair(a, b))
    assert out[:, 0].tolist() == [False, True, True]


def test_who_initiated_the_call_on_one_side_only_makes_the_link_emphasis() -> None:
    a = _readout("A", ["Secretary Rubio spoke with Foreign Minister Lavrov today."])
    b = _readout("B", ["At the initiative of the US side, Foreign Minister Lavrov spoke with Secretary Rubio today."])
    analysis = analyse([a, b], AnalysisConfig(), HashingEmbedder())
    x = label_features(analysis.features, a.statements, b.statements, [(0, 0)])
    assert x[LABEL_FEATURE_NAMES.index("initiative"), 0] > 0
    assert by_convention(x, np.array([0.99])).tolist() == [0.0]
    same = _readout("B", ["Foreign Minister Lavrov spoke with Secretary Rubio today."])
    analysis = analyse([a, same], AnalysisConfig(), HashingEmbedder())
    x = label_features(analysis.features, a.statements, same.statements, [(0, 0)])
    assert by_convention(x, np.array([0.99])).tolist() == [0.99]
