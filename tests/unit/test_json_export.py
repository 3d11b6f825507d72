"""The JSON contract: field names of the gold format, fixed key order, safe text, round trip."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from diffreadout.core.similarity.embed import HashingEmbedder
from diffreadout.core.pipeline import compare, make_readout, readout_from_spans
from diffreadout.export.json import JSONContractError, dumps, from_json_dict, loads, to_json_dict
from diffreadout.model import Comparison, Link, ModelInfo, Nearest, Readout, Reason, Span, Statement

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def make(side: str, label: str, statements: list[str]) -> Readout:
    spans, pos = [], 0
    for text in statements:
        spans.append((pos, pos + len(text)))
        pos += len(text) + 2
    return readout_from_spans(side, label, f"{side.lower()}.txt", "\n\n".join(statements), spans)


def sample(profile: dict[str, object] | None = None, text: str = "Trade grew.") -> Comparison:
    a = make("A", "Russian MFA", ["Lavrov met Wang Yi.", "Russia firmly opposes missiles.", text])
    b = make("B", "Chinese MFA", ["Wang Yi met Lavrov.", "Russia is concerned about missiles.", "Peace talks."])
    reason = Reason(
        "strength",
        "opposes vs concerned",
        (Span("A", 28, 35), Span("B", 20, 35)),
        (("a", "opposes"), ("b", "concerned")),
    )
    return Comparison(
        readouts=(a, b),
        links=(
            Link(("A1",), ("B1",), "shared", 0.91, (("semantic", 0.93), ("lexical", 0.8))),
            Link(("A2",), ("B2",), "emphasis", 0.61, (("semantic", 0.7),), (reason,)),
        ),
        omissions={"A": ("A3",), "B": ("B3",)},
        nearest={"A3": Nearest("A3", "B2", 0.12), "B3": Nearest("B3", None, 0.0)},
        model=ModelInfo("fake-hashing", "ab" * 32),
        thresholds=(("link", 0.55), ("mutual", 0.4), ("shared", 0.72)),
        profile=profile or {},
    )


def test_contract_fields_and_order() -> None:
    data = to_json_dict(sample(), version="0.1.0")
    assert list(data) == [
        "version",
        "generator",
        "readouts",
        "links",
        "omissions",
        "nearest",
        "model",
        "thresholds",
        "profile",
        "notes",
        "presentation",
        "omitted_by",
    ]
    assert data["omitted_by"] == {"A3": {"by": "engine"}, "B3": {"by": "engine"}}
    assert data["version"] == 1
    assert data["generator"] == {"name": "diffreadout", "version": "0.1.0"}
    side_a = data["readouts"][0]
    assert (side_a["side"], side_a["label"], side_a["source"]) == ("A", "Russian MFA", "a.txt")
    assert side_a["statements"][1] == {
        "id": "A2", "start": 21, "end": 52, "text": "Russia firmly opposes missiles.", "issues": [],
    }
    assert data["links"][0] == {
        "a": ["A1"],
        "b": ["B1"],
        "label": "shared",
        "score": 0.91,
        "scores": {"semantic": 0.93, "lexical": 0.8},
        "reasons": [],
        "issues": [],
        "by": "engine",
    }
    assert data["links"][1]["reasons"] == [
        {
            "code": "strength",
            "summary": "opposes vs concerned",
            "evidence": [{"side": "A", "start": 28, "end": 35}, {"side": "B", "start": 20, "end": 35}],
            "detail": [["a", "opposes"], ["b", "concerned"]],
        }
    ]
    assert data["omissions"] == {"A": ["A3"], "B": ["B3"]}
    assert data["nearest"] == {"A3": {"other": "B2", "score": 0.12}, "B3": {"other": None, "score": 0.0}}
    assert data["model"] == {"name": "fake-hashing", "sha256": "ab" * 32}
    assert data["thresholds"] == {"link": 0.55, "mutual": 0.4, "shared": 0.72}


def test_offsets_quote_the_text() -> None:
    data = json.loads(dumps(sample()))
    for readout in data["readouts"]:
        for st in readout["statements"]:
            assert readout["text"][st["start"] : st["end"]] == st["text"]


def test_dumps_is_deterministic_and_ends_with_a_newline() -> None:
    first, second = dumps(sample(), version="1"), dumps(sample(), version="1")
    assert first == second and first.endswith("}\n")


def test_default_version_is_the_package_version() -> None:
    from diffreadout import __version__

    assert to_json_dict(sample())["generator"]["version"] == __version__


def test_round_trip_gives_an_equal_comparison() -> None:
    comparison = sample(profile={"topics": [{"name": "Ukraine", "A": ["A2"], "B": ["B2"]}], "n": 2})
    assert from_json_dict(json.loads(dumps(comparison))) == comparison
    assert loads(dumps(comparison)) == comparison


def test_round_trip_of_a_pipeline_comparison() -> None:
    case = next(iter(sorted(FIXTURES.glob("*/case.json"))), None)
    if case is None:
        pytest.skip("no fixture pair yet")
    a = make_readout("A", "Russian MFA", "a.txt", (case.parent / "a.txt").read_text(encoding="utf-8"))
    b = make_readout("B", "Chinese MFA", "b.txt", (case.parent / "b.txt").read_text(encoding="utf-8"))
    comparison = compare([a, b], embedder=HashingEmbedder())
    assert loads(dumps(comparison)) == comparison


def test_control_characters_are_escaped_and_text_survives() -> None:
    hostile = "red \x1b[31m osc \x1b]52;c;ZXZpbA==\x07 csi \x9b31m del \x7f ls \u2028 rlo \u202e ok \u00e9 \u4e2d"
    comparison = sample(text=hostile)
    text = dumps(comparison)
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", text)
    assert "\\u001b" in text and "\\u009b" in text and "\\u2028" in text and "\\u202e" in text
    assert "\u00e9 \u4e2d" in text  # readable, not \u-escaped
    assert loads(text) == comparison


def test_lone_surrogates_do_not_break_utf8() -> None:
    comparison = sample()
    odd = "bad \udcff byte"
    st = Statement("A1", "A", 0, 0, len(odd), odd)
    a = Readout("A", "A", "a.txt", odd, (st,))
    text = dumps(Comparison((a, comparison.b), (), {"A": ("A1",)}, {}, comparison.model))
    text.encode("utf-8")
    assert "\\udcff" in text


def test_non_finite_scores_become_null() -> None:
    comparison = sample()
    broken = Comparison(
        comparison.readouts,
        (Link(("A1",), ("B1",), "shared", math.nan),),
        comparison.omissions,
        {},
        comparison.model,
    )
    data = json.loads(dumps(broken))
    assert data["links"][0]["score"] is None
    assert math.isnan(from_json_dict(data).links[0].score)


def test_profile_values_json_cannot_encode_are_made_plain() -> None:
    class Odd:
        def __str__(self) -> str:
            return "odd"

    data = json.loads(dumps(sample(profile={"set": {"b", "a"}, "odd": Odd(), "tuple": (1, 2)})))
    assert data["profile"] == {"set": ["a", "b"], "odd": "odd", "tuple": [1, 2]}


def test_statements_without_full_text_rebuild_a_text() -> None:
    data = to_json_dict(sample())
    del data["readouts"][0]["text"]
    readout = from_json_dict(data).a
    for st in readout.statements:
        assert readout.text[st.start : st.end] == st.text


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(version=2), "$.version: unsupported version 2 (expected 1)"),
        (lambda d: d.pop("links"), "$: missing field 'links'"),
        (lambda d: d["readouts"].pop(), "$.readouts: expected 2 readouts, found 1"),
        (lambda d: d["links"][0].update(label="maybe"), "$.links[0].label: 'maybe' is not shared or emphasis"),
        (
            lambda d: d["readouts"][0]["statements"][0].update(start="0"),
            "$.readouts[0].statements[0].start: unexpected type str",
        ),
    ],
)
def test_malformed_documents_give_one_line_errors(mutate: object, message: str) -> None:
    data = to_json_dict(sample())
    mutate(data)  # type: ignore[operator]
    with pytest.raises(JSONContractError) as info:
        from_json_dict(data)
    assert str(info.value) == message


def test_invalid_json_text() -> None:
    with pytest.raises(JSONContractError, match="not valid JSON"):
        loads("{")
