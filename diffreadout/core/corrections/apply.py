"""Apply an analyst's corrections to the engine's comparison, without re-embedding.

Correction statements map onto the engine's statements by span overlap, as the scorer does
(at least half of the shorter span). Engine links lose every decided statement; the file's
links take their place, labelled as the analyst says, marked ``by="analyst"``. Scores and
reasons of the changed links come from the existing Analysis; the engine's proposal for every
corrected statement is kept in ``Comparison.review`` for the detail panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from diffreadout.core.align.links import link_probability
from diffreadout.core.corrections.format import CorrectionLink, Corrections, CorrectionStatement, text_sha256
from diffreadout.core.profile.build import build_profile
from diffreadout.core.reasons.engine import explain_link
from diffreadout.model import Analysis, Comparison, Link, LinkLabel, Nearest, Readout, Review


@dataclass(frozen=True)
class ApplyReport:
    """What applying did: how many decisions were applied, and one line per stale or unmatched correction."""

    applied: int = 0
    stale: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()
    mapping: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def lines(self) -> list[str]:
        """Human-readable lines: the stale and unmatched corrections."""
        return [f"stale: {x}" for x in self.stale] + [f"unmatched: {x}" for x in self.unmatched]


def _quote(text: str, limit: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _relocate(st: CorrectionStatement, readout: Readout, same_text: bool) -> CorrectionStatement | None:
    """The statement's span in the current text: as given when the text is unchanged, else found by its text."""
    if same_text or (not st.text and st.end <= len(readout.text)):
        if st.end > len(readout.text):
            return None
        if st.text and readout.text[st.start : st.end] != st.text:
            return None
        return st
    if not st.text:
        return None
    hits = []
    at = readout.text.find(st.text)
    while at >= 0:
        hits.append(at)
        at = readout.text.find(st.text, at + 1)
    if not hits:
        return None
    start = min(hits, key=lambda h: (abs(h - st.start), h))
    return replace(st, start=start, end=start + len(st.text))


def _map(st: CorrectionStatement, readout: Readout) -> tuple[str, ...]:
    """Engine statement ids the span overlaps by at least half of the shorter (FORMAT.md's rule)."""
    out = []
    for engine in readout.statements:
        overlap = min(st.end, engine.end) - max(st.start, engine.start)
        shorter = min(st.end - st.start, engine.end - engine.start)
        if overlap > 0 and shorter > 0 and 2 * overlap >= shorter:
            out.append(engine.id)
    return tuple(out)


def _index(readout: Readout) -> dict[str, int]:
    return {st.id: i for i, st in enumerate(readout.statements)}


def make_link(
    comparison: Comparison, analysis: Analysis | None, a_ids: Sequence[str], b_ids: Sequence[str],
    label: LinkLabel, *, by: str = "analyst", note: str = "",
) -> Link:
    """A link over these engine statements, scored from the Analysis (NaN without one), with its reasons."""
    ia, ib = _index(comparison.a), _index(comparison.b)
    rows = sorted(ia[x] for x in set(a_ids))
    cols = sorted(ib[x] for x in set(b_ids))
    score, scores = float("nan"), ()  # type: tuple[float, tuple[tuple[str, float], ...]]
    if analysis is not None and analysis.features.size:
        block = np.ix_(rows, cols)
        probability = link_probability(analysis.features)
        score = round(float(probability[block].mean()), 4)
        scores = tuple(
            (name, round(float(getattr(analysis, name)[block].mean()), 4)) for name in ("semantic", "lexical", "keyword")
        )
    a_st = [comparison.a.statements[i] for i in rows]
    b_st = [comparison.b.statements[j] for j in cols]
    return Link(
        a=tuple(st.id for st in a_st), b=tuple(st.id for st in b_st), label=label, score=score, scores=scores,
        reasons=explain_link(a_st, b_st), by=by, note=note,  # type: ignore[arg-type]
    )


def _nearest(comparison: Comparison, analysis: Analysis | None, sid: str) -> Nearest:
    known = comparison.nearest.get(sid)
    if known is not None:
        return known
    if analysis is None or not analysis.features.size:
        return Nearest(sid, None, 0.0)
    probability = link_probability(analysis.features)
    ia, ib = _index(comparison.a), _index(comparison.b)
    if sid in ia:
        j = int(probability[ia[sid]].argmax())
        return Nearest(sid, comparison.b.statements[j].id, round(float(probability[ia[sid], j]), 4))
    i = int(probability[:, ib[sid]].argmax())
    return Nearest(sid, comparison.a.statements[i].id, round(float(probability[i, ib[sid]]), 4))


def apply(
    comparison: Comparison, corrections: Corrections, analysis: Analysis | None = None, *, source: str = "",
    sha256: str = "",
) -> tuple[Comparison, ApplyReport]:
    """The comparison with the corrections applied, and a report of what could not be applied."""
    readouts = {"A": comparison.a, "B": comparison.b}
    same = {
        side: not sha or sha == text_sha256(readouts[side].text) for side, sha in zip("AB", corrections.sha256)
    }
    stale: list[str] = []
    stale_ids: set[str] = set()
    unmatched: list[str] = []
    mapping: dict[str, tuple[str, ...]] = {}
    for st in corrections.statements:
        located = _relocate(st, readouts[st.side], same[st.side])
        if located is None:
            stale_ids.add(st.id)
            stale.append(f"{st.id} {_quote(st.text)!r}: " + ("no longer in the readout" if st.text else "span outside the text"))
            continue
        ids = _map(located, readouts[st.side])
        if not ids:
            unmatched.append(f"{st.id} ({st.start}..{st.end}): matches no statement of {readouts[st.side].label}")
            continue
        mapping[st.id] = ids
    usable: list[tuple[CorrectionLink, tuple[str, ...], tuple[str, ...]]] = []
    for link in corrections.links:
        missing = [x for x in (*link.a, *link.b) if x not in mapping]
        if missing:
            (stale if stale_ids & set(missing) else unmatched).append(
                f"link {'+'.join(link.a)} ~ {'+'.join(link.b)}: statement {', '.join(missing)} not applied"
            )
            continue
        a_ids = tuple(dict.fromkeys(x for s in link.a for x in mapping[s]))
        b_ids = tuple(dict.fromkeys(x for s in link.b for x in mapping[s]))
        usable.append((link, a_ids, b_ids))
    linked_in_file = {x for link in corrections.links for x in (*link.a, *link.b)}
    decided = {x for s, ids in mapping.items() if s not in linked_in_file for x in ids}
    decided |= {x for _, a_ids, b_ids in usable for x in (*a_ids, *b_ids)}
    new_links: list[Link] = []
    for engine_link in comparison.links:
        a_ids = tuple(x for x in engine_link.a if x not in decided)
        b_ids = tuple(x for x in engine_link.b if x not in decided)
        if (a_ids, b_ids) == (engine_link.a, engine_link.b):
            new_links.append(engine_link)
        elif a_ids and b_ids:
            new_links.append(make_link(comparison, analysis, a_ids, b_ids, engine_link.label, by="engine"))
    seen_blocks: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for link, a_ids, b_ids in usable:
        if (a_ids, b_ids) in seen_blocks:
            continue
        seen_blocks.add((a_ids, b_ids))
        label: LinkLabel = "emphasis" if link.label == "emphasis" else "shared"
        new_links.append(make_link(comparison, analysis, a_ids, b_ids, label, note=link.note))
    order = {**_index(comparison.a), **_index(comparison.b)}
    new_links.sort(key=lambda lk: (min(order[x] for x in lk.a), min(order[x] for x in lk.b), lk.label))
    linked = {x for lk in new_links for x in (*lk.a, *lk.b)}
    omissions = {
        r.side: tuple(st.id for st in r.statements if st.id not in linked) for r in comparison.readouts
    }
    nearest = {sid: _nearest(comparison, analysis, sid) for ids in omissions.values() for sid in ids}
    notes = tuple(
        sorted((x, note) for s, note in corrections.notes if s in mapping for x in mapping[s] if x not in linked)
    )
    engine_links = tuple(
        (st.id, comparison.links_of(st.id)) for r in comparison.readouts for st in r.statements if st.id in decided
    )
    applied = len(seen_blocks) + sum(1 for s in mapping if s not in linked_in_file)
    review = Review(
        analyst_omissions=frozenset(x for x in decided if x not in linked),
        omission_notes=notes,
        engine_links=engine_links,
        source=source,
        sha256=sha256,
        applied=applied,
        stale=tuple(stale),
        unmatched=tuple(unmatched),
    )
    changed = new_links != list(comparison.links)
    profile = (
        build_profile(comparison.readouts, new_links, embeddings=analysis.vectors if analysis else None)
        if changed else comparison.profile
    )
    result = replace(
        comparison, links=tuple(new_links), omissions=omissions, nearest=nearest, profile=profile, review=review
    )
    return result, ApplyReport(applied=applied, stale=tuple(stale), unmatched=tuple(unmatched), mapping=mapping)
