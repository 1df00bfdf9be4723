"""Steps 1 and 2 of the inventory: the rows of the Loom resource groups, with runtime state, in a
number of sequential round trips that does not grow with the number of resource groups.

Per subscription, all at once (each bounded by the run's shared ``AzureClients``):

    GET /subscriptions/{sub}/resourcegroups                          which groups are Loom's
    GET /subscriptions/{sub}/resources?$expand=provisioningState,…   every resource (filtered here)
    GET /subscriptions/{sub}/providers/Microsoft.Fabric/capacities   runtime state in properties
    GET /subscriptions/{sub}/providers/Microsoft.Kusto/clusters      (ARM's "list by subscription")
    GET /subscriptions/{sub}/providers/Microsoft.Synapse/workspaces

then, once both the groups and the workspaces are in, the SQL pools of each Loom workspace
(``…/workspaces/{ws}/sqlPools``), concurrently: two rounds, whatever the number of groups.

Fallbacks keep partial results honest: a refused group listing tries the named groups directly; a
refused or failed subscription-wide resource listing lists each Loom group on its own (a role on
a group alone still reads it); a provider list that fails leaves the state to a per-resource GET
in :func:`~.inventory.enrich`.  Every failure that loses data becomes a :class:`~.failures.Failure`.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any, Awaitable, Callable, TypeVar

from loom_tui.domain.capacity import FABRIC, KUSTO, Resource, resource_from_arm

from . import apis
from .failures import Failure, describe
from .scope import Scope, ScanTarget

SYNAPSE_WS = apis.SYNAPSE_WS
# provider-level lists whose documents carry the runtime state (``properties``)
PROVIDER_LISTS: tuple[str, ...] = (FABRIC, KUSTO, SYNAPSE_WS)
POOLS = ("sqlPools", "microsoft.synapse/workspaces/sqlpools")

T = TypeVar("T")


def _sub_label(sub: str) -> str:
    return f"subscription {sub}"


def _rg_label(t: ScanTarget) -> str:
    return f"resource group {t.resource_group} (subscription {t.subscription_id})"


def _key(sub: str, rg: str) -> str:
    return f"{sub}/{rg}".lower()


async def _all(clients: Any, path: str, api: str | None, timeout: float, *, type_key: str | None = None) -> list[dict]:
    """Every page of ``path``; ``type_key``: pick the api-version of that type first."""
    async def read() -> list[dict]:
        version = await apis.version(clients, type_key, path) if type_key else api
        return [d async for d in clients.pages(path, version)]

    return await asyncio.wait_for(read(), timeout)


async def _try(make: Callable[[], Awaitable[T]]) -> T | BaseException:
    try:
        return await make()
    except Exception as exc:  # noqa: BLE001 — the caller decides what a failure means
        return exc


async def rows_of_group(clients: Any, t: ScanTarget, failures: list[Failure], timeout: float) -> list[Resource]:
    """One group's resources (the fallback when the subscription-wide listing is not readable)."""
    try:
        api = await apis.version(clients, apis.RESOURCES, f"/subscriptions/{t.subscription_id}")
        docs = await _all(clients, apis.resources_in(t.subscription_id, t.resource_group, api), None, timeout)
    except Exception as exc:  # noqa: BLE001
        failures.append(describe(_rg_label(t), exc, reads="list its resources"))
        return []
    return [resource_from_arm(d, dlz=t.dlz) for d in docs]


async def _subscription(clients: Any, sub: str, scope: Scope, claimed: set[str], failures: list[Failure],
                        guessed: list[tuple[ScanTarget, Failure]], timeout: float) -> tuple[list[ScanTarget], bool, list[Resource]]:
    started: list[asyncio.Future] = []

    def start(coro: Awaitable[T]) -> "asyncio.Future[T]":
        task = asyncio.ensure_future(coro)
        started.append(task)
        return task

    try:
        return await _read_subscription(clients, sub, scope, claimed, failures, guessed, timeout, start)
    finally:  # cancelled (the screen left) or done early: no request keeps running behind it
        for task in started:
            task.cancel()


async def _read_subscription(clients: Any, sub: str, scope: Scope, claimed: set[str], failures: list[Failure],
                             guessed: list[tuple[ScanTarget, Failure]], timeout: float,
                             start: Callable[[Awaitable[Any]], "asyncio.Future[Any]"]) -> tuple[list[ScanTarget], bool, list[Resource]]:
    groups_t = start(_try(lambda: _all(clients, apis.resource_groups(sub), None, timeout, type_key=apis.RESOURCE_GROUPS)))
    everything_t = start(_try(lambda: _everything(clients, sub, timeout)))

    def provider_list(type_key: str) -> Callable[[], Awaitable[list[dict]]]:
        return lambda: _all(clients, apis.provider_list(sub, type_key), None, timeout, type_key=type_key)
    provider_t = {t: start(_try(provider_list(t))) for t in PROVIDER_LISTS}

    groups = await groups_t
    if isinstance(groups, BaseException):
        f = describe(_sub_label(sub), groups, reads="list its resource groups")
        failures.append(dataclasses.replace(f, reason=f.reason + "; trying the named resource groups directly"))
        targets, listed = scope.fallback(sub), False
    else:
        targets, listed = scope.select(sub, [(g.get("name") or "", g.get("tags") or {}) for g in groups]), True
    unique = []
    for t in targets:
        if _key(t.subscription_id, t.resource_group) not in claimed:
            claimed.add(_key(t.subscription_id, t.resource_group))
            unique.append(t)
    mine = {_key(t.subscription_id, t.resource_group): t for t in unique}

    def in_scope(doc: dict) -> ScanTarget | None:
        r = resource_from_arm(doc)
        return mine.get(_key(r.subscription_id, r.resource_group))

    if not listed:  # the named groups tried blind: a 404 where one is not is no news yet (see list_rows)
        for task in (everything_t, *provider_t.values()):
            task.cancel()  # refused at the subscription: free their slots of the concurrency bound
        per = await asyncio.gather(*(_blind(clients, t, guessed, timeout) for t in unique))
        return unique, listed, [r for rs in per for r in rs]

    # the SQL pools of each Loom workspace, as soon as the workspaces are known (the second round)
    workspaces = await provider_t[SYNAPSE_WS]
    pools_t = None
    if not isinstance(workspaces, BaseException):
        pools_t = start(_pools(clients, [(d, owner) for d in workspaces if (owner := in_scope(d))], failures, timeout))

    everything = await everything_t
    if isinstance(everything, BaseException):  # e.g. a role on some groups only: each group on its own
        per = await asyncio.gather(*(rows_of_group(clients, t, failures, timeout) for t in unique))
        rows = [r for rs in per for r in rs]
    else:
        rows = [resource_from_arm(d, dlz=owner.dlz) for d in everything if (owner := in_scope(d))]
    if pools_t is None:  # no workspace list: the pools of the workspaces the listing found
        pools_t = start(_pools(clients, [(r.arm, mine[_key(r.subscription_id, r.resource_group)]) for r in rows
                                                         if r.type_key == SYNAPSE_WS], failures, timeout))
    return unique, listed, _merge(rows, [await provider_t[FABRIC], await provider_t[KUSTO], workspaces, await pools_t])


async def _everything(clients: Any, sub: str, timeout: float) -> list[dict]:
    api = await apis.version(clients, apis.RESOURCES, f"/subscriptions/{sub}")
    return await _all(clients, apis.resources_in_subscription(sub, api), None, timeout)


def _merge(rows: list[Resource], lists: list[list[dict] | BaseException]) -> list[Resource]:
    """The provider lists' documents (with ``properties``: the runtime state) over the listing's
    envelopes.  The listing says which resources there are; a child (a SQL pool, which a
    listing may leave out) is added when its parent is there."""
    by_id = {r.id.lower(): i for i, r in enumerate(rows)}
    for docs in lists:
        if isinstance(docs, BaseException):
            continue  # the state is then read per resource (inventory.enrich)
        for d in docs:
            rid = str(d.get("id") or "").lower()
            if rid in by_id:
                old = rows[by_id[rid]]
                rows[by_id[rid]] = resource_from_arm({**old.arm, **d}, dlz=old.dlz)
            elif rid.rsplit("/", 2)[0] in by_id:
                parent = rows[by_id[rid.rsplit("/", 2)[0]]]
                by_id[rid] = len(rows)
                rows.append(resource_from_arm(d, dlz=parent.dlz))
    return rows


async def _blind(clients: Any, t: ScanTarget, guessed: list[tuple[ScanTarget, Failure]], timeout: float) -> list[Resource]:
    mine: list[Failure] = []
    out = await rows_of_group(clients, t, mine, timeout)
    guessed.extend((t, f) for f in mine)
    return out


async def _pools(clients: Any, workspaces: list[tuple[dict, ScanTarget]], failures: list[Failure], timeout: float) -> list[dict]:
    child, type_key = POOLS

    async def one(ws: dict, t: ScanTarget) -> list[dict]:
        try:
            return await _all(clients, f"{ws['id']}/{child}", None, timeout, type_key=type_key)
        except Exception as exc:  # noqa: BLE001
            failures.append(describe(f"{child} of {ws.get('name')} ({_rg_label(t)})", exc, reads=f"list its {child}"))
            return []

    found = await asyncio.gather(*(one(ws, t) for ws, t in workspaces if ws.get("id")))
    return [d for ds in found for d in ds]


async def list_rows(clients: Any, subs: list[str], scope: Scope, *, timeout: float) -> tuple[list[Resource], list[Failure], list[ScanTarget]]:
    """Every subscription at once; the rows, the failures and the groups read."""
    failures: list[Failure] = []
    claimed: set[str] = set()
    guessed: list[tuple[ScanTarget, Failure]] = []  # failures of named groups tried blind (listing refused)
    results = await asyncio.gather(*(_subscription(clients, s, scope, claimed, failures, guessed, timeout) for s in subs))
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
    return rows, failures, targets
