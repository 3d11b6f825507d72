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
    count: dict[str, tuple[int, int]] = {}
    for ids in spec_a:
        for x in ids:
            count[x] = (count.get(x, (0, 0))[0] + 1, count.get(x, (0, 0))[1])
    for ids in spec_b:
        for x in ids:
            count[x] = (count.get(x, (0, 0))[0], count.get(x, (0, 0))[1] + 1)
    all_a = frozenset().union(*spec_a) if spec_a else frozenset()
    all_b = frozenset().union(*spec_b) if spec_b else frozenset()
    orphan_a = [bool(ids) and not (ids & all_b) for ids in spec_a]
    orphan_b = [bool(ids) and not (ids & all_a) for ids in spec_b]
    for i in range(n_a):
        for j in range(n_b):
            out["issue_orphan"][i, j] = 0.5 * (orphan_a[i] + orphan_b[j])
            common = spec_a[i] & spec_b[j]
            if common:
                out["issue_shared"][i, j] = max(
                    1.0 / np.sqrt(max(1.0, 0.25 * count[x][0] * count[x][1])) for x in sorted(common)
                ) ** 0.5
                out["issue_jaccard"][i, j] = len(common) / len(spec_a[i] | spec_b[j])
                if max(len(spec_a[i]), len(spec_b[j])) >= 3:
                    out["issue_list"][i, j] = 1.0
            elif spec_a[i] and spec_b[j]:
                out["issue_disjoint"][i, j] = 1.0
            if general_a[i] and general_b[j] and not (common or (spec_a[i] and spec_b[j])):
                out["issue_general"][i, j] = 1.0
            if meeting_a[i] and meeting_b[j] and not (open_a[i] and open_b[j]):
                out["issue_meeting"][i, j] = 1.0
            if not common and ((spec_a[i] | inherited_a[i]) & (spec_b[j] | inherited_b[j])):
                out["issue_context"][i, j] = 1.0
            if open_a[i] and open_b[j]:
                out["issue_opening"][i, j] = 1.0
            if names_a[i] & names_b[j]:
                out["name_shared"][i, j] = min(1.0, 0.5 * len(names_a[i] & names_b[j]))
    return out
