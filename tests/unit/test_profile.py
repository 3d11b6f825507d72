"""The whole-readout profile: topics, their order and share, and the meeting as each side states it.

The readout pair is invented: a call between a Secretary Smith and a Foreign Minister Petrov of a
fictional Veldonia.
"""

from __future__ import annotations

import json
import re

import numpy as np

from diffreadout.core.profile.build import build_profile
from diffreadout.core.profile.meeting import compare_metadata, meeting_metadata
from diffreadout.core.profile.topics import build_topics
from diffreadout.model import Link, Readout, Statement

TEXT_A = (
    "Secretary Smith's Call with Veldonian Foreign Minister Petrov\n"
    "Secretary of State John Smith spoke today with Veldonian Foreign Minister Ivan Petrov. "
    "The Secretary raised the detention of two American journalists in Veldonia and urged that they be freed. "
    "He stressed that the journalists must be released without delay. "
    "The Secretary and Foreign Minister Petrov discussed grain exports across the Black Sea. "
    "They agreed to stay in contact.\n"
)
TEXT_B = (
    "On June 3, at the initiative of the American side, Foreign Minister Ivan Petrov held a telephone conversation "
    "with US Secretary of State John Smith.\n"
    "The ministers discussed grain exports across the Black Sea and the safety of shipping corridors. "
    "Ivan Petrov stressed that Veldonia will keep grain shipments to its partners in Africa and Asia on schedule. "
    "He added that shipping corridors must stay open and insured. "
    "The detention of journalists was briefly touched upon. "
    "It was agreed to keep in touch.\n"
)


def readout(side: str, text: str) -> Readout:
    """Cut a text at line ends and sentence ends, keeping offsets."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+?(?:\.(?=\s)|$)", text, re.M) if m.group(0).strip()]
    statements = []
    for i, (start, end) in enumerate(spans):
        while text[start] == " ":
            start += 1
        statements.append(Statement(f"{side}{i + 1}", side, i, start, end, text[start:end]))
    return Readout(
        side=side, label=f"Side {side}", source=f"{side.lower()}.txt", text=text, statements=tuple(statements)
    )


A = readout("A", TEXT_A)
B = readout("B", TEXT_B)
LINKS = [
    Link(("A1", "A2"), ("B1",), "emphasis", 0.8),
    Link(("A3", "A4"), ("B5",), "emphasis", 0.6),
    Link(("A5",), ("B2", "B3", "B4"), "emphasis", 0.6),
    Link(("A6",), ("B6",), "shared", 0.9),
]


def test_fixture_statements_are_what_the_links_assume() -> None:
    assert [s.id for s in A.statements] == ["A1", "A2", "A3", "A4", "A5", "A6"]
    assert [s.id for s in B.statements] == ["B1", "B2", "B3", "B4", "B5", "B6"]
    assert "journalists" in A.statement("A3").text and "journalists" in B.statement("B5").text
    for r in (A, B):
        for st in r.statements:
            assert r.text[st.start : st.end] == st.text


def test_topics_cover_every_statement_once_with_ranks_and_shares() -> None:
    result = build_topics((A, B), LINKS)
    topics = result["topics"]
    seen = [sid for t in topics for side in ("A", "B") for sid in t["statements"][side]]
    assert sorted(seen) == sorted(s.id for r in (A, B) for s in r.statements)
    for side in ("A", "B"):
        ranks = sorted(t["rank"][side] for t in topics if t["rank"][side] is not None)
        assert ranks == list(range(1, len(ranks) + 1))
        assert abs(sum(t["share"][side] for t in topics) - 1.0) < 1e-3
    journalists = next(t for t in topics if "A3" in t["statements"]["A"])
    assert journalists["statements"] == {"A": ["A3", "A4"], "B": ["B5"]}
    assert "journalists" in journalists["keywords"] or "detention" in journalists["keywords"]
    assert journalists["rank"] == {"A": 2, "B": 3}


def test_topic_flags_lead_against_buried() -> None:
    flags = build_topics((A, B), LINKS)["flags"]
    by_lead = {(f["leads"], f["status"]): f for f in flags}
    # A opens with the journalists right after the call; B mentions them late and briefly.
    journalists = by_lead[("A", "buried")]
    assert journalists["rank"] == {"A": 2, "B": 3} and "buries" in journalists["summary"]
    # B leads with grain; A has it in its bottom half.
    grain = by_lead[("B", "buried")]
    assert grain["rank"]["B"] == 2 and grain["rank"]["A"] == 3


def test_topic_left_out_by_one_side_is_flagged_absent() -> None:
    links = [link for link in LINKS if "B5" not in link.b]
    b_without = Readout("B", "Side B", "b.txt", B.text, tuple(s for s in B.statements if s.id != "B5"))
    flags = build_topics((A, b_without), links)["flags"]
    assert any(f["leads"] == "A" and f["status"] == "absent" for f in flags)


def test_topics_follow_given_embeddings() -> None:
    # Vectors that put the journalists with the grain statements (an odd but explicit choice).
    def vectors(readout: Readout) -> np.ndarray:
        rows = []
        for st in readout.statements:
            v = np.zeros(3)
            v[0 if st.index == 0 else 1 if re.search(r"journalists|grain|shipping|Veldonia will", st.text) else 2] = 1.0
            rows.append(v)
        return np.array(rows)

    topics = build_topics((A, B), [], (vectors(A), vectors(B)))["topics"]
    merged = next(t for t in topics if "A3" in t["statements"]["A"])
    assert "A5" in merged["statements"]["A"] and "B2" in merged["statements"]["B"]


def test_meeting_metadata_as_each_side_states_it() -> None:
    meta_a, meta_b = meeting_metadata(A), meeting_metadata(B)
    assert meta_a["initiator"] is None
    assert meta_b["initiator"]["value"] == "us"
    assert B.text[meta_b["initiator"]["start"] : meta_b["initiator"]["end"]] == "at the initiative of the American side"
    assert meta_b["initiator"]["statement_id"] == "B1"
    assert meta_a["format"]["value"] == "telephone" and meta_b["format"]["value"] == "telephone"
    assert meta_a["date"]["value"] == "today" and meta_b["date"]["value"] == "--06-03"
    assert meta_a["words"] == A.word_count and meta_b["statements"] == 6


def test_meeting_metadata_place_and_format_in_person() -> None:
    from diffreadout.core.text.readouts import make_readout

    text = "BRUSSELS, 2 July 2025 -- The High Representative held the ninth strategic dialogue with Minister Petrov.\n"
    r = make_readout("A", "A", "a.txt", text)
    meta = meeting_metadata(r)
    # The dateline says where and when the copy was filed: furniture, not the meeting's place.
    assert meta["place"] is None and meta["date"] is None
    assert [(f["kind"], f["value"]) for f in meta["furniture"]] == [("dateline", "BRUSSELS, 2 July 2025")]
    assert [st.text for st in r.statements] == [text[text.index("The"):].strip()]
    assert meta["format"]["value"] == "in person"
    other = readout("B", "Minister Petrov met the High Representative in Geneva on July 2.\n")
    assert meeting_metadata(other)["place"]["value"] == "Geneva"


def test_place_of_another_event_is_not_the_meeting_place() -> None:
    text = "Minister Petrov spoke with Secretary Smith today. They discussed the talks in Geneva.\n"
    assert meeting_metadata(readout("A", text))["place"] is None


def test_metadata_differences_are_flagged() -> None:
    diffs = compare_metadata({"A": meeting_metadata(A), "B": meeting_metadata(B)})
    fields = {d["field"]: d for d in diffs}
    assert fields["initiator"]["note"] == "only B states the initiator" and fields["initiator"]["B"] == "us"
    assert fields["date"]["note"].startswith("only B states the calendar date")
    assert "format" not in fields


def test_build_profile_is_plain_json_and_deterministic() -> None:
    profile = build_profile((A, B), LINKS)
    assert set(profile) == {"topics", "topic_flags", "meeting", "meeting_differences"}
    assert json.loads(json.dumps(profile)) == profile
    assert build_profile((A, B), LINKS) == profile


def test_build_profile_without_links_or_statements() -> None:
    profile = build_profile((A, B), [])
    assert profile["topics"]
    empty = Readout("B", "Side B", "b.txt", "", ())
    assert build_profile((A, empty), [])["topics"] and build_topics((empty, empty), [])["topics"] == []


def test_initiator_at_sentence_end_and_compatible_dates() -> None:
    a = readout("A", "On 4 August 2025, Minister Petrov held talks with Secretary Smith. It was a long day.\n")
    b = readout("B", "Secretary Smith met Minister Petrov on August 4. The meeting took place at Smith's request.\n")
    meta_a, meta_b = meeting_metadata(a), meeting_metadata(b)
    assert meta_b["initiator"]["text"] == "at Smith's request" and meta_b["initiator"]["value"] == "smith"
    assert meta_a["date"]["value"] == "2025-08-04" and meta_b["date"]["value"] == "--08-04"
    fields = {d["field"] for d in compare_metadata({"A": meta_a, "B": meta_b})}
    assert "date" not in fields and "initiator" in fields


def test_a_name_that_runs_through_every_topic_does_not_label_them() -> None:
    """The principal's name recurs in every topic; each topic is labelled by its own words."""
    subjects = ("wheat", "glacier", "submarine")
    lines = []
    for word in subjects:
        lines += [f"Petrov stressed the {word} question.", "Petrov and Petrov's team agreed."]
    lines += ["The weather was mild.", "Lunch was served.", "The hall was large.", "Guests left early."]
    text = "\n".join(lines) + "\n"
    a, b = readout("A", text), readout("B", text)

    def vectors(r: Readout) -> np.ndarray:  # statements 2k and 2k+1 share a subject; the rest one more
        rows = []
        for st in r.statements:
            v = np.zeros(4)
            v[min(st.index // 2, 3)] = 1.0
            rows.append(v)
        return np.array(rows)

    topics = build_topics((a, b), [], (vectors(a), vectors(b)))["topics"]
    labelled = [t for t in topics if any(w in t["keywords"] for w in subjects)]
    assert len(labelled) == 3
    assert [t["keywords"][0] for t in labelled] == list(subjects)
