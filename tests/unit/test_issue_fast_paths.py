"""The issue model's fast paths give exactly what the plain computation gives.

The word-prefix test in front of each issue's pattern, and the incidence-matrix form of the
issue agreement matrices, exist for speed only (benchmarks/bench_scale.py): any difference in
result is a bug.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from diffreadout.core.issues.lexicon import load_lexicon, word_prefixes
from diffreadout.core.issues.pairs import ISSUE_FEATURES, context_ids, issue_matrices, opening_group, specific_ids
from diffreadout.model import IssueTag, Span

TRICKY = [
    "Wang Yi said the Taiwan question is the most important issue in China–U.S. relations.",
    "THE SECRETARY RAISED SANCTIONS AND THE ENTITY LIST.",
    "They discussed the\n   Korean   Peninsula and the leaders’ consensus.",
    "Sanctioned entities, de-risking, over-capacity and the Russia-Ukraine war.",
    "The WHO and the who-knows of it; AI and ai; 5G networks.",
    "",
    "…",
]


@pytest.mark.parametrize("text", TRICKY)
def test_the_prefix_test_never_hides_a_match(text: str) -> None:
    prefixes = word_prefixes(text)
    for issue in load_lexicon():
        assert [m.span() for m in issue.finditer(text, prefixes)] == [m.span() for m in issue.pattern.finditer(text)]


def test_the_prefix_test_never_hides_a_match_in_generated_text() -> None:
    rng = random.Random(7)
    terms = [t.rstrip("*") for issue in load_lexicon() for t in issue.terms]
    for _ in range(300):
        text = " ".join(rng.choice(terms) + rng.choice(["", "s", "ed", ",", " and"]) for _ in range(5))
        text = rng.choice([str.lower, str.upper, str.title, str])(text)
        prefixes = word_prefixes(text)
        for issue in load_lexicon():
            assert [m.span() for m in issue.finditer(text, prefixes)] == [m.span() for m in issue.pattern.finditer(text)]


def _reference(a: list[tuple[IssueTag, ...]], b: list[tuple[IssueTag, ...]]) -> dict[str, np.ndarray]:
    """The issue matrices pair by pair, as their docstring defines them."""
    out = {name: np.zeros((len(a), len(b)), dtype=np.float32) for name in ISSUE_FEATURES}
    spec_a, spec_b = [specific_ids(t) for t in a], [specific_ids(t) for t in b]
    inh_a, inh_b = context_ids(a), context_ids(b)
    open_a, open_b = opening_group(a), opening_group(b)
    all_a, all_b = frozenset().union(*spec_a), frozenset().union(*spec_b)
    for i in range(len(a)):
        for j in range(len(b)):
            common = spec_a[i] & spec_b[j]
            if common:
                out["issue_shared"][i, j] = max(
                    1.0 / np.sqrt(max(1.0, 0.25 * sum(x in s for s in spec_a) * sum(x in s for s in spec_b)))
                    for x in common
                ) ** 0.5
                out["issue_jaccard"][i, j] = len(common) / len(spec_a[i] | spec_b[j])
                out["issue_list"][i, j] = float(max(len(spec_a[i]), len(spec_b[j])) >= 3)
            elif spec_a[i] and spec_b[j]:
                out["issue_disjoint"][i, j] = 1.0
            general = (any(t.kind == "general" for t in a[i]) and any(t.kind == "general" for t in b[j]))
            out["issue_general"][i, j] = float(general and not (spec_a[i] and spec_b[j]))
            meeting = any(t.kind == "meeting" for t in a[i]) and any(t.kind == "meeting" for t in b[j])
            out["issue_meeting"][i, j] = float(meeting and not (open_a[i] and open_b[j]))
            out["issue_opening"][i, j] = float(open_a[i] and open_b[j])
            out["issue_context"][i, j] = float(not common and bool((spec_a[i] | inh_a[i]) & (spec_b[j] | inh_b[j])))
            names = {t.id for t in a[i] if t.kind == "name"} & {t.id for t in b[j] if t.kind == "name"}
            out["name_shared"][i, j] = min(1.0, 0.5 * len(names))
            orphan_a = bool(spec_a[i]) and not (spec_a[i] & all_b)
            orphan_b = bool(spec_b[j]) and not (spec_b[j] & all_a)
            out["issue_orphan"][i, j] = 0.5 * (orphan_a + orphan_b)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_issue_matrices_equal_the_pair_by_pair_definition(seed: int) -> None:
    rng = random.Random(seed)
    pool = [("taiwan", "specific"), ("ukraine", "specific"), ("trade", "broad"), ("iran", "specific"),
            ("general", "general"), ("meeting", "meeting"), ("name:riyadh", "name"), ("name:quad", "name")]

    def side(n: int) -> list[tuple[IssueTag, ...]]:
        span = (Span("A", 0, 1),)
        return [tuple(IssueTag(x, x, kind, span) for x, kind in rng.sample(pool, rng.randint(0, 4))) for _ in range(n)]

    a, b = side(rng.randint(0, 12)), side(rng.randint(0, 12))
    fast, slow = issue_matrices(a, b), _reference(a, b)
    for name in ISSUE_FEATURES:
        assert fast[name].dtype == np.float32 and fast[name].shape == (len(a), len(b))
        assert np.array_equal(fast[name], slow[name]), name


def test_a_line_without_spaces_keeps_the_prefix_set_small() -> None:
    # Half a megabyte of Chinese on one line is one "word": its prefixes must not all be kept.
    text = "中俄双方同意加强协调" * 50_000 + " Taiwan question"
    prefixes = word_prefixes(text)
    assert len(prefixes) < 100
    taiwan = next(issue for issue in load_lexicon() if issue.id == "taiwan")
    assert [m.span() for m in taiwan.finditer(text, prefixes)] == [m.span() for m in taiwan.pattern.finditer(text)]
    assert taiwan.finditer(text, prefixes)
