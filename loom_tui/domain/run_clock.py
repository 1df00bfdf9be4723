"""The run's time: the real UTC clock, on a pinned day when one is pinned.

Wiring reads the demo's pinned day (``LOOM_DEMO_TODAY``, :mod:`loom_tui.domain.demo_day`) once and
hands the services this clock; no service reads the environment for the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone


@dataclass(frozen=True)
class Clock:
    pinned: date | None = None  # the day that counts as today (None: the real one)

    def today(self) -> date:
        """Today (UTC), or the pinned day."""
        return self.pinned or datetime.now(timezone.utc).date()

    def now(self) -> datetime:
        """The real clock (UTC), on the day :meth:`today` calls today (a pinned day keeps the real
        time of day)."""
        real = datetime.now(timezone.utc)
        day = self.today()
        return real if day == real.date() else datetime.combine(day, real.timetz())
