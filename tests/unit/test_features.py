"""The structural features: ranks with ties, smoothing and symmetry, against brute force."""

from __future__ import annotations

import numpy as np
import pytest

from diffreadout.core.align.features import _smooth_rows, _strict_rank, pair_features


def brute_rank(score: np.ndarray, axis: int) -> np.ndarray:
    """How many candidates score strictly higher, one cell at a time."""
    out = np.zeros(score.shape, dtype=np.float32)
    for i in range(score.shape[0]):
        for j in range(score.shape[1]):
            line = score[i, :] if axis == 1 else score[:, j]
            out[i, j] = np.count_nonzero(line > score[i, j])
    return out


@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (7, 1), (5, 9), (12, 4)])
@pytest.mark.parametrize("axis", [0, 1])
def test_strict_rank_matches_brute_force_with_ties(shape: tuple[int, int], axis: int) -> None:
    rng = np.random.default_rng(sum(shape) * 10 + axis)
    score = rng.integers(0, 4, size=shape).astype(np.float32) / 4  # few values: many ties
    assert np.array_equal(_strict_rank(score, axis), brute_rank(score, axis))


def test_strict_rank_ties_share_a_rank() -> None:
    score = np.array([[0.5, 0.5, 0.1, 0.9]], dtype=np.float32)
    assert _strict_rank(score, 1).tolist() == [[1.0, 1.0, 3.0, 0.0]]


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0, 0)])
def test_strict_rank_of_an_empty_side_is_empty(shape: tuple[int, int]) -> None:
    assert _strict_rank(np.zeros(shape, dtype=np.float32), 1).shape == shape


def test_smooth_rows_averages_same_paragraph_neighbours_only() -> None:
    matrix = np.array([[0.0], [3.0], [6.0], [9.0]], dtype=np.float32)
    paragraphs = np.array([0, 0, 0, 1])
    out = _smooth_rows(matrix, paragraphs)
    # row 1 has both neighbours in its paragraph: (3 + 0.5*0 + 0.5*6) / 2
    assert out[1, 0] == pytest.approx(3.0)
    # row 2's next row starts a new paragraph: (6 + 0.5*3) / 1.5
    assert out[2, 0] == pytest.approx(5.0)
    # row 3 is alone in its paragraph
    assert out[3, 0] == pytest.approx(9.0)


def test_pair_features_transpose_when_sides_swap() -> None:
    rng = np.random.default_rng(4)
    n_a, n_b = 6, 9
    sem, lex, kw, rare, para, win = (rng.random((n_a, n_b)).astype(np.float32) for _ in range(6))
    pa, pb = np.array([0, 0, 1, 1, 1, 2]), np.array([0, 1, 1, 2, 2, 2, 3, 3, 4])
    forward = pair_features(sem, lex, kw, rare, para, win, (pa, pb))
    backward = pair_features(sem.T, lex.T, kw.T, rare.T, para.T, win.T, (pb, pa))
    assert np.allclose(forward, backward.transpose(0, 2, 1), atol=1e-6)
