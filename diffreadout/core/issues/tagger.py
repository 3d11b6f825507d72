"""Tag each statement with the issues it addresses, each with the spans that name it.

Two sources: the lexicon (``lexicon.toml`` plus a user file), and names found in the two texts
themselves: a salient proper noun or a rare two-word phrase that both readouts use, and that
neither uses everywhere, is an issue the lexicon may lack ("Istanbul", "high speed rail").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from diffreadout.core.issues.lexicon import IssueDef, load_lexicon, word_prefixes
from diffreadout.core.text.countries import country_of
from diffreadout.core.text.words import STOPWORDS, TOKEN, suffix_stem
from diffreadout.model import IssueTag, Readout, Span, Statement

__all__ = ["tag_pair", "tag_statement"]

# Capitalised words that name roles and institutions, not issues.
_ROLE_WORDS = frozenset(
    """
    president presidents minister ministers secretary foreign director spokesperson ambassador
    deputy prime state department ministry office government party chairman chair vice general
    member members commission commissioner council representative high senior counselor
    counsellor adviser advisor assistant under mr mrs ms dr his her excellency he she they the
    a an both we our it this that in on at for and of to with by during today yesterday
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday readout call meeting talks
    affairs external eam hr vp hr/vp ministers' phone telephone conversation spoke united
    nations federation republic people's kingdom
    """.split()
)
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*")


def tag_statement(statement: Statement, lexicon: Sequence[IssueDef], first: bool = False) -> list[IssueTag]:
    """The lexicon's issues in one statement, with evidence spans into the readout's text."""
    prefixes = word_prefixes(statement.text)
    found = [(issue, [(m.start(), m.end()) for m in issue.finditer(statement.text, prefixes)]) for issue in lexicon]
    # A match inside another issue's longer term, with words of it on both sides, is part of that
    # name: "Middle East" in "India-Middle East-Europe Economic Corridor" names the corridor.
    every = [(s, e, issue.id) for issue, matches in found for s, e in matches]
    tags: list[IssueTag] = []
    for issue, matches in found:
        kept = [
            (s, e) for s, e in matches
            if not any(o != issue.id and os < s and e < oe for os, oe, o in every)
        ]
        if kept:
            spans = tuple(Span(statement.side, statement.start + s, statement.start + e) for s, e in kept)
            tags.append(IssueTag(issue.id, issue.name, issue.kind, spans))
    by_id = {issue.id: issue for issue in lexicon}
    for tag in list(tags):
        for parent_id in by_id[tag.id].within:
            parent = by_id[parent_id]
            known = next((k for k, t in enumerate(tags) if t.id == parent_id), None)
            if known is None:
                tags.append(IssueTag(parent.id, parent.name, parent.kind, tag.evidence))
            else:
                merged = tuple(sorted(set(tags[known].evidence) | set(tag.evidence), key=lambda x: (x.start, x.end)))
                tags[known] = IssueTag(parent.id, parent.name, parent.kind, merged)
    order = {issue.id: k for k, issue in enumerate(lexicon)}
    tags.sort(key=lambda t: order[t.id])
    if first and not statement.text.rstrip().endswith((".", "!", "?", ":")):
        # A title names the meeting, whatever words it uses.
        if not any(t.id == "meeting" for t in tags):
            name = next((i.name for i in lexicon if i.id == "meeting"), "The meeting itself")
            tags.append(IssueTag("meeting", name, "meeting", (Span(statement.side, statement.start, statement.end),)))
    return tags


def _candidates(statement: Statement) -> dict[str, list[tuple[int, int, str]]]:
    """Name keys in a statement: capitalised words (not the first word) and content-word bigrams."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(statement.text)]
    people: set[int] = set()
    after_role = False
    for k, (s, e, word) in enumerate(tokens):
        low = word.lower()
        capitalised = bool(_CAPITALISED.fullmatch(word))
        if capitalised and low in _ROLE_WORDS:
            after_role = True
            continue
        # A capitalised run after a title ("Foreign Minister Sergey Lavrov") is a person.
        person, after_role = after_role and capitalised, after_role and capitalised
        if person:
            people.add(k)
        if k == 0 or person or not capitalised or low in STOPWORDS:
            continue
        if country_of(low) or len(word) < 3 or word.isupper() and len(word) <= 2:
            continue
        out.setdefault("cap:" + suffix_stem(low), []).append((s, e, word))
    words = [(s, e, w.lower()) for s, e, w in tokens]
    for k, ((s1, _e1, w1), (_s2, e2, w2)) in enumerate(zip(words, words[1:])):
        if k in people or k + 1 in people or w1 in STOPWORDS or w2 in STOPWORDS or len(w1) < 4 or len(w2) < 4:
            continue
        if country_of(w1) or country_of(w2) or w1 in _ROLE_WORDS or w2 in _ROLE_WORDS:
            continue
        key = "bi:" + suffix_stem(w1) + " " + suffix_stem(w2)
        out.setdefault(key, []).append((s1, e2, statement.text[s1:e2]))
    return out


def _shared_names(a: Readout, b: Readout) -> tuple[dict[str, list[IssueTag]], dict[str, list[IssueTag]]]:
    """Names both readouts use in a few statements each: one data-driven issue per name."""
    found = [[_candidates(st) for st in r.statements] for r in (a, b)]
    df: list[dict[str, int]] = [{}, {}]
    for side, per_statement in enumerate(found):
        for keys in per_statement:
            for key in keys:
                df[side][key] = df[side].get(key, 0) + 1
    limits = [max(2, round(0.2 * len(r.statements))) for r in (a, b)]
    # Names in the title or first sentence name the meeting and its principals, not an issue.
    opening = {key for per_statement in found for keys in per_statement[:2] for key in keys}
    salient = sorted(
        k for k in df[0].keys() & df[1].keys() if df[0][k] <= limits[0] and df[1][k] <= limits[1] and k not in opening
    )
    out: tuple[dict[str, list[IssueTag]], dict[str, list[IssueTag]]] = ({}, {})
    for side, (readout, per_statement) in enumerate(zip((a, b), found)):
        for st, keys in zip(readout.statements, per_statement):
            for key in salient:
                hits = keys.get(key)
                if hits:
                    spans = tuple(Span(st.side, st.start + s, st.start + e) for s, e, _ in hits)
                    out[side].setdefault(st.id, []).append(IssueTag("name:" + key[key.index(":") + 1:], hits[0][2], "name", spans))
    return out


def tag_pair(a: Readout, b: Readout, user_file: str | None = None) -> dict[str, tuple[IssueTag, ...]]:
    """Each statement's issues (lexicon, then shared names), by statement id; the same either way round.

    A statement that names no issue has no entry.
    """
    lexicon = load_lexicon(user_file)
    names = _shared_names(a, b)
    out: dict[str, tuple[IssueTag, ...]] = {}
    for side, readout in enumerate((a, b)):
        for k, st in enumerate(readout.statements):
            tags = tag_statement(st, lexicon, first=k == 0)
            seen = {t.id for t in tags}
            tags += [t for t in names[side].get(st.id, []) if t.id not in seen]
            if tags:
                out[st.id] = tuple(tags)
    return out
