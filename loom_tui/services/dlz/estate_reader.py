"""The facts the wizard checks against, read live from Resource Manager: the subscriptions the
identity can see, their regions, every virtual network (the hub and each spoke: their address
spaces are what a new spoke must not overlap), the DLZs already there (``discovery``: by resource
group name, tags or spoke name), and the DLZs loom recorded in the store."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from loom_tui.azure.errors import ArmError

from .discovery import found_dlzs
from .facts import DeployFacts, ExistingDlz, NetworkRow, SubscriptionRow

# api-versions are picked per cloud (loom_tui/azure/api_versions.py)


def _rg_of(rid: str) -> str:
    m = re.search(r"/resourceGroups/([^/]+)", rid, re.IGNORECASE)
    return m.group(1) if m else ""


def network_row(body: dict[str, Any], sub: str) -> NetworkRow:
    space = tuple(((body.get("properties") or {}).get("addressSpace") or {}).get("addressPrefixes") or ())
    rid = str(body.get("id") or "")
    return NetworkRow(str(body.get("name") or ""), rid, sub, _rg_of(rid), space, str(body.get("location") or ""))


def is_admin_rg(rg: str, admin_rg: str | None) -> bool:
    if admin_rg:
        return rg.lower() == admin_rg.lower()
    return rg.lower().startswith("rg-csa-loom-admin")


async def read_facts(clients: Any, *, tenant_id: str, cloud: Any, admin_rg: str | None, capacity_admins: list[str],
                     recorded: list[ExistingDlz], regions_for: list[str] | None = None) -> DeployFacts:
    """Everything but the permissions (checked on their own step).  ``regions_for``: the
    subscriptions whose regions to read (default: every visible one)."""
    own = getattr(clients, "cloud", None)  # the clients' own cloud: a cloud without a portal has "" (no link is printed)
    portal = own.portal if own is not None and isinstance(getattr(own, "portal", None), str) else cloud.portal
    facts = DeployFacts(tenant_id=tenant_id, profile_cloud=cloud.name, storage_suffix=cloud.storage_suffix, portal=portal,
                        capacity_admins=list(capacity_admins))
    from loom_tui.azure.api_versions import pick

    subs = [r async for r in clients.pages("/subscriptions", await pick(clients, "Microsoft.Resources/subscriptions"))]
    facts.subscriptions = [SubscriptionRow(str(s.get("subscriptionId")), str(s.get("displayName") or ""), str(s.get("state") or ""))
                           for s in subs]
    enabled = [s.subscription_id for s in facts.subscriptions if s.state.lower() in ("enabled", "")]
    wanted = enabled if regions_for is None else [s for s in regions_for if s in enabled]
    all_nets, all_groups = await _read_subscriptions(clients, facts, enabled, wanted)
    hubs = [n for n in all_nets if is_admin_rg(n.resource_group, admin_rg)]
    if hubs:
        facts.hub = hubs[0]
        facts.admin_subscription_id = hubs[0].subscription_id
        facts.admin_resource_group = hubs[0].resource_group
    else:
        facts.problems.append(f"no hub network found in the Admin Plane resource group ({admin_rg or 'rg-csa-loom-admin-*'})")
    facts.spokes = [n for n in all_nets if n is not facts.hub]
    facts.groups = {f"{sub}/{g.get('name')}".lower() for sub, g in all_groups}
    if facts.hub is not None:
        from .admin_plane import read_admin_plane

        facts.admin = await read_admin_plane(clients, facts.admin_subscription_id, facts.admin_resource_group)
        facts.problems += facts.admin.problems
    facts.found = found_dlzs(all_groups, facts.spokes)
    facts.dlzs = _known_dlzs(facts.found, recorded)
    return facts


async def _read_subscriptions(clients: Any, facts: DeployFacts, enabled: list[str],
                              wanted: list[str]) -> tuple[list[NetworkRow], list[tuple[str, dict[str, Any]]]]:
    """The virtual networks and resource groups of the ``enabled`` subscriptions, and into
    ``facts.regions`` the regions of the ``wanted`` ones, all at once; what cannot be read is a
    problem in ``facts``, never an error."""
    from loom_tui.azure.api_versions import pick

    async def vnets(sub: str) -> list[NetworkRow]:
        try:
            return [network_row(v, sub) async for v in
                    clients.pages(f"/subscriptions/{sub}/providers/Microsoft.Network/virtualNetworks",
                                  await pick(clients, "Microsoft.Network/virtualNetworks", path=f"/subscriptions/{sub}"))]
        except ArmError as exc:
            facts.problems.append(f"virtual networks of {sub} could not be read: {exc}")
            return []

    async def regions(sub: str) -> tuple[str, list[str]]:
        try:
            rows = [r async for r in clients.pages(f"/subscriptions/{sub}/locations",
                                                   await pick(clients, "Microsoft.Resources/subscriptions/locations"))]
        except ArmError as exc:
            facts.problems.append(f"regions of {sub} could not be read: {exc}")
            return sub, []
        return sub, sorted(str(r.get("name")) for r in rows
                           if str((r.get("metadata") or {}).get("regionType") or "Physical") == "Physical")

    async def groups(sub: str) -> list[tuple[str, dict[str, Any]]]:
        try:
            return [(sub, g) async for g in clients.pages(f"/subscriptions/{sub}/resourcegroups",
                                                          await pick(clients, "Microsoft.Resources/resourceGroups"))]
        except ArmError as exc:
            facts.problems.append(f"resource groups of {sub} could not be read: {exc}")
            return []

    nets_per_sub, region_rows, groups_per_sub = await asyncio.gather(
        asyncio.gather(*(vnets(s) for s in enabled)), asyncio.gather(*(regions(s) for s in wanted)),
        asyncio.gather(*(groups(s) for s in enabled)))
    facts.regions = dict(region_rows)
    return [n for per in nets_per_sub for n in per], [g for per in groups_per_sub for g in per]


def _known_dlzs(found_in_azure: list[ExistingDlz], recorded: list[ExistingDlz]) -> list[ExistingDlz]:
    """The DLZs Azure holds merged with loom's records of them."""
    found: dict[str, ExistingDlz] = {}
    for d in found_in_azure:
        found.setdefault(d.domain, d)
    extra: list[ExistingDlz] = []
    for d in recorded:  # loom's own record wins (it knows a deployment is in flight) ...
        if d.domain not in found or d.state == "deploying":
            found[d.domain] = d
        elif d.state == "failed":  # ... but a failed one never hides what Azure holds: both are kept
            extra.append(d)
    return list(found.values()) + extra
