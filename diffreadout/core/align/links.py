"""Score matrices -> links: one-to-one, one-to-many and many-to-many, in any order.

The rules are symmetric in A and B (every step treats rows and columns alike), so swapping
the readouts mirrors the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from diffreadout.config import ALIGNER_FILE, AnalysisConfig, aligner_file
from diffreadout.core.reasons.engine import WEIGHTS, difference_features, explain_link, material_difference_from
from diffreadout.core.align.exchanges import complete_discussions, complete_exchanges, complete_opening, follow_references
from diffreadout.core.align.features import FEATURE_NAMES, logistic
from diffreadout.core.align.mirror import mirrored
from diffreadout.core.issues.naming import link_issues
from diffreadout.model import Analysis, IssueTag, Link, LinkLabel, Nearest, Statement



# The label model sees the pair features plus what the emphasis engine finds in the pair.
DIFFERENCE_NAMES = ("material_difference", *WEIGHTS)
LABEL_FEATURE_NAMES = (*FEATURE_NAMES, *DIFFERENCE_NAMES)


@lru_cache(maxsize=1)
def aligner_weights() -> dict[str, Any]:
    """The trained logistic weights (see benchmarks/train_aligner.py), validated once."""
    data = aligner_file()
    for model, names in (("link", FEATURE_NAMES), ("label", LABEL_FEATURE_NAMES)):
        if list(data[model]["features"]) != list(names):
            raise RuntimeError(f"{ALIGNER_FILE}: features of the {model} model do not match the code")
    return data


def label_features(
    features: np.ndarray, a: Sequence[Statement], b: Sequence[Statement], pairs: Sequence[tuple[int, int]]
) -> np.ndarray:
    """(len(LABEL_FEATURE_NAMES), n_pairs) features of the given (row, column) pairs."""
    out = np.zeros((len(LABEL_FEATURE_NAMES), len(pairs)), dtype=np.float32)
    n_base = len(FEATURE_NAMES)
    for k, (i, j) in enumerate(pairs):
        out[:n_base, k] = features[:, i, j]
        found = difference_features(a[i], b[j])
        out[n_base, k] = material_difference_from(found)
        for offset, name in enumerate(WEIGHTS, start=1):
            out[n_base + offset, k] = min(1.0, max(0.0, float(found.get(name, 0.0))))
    return out


def link_probability(features: np.ndarray) -> np.ndarray:
    """Probability that each pair is linked in a gold-style alignment."""
    model = aligner_weights()["link"]
    return logistic(features, model["weights"], model["bias"])


def shared_probability(pair_label_features: np.ndarray) -> np.ndarray:
    """Probability that a linked pair reports the same substance (shared, not emphasis)."""
    model = aligner_weights()["label"]
    return by_convention(pair_label_features, logistic(pair_label_features, model["weights"], model["bias"]))


# Findings that make a pair emphasis whatever the rest of it looks like: who initiated the call
# or meeting, stated on one side only, is a material detail in every gold case (the dev notes
# say so), while the label model sees it in too few pairs to learn it.
ALWAYS_MATERIAL = ("initiative",)


def by_convention(pair_label_features: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """The shared probabilities with every pair that has an ALWAYS_MATERIAL finding set to 0."""
    rows = [LABEL_FEATURE_NAMES.index(name) for name in ALWAYS_MATERIAL]
    material = (pair_label_features[rows] > 0).any(axis=0)
    return np.where(material, 0.0, probability)


def label_selected(
    features: np.ndarray, a: Sequence[Statement], b: Sequence[Statement], selected: np.ndarray, threshold: float
) -> np.ndarray:
    """Boolean matrix: True where a selected pair is labelled shared."""
    pairs = [(int(i), int(j)) for i, j in zip(*np.nonzero(selected))]
    shared = np.zeros(selected.shape, dtype=bool)
    if pairs:
        prob = shared_probability(label_features(features, a, b, pairs))
        for (i, j), p in zip(pairs, prob):
            shared[i, j] = p >= threshold
    return shared


def select_pairs(probability: np.ndarray, config: AnalysisConfig) -> np.ndarray:
    """Boolean matrix of linked pairs: every likely pair, plus weaker mutual best matches."""
    n_a, n_b = probability.shape
    if n_a == 0 or n_b == 0:
        return np.zeros((n_a, n_b), dtype=bool)
    row_best = probability >= probability.max(axis=1, keepdims=True)
    col_best = probability >= probability.max(axis=0, keepdims=True)
    selected = probability >= config.link_threshold
    selected |= row_best & col_best & (probability >= config.mutual_threshold)
    return selected


def select_links(
    probability: np.ndarray,
    a: Sequence[Statement],
    b: Sequence[Statement],
    config: AnalysisConfig,
    issues: Mapping[str, Sequence[IssueTag]] | None = None,
) -> tuple[np.ndarray, set[tuple[int, int]]]:
    """The linked pairs: select_pairs, completed into exchanges, less the mirrored ones.

    A mirrored pair states the same thing of swapped or other countries: two claims, one per
    side (see core/align/mirror.py). The dropped pairs explain the omissions they leave.
    """
    selected = select_pairs(probability, config)
    if issues is not None:
        selected |= complete_exchanges(probability, selected, a, b, issues, config.exchange_threshold)
        selected |= complete_opening(selected, a, b, issues)
        selected |= complete_discussions(a, b, issues)
        selected = follow_references(selected, a, b, issues)
    dropped = {
        (int(i), int(j)) for i, j in zip(*np.nonzero(selected)) if mirrored(a[int(i)].text, b[int(j)].text)
    }
    for i, j in dropped:
        selected[i, j] = False
    return selected, dropped


def group_links(selected: np.ndarray, shared: np.ndarray) -> list[tuple[list[int], list[int], LinkLabel]]:
    """Group selected pairs into links whose every (a, b) pair is selected with one label.

    Rows with the same set of partners under the same label become one link, so a link is
    always a complete block, as the gold format requires.
    """
    groups: dict[tuple[LinkLabel, tuple[int, ...]], list[int]] = {}
    n_a = selected.shape[0]
    for label, mask in (("shared", selected & shared), ("emphasis", selected & ~shared)):
        for i in range(n_a):
            partners = tuple(int(j) for j in np.flatnonzero(mask[i]))
            if partners:
                groups.setdefault((label, partners), []).append(i)  # type: ignore[arg-type]
    out = [(rows, list(partners), label) for (label, partners), rows in groups.items()]
    out.sort(key=lambda item: (min(item[0]), min(item[1]), item[2]))
    return out


MIRROR_NOTE = "mirrored: the same wording with the two countries' roles swapped, so a different claim"


def _nearest(
    own: Sequence[Statement],
    other: Sequence[Statement],
    score: np.ndarray,
    linked: np.ndarray,
    mirrors: set[tuple[int, int]],
) -> dict[str, Nearest]:
    """For each unlinked statement of `own` (rows of score), its best candidate in `other`.

    ``mirrors`` holds the (row, column) pairs left unlinked as mirrored; a mirrored partner is
    the candidate shown, with a note saying why it is not a link.
    """
    partners: dict[int, list[int]] = {}
    for r, c in sorted(mirrors):
        partners.setdefault(r, []).append(c)
    out: dict[str, Nearest] = {}
    for i, st in enumerate(own):
        if linked[i]:
            continue
        if score.shape[1] == 0:
            out[st.id] = Nearest(st.id, None, 0.0)
            continue
        mirrored_partners = partners.get(i)
        if mirrored_partners:
            j = max(mirrored_partners, key=lambda c: (float(score[i, c]), -c))
            out[st.id] = Nearest(st.id, other[j].id, round(float(score[i, j]), 4), MIRROR_NOTE)
            continue
        j = int(score[i].argmax())
        out[st.id] = Nearest(st.id, other[j].id, round(float(score[i, j]), 4))
    return out


@dataclass(frozen=True)
class Selection:
    """The link stage's result: link probabilities, the linked pairs, and the pairs dropped as mirrored."""

    probability: np.ndarray
    selected: np.ndarray
    mirrors: frozenset[tuple[int, int]]


def link(analysis: Analysis, config: AnalysisConfig) -> Selection:
    """Stage *link*: which statement pairs correspond, under this config's thresholds."""
    a, b = analysis.readouts
    probability = link_probability(analysis.features)
    selected, mirrors = select_links(probability, a.statements, b.statements, config, analysis.issues)
    return Selection(probability=probability, selected=selected, mirrors=frozenset(mirrors))


def label(
    analysis: Analysis, selection: Selection, config: AnalysisConfig
) -> list[tuple[list[int], list[int], LinkLabel]]:
    """Stage *label*: the linked pairs grouped into complete blocks, each shared or emphasis."""
    a, b = analysis.readouts
    shared = label_selected(analysis.features, a.statements, b.statements, selection.selected, config.shared_threshold)
    return group_links(selection.selected, shared)


def explain(
    analysis: Analysis, selection: Selection, groups: Sequence[tuple[list[int], list[int], LinkLabel]]
) -> tuple[Link, ...]:
    """Stage *explain*: one Link per group, with its mean scores and the reasons its sides differ."""
    a, b = analysis.readouts
    links: list[Link] = []
    for rows, cols, link_label in groups:
        block = np.ix_(rows, cols)
        links.append(
            Link(
                a=tuple(a.statements[i].id for i in rows),
                b=tuple(b.statements[j].id for j in cols),
                label=link_label,
                score=round(float(selection.probability[block].mean()), 4),
                scores=(
                    ("semantic", round(float(analysis.semantic[block].mean()), 4)),
                    ("lexical", round(float(analysis.lexical[block].mean()), 4)),
                    ("keyword", round(float(analysis.keyword[block].mean()), 4)),
                ),
                reasons=explain_link([a.statements[i] for i in rows], [b.statements[j] for j in cols]),
                issues=link_issues(
                    [a.statements[i].id for i in rows], [b.statements[j].id for j in cols], analysis.issues,
                    opening=min(rows) <= 1 or min(cols) <= 1,
                ),
            )
        )
    return tuple(links)


def unlinked(
    analysis: Analysis, selection: Selection
) -> tuple[dict[str, tuple[str, ...]], dict[str, Nearest]]:
    """Every statement no link covers (an omission, by side), and its nearest candidate on the other side."""
    a, b = analysis.readouts
    selected, score, mirrors = selection.selected, selection.probability, set(selection.mirrors)
    linked_a: np.ndarray = np.asarray(selected.any(axis=1)) if selected.size else np.zeros(len(a.statements), dtype=bool)
    linked_b: np.ndarray = np.asarray(selected.any(axis=0)) if selected.size else np.zeros(len(b.statements), dtype=bool)
    nearest = {
        **_nearest(a.statements, b.statements, score, linked_a, mirrors),
        **_nearest(b.statements, a.statements, score.T, linked_b, {(j, i) for i, j in mirrors}),
    }
    omissions = {
        a.side: tuple(st.id for i, st in enumerate(a.statements) if not linked_a[i]),
        b.side: tuple(st.id for j, st in enumerate(b.statements) if not linked_b[j]),
    }
    return omissions, nearest
