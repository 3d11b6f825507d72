"""The one timestamp format: ISO 8601 to the second, with the zone."""

from __future__ import annotations

from datetime import date, datetime, timezone


def timestamp(moment: datetime | date | str | None = None) -> str:
    """``2025-01-01T00:00:00+00:00`` for now (UTC) or a given moment; a naive time is read as local time."""
    if isinstance(moment, str):
        return moment
    if moment is None:
        moment = datetime.now(timezone.utc)
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=timezone.utc)
    if moment.tzinfo is None:
        moment = moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="seconds")
