"""Mirrored claims: the same wording with the countries' roles swapped, or another country pair."""

from __future__ import annotations

import json

import pytest

from diffreadout.config import AnalysisConfig
from diffreadout.core.align.links import MIRROR_NOTE
from diffreadout.core.similarity.embed import HashingEmbedder
from diffreadout.core.align.mirror import mirrored
from diffreadout.core.pipeline import compare, make_readout
from diffreadout.export.json import dumps, loads
from diffreadout.export.markdown import render_markdown

DETAINED_A = "The Secretary raised the cases of U.S. citizens wrongfully detained in the PRC and called for their release."
DETAINED_B = "He also raised the cases of Chinese students wrongfully interrogated and deported at U.S. airports."


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (DETAINED_A, DETAINED_B),
        ("She called on China to end its trade investigations targeting European brandy.",
         "The EU should end its trade investigations targeting Chinese electric vehicles."),
        # the same words about another relation
        ("Lavrov welcomed the resumption of direct talks between Russia and the United States.",
         "He welcomed the resumption of direct talks between Russia and Ukraine in Istanbul."),
    ],
)
def test_swapped_or_other_countries_make_two_claims(a: str, b: str) -> None:
    assert mirrored(a, b) and mirrored(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # countries named together have no roles: the same claim in another order
        ("This year marks 50 years of diplomatic relations between the EU and China.",
         "This year marks the 50th anniversary of China-EU diplomatic relations."),
        ("Japan and the ROK, as well as Japan, the United States and the ROK, will coordinate closely.",
         "Korea and Japan, as well as Korea, the United States and Japan, will coordinate closely."),
        # the same countries in the same roles
        (DETAINED_A, "The Secretary raised U.S. citizens wrongfully detained in the PRC."),
        # swapped countries, but the rest of the wording differs: not a mirror
        ("The EU expects China to rebalance the relationship and open its procurement markets.",
         "China hopes that the EU will relax its export controls on high-tech products."),
        # reciprocal courtesies answer each other: one exchange
        ("Xi said China is ready to work with the United States to expand cooperation in many fields.",
         "The President said the United States is ready to work with China to expand cooperation in many fields."),
        # one country, or none
        ("China opposes the sanctions.", "China supports the talks."),
        ("The ministers met in Geneva.", "The ministers met in Geneva."),
    ],
)
def test_coordinated_same_or_different_wording_is_no_mirror(a: str, b: str) -> None:
    assert not mirrored(a, b) and not mirrored(b, a)


def _readouts() -> tuple:
    text_a = (
        "The Secretary spoke with Director Wang Yi.\n"
        f"{DETAINED_A}\n"
        "They discussed grain exports across the Black Sea.\n"
    )
    text_b = (
        "Wang Yi spoke with the Secretary.\n"
        f"{DETAINED_B}\n"
        "The sides discussed grain exports across the Black Sea.\n"
    )
    return make_readout("A", "US", "a.txt", text_a), make_readout("B", "China", "b.txt", text_b)


def test_a_mirrored_pair_is_two_omissions_with_a_note() -> None:
    a, b = _readouts()
    assert mirrored(a.statements[1].text, b.statements[1].text)
    # thresholds at zero: every pair is a candidate link, so only the mirror rule can keep them apart
    config = AnalysisConfig(link_threshold=0.0, mutual_threshold=0.0)
    result = compare([a, b], config, embedder=HashingEmbedder())
    linked = {(x, y) for link in result.links for x in link.a for y in link.b}
    assert ("A2", "B2") not in linked
    assert ("A1", "B1") in linked and ("A3", "B3") in linked
    # the mirrored statements are in no link only because the rule dropped the pair
    if "A2" in result.omissions["A"]:
        assert result.nearest["A2"].other_id == "B2" and result.nearest["A2"].note == MIRROR_NOTE
    swapped = compare([b, a], config, embedder=HashingEmbedder())
    assert ("B2", "A2") not in {(x, y) for link in swapped.links for x in link.a for y in link.b}


def test_the_note_reaches_json_and_markdown() -> None:
    a, b = _readouts()
    result = compare([a, b], AnalysisConfig(), embedder=HashingEmbedder())
    noted = {sid: n for sid, n in result.nearest.items() if n.note}
    assert noted, "the mirrored statements should be omissions with a note"
    sid, nearest = sorted(noted.items())[0]
    data = json.loads(dumps(result))
    assert data["nearest"][sid]["note"] == MIRROR_NOTE
    assert all("note" not in entry for key, entry in data["nearest"].items() if key not in noted)
    assert loads(dumps(result)).nearest[sid].note == MIRROR_NOTE
    report = render_markdown(result, version="test", generated="2026-11-28")
    assert f"score {nearest.score:.2f} ({MIRROR_NOTE})" in report or MIRROR_NOTE in report


def test_a_run_on_statement_is_read_from_its_start_only() -> None:
    """Two pasted walls of text with swapped countries: bounded work, not a quadratic diff."""
    wall_a = DETAINED_A + " " + "The Secretary raised the cases of U.S. citizens in the PRC, " * 20_000
    wall_b = DETAINED_B + " " + "He raised the cases of Chinese students at U.S. ports, " * 20_000
    assert mirrored(wall_a, wall_b)  # decided on the first 3,000 characters
    assert not mirrored(wall_a, "The ministers met in Geneva. " * 20_000)
