"""The issue model: lexicon, user files, tagging with evidence, pair agreement, exchanges, claims."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from diffreadout.config import AnalysisConfig
from diffreadout.core.align.claims import claim_groups
from diffreadout.core.align.exchanges import complete_exchanges
from diffreadout.core.issues.lexicon import KINDS, LexiconError, load_lexicon
from diffreadout.core.issues.pairs import ISSUE_FEATURES, issue_matrices
from diffreadout.core.issues.tagger import tag_pair
from diffreadout.core.text.readouts import make_readout, readout_from_spans
from diffreadout.model import Comparison, Link, ModelInfo


def _readout(side: str, sentences: list[str]):  # type: ignore[no-untyped-def]
    text = " ".join(sentences)
    spans, pos = [], 0
    for sentence in sentences:
        spans.append((pos, pos + len(sentence)))
        pos += len(sentence) + 1
    return readout_from_spans(side, side, side, text, spans)


def test_bundled_lexicon_names_the_issues_an_analyst_would() -> None:
    lexicon = load_lexicon()
    ids = [issue.id for issue in lexicon]
    assert len(ids) == len(set(ids)) >= 50
    assert {"ukraine", "taiwan", "arms_control", "korea", "iran", "sanctions", "detained", "climate"} <= set(ids)
    assert all(issue.kind in KINDS and issue.terms for issue in lexicon)


def test_each_government_vocabulary_tags_one_issue_with_exact_evidence() -> None:
    a = _readout("A", ["Lavrov described the actions of the Kiev regime and the Minsk agreements.",
                       "Wang Yi stressed that the Taiwan question is at the core of China's interests."])
    b = _readout("B", ["The Secretary raised Russia's war against Ukraine.",
                       "He underscored peace and stability across the Taiwan Strait."])
    tags = tag_pair(a, b)
    for statement, expected in ((a.statements[0], "ukraine"), (a.statements[1], "taiwan"),
                                (b.statements[0], "ukraine"), (b.statements[1], "taiwan")):
        found = {t.id: t for t in tags[statement.id]}
        assert expected in found
        readout = a if statement.side == "A" else b
        spans = [readout.text[s.start:s.end] for s in found[expected].evidence]
        assert spans and all(span.lower() in statement.text.lower() for span in spans)


def test_acronyms_match_only_in_their_own_case() -> None:
    a = _readout("A", ["They discussed cooperation with the WHO on pandemics."])
    b = _readout("B", ["Those who attended agreed on a statement."])
    tags = tag_pair(a, b)
    assert "health" in {t.id for t in tags["A1"]}
    assert "health" not in {t.id for t in tags.get("B1", ())}


def test_wider_issue_is_tagged_with_its_part() -> None:
    a = _readout("A", ["They discussed the JCPOA and enrichment."])
    b = _readout("B", ["They discussed the situation in the Middle East."])
    ids = {t.id for t in tag_pair(a, b)["A1"]}
    assert {"iran", "middle_east"} <= ids


def test_user_file_adds_issues_and_terms(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(
        '[[issue]]\nid = "grain"\nname = "Grain corridor"\nterms = ["grain corridor"]\n\n'
        '[[issue]]\nid = "taiwan"\nterms = ["Penghu"]\n',
        encoding="utf-8",
    )
    a = _readout("A", ["They discussed the grain corridor and Penghu."])
    b = _readout("B", ["Nothing here at all today."])
    ids = {t.id for t in tag_pair(a, b, str(user))["A1"]}
    assert {"grain", "taiwan"} <= ids
    assert "grain" not in {t.id for t in tag_pair(a, b)["A1"]}


@pytest.mark.parametrize(
    ("content", "problem"),
    [("x = [", "not valid TOML"), ("title = 'x'", "no [[issue]]"),
     ('[[issue]]\nid = "x"\nterms = []\n', "non-empty list of terms"),
     ('[[issue]]\nid = "x"\nkind = "vague"\nterms = ["a"]\n', "kind")],
)
def test_bad_user_file_is_one_line_naming_the_file(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        load_lexicon(str(path))
    assert str(path) in str(error.value) and problem in str(error.value) and "\n" not in str(error.value)


def test_names_both_readouts_use_become_issues_but_people_and_the_meeting_do_not() -> None:
    a = _readout("A", ["Foreign Minister Sergey Lavrov held talks with Wang Yi.", "The talks were long.",
                       "They discussed the Arctic route via Murmansk.", "Then Sergey Lavrov raised other topics."])
    b = _readout("B", ["Wang Yi met Foreign Minister Sergey Lavrov.", "The meeting was friendly.",
                       "Both mentioned shipping through Murmansk.", "Lavrov spoke of the weather."])
    tags = tag_pair(a, b)
    murmansk = [t for t in tags["A3"] if t.id == "name:murmansk"]
    assert murmansk and a.text[murmansk[0].evidence[0].start:murmansk[0].evidence[0].end] == "Murmansk"
    assert not any("sergey" in t.id or "lavrov" in t.id for st in tags for t in tags[st] if t.kind == "name")


def test_issue_agreement_transposes_when_the_readouts_swap() -> None:
    a = _readout("A", ["On Taiwan, China opposes Taiwan independence.", "They discussed sanctions on entities.",
                       "They exchanged views on international and regional issues."])
    b = _readout("B", ["The Secretary raised cross-Strait stability.", "He raised fentanyl precursors.",
                       "They discussed regional issues of common concern."])
    tags = tag_pair(a, b)
    tags_swapped = tag_pair(b, a)
    forward = issue_matrices([tags.get(s.id, ()) for s in a.statements], [tags.get(s.id, ()) for s in b.statements])
    backward = issue_matrices([tags_swapped.get(s.id, ()) for s in b.statements], [tags_swapped.get(s.id, ()) for s in a.statements])
    for name in ISSUE_FEATURES:
        assert np.array_equal(forward[name], backward[name].T), name
    assert forward["issue_shared"][0, 0] > 0 and forward["issue_disjoint"][1, 1] == 1
    assert forward["issue_general"][2, 2] == 1


def test_an_exchange_is_completed_only_once_linked_and_only_above_the_bar() -> None:
    a = _readout("A", ["Taiwan independence is opposed.", "The Taiwan question is core.", "Climate talks continue."])
    b = _readout("B", ["Peace across the Taiwan Strait matters.", "Climate cooperation was discussed."])
    tags = tag_pair(a, b)
    probability = np.array([[0.9, 0.0], [0.3, 0.0], [0.0, 0.05]], dtype=np.float32)
    selected = probability >= 0.5
    extra = complete_exchanges(probability, selected, a.statements, b.statements, tags, 0.2)
    assert extra[1, 0] and not extra[2, 1]
    # Nothing linked on climate: no completion, however the scores stand.
    assert not complete_exchanges(probability, np.zeros_like(selected), a.statements, b.statements, tags, 0.0).any()


def test_claims_are_grouped_by_issue_not_chained_across_issues() -> None:
    readouts = [
        make_readout("A", "A", "a", "They agreed to maintain open lines of communication."),
        make_readout("B", "B", "b", "They agreed to maintain open communication, and stressed that the Taiwan question is at the core of interests."),
        make_readout("C", "C", "c", "The Secretary raised Taiwan independence."),
    ]
    a, b, c = readouts
    every = {st.id: st for r in readouts for st in r.statements}
    tags = {}
    for x, y in ((a, b), (a, c), (b, c)):
        tags.update(tag_pair(x, y))
    assert len(b.statements) == 2  # the clause split: two predications, two statements
    b_comm, b_taiwan = (st.id for st in b.statements)

    def comparison(x, y, links):  # type: ignore[no-untyped-def]
        ids = {st.id for st in (*x.statements, *y.statements)}
        return Comparison(readouts=(x, y), links=tuple(links), omissions={}, nearest={},
                          model=ModelInfo("fake", "0"), issues={k: v for k, v in tags.items() if k in ids})

    pairs = [
        comparison(a, b, [Link(a=("A1",), b=(b_comm,), label="shared", score=0.9)]),
        comparison(b, c, [Link(a=(b_taiwan,), b=("C1",), label="emphasis", score=0.8)]),
        # A chain link: communication on A against Taiwan on C (a weak, wrong link).
        comparison(a, c, [Link(a=("A1",), b=("C1",), label="emphasis", score=0.4)]),
    ]
    groups = claim_groups(readouts, pairs)
    assert set(every) == {x for g in groups for _, ids in g.statements for x in ids}
    with_c = [g for g in groups if g.ids("C")]
    assert len(with_c) == 1 and with_c[0].issue == "Taiwan" and not with_c[0].ids("A")
    def content(found):  # type: ignore[no-untyped-def]
        return sorted((g.statements, g.label, g.issue, sorted(g.status)) for g in found)

    assert content(claim_groups(list(reversed(readouts)), list(reversed(pairs)))) == content(groups)


def test_config_carries_the_user_file() -> None:
    assert AnalysisConfig(issues_file="x.toml").issues_file == "x.toml"


def test_json_carries_issues_with_evidence_and_reads_them_back() -> None:
    from diffreadout.export.json import dumps, loads
    from diffreadout.export.markdown import render_markdown

    a = _readout("A", ["Wang Yi stressed that the Taiwan question is at the core.", "Trade grew fast."])
    b = _readout("B", ["The Secretary raised cross-Strait stability.", "Fentanyl was raised."])
    tags = tag_pair(a, b)
    comparison = Comparison(
        readouts=(a, b),
        links=(Link(("A1",), ("B1",), "emphasis", 0.8, issues=("Taiwan",)),),
        omissions={"A": ("A2",), "B": ("B2",)}, nearest={}, model=ModelInfo("fake", "0"), issues=tags,
    )
    text = dumps(comparison, version="0.1.0")
    assert loads(text) == comparison
    import json

    data = json.loads(text)
    taiwan = next(t for t in data["readouts"][0]["statements"][0]["issues"] if t["id"] == "taiwan")
    span = taiwan["evidence"][0]
    assert a.text[span["start"]:span["end"]] == "Taiwan question"
    assert data["links"][0]["issues"] == ["Taiwan"]
    report = render_markdown(comparison, version="0.1.0", generated="2025-01-01")
    assert "Taiwan: emphasis" in report
    assert "Counternarcotics and fentanyl: only in" in report
