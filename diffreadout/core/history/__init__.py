"""History of a readout: each statement against the same publisher's earlier readouts.

Pure and headless: the earlier readouts come through the :class:`EarlierIndex` protocol
(the library in ``storage.library_query`` implements it), so the rules here never touch a
database. ``clauses`` cuts statements into clauses and normalises them, ``classify`` marks
each statement and clause stock, variant or new, ``dropped`` finds formulations the
previous readouts carried and this one does not, ``worddiff`` shows what changed.
"""

from __future__ import annotations

from diffreadout.core.history.classify import history_of
from diffreadout.core.history.clauses import Unit, normalise, shingles, split_clauses, units_of
from diffreadout.core.history.settings import HistorySettings, load_settings
from diffreadout.core.history.types import (
    ClauseHistory,
    Dropped,
    EarlierIndex,
    EarlierUse,
    Formulation,
    History,
    PreviousReadout,
    StatementHistory,
    UseStats,
    WordChange,
)
from diffreadout.core.history.worddiff import word_diff

__all__ = [
    "ClauseHistory",
    "Dropped",
    "EarlierIndex",
    "EarlierUse",
    "Formulation",
    "History",
    "HistorySettings",
    "PreviousReadout",
    "StatementHistory",
    "Unit",
    "UseStats",
    "WordChange",
    "history_of",
    "load_settings",
    "normalise",
    "shingles",
    "split_clauses",
    "units_of",
    "word_diff",
]
