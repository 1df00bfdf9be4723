"""The one reading of ``LOOM_DEMO_TODAY``: the day the demo tenant, its cost data and the demo
Azure's metrics treat as today (snapshot tests, reproducible screenshots), or the real UTC day."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

ENV = "LOOM_DEMO_TODAY"


def pinned_day() -> date | None:
    """The pinned day, or None when the real clock rules."""
    value = os.environ.get(ENV)
    return date.fromisoformat(value) if value else None


def today() -> date:
    return pinned_day() or datetime.now(timezone.utc).date()


def midnight() -> datetime:
    """Today at 00:00 UTC."""
    d = today()
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


def now() -> datetime:
    """The real clock, or noon UTC of the pinned day."""
    d = pinned_day()
    return datetime(d.year, d.month, d.day, 12, tzinfo=timezone.utc) if d else datetime.now(timezone.utc)
