"""Pairwise features for the aligner: similarity, its rank and margin, and topic context.

Pairwise scores alone stall: readouts link every statement on one issue across opposite
framings. So beside each pair's own similarity, the features say how the pair ranks among
each statement's candidates, and how similar the two statements' neighbourhoods are
(the paragraph and the adjacent sentences, pooled from the statement embeddings, so no
extra encoding is needed). Every feature is symmetric: swapping A and B transposes it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import numpy as np

from diffreadout.config import TUNING
from diffreadout.core.issues.pairs import ISSUE_FEATURES
from diffreadout.model import Readout

_BLEND: dict[str, float] = {name: float(w) for name, w in TUNING["blend"].items()}

FEATURE_NAMES = (
    "semantic",
    "lexical",
    "keyword",
    "margin_to_best",
    "inverse_rank",
    "margin_ratio",
    "context",
    "position_gap",
    "titles",
    "context_margin",
    "paragraph",
    "window",
    "rare_words",
    *ISSUE_FEATURES,
)


def paragraph_ids(readout: Readout) -> np.ndarray:
    """Paragraph number of each statement (a line break starts a new paragraph)."""
    newlines = [i for i, ch in enumerate(readout.text) if ch == "\n"]
    return np.array([bisect.bisect_left(newlines, st.start) for st in readout.statements], dtype=np.int64)


def pooled(vectors: np.ndarray, paragraphs: np.ndarray, window: bool) -> np.ndarray:
    """Unit vectors of each statement's paragraph (or its sentence window within the paragraph)."""
    n = len(vectors)
    out = np.zeros_like(vectors, dtype=np.float32)
    if n == 0:
        return out
    if window:
        total = vectors.astype(np.float64).copy()
        same_prev = np.r_[False, paragraphs[1:] == paragraphs[:-1]]
        same_next = np.r_[paragraphs[:-1] == paragraphs[1:], False]
        total[1:] += np.where(same_prev[1:, None], vectors[:-1], 0.0)
        total[:-1] += np.where(same_next[:-1, None], vectors[1:], 0.0)
    else:
        _, inverse = np.unique(paragraphs, return_inverse=True)
        sums = np.zeros((inverse.max() + 1, vectors.shape[1]), dtype=np.float64)
        np.add.at(sums, inverse, vectors)
        total = sums[inverse]
    norms = np.linalg.norm(total, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out[:] = total / norms
    return out


def _strict_rank(score: np.ndarray, axis: int) -> np.ndarray:
    """How many candidates score strictly higher (ties share a rank, so it stays symmetric).

    One sort per row: in sorted order, the candidates above a value are those after the last
    member of its run of equal values, so the rank is width - 1 - (end of the run).
    """
    if axis == 0:
        return _strict_rank(np.ascontiguousarray(score.T), 1).T
    n, width = score.shape
    if n == 0 or width == 0:
        return np.zeros((n, width), dtype=np.float32)
    order = np.argsort(score, axis=1)
    ascending = np.take_along_axis(score, order, axis=1)
    run_ends = np.concatenate([ascending[:, 1:] != ascending[:, :-1], np.ones((n, 1), dtype=bool)], axis=1)
    last = np.where(run_ends, np.arange(width, dtype=np.int32), np.int32(width))
    last = np.flip(np.minimum.accumulate(np.flip(last, axis=1), axis=1), axis=1)
    out = np.empty((n, width), dtype=np.float32)
    out[np.arange(n)[:, None], order] = width - 1 - last
    return out


def _smooth_rows(matrix: np.ndarray, paragraphs: np.ndarray) -> np.ndarray:
    """Average each row with its same-paragraph neighbour rows (weight 1/2 each), in O(n m).

    The same as multiplying by a row-stochastic tridiagonal kernel, without building it.
    """
    n = matrix.shape[0]
    if n < 2:
        return matrix.astype(np.float32, copy=True)
    same = (paragraphs[1:] == paragraphs[:-1]).astype(np.float32) * 0.5
    prev_w = np.r_[0.0, same].astype(np.float32)
    next_w = np.r_[same, 0.0].astype(np.float32)
    out = matrix.astype(np.float32, copy=True)
    out[1:] += prev_w[1:, None] * matrix[:-1]
    out[:-1] += next_w[:-1, None] * matrix[1:]
    return out / (1.0 + prev_w + next_w)[:, None]


def _top_mean(score: np.ndarray, axis: int, k: int = 3) -> np.ndarray:
    srt = -np.sort(-score, axis=axis)
    take = min(k, score.shape[axis])
    return np.take(srt, range(take), axis=axis).mean(axis=axis, keepdims=True)


def base_score(semantic: np.ndarray, lexical: np.ndarray, keyword: np.ndarray) -> np.ndarray:
    """A fixed blend of the three similarities that the structural features are built on (aligner.json)."""
    return (
        _BLEND["semantic"] * np.clip(semantic, 0.0, 1.0) + _BLEND["lexical"] * lexical + _BLEND["keyword"] * keyword
    ).astype(np.float32)


def pair_features(
    semantic: np.ndarray,
    lexical: np.ndarray,
    keyword: np.ndarray,
    rare_words: np.ndarray,
    paragraph_sim: np.ndarray,
    window_sim: np.ndarray,
    paragraphs: Sequence[np.ndarray],
    issues: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Return a (len(FEATURE_NAMES), n_a, n_b) float32 feature tensor (feature-major).

    ``issues`` holds the issue-agreement matrices (core/issues/pairs.py); without them those
    features are zero.
    """
    n_a, n_b = semantic.shape
    out = np.empty((len(FEATURE_NAMES), n_a, n_b), dtype=np.float32)
    if n_a == 0 or n_b == 0:
        return out
    # Each feature is written straight into its slice of ``out``: at 2,000 x 2,000 statements a
    # temporary matrix is 16 MB, and allocating fewer of them is most of the cost.
    slot = {name: out[k] for k, name in enumerate(FEATURE_NAMES)}
    np.clip(semantic, 0.0, 1.0, out=slot["semantic"])
    slot["lexical"][...] = lexical
    slot["keyword"][...] = keyword
    score = base_score(semantic, lexical, keyword)
    np.subtract(score, score.max(axis=1, keepdims=True), out=slot["margin_to_best"])
    slot["margin_to_best"] += score - score.max(axis=0, keepdims=True)
    inverse = slot["inverse_rank"]
    np.divide(1.0, 1.0 + _strict_rank(score, 1), out=inverse)
    inverse += 1.0 / (1.0 + _strict_rank(score, 0))
    np.divide(score, 0.5 * (_top_mean(score, 1) + _top_mean(score, 0)) + 1e-6, out=slot["margin_ratio"])
    context = slot["context"]
    context[...] = _smooth_rows(_smooth_rows(score, paragraphs[0]).T, paragraphs[1]).T
    np.subtract(
        context,
        np.maximum(context.max(axis=1, keepdims=True), context.max(axis=0, keepdims=True)),
        out=slot["context_margin"],
    )
    pos_a = np.arange(n_a) / max(n_a - 1, 1)
    pos_b = np.arange(n_b) / max(n_b - 1, 1)
    slot["position_gap"][...] = np.abs(pos_a[:, None] - pos_b[None, :])
    titles = slot["titles"]
    titles[...] = 0.0
    titles[0, 0] = 1.0
    slot["paragraph"][...] = paragraph_sim
    slot["window"][...] = window_sim
    slot["rare_words"][...] = rare_words
    for name in ISSUE_FEATURES:
        slot[name][...] = issues[name] if issues is not None else 0.0
    return out


def logistic(features: np.ndarray, weights: Sequence[float], bias: float) -> np.ndarray:
    """Probability from a logistic model over the first (feature) axis of a feature tensor."""
    z = np.tensordot(np.asarray(weights, dtype=np.float32), features, axes=1) + np.float32(bias)
    return (1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))).astype(np.float32)
