"""Why two linked statements differ: attribution, strength, stance, detail, numbers, quotes, wording.

``explain`` (one pair) and ``explain_link`` (one-to-many) return Reasons whose evidence spans
are absolute offsets into each readout's text; ``material_difference`` condenses the same
findings into one 0..1 figure the aligner can weigh when it labels a link shared or emphasis.
Everything here is pure and deterministic. The cue extractors live in ``emphasis_speech`` (who
speaks, how strongly), ``emphasis_facts`` (figures, names, quotations, polarity) and
``emphasis_wording`` (terms, and the quote and wording rules); ``emphasis_doc`` joins a link side.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from diffreadout.core.reasons.doc import Cues, Doc, Findings, make_reason, quoted
from diffreadout.core.reasons.facts import Mention, Polar, Quantity, comparable_quantities, normalise, same_value
from diffreadout.core.reasons.speech import Attribution, describe_speaker, extract_attribution, same_speaker
from diffreadout.core.reasons.strength import StrengthMark, comparable, reporting_strength
from diffreadout.core.text.countries import country_of
from diffreadout.core.text.words import STOPWORDS, WORD, stem
from diffreadout.core.reasons.wording import quote_reasons, wording_reasons
from diffreadout.model import Reason, Span, Statement

__all__ = [
    "CODES",
    "Attribution",
    "StrengthMark",
    "difference_features",
    "explain",
    "explain_link",
    "extract_attribution",
    "material_difference",
    "material_difference_link",
    "reporting_strength",
]

CODES = ("attribution", "strength", "stance", "detail", "numbers", "quote", "wording")
LEVEL_WORDS = {1: "weak", 2: "plain", 3: "strong", 4: "very strong", 5: "strongest"}
# Weights of the noisy-OR in material_difference: how far each kind of finding, on its own,
# makes a link "emphasis" rather than "shared". Principles, not tuned to a case: who initiated
# and who speaks are material by annotation policy; a contradiction is; wording alone is not.
WEIGHTS: dict[str, float] = {
    "attribution": 0.6,
    "initiative": 0.8,
    "strength": 0.6,
    "stance": 0.7,
    "numbers": 0.5,
    "detail": 0.3,
    "quote": 0.3,
    "wording": 0.25,
}


# ---- attribution ---------------------------------------------------------------------------


def _principals(doc: Doc) -> list[Attribution]:
    """The first speaker of each statement on this side."""
    out: dict[int, Attribution] = {}
    for att in doc.cues.attributions:
        out.setdefault(doc.piece_of(att.verb_start), att)
    return [out[k] for k in sorted(out)]


def _attribution(a: Doc, b: Doc, f: Findings) -> None:
    pa, pb = _principals(a), _principals(b)
    if not pa or not pb:
        return
    if any(same_speaker(x, y) is not False for x in pa for y in pb):
        return
    x, y = pa[0], pb[0]
    group = ("collective", "impersonal")
    if "impersonal" in (x.kind, y.kind):
        (d1, p1), (d2, p2) = ((a, x), (b, y)) if x.kind == "impersonal" else ((b, y), (a, x))
        summary = (
            f"{d1.side} reports this impersonally ({quoted(p1.speaker)}); "
            f"{d2.side} attributes it to {describe_speaker(p2)}"
        )
        kind = "impersonal-vs-named"
    elif (x.kind in group) != (y.kind in group):
        (d1, p1), (d2, p2) = ((a, x), (b, y)) if x.kind in group else ((b, y), (a, x))
        summary = (
            f"{d1.side} presents this as a position of {describe_speaker(p1)}; "
            f"{d2.side} attributes it to {describe_speaker(p2)} alone"
        )
        kind = "shared-vs-single"
    else:
        summary = f"{a.side} attributes this to {describe_speaker(x)}, {b.side} to {describe_speaker(y)}"
        kind = "different-speaker"
    reason = make_reason(
        "attribution",
        summary,
        [
            a.span(x.start, x.end),
            a.span(x.verb_start, x.verb_end),
            b.span(y.start, y.end),
            b.span(y.verb_start, y.verb_end),
        ],
        [(a.side, describe_speaker(x)), (b.side, describe_speaker(y)), ("kind", kind)],
    )
    if reason:
        f.reasons.append(reason)
        f.features["attribution"] = 1.0


# ---- strength ------------------------------------------------------------------------------


def _group(mark: StrengthMark) -> str:
    return mark.family if mark.family in ("agreement", "modal") else "speech"


def _scopes(doc: Doc) -> list[frozenset[str]]:
    """Content stems each mark governs: from the mark to the next mark of its group, within its statement."""
    marks = doc.cues.marks
    scopes = []
    for k, mark in enumerate(marks):
        end = doc.pieces[doc.piece_of(mark.start)][1]
        nxt = [m.start for m in marks[k + 1 :] if _group(m) == _group(mark) and m.start >= mark.end]
        end = min([end, *nxt])
        text = doc.text[mark.end : end]
        if len(normalise(text).split()) < 2:  # a trailing frame (", Admiral Tan added.") governs what precedes it
            text = doc.text[doc.pieces[doc.piece_of(mark.start)][0] : mark.start]
        scopes.append(frozenset(stem(w) for w in normalise(text).split() if w not in STOPWORDS))
    return scopes


def _strength(a: Doc, b: Doc, f: Findings) -> None:
    ma, mb = a.cues.marks, b.cues.marks
    if not ma or not mb:
        return
    sa, sb = _scopes(a), _scopes(b)
    candidates = []
    for i, x in enumerate(ma):
        for j, y in enumerate(mb):
            if not comparable(x, y):
                continue
            overlap = len(sa[i] & sb[j]) / max(1, min(len(sa[i]), len(sb[j])))
            candidates.append((x.family != y.family, -overlap, i, j, overlap))
    candidates.sort()
    singles = {
        g
        for g in ("speech", "agreement", "modal")
        if sum(_group(m) == g for m in ma) == 1 and sum(_group(m) == g for m in mb) == 1
    }
    used_a: set[int] = set()
    used_b: set[int] = set()
    gap_max = 0
    for _, _, i, j, overlap in candidates:
        if i in used_a or j in used_b:
            continue
        x, y = ma[i], mb[j]
        if overlap <= 0 and not (_group(x) == _group(y) and _group(x) in singles):
            continue
        used_a.add(i)
        used_b.add(j)
        gap = abs(x.level - y.level)
        if gap == 0:
            continue
        gap_max = max(gap_max, gap)
        stronger = a.side if x.level > y.level else b.side
        reason = make_reason(
            "strength",
            f"{a.side} {quoted(x.cue)} ({LEVEL_WORDS[x.level]}) vs {b.side} {quoted(y.cue)} "
            f"({LEVEL_WORDS[y.level]}): {stronger} is stronger",
            [a.span(x.start, x.end), b.span(y.start, y.end)],
            [
                (a.side, x.cue),
                (b.side, y.cue),
                ("family", x.family if x.family == y.family else f"{x.family}/{y.family}"),
                ("gap", str(gap)),
            ],
        )
        if reason:
            f.reasons.append(reason)
    if gap_max:
        f.features["strength"] = 1.0 if gap_max >= 2 else 0.4
        f.features["strength_gap"] = float(gap_max)


# ---- stance --------------------------------------------------------------------------------


_STOP_STEMS = frozenset(stem(w) for w in STOPWORDS)


def _negated_heads(doc: Doc) -> dict[str, Polar]:
    """The negated predicate of each negation (its first content word, adverbs skipped), by stem."""
    out: dict[str, Polar] = {}
    done: set[int] = set()
    for p in doc.cues.polar:
        if p.scope < 0 or p.scope in done or p.word in STOPWORDS or p.word.endswith("ly"):
            continue
        done.add(p.scope)
        out.setdefault(stem(p.word), p)
    return out


def _words(polar: Sequence[Polar]) -> str:
    return ", ".join(dict.fromkeys(p.word for p in polar))


def _stance(a: Doc, b: Doc, f: Findings) -> None:
    spans: list[Span] = []
    contrasts: list[str] = []
    for doc, other in ((a, b), (b, a)):
        negated = _negated_heads(doc)
        affirmed = {stem(p.word) for p in other.cues.polar if p.negated}
        for key, p in sorted(negated.items()):
            if key in other.cues.stems and key not in affirmed and key not in _STOP_STEMS:
                hit = re.search(rf"\b{re.escape(p.word)}\w*", other.text, re.IGNORECASE) or re.search(
                    rf"\b{re.escape(key)}\w*", other.text, re.IGNORECASE
                )
                if hit:
                    spans += [doc.span(p.start, p.end), other.span(hit.start(), hit.end())]
                    contrasts.append(f"{doc.side} negates {quoted(p.word)}, {other.side} affirms it")
    pol = {}
    for doc in (a, b):
        pos = [p for p in doc.cues.polar if p.polarity > 0]
        neg = [p for p in doc.cues.polar if p.polarity < 0]
        score = (len(pos) - len(neg)) / (len(pos) + len(neg)) if pos or neg else 0.0
        pol[doc.side] = (score, pos, neg)
    (sa, pa, na), (sb, pb, nb) = pol[a.side], pol[b.side]
    opposite = sa * sb < 0 and abs(sa) >= 0.5 and abs(sb) >= 0.5 and len(pa) + len(na) + len(pb) + len(nb) >= 3
    if opposite:
        main_a, main_b = (pa, nb) if sa > 0 else (na, pb)
        spans += [a.span(p.start, p.end) for p in main_a] + [b.span(p.start, p.end) for p in main_b]
    if not contrasts and not opposite:
        return
    contradiction = bool(contrasts) or (opposite and abs(sa) == 1.0 and abs(sb) == 1.0)
    parts = list(contrasts)
    if opposite:
        parts.append(
            f"{a.side} evaluates it {'positively' if sa > 0 else 'negatively'} ({_words(main_a)}), "
            f"{b.side} {'positively' if sb > 0 else 'negatively'} ({_words(main_b)})"
        )
    summary = ("contradiction: " if contradiction else "opposite stance: ") + "; ".join(parts)
    reason = make_reason("stance", summary, spans, [("contradiction", "yes" if contradiction else "no")])
    if reason:
        f.reasons.append(reason)
        f.features["stance"] = 1.0 if contradiction else 0.6


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


def _numbers_and_detail(a: Doc, b: Doc, f: Findings) -> None:
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


def _initiative(a: Doc, b: Doc, f: Findings) -> None:
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


def _elaboration(a: Doc, b: Doc, f: Findings) -> None:
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


def _analyse(link_a: Sequence[Statement], link_b: Sequence[Statement]) -> Findings:
    return _analyse_cached(tuple(link_a), tuple(link_b))


@lru_cache(maxsize=16384)
def _analyse_cached(link_a: tuple[Statement, ...], link_b: tuple[Statement, ...]) -> Findings:
    """The findings of one pair or link (cached: labelling and explaining meet the same pairs).

    Callers must not mutate the returned Findings.
    """
    a, b = Doc.of(link_a), Doc.of(link_b)
    findings = Findings([], {})
    steps = (
        _attribution,
        _strength,
        _stance,
        _initiative,
        _numbers_and_detail,
        _elaboration,
        quote_reasons,
        wording_reasons,
    )
    for step in steps:
        step(a, b, findings)
    order = {code: k for k, code in enumerate(CODES)}
    findings.reasons.sort(key=lambda r: (order.get(r.code, len(order)), r.evidence[0].side, r.evidence[0].start))
    return findings


def explain(a: Statement, b: Statement) -> tuple[Reason, ...]:
    """Why two linked statements differ: reasons in the order of CODES, each with its evidence spans."""
    return tuple(_analyse([a], [b]).reasons)


def explain_link(link_a: Sequence[Statement], link_b: Sequence[Statement]) -> tuple[Reason, ...]:
    """Reasons for a one-to-many or many-to-many link, read as the joined statements of each side.

    Joining lets a figure stated in one statement answer a figure in another, and reports a
    speaker difference only when no statement on one side shares a speaker with the other.
    """
    return tuple(_analyse(link_a, link_b).reasons)


def difference_features(a: Statement | Sequence[Statement], b: Statement | Sequence[Statement]) -> dict[str, float]:
    """The findings as features in 0..1 (strength_gap and detail_items are counts).

    The keys of WEIGHTS feed material_difference; ``elaboration`` (how much more one side says,
    0..1) is reported for a learned combination but left out of the noisy-OR, where it did not
    help tell shared from emphasis.
    """
    link_a = [a] if isinstance(a, Statement) else list(a)
    link_b = [b] if isinstance(b, Statement) else list(b)
    features = {name: 0.0 for name in WEIGHTS}
    features.update({"strength_gap": 0.0, "detail_items": 0.0, "elaboration": 0.0})
    features.update(_analyse(link_a, link_b).features)
    return features


def material_difference(a: Statement, b: Statement) -> float:
    """How materially two statements on the same matter differ, 0 (same substance) to 1.

    A noisy-OR of the findings: each kind of finding alone makes the difference material
    with its WEIGHTS probability, and independent findings accumulate.
    """
    return material_difference_from(difference_features(a, b))


def material_difference_link(link_a: Sequence[Statement], link_b: Sequence[Statement]) -> float:
    """material_difference for a one-to-many or many-to-many link."""
    return material_difference_from(difference_features(link_a, link_b))


def material_difference_from(features: dict[str, float]) -> float:
    """Combine difference_features into one 0..1 score (a noisy-OR over WEIGHTS)."""
    keep = 1.0
    for name, weight in WEIGHTS.items():
        keep *= 1.0 - weight * min(1.0, max(0.0, features.get(name, 0.0)))
    return round(1.0 - keep, 4)
