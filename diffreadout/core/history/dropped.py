"""Formulations the previous readouts carried that this readout does not.

"Previous" is the ``previous_readouts`` (3) latest readouts of the publisher dated before this
one, of the same meeting key when one is given; a formulation is carried when at least
``carried_min`` (2) of them use it (all of them when fewer exist). It is dropped when no
statement or clause here matches it as stock or variant, and no statement contains it
(partial ratio at least ``present_partial``). Of a dropped sentence and its dropped clauses,
only the sentence is listed; a piece of fewer than ``contained_min_words`` content words (a
date) is never a formulation.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from diffreadout.core.history.clauses import Unit, content_words
from diffreadout.core.history.match import match_score
from diffreadout.core.history.settings import HistorySettings
from diffreadout.core.history.types import Dropped, EarlierIndex, Formulation, PreviousReadout


def _present(norm: str, units: Sequence[Unit], settings: HistorySettings) -> bool:
    wholes = [u.norm for u in units if u.whole]
    if wholes and process.extractOne(norm, wholes, scorer=fuzz.partial_ratio,
                                     score_cutoff=settings.present_partial * 100) is not None:
        return True
    return any(match_score(norm, u.norm, settings)[1] for u in units)


def dropped_of(
    units: Sequence[Unit], index: EarlierIndex, settings: HistorySettings
) -> tuple[list[PreviousReadout], list[Dropped]]:
    """The previous readouts and, newest use first, what they carried that these units lack."""
    previous = index.previous(settings.previous_readouts)
    if not previous:
        return [], []
    carried = index.carried([p.id for p in previous], min(settings.carried_min, len(previous)))
    missing: list[Formulation] = [
        f for f in carried
        if len(content_words(f.norm)) >= settings.contained_min_words and not _present(f.norm, units, settings)
    ]
    kept = [f for f in missing if not any(g.norm != f.norm and f.norm in g.norm for g in missing)]
    out = []
    for formulation in sorted(kept, key=lambda f: (f.norm, f.id)):
        stats = index.stats([formulation.id])
        earlier = tuple(index.latest({formulation.id: 1.0}, settings.earlier_listed))
        text = earlier[0].text if earlier else formulation.norm
        out.append(Dropped(text, stats.count, stats.first, stats.last, earlier))
    out.sort(key=lambda d: (-d.count, d.text))
    return previous, out
