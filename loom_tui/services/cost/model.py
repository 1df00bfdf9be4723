"""Typed rows of the cost views.  Amounts are ``Decimal`` in the row's currency; a result never
sums two currencies (views return one result per currency)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

ACTUAL = "actual"
AMORTIZED = "amortized"
KINDS = (ACTUAL, AMORTIZED)
EXPORTS = "exports"
LIVE = "live"
SOURCES = (LIVE, EXPORTS)

# dimension name -> what it groups by (tag dimensions read tag keys from the profile)
DIMENSIONS = ("workspace", "domain", "tenant", "resource-group", "service", "resource-type", "subscription", "resource")
TAG_PREFIX = "tag:"
UNALLOCATED = "(unallocated)"


def check_dimension(by: str) -> str:
    """``by`` if it names a dimension; else a ValueError naming every dimension (an unknown one
    would group or filter by nothing and read as "no cost").  The caller names the field."""
    if by in DIMENSIONS or (by.startswith(TAG_PREFIX) and len(by) > len(TAG_PREFIX)):
        return by
    raise ValueError(f"unknown dimension {by!r}; the dimensions are {', '.join(DIMENSIONS)} or tag:KEY")


@dataclass(frozen=True)
class Period:
    """``[start, end)`` in UTC days (end exclusive, as FOCUS bounds are)."""

    start: date
    end: date
    label: str = "custom"

    @property
    def last(self) -> date:
        from datetime import timedelta

        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class Query:
    by: str = "workspace"
    period: Period | None = None
    kind: str = ACTUAL
    source: str = EXPORTS
    # drill-down: only rows whose ``filter_by`` value is ``filter_key`` (None = the unallocated ones)
    filter_by: str | None = None
    filter_key: str | None = None
    filtered: bool = False


@dataclass(frozen=True)
class Line:
    key: str | None  # None: unallocated
    name: str
    cost: Decimal


@dataclass(frozen=True)
class ResourceCost:
    resource_id: str | None
    name: str
    resource_type: str
    resource_group: str
    cost: Decimal


@dataclass(frozen=True)
class Chargeback:
    currency: str
    period: Period
    by: str
    kind: str
    total: Decimal
    unallocated: Decimal
    rows: list[Line]  # allocated lines, largest first
    unallocated_top: list[ResourceCost] = field(default_factory=list)


@dataclass(frozen=True)
class DayCost:
    day: date
    cost: Decimal


@dataclass(frozen=True)
class Daily:
    currency: str
    period: Period
    days: list[DayCost]  # every day of the period, zero-filled

    @property
    def total(self) -> Decimal:
        return sum((d.cost for d in self.days), Decimal(0))


@dataclass(frozen=True)
class Anomaly:
    kind: str  # new-service | stopped-service | spike | steady-growth
    currency: str
    key: str  # the service (or "(total)")
    day: date
    amount: Decimal  # the day's cost (spike, new), the daily cost that stopped, the weekly growth
    detail: str


@dataclass(frozen=True)
class Mover:
    currency: str
    key: str | None
    name: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class Forecast:
    currency: str
    month_start: date
    through: date  # the last day with data
    mtd: Decimal
    daily_rate: Decimal
    forecast: Decimal  # for the whole month
    days_in_month: int
    method: str


@dataclass(frozen=True)
class IdleFinding:
    kind: str  # workspace-idle | capacity-idle-workspaces | synapse-no-autopause | ...
    target: str  # resource id or workspace id
    name: str
    reason: str
    monthly_saving: Decimal | None
    currency: str
    action: str


@dataclass(frozen=True)
class IdleReport:
    findings: list[IdleFinding]
    not_checked: list[str]  # criteria that need what this source has not (said plainly)


@dataclass(frozen=True)
class SourceStatus:
    source: str
    rows: int
    files: int
    first: date | None
    last: date | None
    as_of: datetime | None  # when the data was imported / fetched
