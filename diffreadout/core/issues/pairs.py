"""Issue agreement of every statement pair: the matrices the aligner's features read.

Each matrix is symmetric in A and B (swapping the readouts transposes it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from diffreadout.core.text.furniture import classify
from diffreadout.model import IssueTag, Statement

__all__ = ["ISSUE_FEATURES", "issue_matrices", "opening_block", "specific_ids"]

ISSUE_FEATURES = (
    "issue_shared",
    "issue_jaccard",
    "issue_disjoint",
    "issue_general",
    "issue_list",
    "name_shared",
    "issue_context",
    "issue_opening",
    "issue_orphan",
    "issue_meeting",
)
OPENING_SPAN = 3  # the title and opening sentences that name the meeting, at most


def opening_group(tags: Sequence[Sequence[IssueTag]]) -> list[bool]:
    """Which statements open the readout: the run of meeting statements it starts with."""
    out = [False] * len(tags)
    for k, statement_tags in enumerate(tags[:OPENING_SPAN]):
        if not any(t.kind == "meeting" for t in statement_tags):
            break
        out[k] = True
    return out


def opening_block(statements: Sequence[Statement], tags: Sequence[Sequence[IssueTag]]) -> list[int]:
    """The title and the sentence that opens the readout: one group that names the meeting.

    A readout with a title (a first line without closing punctuation) opens with two
    statements, one without a title with one; each must be about the meeting itself. A line of
    page furniture between them ("The below is attributable to ...") is passed over.
    """
    if not statements:
        return []
    titled = not statements[0].text.rstrip().endswith((".", "!", "?", ":"))
    want = 2 if titled else 1
    out: list[int] = []
    for k, statement in enumerate(statements[: want + 2]):
        if k and classify(statement.text, (0, len(statement.text))) is not None:
            continue
        if not any(t.kind == "meeting" for t in tags[k]):
            break
        out.append(k)
        if len(out) == want:
            break
    return out


def context_ids(tags: Sequence[Sequence[IssueTag]]) -> list[frozenset[str]]:
    """Specific issues a statement takes from the one before it when it names none itself.

    Readouts go issue by issue: "China firmly opposes this" is on the previous sentence's issue.
    """
    own = [specific_ids(t) for t in tags]
    out: list[frozenset[str]] = []
    for k, statement_tags in enumerate(tags):
        if own[k] or k == 0 or any(t.kind in ("general", "meeting") for t in statement_tags):
            out.append(frozenset())
        else:
            out.append(own[k - 1])
    return out


def specific_ids(tags: Sequence[IssueTag]) -> frozenset[str]:
    """The specific lexicon issues among a statement's tags."""
    return frozenset(t.id for t in tags if t.kind == "specific")


def issue_matrices(a: Sequence[Sequence[IssueTag]], b: Sequence[Sequence[IssueTag]]) -> dict[str, np.ndarray]:
    """One (n_a, n_b) matrix per name in ISSUE_FEATURES.

    issue_shared: the pair shares a specific issue, weighted by how rare the issue is on the
    two sides (an issue that every statement names says little); issue_jaccard: overlap of the
    two sets of specific issues; issue_disjoint: both name specific issues, none in common;
    issue_general: both are general (international issues at large) or both about the meeting
    itself; issue_list: one side names three or more issues and shares one; name_shared: the
    pair shares a name both readouts use (data-driven); issue_context: they share an issue
    only through a statement's predecessor (context_ids); issue_opening: both open their
    readouts (opening_group); issue_meeting: both are about the meeting itself, outside the
    opening; issue_orphan: one statement names only issues the other
    readout never names, so it is likely an omission.
    """
    n_a, n_b = len(a), len(b)
    out = {name: np.zeros((n_a, n_b), dtype=np.float32) for name in ISSUE_FEATURES}
    spec_a = [specific_ids(t) for t in a]
    spec_b = [specific_ids(t) for t in b]
    general_a = [any(t.kind == "general" for t in tags) for tags in a]
    general_b = [any(t.kind == "general" for t in tags) for tags in b]
    meeting_a = [any(t.kind == "meeting" for t in tags) for tags in a]
    meeting_b = [any(t.kind == "meeting" for t in tags) for tags in b]
    names_a = [frozenset(t.id for t in tags if t.kind == "name") for tags in a]
    names_b = [frozenset(t.id for t in tags if t.kind == "name") for tags in b]
    inherited_a, inherited_b = context_ids(a), context_ids(b)
    open_a, open_b = opening_group(a), opening_group(b)
    # Statements x issues incidence matrices: every pair at once (readouts of 2,000 statements
    # make four million pairs).
    keys = sorted(frozenset().union(*spec_a, *spec_b, *inherited_a, *inherited_b))
    index = {x: k for k, x in enumerate(keys)}
    sa, sb = _incidence(spec_a, index), _incidence(spec_b, index)
    ea = _incidence([s | c for s, c in zip(spec_a, inherited_a)], index)
    eb = _incidence([s | c for s, c in zip(spec_b, inherited_b)], index)
    common = sa @ sb.T  # the number of specific issues a pair shares
    has_a, has_b = sa.sum(axis=1), sb.sum(axis=1)
    shares = common > 0
    both = (has_a > 0)[:, None] & (has_b > 0)[None, :]
    # The rarer an issue on the two sides, the more sharing it says.
    weight = 1.0 / np.sqrt(np.maximum(1.0, 0.25 * sa.sum(axis=0) * sb.sum(axis=0)))
    shared = np.zeros((n_a, n_b))
    for k in np.flatnonzero((sa.sum(axis=0) > 0) & (sb.sum(axis=0) > 0)):
        rows, cols = np.flatnonzero(sa[:, k]), np.flatnonzero(sb[:, k])
        block = np.ix_(rows, cols)
        shared[block] = np.maximum(shared[block], weight[k])
    out["issue_shared"] = np.sqrt(shared).astype(np.float32)
    union = has_a[:, None] + has_b[None, :] - common
    out["issue_jaccard"] = np.where(shares, common / np.maximum(union, 1), 0.0).astype(np.float32)
    out["issue_list"] = (shares & (np.maximum(has_a[:, None], has_b[None, :]) >= 3)).astype(np.float32)
    out["issue_disjoint"] = (~shares & both).astype(np.float32)
    orphan_a = (has_a > 0) & ((sa @ (sb.sum(axis=0) > 0)) == 0)
    orphan_b = (has_b > 0) & ((sb @ (sa.sum(axis=0) > 0)) == 0)
    out["issue_orphan"] = (0.5 * (orphan_a[:, None].astype(float) + orphan_b[None, :])).astype(np.float32)
    g_a, g_b = np.array(general_a, dtype=bool), np.array(general_b, dtype=bool)
    out["issue_general"] = (g_a[:, None] & g_b[None, :] & ~both).astype(np.float32)
    m_a, m_b = np.array(meeting_a, dtype=bool), np.array(meeting_b, dtype=bool)
    o_a, o_b = np.array(open_a, dtype=bool), np.array(open_b, dtype=bool)
    opening = o_a[:, None] & o_b[None, :]
    out["issue_meeting"] = (m_a[:, None] & m_b[None, :] & ~opening).astype(np.float32)
    out["issue_opening"] = opening.astype(np.float32)
    out["issue_context"] = (~shares & ((ea @ eb.T) > 0)).astype(np.float32)
    name_keys = sorted(frozenset().union(*names_a, *names_b))
    name_index = {x: k for k, x in enumerate(name_keys)}
    names = _incidence(names_a, name_index) @ _incidence(names_b, name_index).T
    out["name_shared"] = np.minimum(1.0, 0.5 * names).astype(np.float32)
    return out


def _incidence(sets: Sequence[frozenset[str]], index: dict[str, int]) -> np.ndarray:
    """(len(sets), len(index)) 0/1 matrix: which keys each set holds."""
    out = np.zeros((len(sets), max(1, len(index))))
    for i, keys in enumerate(sets):
        for x in keys:
            out[i, index[x]] = 1.0
    return out
