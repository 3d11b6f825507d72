"""Score matrices -> links: one-to-one, one-to-many and many-to-many, in any order.

The rules are symmetric in A and B (every step treats rows and columns alike), so swapping
the readouts mirrors the result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from diffreadout.config import ALIGNER_FILE, TUNING, AnalysisConfig, aligner_file
from diffreadout.core.reasons.engine import WEIGHTS, difference_features, explain_link, material_difference_from
from diffreadout.core.align.features import FEATURE_NAMES, logistic
from diffreadout.core.align.mirror import mirrored
from diffreadout.core.issues.discussion import reports_discussion
from diffreadout.core.issues.events import different_events
from diffreadout.core.issues.naming import link_issues
from diffreadout.core.issues.pairs import opening_block, specific_ids
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
    return logistic(pair_label_features, model["weights"], model["bias"])


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


# The largest block (statements on A x statements on B) that is still one exchange; chosen
# from held-out figures: blocks over 4 pairs join sub-claims our own fixtures keep apart.
EXCHANGE_SIZE = int(TUNING.get("exchange_size", 4))


def complete_exchanges(
    probability: np.ndarray,
    selected: np.ndarray,
    a: Sequence[Statement],
    b: Sequence[Statement],
    issues: Mapping[str, Sequence[IssueTag]],
    threshold: float,
) -> np.ndarray:
    """Pairs that join an exchange already linked: both on one specific issue, at a lower bar.

    Statements of A and B on the same specific issue are one exchange whatever their framing:
    once any pair on the issue is linked, every cross pair on it whose probability clears
    ``threshold`` is linked too. Rows and columns are treated alike (symmetric).
    """
    extra = np.zeros(selected.shape, dtype=bool)
    rows: dict[str, list[int]] = {}
    cols: dict[str, list[int]] = {}
    for i, st in enumerate(a):
        for x in specific_ids(issues.get(st.id, ())):
            rows.setdefault(x, []).append(i)
    for j, st in enumerate(b):
        for x in specific_ids(issues.get(st.id, ())):
            cols.setdefault(x, []).append(j)
    for x in sorted(rows.keys() & cols.keys()):
        if len(rows[x]) * len(cols[x]) > EXCHANGE_SIZE:
            continue  # a whole field (every statement on Ukraine), not one exchange
        block = np.ix_(rows[x], cols[x])
        if selected[block].any():
            for i in rows[x]:
                for j in cols[x]:
                    if probability[i, j] >= threshold and not different_events(a[i].text, b[j].text):
                        extra[i, j] = True
    return extra


def complete_discussions(
    a: Sequence[Statement], b: Sequence[Statement], issues: Mapping[str, Sequence[IssueTag]]
) -> np.ndarray:
    """A statement that reports issues as discussed, linked to every statement on them opposite.

    "They also discussed the situation in the Middle East" stands for the exchange on the Middle
    East, however the other readout words it (core/issues/discussion.py), and "exchanged views
    on regional issues" on both sides is one exchange. The openings are left to
    complete_opening. Symmetric by construction: each side's rule is the other's transposed.
    """
    extra = _discussed(a, b, issues) | _discussed(b, a, issues).T
    skip_a = set(opening_block(a, [issues.get(st.id, ()) for st in a]))
    skip_b = set(opening_block(b, [issues.get(st.id, ()) for st in b]))
    general_a = [i for i, st in enumerate(a) if i not in skip_a and _general_discussion(st, issues)]
    general_b = [j for j, st in enumerate(b) if j not in skip_b and _general_discussion(st, issues)]
    for i in general_a:
        for j in general_b:
            extra[i, j] = True
    return extra


def _discussed(
    own: Sequence[Statement], other: Sequence[Statement], issues: Mapping[str, Sequence[IssueTag]]
) -> np.ndarray:
    """(len(own), len(other)): each discussion statement of `own` against the statements on its issues."""
    out = np.zeros((len(own), len(other)), dtype=bool)
    spec_own = [specific_ids(issues.get(st.id, ())) for st in own]
    spec_other = [specific_ids(issues.get(st.id, ())) for st in other]
    skip_own = set(opening_block(own, [issues.get(st.id, ()) for st in own]))
    skip_other = set(opening_block(other, [issues.get(st.id, ()) for st in other]))
    # An issue on a large share of a readout is its field (Ukraine in a Ukrainian minister's
    # call), not one exchange that a "discussed" sentence stands for.
    field_other = _fields(spec_other)
    for i, st in enumerate(own):
        named = spec_own[i] - field_other
        if i in skip_own or not named or not reports_discussion(st.text):
            continue
        for j, counterpart in enumerate(other):
            if j not in skip_other and named & spec_other[j] and not different_events(st.text, counterpart.text):
                out[i, j] = True
    return out


def _general_discussion(statement: Statement, issues: Mapping[str, Sequence[IssueTag]]) -> bool:
    tags = issues.get(statement.id, ())
    return any(t.kind == "general" for t in tags) and reports_discussion(statement.text)


def _fields(specific: Sequence[frozenset[str]]) -> frozenset[str]:
    """Issues that more than a fifth of a readout's statements (and at least four) are on."""
    count: dict[str, int] = {}
    for ids in specific:
        for x in ids:
            count[x] = count.get(x, 0) + 1
    limit = max(3, int(0.2 * len(specific)))
    return frozenset(x for x, n in count.items() if n > limit)


# A statement that points back at the one before it ("China firmly opposes this.", "This is not
# de-risking but creating risks.") answers what that one says.
_LEADING_REFERENCE = re.compile(r"(?:This|That|These|Those|Such)\s+(?:is|was|are|were|move|step|practice|act|approach)\b")
_REFERENCE = re.compile(
    r"\b(?:oppos|reject|condemn|welcom|support|regrett?|deplor)\w*\s+"
    r"(?:this|that|it|these|them|such)\b(?!\s+\w+ing\b)(?!\s+(?:is|was|are|were)\b)"
)


def follow_references(
    selected: np.ndarray, a: Sequence[Statement], b: Sequence[Statement], issues: Mapping[str, Sequence[IssueTag]]
) -> np.ndarray:
    """A statement that points back at the one before it, and names no issue of its own, takes its links.

    In reading order, so a run of such statements follows its head; rows and columns alike.
    """
    out = selected.copy()
    for k in range(1, len(a)):
        if _refers_back(a[k], issues) and out[k - 1].any():
            out[k] |= out[k - 1]
    for k in range(1, len(b)):
        if _refers_back(b[k], issues) and out[:, k - 1].any():
            out[:, k] |= out[:, k - 1]
    return out


def _refers_back(statement: Statement, issues: Mapping[str, Sequence[IssueTag]]) -> bool:
    tags = issues.get(statement.id, ())
    if any(t.kind in ("general", "meeting") for t in tags):
        return False
    if _LEADING_REFERENCE.match(statement.text):
        return True
    return not specific_ids(tags) and _REFERENCE.search(statement.text) is not None


def complete_opening(
    selected: np.ndarray, a: Sequence[Statement], b: Sequence[Statement], issues: Mapping[str, Sequence[IssueTag]]
) -> np.ndarray:
    """The two readouts' openings (title and first sentence) as one group, once any pair of them is linked."""
    extra = np.zeros(selected.shape, dtype=bool)
    rows = opening_block(a, [issues.get(st.id, ()) for st in a])
    cols = opening_block(b, [issues.get(st.id, ()) for st in b])
    if rows and cols and selected[np.ix_(rows, cols)].any():
        extra[np.ix_(rows, cols)] = True
    return extra


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
