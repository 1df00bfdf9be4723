"""Which api-version loom sends, per resource type and per cloud (issue 21).

Clouds differ: US Government, China, the air-gapped clouds and a custom cloud (Azure Stack Hub, a
sovereign region) lag the public cloud by months or years.  So loom keeps, per resource type, the
api-versions it supports (``SUPPORTED``, newest first; each is an official spec version loom's
requests and answers are tested against), reads what the cloud offers ONCE per run —
``GET /subscriptions/{id}/providers/{namespace}`` (``Providers_Get``; tenant scope
``GET /providers/{namespace}`` before any subscription is known) — and sends the newest version
that both know.  When the provider cannot be read (not registered, no permission) loom sends its
newest and says so; when the cloud offers none loom supports, the call is refused with both lists.

The README's "API versions" table is this module's ``SUPPORTED``.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ArmError

log = logging.getLogger("loom.azure.api_versions")
PROVIDERS_API = "2021-04-01"  # Providers_Get: the call that tells which versions the others may use

# resource type (lower case) -> api-versions loom supports, newest first
SUPPORTED: dict[str, tuple[str, ...]] = {
    "microsoft.resources/subscriptions": ("2022-12-01", "2021-01-01"),
    "microsoft.resources/tenants": ("2022-12-01", "2021-01-01"),
    "microsoft.resources/subscriptions/locations": ("2022-12-01", "2021-01-01"),
    "microsoft.resources/resourcegroups": ("2021-04-01", "2020-06-01"),
    "microsoft.resources/resources": ("2021-04-01", "2020-06-01"),
    "microsoft.resources/deployments": ("2026-06-01", "2025-04-01"),
    "microsoft.fabric/capacities": ("2026-08-01", "2023-11-01"),
    "microsoft.kusto/clusters": ("2024-04-13", "2023-08-15"),
    "microsoft.synapse/workspaces": ("2021-06-01",),
    "microsoft.synapse/workspaces/sqlpools": ("2021-06-01",),
    "microsoft.synapse/workspaces/bigdatapools": ("2021-06-01",),
    "microsoft.insights/metrics": ("2024-02-01", "2023-10-01"),
    "microsoft.consumption/budgets": ("2024-08-01", "2023-05-01"),
    "microsoft.costmanagement/query": ("2024-08-01", "2023-11-01"),
    "microsoft.network/virtualnetworks": ("2023-11-01", "2023-09-01"),
    "microsoft.network/virtualnetworks/virtualnetworkpeerings": ("2023-11-01", "2023-09-01"),
    "microsoft.network/privatednszones": ("2024-06-01", "2020-06-01"),
    "microsoft.network/privatednszones/virtualnetworklinks": ("2024-06-01", "2020-06-01"),
    "microsoft.authorization/roleassignments": ("2022-04-01",),
    "microsoft.documentdb/databaseaccounts": ("2025-04-15", "2024-11-15"),
    # `loom store init`: the SQL database and containers of the store (SqlResources_*)
    "microsoft.documentdb/databaseaccounts/sqldatabases": ("2025-04-15", "2024-11-15"),
    "microsoft.documentdb/databaseaccounts/sqldatabases/containers": ("2025-04-15", "2024-11-15"),
    "microsoft.storage/storageaccounts": ("2025-06-01", "2025-01-01"),
    "microsoft.storage/storageaccounts/blobservices": ("2025-06-01", "2025-01-01"),
    "microsoft.keyvault/vaults": ("2025-05-01", "2024-11-01"),
    # the Admin Plane a DLZ deployment reads (services/dlz/admin_plane.py, template.py)
    "microsoft.operationalinsights/workspaces": ("2022-10-01", "2021-06-01"),
    "microsoft.managedidentity/userassignedidentities": ("2023-01-31", "2018-11-30"),
    "microsoft.resources/templatespecs": ("2022-02-01", "2021-05-01"),
    "microsoft.resources/templatespecs/versions": ("2022-02-01", "2021-05-01"),
}


class NoSupportedVersion(ArmError):
    """The cloud offers the type only in api-versions loom does not support."""


@dataclass
class _Run:
    """What one run has read: namespace -> resource type (lower, without the namespace) ->
    the versions offered; or the reason it could not be read."""

    offered: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    chosen: dict[str, str] = field(default_factory=dict)


_SUB = re.compile(r"^/?subscriptions/([^/?]+)", re.IGNORECASE)


def _run(clients: Any) -> _Run:
    """The run's record, kept on the run's clients (one per run, gone with them)."""
    run = getattr(clients, "_api_versions_run", None)
    if run is None:
        run = _Run()
        setattr(clients, "_api_versions_run", run)
    return run


def subscription_of(path: str | None) -> str | None:
    m = _SUB.match(path or "")
    return m.group(1) if m else None


async def _read(clients: Any, namespace: str, subscription: str | None) -> None:
    run = _run(clients)
    key = namespace.lower()
    lock = run.locks.setdefault(key, asyncio.Lock())
    async with lock:
        if key in run.offered or key in run.unreadable:
            return
        path = f"/subscriptions/{subscription}/providers/{namespace}" if subscription else f"/providers/{namespace}"
        try:
            body = (await clients.send("GET", path, PROVIDERS_API)).body or {}
        except ArmError as exc:
            run.unreadable[key] = f"{exc.arm_code or exc.status}: {exc.message}"[:200]
            log.info("api-versions of %s not read (%s): loom's newest are sent", namespace, run.unreadable[key])
            return
        types = {}
        for rt in body.get("resourceTypes") or []:
            name = str(rt.get("resourceType") or "").lower()
            if name:
                types[name] = tuple(str(v) for v in rt.get("apiVersions") or ())
        run.offered[key] = types


async def pick(clients: Any, rtype: str, *, path: str | None = None) -> str:
    """The api-version to send for resource type ``rtype`` (``Namespace/type[/child]``) on this
    run's cloud.  ``path``: the request's path, for the subscription to read the provider in."""
    key = rtype.lower()
    supported = SUPPORTED[key]
    run = _run(clients)
    if key in run.chosen:
        return run.chosen[key]
    namespace, _, tail = key.partition("/")
    await _read(clients, rtype.split("/", 1)[0], subscription_of(path))
    offered_types = run.offered.get(namespace)
    if offered_types is None:
        return supported[0]  # not readable: the newest, and the provider's own answer says the rest
    offered = offered_types.get(tail) or offered_types.get(tail.split("/")[-1])
    if not offered:
        return supported[0]
    both = [v for v in supported if v in offered]
    if not both:
        newest = sorted(offered, reverse=True)[:6]
        raise NoSupportedVersion(0, "NoSupportedApiVersion",
                                 f"this cloud offers {rtype} in api-versions {', '.join(newest)}; loom supports "
                                 f"{', '.join(supported)} — upgrade loom or ask for the provider to be updated")
    run.chosen[key] = both[0]
    return both[0]


def chosen(clients: Any) -> dict[str, str]:
    """What this run picked so far (type -> version), for ``loom doctor`` and the tests."""
    return dict(_run(clients).chosen)
