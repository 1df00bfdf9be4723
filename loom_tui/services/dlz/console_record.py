"""A deployed DLZ recorded as the web console records one (issue 20 item 5), besides loom's own
record (:mod:`.registry`):

* the domain registry's **DLZ binding** (``upsertDomainBinding`` in ``lib/azure/domain-registry.ts``
  at the pinned commit): ``subscriptionIds`` (a union), ``dlzRg``, ``location``, ``capacitySku``,
  ``status: active``, ``chargebackTag: loom-domain:<id>`` (:meth:`DomainRegistry.upsert_binding`);
* a **logical landing zone** in ``landing-zones`` in the console's ``LandingZone`` shape
  (``lib/azure/landing-zones-store.ts``): id = the slug of the domain, ``tenantId`` = the tenant
  (``tenantScopeId``), ``name``, ``subscriptionId``, ``resourceGroups``, ``region``,
  ``crossSubscription``, ``network`` (the spoke VNet, peered and DNS-linked), ``boundary``,
  ``createdBy``/``createdAt``/``updatedAt``.  A second deploy updates it and keeps every field
  loom does not know (and the first ``createdAt``/``createdBy``).
"""

from __future__ import annotations

import re
from typing import Any

from loom_tui.domain.clock import now_iso
from loom_tui.store.scoped import ScopedStore

from ..domains import DomainRegistry

LANDING_ZONES = "landing-zones"


def slug(name: str) -> str:
    """The console's ``slugifyLandingZoneName`` (a name loom always has, so never the random fallback)."""
    s = re.sub(r"[^a-z0-9-]+", "-", (name or "").lower().strip()).strip("-")
    return re.sub(r"-{2,}", "-", s)[:60]


def landing_zone(plan: dict[str, Any], tid: str, who: str, old: dict | None) -> dict[str, Any]:
    now = now_iso()
    hub_sub = str(plan.get("hub_vnet_id") or "").split("/")[2:3]
    doc: dict[str, Any] = {
        **(old or {}),
        "id": slug(plan["domain"]), "tenantId": tid, "name": plan["domain"],
        "subscriptionId": plan["subscription_id"], "resourceGroups": [plan["resource_group"]], "region": plan["region"],
        "crossSubscription": bool(hub_sub) and hub_sub[0].lower() != str(plan["subscription_id"]).lower(),
        "network": {**((old or {}).get("network") or {}), "vnetId": plan["spoke_vnet_id"], "peeringNeeded": False,
                    "privateDnsNeeded": False},
        "boundary": plan.get("boundary") or None,
        "createdBy": (old or {}).get("createdBy") or who, "createdAt": (old or {}).get("createdAt") or now, "updatedAt": now,
    }
    return {k: v for k, v in doc.items() if v is not None and not k.startswith("_")}


async def record_for_console(scoped: ScopedStore, plan: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write the binding and the landing zone of the deployed ``plan`` (``DlzPlan.to_dict()``);
    returns (domain item, landing-zone document)."""
    s = scoped.session
    who = s.upn or s.user_oid
    item = await DomainRegistry(scoped, who, writable=True).upsert_binding(
        plan["domain"], subscription_ids=[plan["subscription_id"]], dlz_rg=plan["resource_group"], location=plan["region"],
        capacity_sku=plan.get("capacity_sku") or None, status="active")
    old = await scoped.tenant_get(LANDING_ZONES, slug(plan["domain"]))
    lz = await scoped.tenant_upsert(LANDING_ZONES, landing_zone(plan, scoped.tid, who, old))
    return item, lz
