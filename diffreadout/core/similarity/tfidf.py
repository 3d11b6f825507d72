"""Tf-idf: the one weighting of word counts, for the keyword matrices and for topics."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

__all__ = ["tfidf_rows"]


def tfidf_rows(
    docs: Sequence[Counter[str]], dtype: type[np.floating] = np.float64
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """L2-normalised rows of sublinear tf times smoothed idf; also the sorted vocabulary and the idf.

    tf is 1 + log(count); idf is log((1 + n) / (1 + df) + 1), which stays positive, so a
    word a row uses always has a positive weight there.
    """
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    vocab = sorted(df)
    index = {w: i for i, w in enumerate(vocab)}
    n = len(docs)
    idf = np.zeros(max(1, len(vocab)), dtype=dtype)
    for word, i in index.items():
        idf[i] = math.log((1 + n) / (1 + df[word]) + 1.0)
    matrix = np.zeros((n, max(1, len(vocab))), dtype=dtype)
    for row, doc in enumerate(docs):
        for word, count in doc.items():
            matrix[row, index[word]] = (1.0 + math.log(count)) * idf[index[word]]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms, vocab, idf
