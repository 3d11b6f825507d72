"""Script and language detection, and the cross-script switch of the lexical scores."""

from __future__ import annotations

import numpy as np

from diffreadout.config import AnalysisConfig
from diffreadout.core.similarity.embed import HashingEmbedder
from diffreadout.core.text.language import detect_language, dominant_script, same_script
from diffreadout.core.pipeline import analyse, compare
from diffreadout.core.text.readouts import make_readout

RU = "Министры обменялись мнениями по украинскому кризису. Стороны договорились продолжить контакты."
ZH = "双方就乌克兰危机交换了意见。双方同意保持沟通。"
JA = "両外相は、ウクライナ情勢について意見交換を行った。"
KO = "양 장관은 우크라이나 정세에 대해 의견을 교환했다."
EN = "The ministers exchanged views on the Ukraine crisis. The two sides agreed to stay in contact."


def test_detects_the_languages_readouts_come_in() -> None:
    assert detect_language(RU) == "ru"
    assert detect_language(ZH) == "zh"
    assert detect_language(JA) == "ja"
    assert detect_language(KO) == "ko"
    assert detect_language(EN) == "en"
    assert detect_language("12345 !!!") == "und"
    assert detect_language("Les ministres ont discuté.") == "und"  # Latin script, not English


def test_scripts() -> None:
    assert dominant_script(RU) == "cyrillic" and dominant_script(ZH) == "han"
    assert same_script(EN, "Other English text.")
    assert same_script(ZH, JA)
    assert not same_script(EN, RU)


def test_readouts_carry_their_language() -> None:
    assert make_readout("A", "a", "a", RU).language == "ru"
    assert make_readout("B", "b", "b", EN).language == "en"


def test_cross_script_pair_switches_lexical_scores_off() -> None:
    readouts = [make_readout("A", "RU", "a", RU), make_readout("B", "EN", "b", EN)]
    analysis = analyse(readouts, AnalysisConfig(), HashingEmbedder())
    assert np.allclose(analysis.lexical, np.clip(analysis.semantic, 0, 1))
    assert np.allclose(analysis.keyword, np.clip(analysis.semantic, 0, 1))
    assert analysis.notes and "different scripts" in analysis.notes[0]
    comparison = compare(readouts, AnalysisConfig(), embedder=HashingEmbedder())
    assert comparison.notes == analysis.notes


def test_same_script_pair_keeps_lexical_scores() -> None:
    readouts = [make_readout("A", "a", "a", EN), make_readout("B", "b", "b", "The two sides agreed to stay in contact.")]
    analysis = analyse(readouts, AnalysisConfig(), HashingEmbedder())
    assert not analysis.notes
    assert analysis.lexical.max() > 0.9
