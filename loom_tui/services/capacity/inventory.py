"""The inventory: every resource of the Loom resource groups, fetched concurrently through the
run's shared ``AzureClients`` (which bounds concurrency and waits out throttling).

1. Each subscription's resource groups are listed; the scope picks the Loom ones (``scope.py``).
   A subscription whose listing is refused falls back to the named groups, tried directly.
2. Each picked group's resources are listed (``$expand=provisioningState``).  Rows are complete
   enough to show now: :func:`scan` yields a first :class:`Inventory` here.
3. Enrichment, concurrently: the provider GET of each pausable resource (runtime state, the full
   ARM document), 24 h utilization from Azure Monitor, month-to-date cost from the cost source.
   :func:`scan` yields the enriched inventory last.

Every failure becomes a :class:`~.failures.Failure` naming its resource group / subscription /
resource and why; the rest of the inventory is kept (partial results are shown, never hidden).
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, AsyncIterator, Awaitable, Callable, Protocol

from loom_tui.domain.capacity import METRICS, Resource, resource_from_arm

from . import apis, metrics
from .failures import Failure, describe
from .scope import Scope, ScanTarget

# Child resources a resource-group listing may leave out, read from their parent (deduplicated).
CHILDREN = {"microsoft.synapse/workspaces": ("sqlPools", "2021-06-01")}
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


def _sub_label(sub: str) -> str:
    return f"subscription {sub}"


def _rg_label(t: ScanTarget) -> str:
    return f"resource group {t.resource_group} (subscription {t.subscription_id})"


async def _targets_of(clients: Any, sub: str, scope: Scope, failures: list[Failure], timeout: float) -> tuple[list[ScanTarget], bool]:
    """The Loom groups of one subscription, and whether its group listing was read."""
    async def listing() -> list[tuple[str, dict[str, str]]]:
        return [(g.get("name") or "", g.get("tags") or {}) async for g in clients.pages(apis.resource_groups(sub), apis.RESOURCES_API)]

    try:
        groups = await asyncio.wait_for(listing(), timeout)
    except Exception as exc:  # noqa: BLE001 — each failure becomes a warning line
        f = describe(_sub_label(sub), exc, reads="list its resource groups")
        failures.append(dataclasses.replace(f, reason=f.reason + "; trying the named resource groups directly"))
        return scope.fallback(sub), False
    return scope.select(sub, groups), True


async def _rows_of(clients: Any, t: ScanTarget, failures: list[Failure], timeout: float) -> list[Resource]:
    async def listing() -> list[dict]:
        return [d async for d in clients.pages(apis.resources_in(t.subscription_id, t.resource_group))]

    try:
        docs = await asyncio.wait_for(listing(), timeout)
    except Exception as exc:  # noqa: BLE001
        failures.append(describe(_rg_label(t), exc, reads="list its resources"))
        return []
    rows = [resource_from_arm(d, dlz=t.dlz) for d in docs]
    seen = {r.id.lower() for r in rows}
    # a parent whose children the listing left out: read them from the parent (concurrently)
    parents = [(r, *CHILDREN[r.type_key]) for r in rows if r.type_key in CHILDREN
               and not any(x.id.lower().startswith(r.id.lower() + "/") for x in rows)]

    async def kids(parent: Resource, child: str, api: str) -> list[Resource]:
        async def read() -> list[dict]:
            return [d async for d in clients.pages(f"{parent.id}/{child}", api)]

        try:
            found = await asyncio.wait_for(read(), timeout)
        except Exception as exc:  # noqa: BLE001
            failures.append(describe(f"{child} of {parent.name} ({_rg_label(t)})", exc, reads=f"list its {child}"))
            return []
        return [resource_from_arm(d, dlz=t.dlz) for d in found if str(d.get("id") or "").lower() not in seen]

    for more in await asyncio.gather(*(kids(*p) for p in parents)):
        rows += more
    return rows


async def list_rows(clients: Any, subs: list[str], scope: Scope, *, timeout: float = DEFAULT_TIMEOUT) -> Inventory:
    """Steps 1 and 2: the rows as the listings give them.  Each subscription's groups are read as
    soon as its own group listing is in (no waiting for the other subscriptions)."""
    failures: list[Failure] = []
    claimed: set[str] = set()

    guessed: list[tuple[ScanTarget, Failure]] = []  # failures of named groups tried blind (listing refused)

    async def per_sub(sub: str) -> tuple[list[ScanTarget], bool, list[Resource]]:
        targets, listed = await _targets_of(clients, sub, scope, failures, timeout)
        unique = []
        for t in targets:
            key = f"{t.subscription_id}/{t.resource_group}".lower()
            if key not in claimed:
                claimed.add(key)
                unique.append(t)

        async def rows(t: ScanTarget) -> list[Resource]:
            if listed:
                return await _rows_of(clients, t, failures, timeout)
            mine: list[Failure] = []
            out = await _rows_of(clients, t, mine, timeout)
            guessed.extend((t, f) for f in mine)
            return out

        per_rg = await asyncio.gather(*(rows(t) for t in unique))
        return unique, listed, [r for rs in per_rg for r in rs]

    results = await asyncio.gather(*(per_sub(s) for s in subs))
    rows = [r for _, _, rs in results for r in rs]
    found_in = {r.resource_group.lower() for r in rows}
    # a named group tried blind in a subscription it is not in is no news when another had it
    failures += [f for t, f in guessed if not (f.kind == "not-found" and t.resource_group.lower() in found_in)]
    absent = {id(t) for t, f in guessed if f.kind == "not-found"}  # tried blind where it is not
    targets = [t for ts, _, _ in results for t in ts if id(t) not in absent]
    if all(listed for _, listed, _ in results):
        for rg in scope.missing(targets):
            failures.append(Failure(f"resource group {rg}", "not-found",
                                    f"named ({scope.named[rg]}) but found in none of the profile's {len(subs)} subscription(s)"))
    return Inventory(rows=rows, failures=failures, targets=targets)


async def provider_get(clients: Any, r: Resource) -> dict:
    api = apis.GET_API.get(r.type_key)
    if api is None:
        return r.arm
    return (await clients.send("GET", r.id, api)).body or {}


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


async def metric_series(clients: Any, r: Resource, *, hours: float, end: datetime | None = None,
                        interval: str | None = None) -> metrics.Series | None:
    """The resource's load metric over the last ``hours`` (None: the type has no metric).  Raises
    the ARM error when Azure Monitor refuses."""
    spec = METRICS.get(r.type_key)
    if spec is None:
        return None
    name, _agg = spec
    end = end or datetime.now(timezone.utc)
    from urllib.parse import quote

    path = (f"{r.id}/providers/Microsoft.Insights/metrics?metricnames={quote(name)}&timespan={quote(metrics.timespan(end, hours))}"
            f"&interval={interval or metrics.interval_for(hours)}&aggregation=Average,Maximum")
    body = (await clients.send("GET", path, metrics.API_VERSION)).body or {}
    return metrics.parse(body, name)


async def _utilization(clients: Any, r: Resource, end: datetime) -> Resource:
    if r.type_key not in METRICS:
        return r
    try:
        s = await metric_series(clients, r, hours=24, end=end)
    except Exception as exc:  # noqa: BLE001 — shown in the row, not a warning line of its own
        return dataclasses.replace(r, utilization_note=describe("metrics", exc).reason)
    avg = s.average() if s is not None else None
    if avg is None:
        return dataclasses.replace(r, utilization_note="Azure Monitor returned no data for the last 24 h")
    return dataclasses.replace(r, utilization_24h=avg)


async def enrich(clients: Any, inv: Inventory, *, cost: CostSource | None = None, cost_unavailable: str = "",
                 now: datetime | None = None) -> Inventory:
    """Step 3: runtime state, utilization and cost, concurrently; failures kept per row."""
    end = now or datetime.now(timezone.utc)
    failures = list(inv.failures)

    async def row(r: Resource) -> Resource:
        if r.pausable:
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
