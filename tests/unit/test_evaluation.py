"""The scorer follows FORMAT.md exactly: span mapping, pair expansion, micro-averaging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diffreadout.core.pipeline import readout_from_spans
from diffreadout.evaluation.cases import CaseError, find_cases, load_case
from diffreadout.evaluation.scoring import Counts, map_spans, score_comparison, total
from diffreadout.model import Comparison, Link, ModelInfo

A_TEXT = "Alpha met Beta. They discussed trade. Alpha raised Ukraine.\n"
B_TEXT = "Beta met Alpha today. Trade was discussed at length. Beta spoke of climate.\n"


def _write_case(folder: Path, links: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(A_TEXT, encoding="utf-8")
    (folder / "b.txt").write_text(B_TEXT, encoding="utf-8")
    case = {
        "id": folder.name,
        "readouts": [{"side": "A", "label": "LA", "file": "a.txt"}, {"side": "B", "label": "LB", "file": "b.txt"}],
        "statements": {
            "A": [
                {"id": "A1", "start": 0, "end": 15},
                {"id": "A2", "start": 16, "end": 37},
                {"id": "A3", "start": 38, "end": 59},
            ],
            "B": [
                {"id": "B1", "start": 0, "end": 21},
                {"id": "B2", "start": 22, "end": 52},
                {"id": "B3", "start": 53, "end": 75},
            ],
        },
        "links": links,
    }
    (folder / "case.json").write_text(json.dumps(case), encoding="utf-8")
    return folder


def _comparison(a_spans, b_spans, links) -> Comparison:  # type: ignore[no-untyped-def]
    a = readout_from_spans("A", "LA", "a.txt", A_TEXT, a_spans)
    b = readout_from_spans("B", "LB", "b.txt", B_TEXT, b_spans)
    return Comparison(readouts=(a, b), links=tuple(links), omissions={}, nearest={}, model=ModelInfo("m", "0"))


def test_gold_offsets_in_helper_case_slice_sentences(tmp_path: Path) -> None:
    case = load_case(_write_case(tmp_path / "c", []))
    a_text, b_text = case.texts
    assert a_text[0:15] == "Alpha met Beta."
    assert b_text[53:75] == "Beta spoke of climate."


def test_known_answer_pairs_labels_and_omissions(tmp_path: Path) -> None:
    gold_links = [{"a": ["A1"], "b": ["B1"], "label": "shared"}, {"a": ["A2"], "b": ["B2"], "label": "emphasis"}]
    case = load_case(_write_case(tmp_path / "c", gold_links))
    gold_spans_a = [(0, 15), (16, 37), (38, 59)]
    gold_spans_b = [(0, 21), (22, 52), (53, 75)]
    # System: A1-B1 shared (right), A2-B2 shared (right pair, wrong label), A3-B3 emphasis (wrong pair).
    comparison = _comparison(
        gold_spans_a,
        gold_spans_b,
        [
            Link(a=("A1",), b=("B1",), label="shared", score=0.9),
            Link(a=("A2",), b=("B2",), label="shared", score=0.8),
            Link(a=("A3",), b=("B3",), label="emphasis", score=0.5),
        ],
    )
    score = score_comparison(comparison, case)
    assert (score.pairs.tp, score.pairs.fp, score.pairs.fn) == (2, 1, 0)
    assert (score.labelled.tp, score.labelled.fp, score.labelled.fn) == (1, 2, 1)
    # Gold omissions: A3 and B3. System touches everything, so it finds none of them.
    assert (score.omissions.tp, score.omissions.fp, score.omissions.fn) == (0, 0, 2)
    d = score.as_dict()
    assert d["pair_precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert d["pair_recall"] == 1.0
    assert d["pair_f1"] == pytest.approx(0.8, abs=1e-4)
    assert d["labelled_f1"] == pytest.approx(0.4, abs=1e-4)
    assert d["omission_f1"] == 0.0


def test_system_spans_map_by_half_overlap(tmp_path: Path) -> None:
    gold = [("G1", 0, 10), ("G2", 10, 20), ("G3", 20, 40)]
    system = [("S1", 0, 20), ("S2", 20, 26), ("S3", 25, 40)]
    mapping = map_spans(system, gold)
    assert mapping["S1"] == {"G1", "G2"}  # covers both whole
    assert mapping["S2"] == {"G3"}  # 6 chars of G3: overlap 6 >= half of shorter (6)
    assert mapping["S3"] == {"G3"}  # 15 chars overlap of shorter 15
    assert map_spans([("S", 0, 3)], [("G", 2, 40)])["S"] == set()  # 1 of 3 chars: below half


def test_one_to_many_link_stands_for_every_pair(tmp_path: Path) -> None:
    gold_links = [{"a": ["A1"], "b": ["B1", "B2"], "label": "emphasis"}]
    case = load_case(_write_case(tmp_path / "c", gold_links))
    # A system whose one B statement spans gold B1 and B2 maps onto both.
    comparison = _comparison(
        [(0, 15), (16, 37), (38, 59)], [(0, 52), (53, 75)], [Link(a=("A1",), b=("B1",), label="emphasis", score=1.0)]
    )
    score = score_comparison(comparison, case)
    assert (score.pairs.tp, score.pairs.fp, score.pairs.fn) == (2, 0, 0)
    assert score.labelled.f1 == 1.0
    # gold omissions A2, A3, B3; system touches A1, B1, B2 so finds A2, A3, B3 untouched
    assert (score.omissions.tp, score.omissions.fp, score.omissions.fn) == (3, 0, 0)


def test_micro_average_sums_counts_before_ratios() -> None:
    from diffreadout.evaluation.scoring import Score

    s1 = Score(pairs=Counts(tp=1, fp=0, fn=0))
    s2 = Score(pairs=Counts(tp=0, fp=0, fn=3))
    micro = total([s1, s2])
    assert micro.pairs.recall == pytest.approx(0.25)  # macro would be 0.5


def test_malformed_case_is_one_line_error(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "case.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(folder)
    assert "case.json" in str(info.value) and "\n" not in str(info.value)
    (folder / "case.json").write_text(json.dumps({"readouts": []}), encoding="utf-8")
    with pytest.raises(CaseError):
        load_case(folder)


def test_find_cases_lists_case_folders(tmp_path: Path) -> None:
    _write_case(tmp_path / "one", [])
    _write_case(tmp_path / "two", [])
    (tmp_path / "not-a-case").mkdir()
    assert [p.name for p in find_cases(tmp_path)] == ["one", "two"]
    assert find_cases(tmp_path / "one") == [tmp_path / "one"]
