"""Frozen result types of a readout's history, and the protocol earlier readouts come through."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Status = Literal["stock", "variant", "new"]


@dataclass(frozen=True)
class Formulation:
    """One distinct normalised formulation (a statement or a clause) known to the library."""

    id: int
    norm: str


@dataclass(frozen=True)
class EarlierUse:
    """One earlier use of a formulation: when, where, the exact words and how close they are."""

    date: str
    source: str
    text: str
    score: float
    formulation_id: int = 0


@dataclass(frozen=True)
class UseStats:
    """How many earlier readouts used a set of formulations, and the first and last date."""

    count: int
    first: str
    last: str


@dataclass(frozen=True)
class PreviousReadout:
    """One of the readouts the dropped formulations are looked for in."""

    id: int
    date: str
    source: str
    meeting: str


@dataclass(frozen=True)
class WordChange:
    """One word-level change from the nearest earlier text to this one (offsets into this text)."""

    op: Literal["insert", "delete", "replace"]
    before: str
    after: str
    start: int
    end: int


@dataclass(frozen=True)
class ClauseHistory:
    """A clause of a statement (or the whole statement) with its status and earlier uses."""

    start: int
    end: int
    text: str
    status: Status
    score: float
    count: int
    first: str
    last: str
    earlier: tuple[EarlierUse, ...]
    changes: tuple[WordChange, ...]
    nearest: str


@dataclass(frozen=True)
class StatementHistory:
    """One statement: its own match, and its clauses when it has more than one."""

    id: str
    whole: ClauseHistory
    clauses: tuple[ClauseHistory, ...]

    @property
    def status(self) -> Status:
        """The status of the statement as a whole."""
        return self.whole.status


@dataclass(frozen=True)
class Dropped:
    """A formulation the previous readouts carried that this readout does not."""

    text: str
    count: int
    first: str
    last: str
    earlier: tuple[EarlierUse, ...]


@dataclass(frozen=True)
class History:
    """The history of one readout against a publisher's earlier readouts."""

    source: str
    sha256: str
    publisher: str
    date: str
    meeting: str
    statements: tuple[StatementHistory, ...]
    previous: tuple[PreviousReadout, ...]
    dropped: tuple[Dropped, ...]
    earlier_readouts: int

    def count(self, status: Status) -> int:
        """How many statements have this status."""
        return sum(1 for st in self.statements if st.status == status)


class EarlierIndex(Protocol):
    """The publisher's earlier readouts, scoped to one history (publisher, before a date)."""

    def readout_count(self) -> int:
        """How many earlier readouts are in scope."""
        ...

    def candidates(self, norms: Sequence[str], limit: int) -> dict[str, list[Formulation]]:
        """For each normalised unit, the formulations that may match it (exact ones included)."""
        ...

    def in_scope(self, formulation_ids: Sequence[int]) -> set[int]:
        """Those of these formulations that an earlier readout in scope uses."""
        ...

    def stats(self, formulation_ids: Sequence[int]) -> UseStats:
        """Earlier readouts in scope that use any of these formulations."""
        ...

    def latest(self, scores: dict[int, float], limit: int) -> list[EarlierUse]:
        """The latest uses in scope of these formulations (id -> score), newest first."""
        ...

    def previous(self, count: int) -> list[PreviousReadout]:
        """The readouts "previous" means for dropped formulations, newest first."""
        ...

    def carried(self, readout_ids: Sequence[int], min_count: int) -> list[Formulation]:
        """Formulations used in at least min_count of these readouts."""
        ...
