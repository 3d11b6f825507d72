"""Plain, frozen result types shared by the core, the exports and the TUI.

Every statement carries character offsets into the decoded original text, so any front end
can quote or highlight it exactly (``readout.text[s.start:s.end] == s.text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypedDict

if TYPE_CHECKING:  # numpy stays unimported until an analysis runs (the TUI paints first)
    import numpy as np

Relation = Literal["shared", "emphasis", "omission"]
LinkLabel = Literal["shared", "emphasis"]

SIDES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Statement:
    """One statement of a readout: a sentence, a clause, or a title line."""

    id: str
    side: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Furniture:
    """A line of page furniture (dateline, spokesperson lead-in, byline): metadata, not a statement."""

    kind: str
    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True)
class Readout:
    """One decoded readout with its statements."""

    side: str
    label: str
    source: str
    text: str
    statements: tuple[Statement, ...]
    sha256: str = ""
    encoding: str = "utf-8"
    language: str = "und"
    furniture: tuple[Furniture, ...] = ()

    @property
    def word_count(self) -> int:
        """Number of whitespace-separated words in the whole text."""
        return len(self.text.split())

    def statement(self, statement_id: str) -> Statement:
        """Return the statement with this id (raises KeyError if absent)."""
        for st in self.statements:
            if st.id == statement_id:
                return st
        raise KeyError(statement_id)


@dataclass(frozen=True)
class Span:
    """A character span of one side's text, the evidence a reason rests on."""

    side: str
    start: int
    end: int


@dataclass(frozen=True)
class IssueTag:
    """An issue one statement addresses (core/issues), with the spans of its text that name it.

    ``kind`` is specific (one exchange), broad, general, meeting, or name (a salient name or
    rare phrase both readouts use, found from the texts rather than the lexicon).
    """

    id: str
    name: str
    kind: str
    evidence: tuple[Span, ...] = ()


# Specific issues before the meeting, broad and general ones; names found in the texts last.
ISSUE_KIND_ORDER = {"specific": 0, "meeting": 1, "broad": 2, "general": 3, "name": 4}


def main_issue(tags: tuple[IssueTag, ...] | list[IssueTag]) -> str:
    """The name of the one lexicon issue a statement is shown under ("" when it has none)."""
    ranked = sorted((t for t in tags if t.kind != "name"), key=lambda t: ISSUE_KIND_ORDER.get(t.kind, 5))
    return ranked[0].name if ranked else ""


@dataclass(frozen=True)
class Reason:
    """Why two linked statements differ: a code, a one-line summary and its evidence."""

    code: str
    summary: str
    evidence: tuple[Span, ...] = ()
    detail: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Link:
    """Statements of side A and side B that report the same claim or exchange.

    Every (a, b) pair under a link is linked with the link's label, as in the gold format.
    """

    a: tuple[str, ...]
    b: tuple[str, ...]
    label: LinkLabel
    score: float
    scores: tuple[tuple[str, float], ...] = ()
    reasons: tuple[Reason, ...] = ()
    issues: tuple[str, ...] = ()  # names of the issues its two sides share (core/issues)
    by: Literal["engine", "analyst"] = "engine"
    note: str = ""

    def score_of(self, name: str) -> float | None:
        """Return the named component score, or None."""
        for key, value in self.scores:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class Nearest:
    """The closest statement on the other side to an unlinked statement, with its score."""

    statement_id: str
    other_id: str | None
    score: float
    note: str = ""  # why the candidate is not a link, when more than its score says it


@dataclass(frozen=True)
class ModelInfo:
    """Which embedding model produced the semantic scores."""

    name: str
    sha256: str


class Profile(TypedDict, total=False):
    """The whole-readout profile (plain JSON values, as exported): topics and meeting metadata.

    ``topics``: one dict per topic (id, label, keywords, statements/rank/share/words by side);
    ``topic_flags``: topics one side leads with and the other ranks low or omits;
    ``meeting``: by side, the initiator, format, date and place found (value, text, offsets);
    ``meeting_differences``: the metadata fields the sides state differently.
    """

    topics: list[dict[str, object]]
    topic_flags: list[dict[str, object]]
    meeting: dict[str, dict[str, object]]
    meeting_differences: list[dict[str, object]]


@dataclass(frozen=True)
class Analysis:
    """Stage *score*: pairwise score matrices between the statements of readout A (rows) and B (columns).

    The expensive part of a comparison; front ends that change thresholds align the same
    Analysis again without re-embedding.
    """

    readouts: tuple[Readout, Readout]
    semantic: np.ndarray
    lexical: np.ndarray
    keyword: np.ndarray
    features: np.ndarray
    model: ModelInfo
    vectors: tuple[np.ndarray, np.ndarray] | None = None
    notes: tuple[str, ...] = ()
    # The issues of each statement, by statement id (core/issues).
    issues: dict[str, tuple[IssueTag, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Review:
    """What an analyst's corrections changed: notes and deciders of omissions, the engine's proposals, provenance.

    ``engine_links`` holds, per corrected statement id, the links the engine proposed for it;
    ``source``/``sha256``/``applied`` say which corrections file was applied and how much of it;
    ``stale`` and ``unmatched`` list the corrections that could not be applied, one line each.
    """

    analyst_omissions: frozenset[str] = frozenset()
    omission_notes: tuple[tuple[str, str], ...] = ()
    engine_links: tuple[tuple[str, tuple[Link, ...]], ...] = ()
    source: str = ""
    sha256: str = ""
    applied: int = 0
    stale: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()

    def omission_note(self, statement_id: str) -> str:
        """The analyst's note on an omitted statement, or ''."""
        return dict(self.omission_notes).get(statement_id, "")

    def engine_proposal(self, statement_id: str) -> tuple[Link, ...] | None:
        """The engine's links for a corrected statement, or None when the analyst did not touch it."""
        return dict(self.engine_links).get(statement_id)


@dataclass(frozen=True)
class Comparison:
    """The aligned, labelled comparison of two readouts: the one result every front end shows."""

    readouts: tuple[Readout, Readout]
    links: tuple[Link, ...]
    omissions: dict[str, tuple[str, ...]]
    nearest: dict[str, Nearest]
    model: ModelInfo
    thresholds: tuple[tuple[str, float], ...] = ()
    profile: Profile = field(default_factory=lambda: Profile())
    notes: tuple[str, ...] = ()
    issues: dict[str, tuple[IssueTag, ...]] = field(default_factory=dict)
    review: Review | None = None

    def issue_name(self, statement_id: str) -> str:
        """The issue a statement is shown under (lexicon issues only), or "" when it names none."""
        return main_issue(self.issues.get(statement_id, ()))

    @property
    def a(self) -> Readout:
        """Readout A."""
        return self.readouts[0]

    @property
    def b(self) -> Readout:
        """Readout B."""
        return self.readouts[1]

    def readout(self, side: str) -> Readout:
        """Return the readout of this side."""
        for r in self.readouts:
            if r.side == side:
                return r
        raise KeyError(side)

    def links_of(self, statement_id: str) -> tuple[Link, ...]:
        """Return the links that contain this statement."""
        return tuple(link for link in self.links if statement_id in link.a or statement_id in link.b)

    def counterparts(self, statement_id: str) -> tuple[str, ...]:
        """Return the ids on the other side linked to this statement, in text order."""
        first = any(st.id == statement_id for st in self.a.statements)
        ids: set[str] = set()
        for link in self.links_of(statement_id):
            ids.update(link.b if first else link.a)
        other = self.b if first else self.a
        return tuple(st.id for st in other.statements if st.id in ids)


SourceStatus = Literal["present", "differs", "absent"]


@dataclass(frozen=True)
class ClaimGroup:
    """One claim across several readouts: the statements of each side that report it.

    ``label`` is shared (every link in the group is shared), emphasis (some differ) or
    omission (only one readout reports it); ``status`` says, per side, whether that readout
    reports the claim as the others do, differs in emphasis, or leaves it out.
    """

    statements: tuple[tuple[str, tuple[str, ...]], ...]
    label: Relation
    status: tuple[tuple[str, SourceStatus], ...]
    issue: str = ""  # the issue the claim is grouped under (core/align/claims.py), "" if none

    def ids(self, side: str) -> tuple[str, ...]:
        """The statement ids of one side in this group (empty if absent)."""
        return dict(self.statements).get(side, ())

    def status_of(self, side: str) -> SourceStatus:
        """present, differs or absent for one side."""
        return dict(self.status).get(side, "absent")


@dataclass(frozen=True)
class MultiComparison:
    """Three or more readouts: every pairwise comparison, and the claim groups they imply."""

    readouts: tuple[Readout, ...]
    pairs: tuple[Comparison, ...]
    groups: tuple[ClaimGroup, ...]
    model: ModelInfo
    thresholds: tuple[tuple[str, float], ...] = ()

    def readout(self, side: str) -> Readout:
        """Return the readout of this side."""
        for r in self.readouts:
            if r.side == side:
                return r
        raise KeyError(side)
