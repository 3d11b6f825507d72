"""Lexical scores: reporting frames stripped, word order ignored, contested names read as one."""

from __future__ import annotations

from diffreadout.core.similarity.lexical import keyword_matrices, lexical_matrix, match_words, strip_frame


def test_a_reporting_frame_is_not_content() -> None:
    assert strip_frame("Sergey Lavrov stressed that the talks on grain exports must continue.") == (
        "the talks on grain exports must continue."
    )
    assert "lavrov" not in match_words("Sergey Lavrov stressed that the talks on grain exports must continue.")


def test_word_order_does_not_change_the_lexical_score() -> None:
    scores = lexical_matrix(["grain exports resumed across the sea"], ["across the sea grain exports resumed", "visas"])
    assert scores[0, 0] == 1.0 and scores[0, 1] < 0.5


def test_contested_names_of_one_place_count_as_the_same_word() -> None:
    a = ["The ministers discussed the Dokdo question."]
    b = ["The ministers discussed the Takeshima question.", "The ministers discussed the Ogasawara question."]
    lexical = lexical_matrix(a, b)
    keyword, rare = keyword_matrices(a, b)
    assert lexical[0, 0] == 1.0 > lexical[0, 1]
    assert keyword[0, 0] > keyword[0, 1] and rare[0, 0] > rare[0, 1]
    # several words, either case, as whole words only
    assert match_words("Ships in the East Sea") == match_words("ships in the sea of japan")
    assert "kievan" in match_words("Kievan chronicles")  # not a name of the group: left as it is
    assert "india-middle" in match_words("the India-Middle East-Europe corridor")  # a compound stays whole


def test_empty_sides_give_empty_matrices() -> None:
    assert lexical_matrix([], ["a b"]).shape == (0, 1)
    keyword, rare = keyword_matrices(["word"], [])
    assert keyword.shape == rare.shape == (1, 0)
