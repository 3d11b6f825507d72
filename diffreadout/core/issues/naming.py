"""The issue names a link or an omission is shown under ("Taiwan: only in Chinese MFA")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from diffreadout.model import ISSUE_KIND_ORDER, IssueTag

__all__ = ["link_issues"]


def _ranked(tags: Sequence[IssueTag]) -> list[IssueTag]:
    # Stable: within a kind, the tagger's (lexicon) order.
    return sorted(tags, key=lambda t: ISSUE_KIND_ORDER.get(t.kind, 5))


def link_issues(
    a_ids: Sequence[str], b_ids: Sequence[str], issues: Mapping[str, Sequence[IssueTag]], opening: bool = False
) -> tuple[str, ...]:
    """Names of the issues both sides of a link address (lexicon first), without repeats.

    ``opening``: the link holds a title or first sentence, so the meeting itself leads.
    """
    a_tags = {t.id: t for x in a_ids for t in issues.get(x, ())}
    b_tags = {t.id for x in b_ids for t in issues.get(x, ())}
    common = [a_tags[k] for k in a_tags if k in b_tags]
    lexicon = [t for t in common if t.kind != "name"]
    chosen = _ranked(lexicon or common[:1])
    if opening:
        chosen.sort(key=lambda t: t.kind != "meeting")
    return tuple(dict.fromkeys(t.name for t in chosen))
