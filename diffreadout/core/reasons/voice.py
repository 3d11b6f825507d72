"""Reasons of voice: who is said to speak (attribution), how strongly (strength) and for or against (stance).

Each check compares the two sides of one link and adds its findings; see engine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from diffreadout.core.reasons.doc import Doc, Findings, make_reason, quoted
from diffreadout.core.reasons.facts import Polar, normalise
from diffreadout.core.reasons.speech import Attribution, describe_speaker, same_speaker
from diffreadout.core.reasons.strength import LEVEL_WORDS, StrengthMark, comparable
from diffreadout.core.text.words import STOPWORDS, stem
from diffreadout.model import Span


# ---- attribution ---------------------------------------------------------------------------


def _principals(doc: Doc) -> list[Attribution]:
    """The first speaker of each statement on this side."""
    out: dict[int, Attribution] = {}
    for att in doc.cues.attributions:
        out.setdefault(doc.piece_of(att.verb_start), att)
    return [out[k] for k in sorted(out)]


def attribution_reasons(a: Doc, b: Doc, f: Findings) -> None:
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


def strength_reasons(a: Doc, b: Doc, f: Findings) -> None:
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


def stance_reasons(a: Doc, b: Doc, f: Findings) -> None:
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
