"""Three or more readouts: claim groups, order independence, and their exports."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from diffreadout.core.similarity.embed import HashingEmbedder
from diffreadout.core.pipeline import compare_many
from diffreadout.core.text.readouts import make_readout
from diffreadout.export import multi as multi_export
from diffreadout.inputs.sources import read_source
from diffreadout.model import MultiComparison

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PATHS = [
    FIXTURES / "lavrov-wang-2025-02" / "a.txt",
    FIXTURES / "lavrov-wang-2025-02" / "b.txt",
    FIXTURES / "iwaya-cho-2025" / "a.txt",
]


def _run(paths: list[Path]) -> MultiComparison:
    readouts = [
        make_readout("ABCDEFG"[k], f"{p.parent.name}/{p.name}", str(p), read_source(str(p)).text)
        for k, p in enumerate(paths)
    ]
    return compare_many(readouts, embedder=HashingEmbedder())


def _canonical(multi: MultiComparison) -> set[frozenset[tuple[str, int]]]:
    """Groups as sets of (source, statement index): independent of side letters."""
    source = {r.side: r.source for r in multi.readouts}
    index = {st.id: st.index for r in multi.readouts for st in r.statements}
    return {frozenset((source[side], index[x]) for side, ids in g.statements for x in ids) for g in multi.groups}


def _statuses(multi: MultiComparison) -> set[frozenset[tuple[str, str]]]:
    source = {r.side: r.source for r in multi.readouts}
    return {frozenset((source[side], status) for side, status in g.status) for g in multi.groups}


def test_every_statement_is_in_exactly_one_group() -> None:
    multi = _run(PATHS)
    seen = [x for g in multi.groups for _, ids in g.statements for x in ids]
    assert sorted(seen) == sorted(st.id for r in multi.readouts for st in r.statements)
    assert len(multi.pairs) == 3


def test_groups_do_not_depend_on_the_order_of_the_files() -> None:
    base = _run(PATHS)
    for order in itertools.permutations(PATHS):
        other = _run(list(order))
        assert _canonical(other) == _canonical(base)
        assert _statuses(other) == _statuses(base)


def test_status_follows_the_links() -> None:
    multi = _run(PATHS)
    for group in multi.groups:
        sides = {side for side, _ in group.statements}
        for r in multi.readouts:
            status = group.status_of(r.side)
            assert (status == "absent") == (r.side not in sides)
        if group.label == "omission":
            assert len(group.statements) == 1
        if group.label == "shared":
            assert all(s in ("present", "absent") for _, s in group.status)


def test_the_same_meeting_groups_across_sources() -> None:
    multi = _run(PATHS)
    # The two readouts of one meeting share a claim group for their titles and openings.
    first = next(g for g in multi.groups if "A1" in g.ids("A"))
    assert first.ids("B"), "the other readout of the same meeting reports the opening too"


def test_json_groups_contract() -> None:
    data = json.loads(multi_export.dumps(_run(PATHS), version="0.1.0"))
    assert [r["side"] for r in data["readouts"]] == ["A", "B", "C"]
    assert data["groups"] and all(set(g) == {"statements", "label", "status", "issue"} for g in data["groups"])
    assert all(g["label"] in ("shared", "emphasis", "omission") for g in data["groups"])
    assert {(p["a"], p["b"]) for p in data["pairs"]} == {("A", "B"), ("A", "C"), ("B", "C")}


def test_markdown_matrix_has_a_column_per_source_and_hostile_text_is_inert(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("| [x](javascript:alert(1)) <script>alert(1)</script> \x1b]52;c;SGk=\x07 talks.\n", encoding="utf-8")
    multi = _run([*PATHS[:2], hostile])
    text = multi_export.render_markdown(multi, version="0.1.0", generated="2025-01-01")
    assert "\x1b" not in text and "\x07" not in text
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert not any(t.type.startswith("html") for t in tokens)
    rows = [t for t in tokens if t.type == "tr_open"]
    cells_per_row = []
    count = 0
    for t in tokens:
        if t.type == "tr_open":
            count = 0
        elif t.type in ("th_open", "td_open"):
            count += 1
        elif t.type == "tr_close":
            cells_per_row.append(count)
    assert rows and set(cells_per_row) == {4}
    assert not any(t.type == "link_open" for t in tokens)


def test_compare_many_needs_two() -> None:
    with pytest.raises(ValueError):
        compare_many([make_readout("A", "a", "a", "One.")], embedder=HashingEmbedder())
