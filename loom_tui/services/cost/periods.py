"""Timeframes as Cost Management names them, as ``[start, end)`` UTC days.

* ``mtd``: the first of this month through today; ``last-month``: the whole previous month;
* ``7d`` / ``30d``: the last 7 / 30 days, today included;
* custom: a first and a last day (``start``, ``end``), both included.
``previous`` is the period of the same length just before (for the top movers).
"""

from __future__ import annotations

from datetime import date, timedelta

from loom_tui.errors import ValidationError

from .model import Period

TIMEFRAMES = ("mtd", "last-month", "7d", "30d")


def resolve(timeframe: str | None, today: date, start: date | None = None, end: date | None = None) -> Period:
    if start or end:
        if not (start and end):
            raise ValidationError("end" if start else "start", "is needed too: a custom period has a first and a last day")
        if end < start:
            raise ValidationError("end", f"{end.isoformat()} is before the first day, {start.isoformat()}")
        return Period(start, end + timedelta(days=1), f"{start.isoformat()}..{end.isoformat()}")
    tf = timeframe or "mtd"
    tomorrow = today + timedelta(days=1)
    if tf == "mtd":
        return Period(today.replace(day=1), tomorrow, "mtd")
    if tf == "last-month":
        first = today.replace(day=1)
        return Period((first - timedelta(days=1)).replace(day=1), first, "last-month")
    if tf in ("7d", "30d"):
        n = int(tf[:-1])
        return Period(tomorrow - timedelta(days=n), tomorrow, tf)
    raise ValidationError("timeframe", f"must be one of {', '.join(TIMEFRAMES)}, not {tf!r}")


def previous(p: Period) -> Period:
    if p.label == "mtd" or p.label == "last-month":  # the same days of the month before
        prev_start = (p.start - timedelta(days=1)).replace(day=1)
        return Period(prev_start, min(prev_start + timedelta(days=p.days), p.start), "previous")
    return Period(p.start - timedelta(days=p.days), p.start, "previous")


def month_days(d: date) -> int:
    nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (nxt - d.replace(day=1)).days
