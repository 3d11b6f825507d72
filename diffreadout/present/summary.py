"""The counts of the summary, the coverage table and the TUI header, from the rows.

A statement is counted once, under the relation of the one row it is in (a row is emphasis
when any of its links differs). Chinese and Japanese are written without spaces, so their
size is counted in characters, and every share says which unit it is in.
"""

from __future__ import annotations

from dataclasses import dataclass

from diffreadout.model import Comparison, Readout
from diffreadout.core.text import words
from diffreadout.present.rows import Row, relations

COUNT_RULE = "A statement is counted once, under its row's relation: a row is emphasis when any of its links differs."
RELATIONS = ("shared", "emphasis", "omission")


def size_unit(readout: Readout) -> str:
    """'characters' for Chinese and Japanese, else 'words'."""
    return words.size_unit(readout.language)


text_size = words.text_size


@dataclass(frozen=True)
class SideCounts:
    """One readout: statements per relation and the size of the text under each relation."""

    side: str
    label: str
    language: str
    statements: int
    unit: str
    counts: dict[str, int]
    sizes: dict[str, int]

    @property
    def total_size(self) -> int:
        """Size of all statements, in ``unit``."""
        return sum(self.sizes.values())

    def share(self, relation: str) -> float:
        """The share of this readout's text (in ``unit``) under one relation (0 for an empty text)."""
        total = self.total_size
        return self.sizes[relation] / total if total else 0.0


def side_counts(comparison: Comparison, rows: tuple[Row, ...], readout: Readout) -> SideCounts:
    """Counts of one readout."""
    relation_of = relations(rows)
    unit = size_unit(readout)
    counts = dict.fromkeys(RELATIONS, 0)
    sizes = dict.fromkeys(RELATIONS, 0)
    for st in readout.statements:
        relation = relation_of.get(st.id, "omission")
        counts[relation] += 1
        sizes[relation] += text_size(st.text, unit)
    return SideCounts(readout.side, readout.label, readout.language, len(readout.statements), unit, counts, sizes)
