"""Reasons of detail: figures that differ, names and deliverables one side gives, initiative, elaboration.

Each check compares the two sides of one link and adds its findings; see engine.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from diffreadout.core.reasons.doc import Cues, Doc, Findings, make_reason, quoted
from diffreadout.core.reasons.facts import Mention, normalise
from diffreadout.core.reasons.quantities import Quantity, comparable_quantities, same_value
from diffreadout.core.text.countries import country_of
from diffreadout.core.text.words import STOPWORDS, WORD, stem


# ---- detail and numbers --------------------------------------------------------------------


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w’'-]*", text)).upper()


def _entity_present(m: Mention, other: Cues) -> bool:
    """Whether a name also appears on the other side: a shared word, or an acronym of it."""
    if m.keys & other.stems:
        return True
    if re.fullmatch(r"[A-Z]{2,6}", m.text):
        return m.text in {_initials(e.text) for e in other.entities} or m.text.lower() in other.lower
    initials = _initials(m.text)
    return len(initials) >= 2 and any(e.text == initials for e in other.entities)


def _quantity_text(doc: Doc, q: Quantity) -> str:
    if q.kind not in ("count", "ordinal") or not q.unit:
        return q.text
    tail = re.match(rf"(?:\s+[\w'’-]+){{0,{len(q.unit)}}}", doc.text[q.end : q.end + 60])
    return (q.text + (tail.group(0) if tail else "")).strip()


def number_and_detail_reasons(a: Doc, b: Doc, f: Findings) -> None:
    ca, cb = a.cues, b.cues
    # The same figure on both sides is no one-side detail, whatever noun follows it.
    matched_a = {
        i for i, x in enumerate(ca.quantities) if any(x.kind == y.kind and same_value(x, y) for y in cb.quantities)
    }
    matched_b = {
        j for j, y in enumerate(cb.quantities) if any(x.kind == y.kind and same_value(x, y) for x in ca.quantities)
    }
    differing = 0
    paired_a: set[int] = set()
    paired_b: set[int] = set()
    for i, x in enumerate(ca.quantities):
        if i in matched_a:
            continue
        for j, y in enumerate(cb.quantities):
            if j in matched_b or j in paired_b or not comparable_quantities(x, y):
                continue
            paired_a.add(i)
            paired_b.add(j)
            differing += 1
            reason = make_reason(
                "numbers",
                f"{x.kind}: {a.side} {quoted(_quantity_text(a, x))} vs {b.side} {quoted(_quantity_text(b, y))}",
                [a.span(x.start, x.end), b.span(y.start, y.end)],
                [("kind", x.kind), (a.side, x.text), (b.side, y.text)],
            )
            if reason:
                f.reasons.append(reason)
            break
    if differing:
        f.features["numbers"] = 1.0
    for doc, other, matched, paired in ((a, b, matched_a, paired_a), (b, a, matched_b, paired_b)):
        speakers = [(att.start, att.end) for att in doc.cues.attributions] + [
            (q.start, q.end) for q in doc.cues.quantities
        ]
        # Weights: a figure or a deliverable is a material detail; a date or time less so, and
        # the name of a country (mostly the two parties themselves) least.
        items: list[tuple[str, int, int]] = []
        weight = 0.0
        for k, q in enumerate(doc.cues.quantities):
            if k not in matched and k not in paired:
                items.append(
                    (f"{'date' if q.kind == 'date' else 'figure'} {quoted(_quantity_text(doc, q))}", q.start, q.end)
                )
                weight += 0.5 if q.kind in ("date", "time") else 1.0
        inside_initiative = [(m.start, m.end) for m in doc.cues.initiative]
        for m in doc.cues.entities:
            if any(s < m.end and m.start < e for s, e in speakers + inside_initiative) or _entity_present(
                m, other.cues
            ):
                continue
            items.append((f"name {quoted(m.text)}", m.start, m.end))
            weight += 0.25 if all(country_of(k) for k in m.keys) else 0.75
        for m in doc.cues.deliverables:
            if any(s <= m.start < e for s, e in inside_initiative):
                continue
            if not (
                m.keys & {" ".join(stem(w) for w in normalise(d.text).split()[:2]) for d in other.cues.deliverables}
            ) and not all(stem(w) in other.cues.stems for w in normalise(m.text).split() if w not in STOPWORDS):
                items.append((f"deliverable {quoted(m.text)}", m.start, m.end))
                weight += 1.0
        if not items:
            continue
        items.sort(key=lambda item: item[1])
        reason = make_reason(
            "detail",
            f"only {doc.side} gives "
            + ", ".join(label for label, _, _ in items[:6])
            + (" …" if len(items) > 6 else ""),
            [doc.span(s, e) for _, s, e in items],
            [("side", doc.side), ("items", str(len(items)))],
        )
        if reason:
            f.reasons.append(reason)
            f.features["detail"] = max(f.features.get("detail", 0.0), 1.0 - math.exp(-weight / 3.0))
            f.features["detail_items"] = f.features.get("detail_items", 0.0) + len(items)


def initiative_reasons(a: Doc, b: Doc, f: Findings) -> None:
    """Who initiated the meeting, said on one side only or differently ("at the initiative of ...")."""
    for doc, other in ((a, b), (b, a)):
        _one_side_initiative(doc, other, f)


def _one_side_initiative(doc: Doc, other: Doc, f: Findings) -> None:
    mine, theirs = doc.cues.initiative, other.cues.initiative
    if not mine:
        return
    if not theirs:
        summary = f"only {doc.side} says who initiated: {quoted(mine[0].text)}"
    elif doc.side < other.side and not any(m.keys == t.keys for m in mine for t in theirs):
        summary = (
            f"the sides name different initiators: {doc.side} {quoted(mine[0].text)}, "
            f"{other.side} {quoted(theirs[0].text)}"
        )
    else:
        return
    spans = [doc.span(m.start, m.end) for m in mine] + ([other.span(t.start, t.end) for t in theirs] if theirs else [])
    reason = make_reason("detail", summary, spans, [("side", doc.side), ("initiative", mine[0].text)])
    if reason:
        f.reasons.append(reason)
        f.features["initiative"] = 1.0


def _content(doc: Doc) -> dict[str, tuple[int, int]]:
    """Content stems of a side (speakers and reporting verbs left out), each with its first span."""
    return dict(_content_of(doc))


@lru_cache(maxsize=16384)
def _content_of(doc: Doc) -> tuple[tuple[str, tuple[int, int]], ...]:
    text, found = doc.text, doc.cues
    skipped = bytearray(len(text))  # 1 where a speaker or a reporting verb stands
    for start, end in [(x.start, x.end) for x in found.attributions] + [(m.start, m.end) for m in found.marks]:
        skipped[start:end] = b"\x01" * (end - start)
    out: dict[str, tuple[int, int]] = {}
    for m in WORD.finditer(text):
        word = m.group(0).lower()
        if word in STOPWORDS or len(word) < 3 or word[0].isdigit() or skipped[m.start()]:
            continue
        out.setdefault(stem(word), (m.start(), m.end()))
    return tuple(out.items())


def elaboration_reasons(a: Doc, b: Doc, f: Findings) -> None:
    """One side says much more about the matter: content words without counterpart, one side heavier."""
    ca, cb = _content(a), _content(b)
    reported = {
        doc.side: [(m.start, m.end) for m in (*doc.cues.entities, *doc.cues.deliverables)]
        + [(q.start, q.end) for q in doc.cues.quantities]
        for doc in (a, b)
    }
    if not ca or not cb:
        return
    only_a = [k for k in ca if k not in cb]
    only_b = [k for k in cb if k not in ca]
    union = len(set(ca) | set(cb))
    score = abs(len(only_a) - len(only_b)) / union
    f.features["elaboration"] = round(score, 4)
    if score < 0.5:
        return
    doc, extra, spans = (a, only_a, ca) if len(only_a) > len(only_b) else (b, only_b, cb)
    other = b if doc is a else a
    extra = [k for k in extra if not any(s <= spans[k][0] < e for s, e in reported[doc.side])]
    if len(extra) < 3:
        return  # what is extra is already reported as names, figures or deliverables
    words = [doc.text[spans[k][0] : spans[k][1]] for k in extra]
    reason = make_reason(
        "detail",
        f"{doc.side} says more: {len(extra)} content words with no counterpart in {other.side} ("
        + ", ".join(words[:6])
        + (" …" if len(words) > 6 else "")
        + ")",
        [doc.span(*spans[k]) for k in extra],
        [("side", doc.side), ("elaboration", f"{score:.2f}")],
    )
    if reason:
        f.reasons.append(reason)


# ---- public API ----------------------------------------------------------------------------
