"""The Cost Management query API, done the way its quirks demand (azure.md, Cost Management).

* ``POST {scope}/providers/Microsoft.CostManagement/query?api-version=2024-08-01`` with a body of
  ``type`` (ActualCost | AmortizedCost), ``timeframe`` Custom + ``timePeriod``, ``dataset``
  (granularity Daily | None, one Sum aggregation, at most two groupings: Dimension or TagKey).
* Columns are mapped **by name**: answers name the cost ``Cost``, ``PreTaxCost``, ``CostUSD`` or
  ``CostInBillingCurrency`` and order columns differently from one query to the next;
  ``UsageDate`` is a number (20241001) or an ISO string.
* ``nextLink`` is followed by POSTing the same body to it (the SDK never does: the operation is not
  marked pageable); ``204 No Content`` is "no data", not an error.
* A limiter keeps a run inside the tenant's query budget (12 queries per 10 s); throttling answers
  (429 with the five ``x-ms-ratelimit-microsoft.costmanagement-*-retry-after`` headers) are waited
  out by the shared clients' policy, which waits for the longest of them.
Calls go through ``AzureClients.send`` (auth, throttling, the concurrency bound, the request log).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, AsyncIterator, Awaitable, Callable

TYPE = "Microsoft.CostManagement/query"  # its api-version is picked per cloud (api_versions.py)
KIND_TYPES = {"actual": "ActualCost", "amortized": "AmortizedCost"}
COST_COLUMNS = ("cost", "pretaxcost", "costinbillingcurrency", "costusd", "pretaxcostusd")
CURRENCY_COLUMNS = ("currency", "billingcurrency", "billingcurrencycode")
DATE_COLUMNS = ("usagedate", "date", "billingmonth")


class Limiter:
    """At most ``n`` acquisitions in any ``per`` seconds (a sliding window)."""

    def __init__(self, n: int = 12, per: float = 10.0, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.n, self.per, self.clock, self.sleep = n, per, clock, sleep
        self.stamps: deque[float] = deque()
        self.waited = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self.clock()
                while self.stamps and now - self.stamps[0] >= self.per:
                    self.stamps.popleft()
                if len(self.stamps) < self.n:
                    self.stamps.append(now)
                    return
                wait = self.per - (now - self.stamps[0])
                self.waited += wait
                await self.sleep(wait)


@dataclass(frozen=True)
class CostQuery:
    scope: str  # "/subscriptions/<id>" or ".../resourceGroups/<rg>" or a billing / management group scope
    kind: str  # actual | amortized
    start: date
    end: date  # exclusive
    grouping: tuple[tuple[str, str], ...] = ()  # (Dimension | TagKey, name), at most two
    granularity: str = "Daily"
    filter: dict | None = None  # the API's filter expression, e.g. {"dimensions": {name, operator: In, values}}

    def body(self) -> dict:
        if len(self.grouping) > 2:
            raise ValueError("the query API takes at most two groupings")
        last = self.end - timedelta(days=1)
        return {
            "type": KIND_TYPES[self.kind],
            "timeframe": "Custom",
            "timePeriod": {"from": f"{self.start.isoformat()}T00:00:00+00:00", "to": f"{last.isoformat()}T23:59:59+00:00"},
            "dataset": {
                "granularity": self.granularity,
                "aggregation": {"totalCost": {"name": "Cost", "function": "Sum"}},
                "grouping": [{"type": t, "name": n} for t, n in self.grouping],
                **({"filter": self.filter} if self.filter else {}),
            },
        }

    @property
    def path(self) -> str:
        return "/" + self.scope.strip("/") + "/providers/Microsoft.CostManagement/query"


@dataclass
class QueryStats:
    queries: int = 0  # POSTs sent (pages included)
    pages: int = 0
    no_data: int = 0  # 204 answers
    rows: int = 0


@dataclass(frozen=True)
class CostRow:
    """One answer row, by name: cost, currency, day (None without daily granularity) and the
    grouping values keyed by their lower-case column name (``resourceid``, ``tagvalue``, ...)."""

    cost: Decimal
    currency: str
    day: date | None
    values: dict[str, Any] = field(default_factory=dict)


def parse_day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit()):
        n = int(value)
        return date(n // 10000, n // 100 % 100, n % 100)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")[:19]).date()


def map_rows(columns: list[dict], rows: list[list[Any]]) -> list[CostRow]:
    names = [str(c.get("name", "")).lower() for c in columns]
    cost_i = next((names.index(c) for c in COST_COLUMNS if c in names), None)
    if cost_i is None:
        raise ValueError(f"the answer has no cost column (columns: {', '.join(c.get('name', '') for c in columns)})")
    cur_i = next((names.index(c) for c in CURRENCY_COLUMNS if c in names), None)
    day_i = next((names.index(c) for c in DATE_COLUMNS if c in names), None)
    skip = {cost_i, cur_i, day_i}
    out = []
    for row in rows:
        values = {names[i]: row[i] for i in range(len(names)) if i not in skip}
        cost = Decimal(str(row[cost_i])) if row[cost_i] is not None else Decimal(0)
        currency = str(row[cur_i]).upper() if cur_i is not None and row[cur_i] else ("USD" if names[cost_i].endswith("usd") else "")
        out.append(CostRow(cost, currency, parse_day(row[day_i]) if day_i is not None else None, values))
    return out


async def run_query(clients: Any, q: CostQuery, limiter: Limiter, stats: QueryStats | None = None,
                    api_version: str | None = None) -> AsyncIterator[CostRow]:
    """Every row of the answer, following ``nextLink`` (each page POSTs the same body)."""
    from .api_versions import pick

    stats = stats if stats is not None else QueryStats()
    api_version = api_version or await pick(clients, TYPE, path=q.path)
    body = q.body()
    url: str | None = q.path
    first = True
    while url:
        await limiter.acquire()
        resp = await clients.send("POST", url, api_version if first else None, json=body)
        first = False
        stats.queries += 1
        if resp.status == 204 or not resp.body:
            stats.no_data += 1
            return
        props = (resp.body or {}).get("properties") or {}
        stats.pages += 1
        for row in map_rows(props.get("columns") or [], props.get("rows") or []):
            stats.rows += 1
            yield row
        url = props.get("nextLink") or None
