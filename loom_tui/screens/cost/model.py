"""What the Cost screen shows, as one value built by its worker (no widgets here)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from loom_tui.services.cost.model import DIMENSIONS, IdleReport, Query

VIEWS = ("workspace", "domain", "tenant", "resource-group", "service", "resource-type")
TIMEFRAMES = ("mtd", "last-month", "7d", "30d")


@dataclass
class ViewState:
    """The operator's choices: view, timeframe (or custom range), source, type, drill path."""

    by: str = "workspace"
    timeframe: str = "mtd"
    custom: tuple[date, date] | None = None
    source: str = "exports"
    kind: str = "actual"
    currency: str | None = None
    # drill path: [(dimension, key, label)], key None = the unallocated
    path: list[tuple[str, str | None, str]] = field(default_factory=list)

    @property
    def level(self) -> str:
        return ("chargeback", "resources", "days")[min(len(self.path), 2)]

    def next_view(self) -> None:
        views = list(VIEWS) + ([self.by] if self.by not in VIEWS else [])
        self.by = views[(views.index(self.by) + 1) % len(views)]
        self.path = []

    def next_timeframe(self) -> None:
        self.custom = None
        self.timeframe = TIMEFRAMES[(TIMEFRAMES.index(self.timeframe) + 1) % len(TIMEFRAMES)] if self.timeframe in TIMEFRAMES else "mtd"


@dataclass
class CostPage:
    state: ViewState
    query: Query
    title: str
    columns: str  # chargeback | resources | days
    rows: list[dict]
    currencies: list[str]
    currency: str | None
    daily: list[tuple[date, Any]] = field(default_factory=list)
    forecast: Any = None
    anomalies: list = field(default_factory=list)
    idle: IdleReport | None = None
    as_of: Any = None
    data_rows: int = 0
    notes: list[str] = field(default_factory=list)
    through: date | None = None  # the last day the source has data for: later days have no data yet


def copy_state(s: ViewState) -> ViewState:
    return replace(s, path=list(s.path))


__all__ = ["DIMENSIONS", "VIEWS", "TIMEFRAMES", "ViewState", "CostPage", "copy_state"]
