"""The pipeline: offsets, determinism, symmetry under swapping, and consistent results."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from diffreadout.config import AnalysisConfig
from diffreadout.core.similarity.embed import HashingEmbedder
from diffreadout.core.pipeline import analyse, align, compare, make_readout
from diffreadout.inputs.sources import read_source
from diffreadout.model import Comparison

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASE_DIRS = sorted(p.parent for p in FIXTURES.glob("*/case.json"))


def _texts(folder: Path) -> tuple[str, str]:
    return read_source(str(folder / "a.txt")).text, read_source(str(folder / "b.txt")).text


def _run(text_a: str, text_b: str, config: AnalysisConfig | None = None) -> Comparison:
    readouts = [make_readout("A", "first", "a.txt", text_a), make_readout("B", "second", "b.txt", text_b)]
    return compare(readouts, config or AnalysisConfig(), embedder=HashingEmbedder())


def _pairs(comparison: Comparison, swap: bool = False) -> set[tuple[int, int, str]]:
    a, b = comparison.readouts
    idx = {st.id: st.index for st in (*a.statements, *b.statements)}
    out = set()
    for link in comparison.links:
        for x in link.a:
            for y in link.b:
                out.add((idx[y], idx[x], link.label) if swap else (idx[x], idx[y], link.label))
    return out


@pytest.mark.parametrize("folder", CASE_DIRS, ids=lambda p: p.name)
def test_statement_offsets_slice_the_original_text(folder: Path) -> None:
    comparison = _run(*_texts(folder))
    for readout in comparison.readouts:
        assert readout.statements, "every fixture has statements"
        for st in readout.statements:
            assert readout.text[st.start : st.end] == st.text
            assert st.id == f"{readout.side}{st.index + 1}"


@pytest.mark.parametrize("folder", CASE_DIRS, ids=lambda p: p.name)
def test_swapping_readouts_mirrors_the_result(folder: Path) -> None:
    text_a, text_b = _texts(folder)
    forward = _run(text_a, text_b)
    backward = _run(text_b, text_a)
    assert _pairs(forward) == _pairs(backward, swap=True)
    assert len(forward.omissions["A"]) == len(backward.omissions["B"])
    assert len(forward.omissions["B"]) == len(backward.omissions["A"])


@pytest.mark.parametrize("folder", CASE_DIRS, ids=lambda p: p.name)
def test_same_input_same_result(folder: Path) -> None:
    texts = _texts(folder)
    assert _run(*texts) == _run(*texts)


@pytest.mark.parametrize("folder", CASE_DIRS, ids=lambda p: p.name)
def test_omissions_are_exactly_the_unlinked_statements(folder: Path) -> None:
    comparison = _run(*_texts(folder))
    linked = {x for link in comparison.links for x in (*link.a, *link.b)}
    for readout in comparison.readouts:
        expected = tuple(st.id for st in readout.statements if st.id not in linked)
        assert comparison.omissions[readout.side] == expected
        for sid in expected:
            assert not comparison.links_of(sid)
            assert sid in comparison.nearest
    for link in comparison.links:
        assert link.label in ("shared", "emphasis")
        assert 0.0 <= link.score <= 1.0
        assert {name for name, _ in link.scores} >= {"semantic", "lexical", "keyword"}


def test_links_are_complete_blocks_and_pairs_unique() -> None:
    comparison = _run(*_texts(CASE_DIRS[0]))
    seen: set[tuple[str, str]] = set()
    for link in comparison.links:
        for x in link.a:
            for y in link.b:
                assert (x, y) not in seen
                seen.add((x, y))


def test_identical_readouts_link_every_statement_to_itself() -> None:
    text = _texts(CASE_DIRS[0])[0]
    comparison = _run(text, text)
    assert comparison.omissions == {"A": (), "B": ()}
    pairs = _pairs(comparison)
    assert all((i, i, "shared") in pairs for i in range(len(comparison.a.statements)))


def test_unrelated_readouts_link_little() -> None:
    a = "The ministers discussed fisheries quotas in the Barents Sea.\nThey agreed on salmon.\n"
    b = "Quantum computing budgets were increased by the university council.\nThe library opens at nine.\n"
    comparison = _run(a, b)
    assert sum(len(l.a) * len(l.b) for l in comparison.links) <= 1


def test_thresholds_relabel_without_re_embedding() -> None:
    text_a, text_b = _texts(CASE_DIRS[0])

    class CountingEmbedder(HashingEmbedder):
        calls = 0

        def encode(self, texts):  # type: ignore[no-untyped-def]
            CountingEmbedder.calls += 1
            return super().encode(texts)

    config = AnalysisConfig()
    readouts = [make_readout("A", "a", "a", text_a), make_readout("B", "b", "b", text_b)]
    analysis = analyse(readouts, config, CountingEmbedder())
    calls = CountingEmbedder.calls
    strict = align(analysis, config.with_thresholds(+0.3))
    loose = align(analysis, config.with_thresholds(-0.3))
    assert CountingEmbedder.calls == calls
    count = lambda c: sum(len(l.a) * len(l.b) for l in c.links)  # noqa: E731
    assert count(strict) < count(loose)


def test_empty_side_gives_all_omissions() -> None:
    readouts = [make_readout("A", "a", "a", "One statement here."), make_readout("B", "b", "b", "")]
    comparison = compare(readouts, AnalysisConfig(), embedder=HashingEmbedder())
    assert comparison.links == ()
    assert comparison.omissions["A"] == ("A1",)
    assert comparison.nearest["A1"].other_id is None


def test_lines_mode_takes_each_line() -> None:
    readouts = [
        make_readout("A", "a", "a", "First. Still first line\nSecond line\n", segment_mode="lines"),
        make_readout("B", "b", "b", "Other\n", segment_mode="lines"),
    ]
    assert [s.text for s in readouts[0].statements] == ["First. Still first line", "Second line"]


def test_feature_tensor_is_symmetric_under_transpose() -> None:
    text_a, text_b = _texts(CASE_DIRS[1])
    config = AnalysisConfig()
    emb = HashingEmbedder()
    fwd = analyse([make_readout("A", "a", "a", text_a), make_readout("B", "b", "b", text_b)], config, emb)
    bwd = analyse([make_readout("A", "b", "b", text_b), make_readout("B", "a", "a", text_a)], config, emb)
    assert np.allclose(fwd.features, bwd.features.transpose(0, 2, 1), atol=1e-5)
