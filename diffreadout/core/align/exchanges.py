"""Completing an exchange: the pairs that join one already linked, beyond sentence similarity.

Readouts link every statement on one exchange across opposite framings; the link model scores
pairs one at a time. These rules add what it misses, each symmetric in A and B:
complete_exchanges (the other pairs on one specific issue), complete_opening (the two titles and
opening sentences as one group), complete_discussions (a statement reporting issues as
discussed stands for the whole exchange on them) and follow_references (a statement pointing
back at the one before takes its links). None of them joins two named events that differ.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from diffreadout.config import TUNING
from diffreadout.core.issues.discussion import reports_discussion
from diffreadout.core.issues.events import different_events
from diffreadout.core.issues.pairs import opening_block, specific_ids
from diffreadout.model import IssueTag, Statement

__all__ = ["EXCHANGE_SIZE", "complete_discussions", "complete_exchanges", "complete_opening", "follow_references"]


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
    skip_a, skip_b = set(_opening(a, issues)), set(_opening(b, issues))
    extra = _discussed(a, b, issues, skip_a, skip_b) | _discussed(b, a, issues, skip_b, skip_a).T
    general_a = [i for i, st in enumerate(a) if i not in skip_a and _general_discussion(st, issues)]
    general_b = [j for j, st in enumerate(b) if j not in skip_b and _general_discussion(st, issues)]
    for i in general_a:
        for j in general_b:
            extra[i, j] = True
    return extra


def _discussed(
    own: Sequence[Statement],
    other: Sequence[Statement],
    issues: Mapping[str, Sequence[IssueTag]],
    skip_own: set[int],
    skip_other: set[int],
) -> np.ndarray:
    """(len(own), len(other)): each discussion statement of `own` against the statements on its issues.

    The openings (``skip_own``, ``skip_other``) take part on neither side.
    """
    out = np.zeros((len(own), len(other)), dtype=bool)
    spec_own = [specific_ids(issues.get(st.id, ())) for st in own]
    spec_other = [specific_ids(issues.get(st.id, ())) for st in other]
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
    r"(?:this|that|it|these|them)(?=\s*(?:[.,;:!]|\s+and\b|\s+as\b|$))"
)  # the pronoun ends its clause: "welcomed that the two sides agreed" introduces a claim


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
    rows, cols = _opening(a, issues), _opening(b, issues)
    if rows and cols and selected[np.ix_(rows, cols)].any():
        extra[np.ix_(rows, cols)] = True
    return extra


def _opening(statements: Sequence[Statement], issues: Mapping[str, Sequence[IssueTag]]) -> list[int]:
    """A readout's opening block (core/issues/pairs.py): its title and first sentence."""
    return opening_block(statements, [issues.get(st.id, ()) for st in statements])
