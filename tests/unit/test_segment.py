"""Statement segmentation: one rule per test, plus the span invariants for arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diffreadout.core.text.segment import segment


def sents(text: str, mode: str = "sentences") -> list[str]:
    return [text[start:end] for start, end in segment(text, mode)]


def one(text: str) -> None:
    assert sents(text) == [text]


def check_invariants(text: str, spans: list[tuple[int, int]]) -> None:
    previous_end = 0
    covered = bytearray(len(text))
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        covered[start:end] = b"\x01" * (end - start)
        previous_end = end
    for index, char in enumerate(text):
        assert covered[index] or char.isspace(), (index, char)


# --- lines and paragraphs -----------------------------------------------------------------


def test_lines_mode() -> None:
    text = "  Title  \n\nFirst. Second.\r\n\tThird line\n   \n"
    assert sents(text, "lines") == ["Title", "First. Second.", "Third line"]


def test_unknown_mode() -> None:
    with pytest.raises(ValueError, match="unknown segmentation mode"):
        segment("text", "words")


def test_empty_and_blank() -> None:
    assert segment("") == []
    assert segment(" \n\t \u3000\n") == []


def test_line_break_always_ends_a_statement() -> None:
    text = "Lavrov and Wang Yi meet in Johannesburg\nThe ministers met on the sidelines\n- first item\n## Heading"
    assert sents(text) == [
        "Lavrov and Wang Yi meet in Johannesburg",
        "The ministers met on the sidelines",
        "- first item",
        "## Heading",
    ]


def test_unicode_line_separators() -> None:
    assert sents("One\u2028Two\u2029Three\x0cFour") == ["One", "Two", "Three", "Four"]


def test_offsets_index_the_original_text() -> None:
    text = "\n  Title\n\nThe sides met. They agreed.  \n"
    assert segment(text) == [(3, 8), (10, 24), (25, 37)]


# --- sentence ends -------------------------------------------------------------------------


def test_basic_sentences() -> None:
    assert sents("The sides met. They talked! Did they agree? Yes.") == [
        "The sides met.",
        "They talked!",
        "Did they agree?",
        "Yes.",
    ]


def test_lower_case_after_full_stop_does_not_split() -> None:
    one("The talks lasted 2 hrs. and ended late.")


def test_semicolon_is_not_a_sentence_end() -> None:
    one("Russia raised Ukraine; China raised Taiwan.")


def test_no_space_after_full_stop_does_not_split() -> None:
    one("They discussed U.S.-PRC relations and the Ministry.The end")


def test_digit_and_quote_and_bracket_may_start_a_sentence() -> None:
    text = 'They met. 2025 marks 50 years. "Peace" was the word. [Lavrov] noted it. (Both agreed.)'
    assert sents(text) == [
        "They met.",
        "2025 marks 50 years.",
        '"Peace" was the word.',
        "[Lavrov] noted it.",
        "(Both agreed.)",
    ]


# --- abbreviations, initials, numbers -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Secretary of State met the U.K. Foreign Secretary at the U.N. headquarters.",
        "The E.U. Council and the U.S. Navy issued statements.",
        "The meeting on Feb. 20 followed talks on Jan. 5 and Sept. 3.",
        "Mr. Smith, Mrs. Jones, Ms. Lee and Dr. Brown attended.",
        "Resolution No. 5 was adopted at St. Petersburg.",
        "Gen. Wei, Lt. Col. Park and Sen. Reed spoke with Rep. Diaz and Gov. Hochul.",
        "Prof. Ivanova gave examples, e.g. China, i.e. the host.",
        "Tariffs, quotas, etc. were discussed.",
        "The case of Russia vs. Ukraine was cited.",
        "Acme Inc. and Beta Ltd. signed with John Smith Jr. present.",
        "H.E. Mr. Iwaya met Dr. S. Jaishankar at 4:30 p.m. for an hour.",
        "They met at the Japan-Australia-India-U.S. (Quad) summit.",
        "Trade reached 785.8 billion U.S. dollars.",
    ],
)
def test_abbreviations_do_not_split(text: str) -> None:
    one(text)


@pytest.mark.parametrize(
    "text",
    [
        "President John F. Kennedy spoke.",
        "J. R. Smith and A. B. C. Jones met.",
        "Secretary of Defense Lloyd J. Austin III called.",
    ],
)
def test_initials_do_not_split(text: str) -> None:
    one(text)


def test_decimals_and_thousands() -> None:
    one("Growth was 2.5 percent, 1,000 jobs and $3.5 billion, up 0.7 points.")


def test_sentence_ending_in_a_number_splits() -> None:
    assert sents("The dialogue was the 17th in 2025. It was held in Delhi.") == [
        "The dialogue was the 17th in 2025.",
        "It was held in Delhi.",
    ]


def test_us_at_sentence_end_splits_only_before_a_starter() -> None:
    assert sents("Russia blamed the U.S. The talks ended.") == ["Russia blamed the U.S.", "The talks ended."]
    assert sents("They met in Washington, D.C. They agreed.") == [
        "They met in Washington, D.C.",
        "They agreed.",
    ]
    one("Russia blamed the U.S. President for the delay.")
    one("He met the U.S. Navy and the U.K. Foreign Office.")


def test_ending_abbreviation_splits_before_a_starter() -> None:
    assert sents("They covered trade, energy, etc. The next round is in May.") == [
        "They covered trade, energy, etc.",
        "The next round is in May.",
    ]
    one("They covered trade, energy, etc. China proposed a plan.")
    assert sents("He moved to Main St. He stayed.") == ["He moved to Main St.", "He stayed."]


def test_before_number_abbreviation() -> None:
    one("See para. 3 and Art. 51 of the Charter.")
    assert sents("The answer was No. The sides disagreed.") == ["The answer was No.", "The sides disagreed."]


def test_initial_is_not_a_starter() -> None:
    one("Министр С. В. Лавров встретился с коллегой.")


# --- quotations, brackets, ellipses ---------------------------------------------------------


def test_quotation_with_full_stops_stays_one() -> None:
    one('He said "We will. We must." and left.')
    one("He said “We will. We must.” and left.")


def test_closing_quote_after_full_stop_splits_after_the_quote() -> None:
    assert sents('It will "open a new chapter in relations." The sides agreed.') == [
        'It will "open a new chapter in relations."',
        "The sides agreed.",
    ]
    assert sents("It was “historic.” Both sides agreed.") == ["It was “historic.”", "Both sides agreed."]


def test_unbalanced_quote_does_not_swallow_the_line() -> None:
    assert sents('He said "We will. They agreed.') == ['He said "We will.', "They agreed."]


def test_bracketed_insertion() -> None:
    assert sents("[Lavrov] noted [the US'] role. [He] confirmed it.") == [
        "[Lavrov] noted [the US'] role.",
        "[He] confirmed it.",
    ]


def test_ellipses() -> None:
    one("We will... continue the work.")
    one("We will … continue the work.")
    assert sents("He paused... Then he left.") == ["He paused...", "Then he left."]
    assert sents("He paused… Then he left.") == ["He paused…", "Then he left."]
    one("He said [...] The rest is omitted.")


def test_question_and_exclamation_before_lower_case() -> None:
    one("Is it peace? asked the minister.")


# --- numbered paragraphs and datelines ------------------------------------------------------


def test_numbered_paragraph_marker_belongs_to_its_sentence() -> None:
    text = "1. On August 4, the Ministers met. The talks lasted an hour.\n2. At the outset, he thanked them."
    assert sents(text) == [
        "1. On August 4, the Ministers met.",
        "The talks lasted an hour.",
        "2. At the outset, he thanked them.",
    ]


def test_marker_after_a_sentence_on_the_same_line() -> None:
    assert sents("Details follow. 3. The Ministers agreed.") == [
        "Details follow.",
        "3. The Ministers agreed.",
    ]


def test_roman_and_letter_markers() -> None:
    assert sents("IV. The parties met.\na. They agreed.") == ["IV. The parties met.", "a. They agreed."]


def test_marker_alone_on_a_line_joins_the_next_line() -> None:
    text = "3.\nThe Ministers agreed.\n•\nA bullet item\n4."
    assert sents(text) == ["3.\nThe Ministers agreed.", "•\nA bullet item", "4."]


def test_dateline_is_its_own_statement() -> None:
    assert sents("BEIJING, April 20 -- Chinese Defense Minister Wei Fenghe held a call.") == [
        "BEIJING, April 20 --",
        "Chinese Defense Minister Wei Fenghe held a call.",
    ]
    assert sents("MOSCOW, May 17 (TASS) — Lavrov spoke.")[0] == "MOSCOW, May 17 (TASS) —"
    one("NATO -- the alliance -- met.")
    one("The US -- and China -- met.")


# --- Russian and Chinese --------------------------------------------------------------------


def test_russian_sentences() -> None:
    text = (
        "Министр С.В. Лавров провёл переговоры в 2025 г. в Москве. Стороны обсудили ситуацию, т.е. "
        "Украину и Ближний Восток. Это было важно!"
    )
    assert sents(text) == [
        "Министр С.В. Лавров провёл переговоры в 2025 г. в Москве.",
        "Стороны обсудили ситуацию, т.е. Украину и Ближний Восток.",
        "Это было важно!",
    ]


def test_russian_abbreviation_before_a_starter() -> None:
    assert sents("Встреча прошла в 2024 г. В ней участвовали министры.") == [
        "Встреча прошла в 2024 г.",
        "В ней участвовали министры.",
    ]


def test_russian_guillemets() -> None:
    one("Лавров заявил: «Мы готовы. Мы ждём ответа» и покинул зал.")


def test_chinese_sentences() -> None:
    assert sents("王毅表示，中俄关系保持高水平运行。双方应加强协作！这可能吗？可以。") == [
        "王毅表示，中俄关系保持高水平运行。",
        "双方应加强协作！",
        "这可能吗？",
        "可以。",
    ]


def test_chinese_closing_quote_belongs_to_the_sentence() -> None:
    assert sents("他说：“这是历史性的。”双方表示同意。") == ["他说：“这是历史性的。”", "双方表示同意。"]


def test_chinese_quote_with_inner_full_stops_stays_one() -> None:
    assert sents("他说：“我们愿意合作。我们必须合作。”随后离开。") == [
        "他说：“我们愿意合作。我们必须合作。”",
        "随后离开。",
    ]


def test_chinese_ellipsis_does_not_split() -> None:
    one("双方讨论了乌克兰、中东……等问题。")


# --- scale ----------------------------------------------------------------------------------


def test_long_line_without_punctuation() -> None:
    text = "word " * 10_000 + "end"
    assert segment(text) == [(0, len(text))]


def test_many_tiny_lines() -> None:
    text = "a\n" * 100_000
    spans = segment(text)
    assert len(spans) == 100_000
    assert spans[-1] == (len(text) - 2, len(text) - 1)


def check_shape(text: str, spans: list[tuple[int, int]]) -> None:
    """check_invariants in linear time for big inputs: only whitespace lies between spans."""
    edges = [0] + [x for span in spans for x in span] + [len(text)]
    assert edges == sorted(edges)
    for start, end in spans:
        assert start < end and not text[start].isspace() and not text[end - 1].isspace()
    for gap_start, gap_end in zip(edges[::2], edges[1::2]):
        assert not text[gap_start:gap_end].strip()


@pytest.mark.parametrize(
    ("unit", "megabytes"),
    [
        ("The sides met. He said “We will.” U.S. officials left on Feb. 20. ", 5),
        ("王毅表示，双方应加强协作。", 5),
        ("a. ", 1),
        ("(", 1),
        ('"', 1),
        (". ", 1),
        ("U.S. ", 1),
        ("。", 1),
        ("x" * 1000 + ". ", 1),
    ],
)
def test_megabytes_segment_in_linear_time(unit: str, megabytes: int) -> None:
    text = unit * (megabytes * 1024 * 1024 // len(unit))
    check_shape(text, segment(text))


# --- invariants -----------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("aZ .,;!?…。！？\"'“”«»„()[]\n\r\t\u3000\u2028-—3")
    + ["U.S.", "Mr.", "etc.", "The ", "3. ", "王", "Ж", "BEIJING, May 1 -- ", "•\n", "IV."]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join), st.sampled_from(["sentences", "lines"]))
def test_span_invariants(text: str, mode: str) -> None:
    check_invariants(text, segment(text, mode))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["sentences", "lines"]))
def test_span_invariants_arbitrary_unicode(text: str, mode: str) -> None:
    check_invariants(text, segment(text, mode))


def test_deterministic() -> None:
    text = "A. B. The U.S. met. “Yes.” 3. Go… Then."
    assert segment(text) == segment(text)
