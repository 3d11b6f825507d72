"""Mark each statement and clause of a readout stock, variant or new against earlier readouts.

A unit (a statement or a clause) is *stock* when an earlier formulation has the same words
(rapidfuzz ratio over the normalised words at least ``stock``), a *variant* when the closest
one is near (ratio at least ``variant_ratio``) or one contains the other with a few words added
or dropped (``contained_*``), and *new* otherwise. Candidates come from the index (exact
formulations and those sharing rare word bigrams); only they are scored, so the cost does not
grow with the library.
"""

from __future__ import annotations

from collections.abc import Sequence

from diffreadout.core.history.clauses import Unit, units_of
from diffreadout.core.history.dropped import dropped_of
from diffreadout.core.history.match import match_score
from diffreadout.core.history.settings import HistorySettings, load_settings
from diffreadout.core.history.types import (
    ClauseHistory,
    EarlierIndex,
    Formulation,
    History,
    StatementHistory,
    Status,
)
from diffreadout.core.history.worddiff import word_diff
from diffreadout.model import Readout


def _unit_history(unit: Unit, found: Sequence[Formulation], index: EarlierIndex, settings: HistorySettings) -> ClauseHistory:
    scored: dict[int, float] = {}
    for formulation in found:
        ratio, matches = match_score(unit.norm, formulation.norm, settings)
        if matches:
            scored[formulation.id] = max(ratio, scored.get(formulation.id, 0.0))
    if scored:
        nearest_ids = sorted(scored, key=lambda fid: (-scored[fid], fid))[: settings.matches_per_unit]
        scored = {fid: scored[fid] for fid in nearest_ids}
        scoped = index.in_scope(sorted(scored))
        scored = {fid: s for fid, s in scored.items() if fid in scoped}
    if not scored:
        return ClauseHistory(unit.start, unit.end, unit.text, "new", 0.0, 0, "", "", (), (), "")
    best = max(scored.values())
    status: Status = "stock" if best >= settings.stock else "variant"
    counted = [fid for fid, s in scored.items() if s >= settings.stock] if status == "stock" else list(scored)
    stats = index.stats(sorted(counted))
    top = dict(sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[: settings.earlier_listed])
    earlier = tuple(index.latest(top, settings.earlier_listed))
    nearest = earlier[0].text if earlier else ""
    changes = word_diff(nearest, unit.text, unit.start) if status == "variant" and nearest else ()
    return ClauseHistory(
        unit.start, unit.end, unit.text, status, round(best, 4), stats.count, stats.first, stats.last,
        earlier, changes, nearest,
    )


def history_of(
    readout: Readout,
    index: EarlierIndex,
    *,
    publisher: str,
    date: str,
    meeting: str = "",
    settings: HistorySettings | None = None,
) -> History:
    """The history of every statement of readout, and the formulations it dropped."""
    settings = settings or load_settings()
    per_statement = [units_of(st, settings.min_clause_words) for st in readout.statements]
    norms = sorted({u.norm for units in per_statement for u in units if u.norm})
    found = index.candidates(norms, settings.candidates_per_unit)
    statements = []
    for st, units in zip(readout.statements, per_statement):
        done = [_unit_history(u, found.get(u.norm, []), index, settings) for u in units]
        statements.append(StatementHistory(st.id, done[0], tuple(done[1:])))
    all_units = [u for units in per_statement for u in units]
    previous, dropped = dropped_of(all_units, index, settings)
    return History(
        source=readout.source,
        sha256=readout.sha256,
        publisher=publisher,
        date=date,
        meeting=meeting,
        statements=tuple(statements),
        previous=tuple(previous),
        dropped=tuple(dropped),
        earlier_readouts=index.readout_count(),
    )
