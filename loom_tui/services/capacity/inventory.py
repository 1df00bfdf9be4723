"""The inventory: every resource of the Loom resource groups, fetched concurrently through the
run's shared ``AzureClients`` (which bounds concurrency and waits out throttling).

1. + 2. (``listing.py``) per subscription, concurrently: its resource groups (the scope picks the
   Loom ones, ``scope.py``), its resources, and the provider lists that carry runtime state
   (Fabric capacities, ADX clusters, Synapse workspaces, then each Loom workspace's SQL pools):
   two sequential round trips whatever the number of groups.  :func:`scan` yields a first
   :class:`Inventory` here.
3. Enrichment, concurrently: 24 h utilization from Azure Monitor, month-to-date cost from the
   cost source, and a provider GET for a pausable resource whose state no list gave.
   :func:`scan` yields the enriched inventory last.

Every failure becomes a :class:`~.failures.Failure` naming its resource group / subscription /
resource and why; the rest of the inventory is kept (partial results are shown, never hidden).
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, AsyncIterator, Callable, Protocol

from loom_tui.domain.capacity import METRICS, Resource, resource_from_arm
from loom_tui.domain.metric_clouds import MetricUnavailable, missing_in

from . import apis, listing, metrics
from .failures import Failure, describe
from .scope import Scope, ScanTarget

DEFAULT_TIMEOUT = 60.0  # seconds for one resource group (its listing, with the clients' retries)


class CostSource(Protocol):
    """Month-to-date cost per resource id (lower-case) -> (amount, currency), for some scopes."""

    async def month_to_date(self, scopes: list[str]) -> dict[str, tuple[float | None, str]]:
        """resource id (lower case) -> (amount, currency), or (None, why not); ``LookupError``
        when there is nothing to show (the reason is its message)."""


@dataclass
class Inventory:
    rows: list[Resource]
    failures: list[Failure] = field(default_factory=list)
    targets: list[ScanTarget] = field(default_factory=list)
    as_of: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    enriched: bool = False  # runtime state, metrics and cost are in
    cost_note: str = ""  # why the cost column is blank, when it is for every row

    @property
    def partial(self) -> bool:
        return bool(self.failures)

    def find(self, key: str) -> Resource | None:
        k = key.lower()
        return next((r for r in self.rows if r.id.lower() == k), None) or next((r for r in self.rows if r.name.lower() == k), None)


async def list_rows(clients: Any, subs: list[str], scope: Scope, *, timeout: float = DEFAULT_TIMEOUT) -> Inventory:
    """Steps 1 and 2 (``listing.py``): the rows, with runtime state where a provider list gave it."""
    rows, failures, targets = await listing.list_rows(clients, subs, scope, timeout=timeout)
    return Inventory(rows=rows, failures=failures, targets=targets)


async def provider_get(clients: Any, r: Resource) -> dict:
    if r.type_key not in apis.READABLE:
        return r.arm
    return (await clients.send("GET", r.id, await apis.version(clients, r.type_key, r.id))).body or {}


async def _runtime(clients: Any, r: Resource, failures: list[Failure]) -> Resource:
    try:
        doc = await provider_get(clients, r)
    except Exception as exc:  # noqa: BLE001
        f = describe(f"{r.name} ({r.type})", exc)
        failures.append(f)
        return dataclasses.replace(r, state_note=f"state not read: {f.reason}")
    fresh = resource_from_arm({**r.arm, **doc}, dlz=r.dlz)
    return dataclasses.replace(r, state=fresh.state, provisioning_state=fresh.provisioning_state or r.provisioning_state,
                               sku=fresh.sku or r.sku, sku_capacity=fresh.sku_capacity or r.sku_capacity, arm={**r.arm, **doc})


NO_DATA = "Azure Monitor returned no data for the last 24 h"  # an answer, not a failure


async def metric_series(clients: Any, r: Resource, *, hours: float, end: datetime | None = None,
                        interval: str | None = None) -> metrics.Series | None:
    """The resource's load metric over the last ``hours`` (None: the type has no metric).  Raises
    the ARM error when Azure Monitor refuses."""
    why = missing_in(r.type_key, getattr(getattr(clients, "cloud", None), "name", "") or "")
    if why:
        raise MetricUnavailable(why)
    spec = METRICS.get(r.type_key)
    if spec is None:
        return None
    name, _agg = spec
    end = end or datetime.now(timezone.utc)
    from urllib.parse import quote

    path = (f"{r.id}/providers/Microsoft.Insights/metrics?metricnames={quote(name)}&timespan={quote(metrics.timespan(end, hours))}"
            f"&interval={interval or metrics.interval_for(hours)}&aggregation=Average,Maximum")
    body = (await clients.send("GET", path, await apis.version(clients, metrics.TYPE, r.id))).body or {}
    return metrics.parse(body, name)


async def _utilization(clients: Any, r: Resource, end: datetime) -> Resource:
    why = missing_in(r.type_key, getattr(getattr(clients, "cloud", None), "name", "") or "")
    if why:  # the metric does not exist here (Fabric: nowhere): say so, ask nothing
        return dataclasses.replace(r, utilization_note=why, utilization_absent=True)
    if r.type_key not in METRICS:
        return r
    try:
        s = await metric_series(clients, r, hours=24, end=end)
    except MetricUnavailable as exc:  # the metric does not exist in this cloud: say so
        return dataclasses.replace(r, utilization_note=str(exc), utilization_absent=True)
    except Exception as exc:  # noqa: BLE001 — shown in the row, not a warning line of its own
        return dataclasses.replace(r, utilization_note=describe("metrics", exc).reason)
    avg = s.average() if s is not None else None
    if avg is None:
        return dataclasses.replace(r, utilization_note=NO_DATA)
    return dataclasses.replace(r, utilization_24h=avg)


async def enrich(clients: Any, inv: Inventory, *, cost: CostSource | None = None, cost_unavailable: str = "",
                 now: datetime | None = None) -> Inventory:
    """Step 3: runtime state, utilization and cost, concurrently; failures kept per row."""
    end = now or datetime.now(timezone.utc)
    failures = list(inv.failures)

    async def row(r: Resource) -> Resource:
        if r.pausable and "properties" not in r.arm:  # no provider list gave its state
            r = await _runtime(clients, r, failures)
        return await _utilization(clients, r, end)

    async def costs() -> tuple[dict[str, tuple[float | None, str]], str]:
        if cost is None:
            return {}, cost_unavailable or "no cost source in this build"
        scopes = sorted({f"/subscriptions/{t.subscription_id}/resourceGroups/{t.resource_group}" for t in inv.targets})
        try:
            return await cost.month_to_date(scopes), ""
        except LookupError as exc:  # no data to show, which is not a failure (CostUnavailable)
            return {}, str(exc)
        except Exception as exc:  # noqa: BLE001
            f = describe("Cost Management", exc, reads="read cost (Cost Management Reader)")
            failures.append(f)
            return {}, f.reason

    rows_t, cost_t = await asyncio.gather(asyncio.gather(*(row(r) for r in inv.rows)), costs())
    unread = [r for r in rows_t if r.utilization_24h is None and r.utilization_note and not r.utilization_absent
              and r.utilization_note != NO_DATA]
    if unread:  # retries gave up on these: a warning line, so the inventory never claims to be complete
        failures.append(Failure("Azure Monitor metrics", "error",
                                f"utilization not read for {len(unread)} resource(s): {unread[0].utilization_note}",
                                "\n".join(f"{r.name}: {r.utilization_note}" for r in unread)))
    by_id, note = cost_t
    rows = []
    for r in rows_t:
        hit = by_id.get(r.id.lower())
        if hit is not None and hit[0] is not None:
            r = dataclasses.replace(r, cost_mtd=round(hit[0], 2), currency=hit[1])
        elif hit is not None:
            r = dataclasses.replace(r, cost_note=hit[1])
        elif note:
            r = dataclasses.replace(r, cost_note=note)
        elif by_id is not None:
            r = dataclasses.replace(r, cost_note="no cost recorded this month")
        rows.append(r)
    return Inventory(rows=rows, failures=failures, targets=inv.targets, as_of=end, enriched=True, cost_note=note)


async def scan(clients: Any, subs: list[str], scope: Scope, *, cost: CostSource | None = None, cost_unavailable: str = "",
               timeout: float = DEFAULT_TIMEOUT, now: Callable[[], datetime] | None = None) -> AsyncIterator[Inventory]:
    """The listing first (rows to show at once), then the enriched inventory."""
    clock = now or (lambda: datetime.now(timezone.utc))
    first = await list_rows(clients, subs, scope, timeout=timeout)
    first.as_of = clock()
    yield first
    yield await enrich(clients, first, cost=cost, cost_unavailable=cost_unavailable, now=clock())
