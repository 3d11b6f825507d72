"""The analyst's edits (link, unlink, label, split, note) as pure functions: corrected comparison in, Corrections out.

Each edit changes the corrected alignment, then ``from_comparison`` writes the decided
statements (those touched now or before) and their links back as Corrections, which
``apply`` turns into the next comparison. Undo is keeping the previous Corrections.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from diffreadout.core.align.links import label_features, link_probability, shared_probability
from diffreadout.core.corrections.format import Corrections, from_comparison
from diffreadout.model import Analysis, Comparison, Link, LinkLabel


def _decided(current: Comparison) -> set[str]:
    return {sid for sid, _ in current.review.engine_links} if current.review else set()


def _notes(current: Comparison) -> dict[str, str]:
    return dict(current.review.omission_notes) if current.review else {}


def _without(links: Iterable[Link], ids: set[str]) -> list[Link]:
    """The links less these statements (a link left with an empty side goes)."""
    out = []
    for link in links:
        a = tuple(x for x in link.a if x not in ids)
        b = tuple(x for x in link.b if x not in ids)
        if (a, b) == (link.a, link.b):
            out.append(link)
        elif a and b:
            out.append(replace(link, a=a, b=b))
    return out


def _result(current: Comparison, links: list[Link], touched: set[str], notes: dict[str, str] | None = None) -> Corrections:
    notes = _notes(current) if notes is None else notes
    return from_comparison(replace(current, links=tuple(links)), _decided(current) | touched, notes)


def engine_label(current: Comparison, analysis: Analysis | None, a_ids: Sequence[str], b_ids: Sequence[str]) -> LinkLabel:
    """The label the engine's label model gives these statements (shared without an Analysis)."""
    if analysis is None or not analysis.features.size:
        return "shared"
    ia = {st.id: i for i, st in enumerate(current.a.statements)}
    ib = {st.id: j for j, st in enumerate(current.b.statements)}
    pairs = [(ia[x], ib[y]) for x in a_ids for y in b_ids]
    prob = shared_probability(label_features(analysis.features, current.a.statements, current.b.statements, pairs))
    threshold = dict(current.thresholds).get("shared", 0.5)
    return "shared" if float(np.mean(prob)) >= threshold else "emphasis"


def link_statements(
    current: Comparison, a_ids: Sequence[str], b_ids: Sequence[str], label: LinkLabel | None = None,
    analysis: Analysis | None = None,
) -> Corrections:
    """Link these statements of A and B as one link (each leaves the link it was in)."""
    if not a_ids or not b_ids:
        raise ValueError("a link needs statements of both sides")
    ids = {*a_ids, *b_ids}
    chosen = label or engine_label(current, analysis, a_ids, b_ids)
    links = _without(current.links, ids)
    links.append(Link(a=tuple(a_ids), b=tuple(b_ids), label=chosen, score=float("nan"), by="analyst"))
    return _result(current, links, ids)


def unlink(current: Comparison, statement_id: str) -> Corrections:
    """Take a statement out of every link it is in: it becomes an omission, the analyst's."""
    touched = {statement_id} | {x for link in current.links_of(statement_id) for x in (*link.a, *link.b)}
    return _result(current, _without(current.links, {statement_id}), touched)


def set_label(current: Comparison, link: Link, label: LinkLabel) -> Corrections:
    """Give one link of the current comparison this label."""
    links = [replace(lk, label=label) if lk == link else lk for lk in current.links]
    return _result(current, links, {*link.a, *link.b})


def split_link(current: Comparison, link: Link, analysis: Analysis | None = None) -> Corrections:
    """Split a link of several statements into one-to-one links, best pairs first; the rest become omissions."""
    ia = {st.id: i for i, st in enumerate(current.a.statements)}
    ib = {st.id: j for j, st in enumerate(current.b.statements)}
    if analysis is not None and analysis.features.size:
        probability = link_probability(analysis.features)
        score = {(x, y): float(probability[ia[x], ib[y]]) for x in link.a for y in link.b}
    else:
        score = {(x, y): -abs(ia[x] / max(1, len(ia)) - ib[y] / max(1, len(ib))) for x in link.a for y in link.b}
    pairs: list[tuple[str, str]] = []
    used: set[str] = set()
    for (x, y), _ in sorted(score.items(), key=lambda kv: (-kv[1], ia[kv[0][0]], ib[kv[0][1]])):
        if x not in used and y not in used:
            pairs.append((x, y))
            used |= {x, y}
    links = [lk for lk in current.links if lk != link]
    links += [Link(a=(x,), b=(y,), label=link.label, score=float("nan"), by="analyst", note=link.note) for x, y in pairs]
    return _result(current, links, {*link.a, *link.b})


def set_note(current: Comparison, statement_id: str, note: str) -> Corrections:
    """Attach a note to the link of a statement (every link it is in), or to the statement as an omission."""
    note = " ".join(note.split())
    mine = current.links_of(statement_id)
    if mine:
        links = [replace(lk, note=note) if lk in mine else lk for lk in current.links]
        return _result(current, links, {x for lk in mine for x in (*lk.a, *lk.b)})
    notes = _notes(current)
    notes[statement_id] = note
    if not note:
        notes.pop(statement_id)
    return _result(current, list(current.links), {statement_id}, notes)


def join(current: Comparison, own_id: str, chosen: Sequence[str], analysis: Analysis | None = None) -> Corrections:
    """Link one statement to the chosen statements of the other side, joining the links they are in.

    Picking A5 from B7's row, where A5 is linked to B6, makes the link A5 ~ B6+B7; the statement
    leaves its own link unless that link is one of them. The label is the joined link's, else the engine's.
    """
    own_is_a = any(st.id == own_id for st in current.a.statements)
    joined = [lk for lk in current.links if set(lk.b if own_is_a else lk.a) & set(chosen)]
    own_side = {own_id} | {x for lk in joined for x in (lk.a if own_is_a else lk.b)}
    other_side = set(chosen) | {x for lk in joined for x in (lk.b if own_is_a else lk.a)}
    order = {st.id: k for r in current.readouts for k, st in enumerate(r.statements)}
    own_ids = sorted(own_side, key=order.__getitem__)
    other_ids = sorted(other_side, key=order.__getitem__)
    labels = {lk.label for lk in joined}
    label: LinkLabel | None = labels.pop() if len(labels) == 1 else None
    a_ids, b_ids = (own_ids, other_ids) if own_is_a else (other_ids, own_ids)
    return link_statements(current, a_ids, b_ids, label, analysis)
