"""The DLZs loom deployed, recorded in the store (``loom-dlz``, kind ``dlz``: loom's own container;
records an older loom kept in the console's ``landing-zones`` are read from there and moved on the
next save) so Capacity and Cost see them: the outcome of its deployment (deploying, deployed or
failed), the plan a resumed run deploys again, the peering and DNS links it made.  The stages of a
deployment are its Operation's steps (:mod:`.operation`), kept nowhere else; a record an older loom
wrote with ``stages`` is read as well (the field is ignored, and dropped at the next save).  What
the console reads about a DLZ is written separately (:mod:`.console_record`)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Any, Callable

from loom_tui.domain.clock import now_iso
from loom_tui.errors import NotFoundError
from loom_tui.store.scoped import ScopedStore

from .drafts import LEGACY, _drop_legacy, legacy_and_own
from .facts import ExistingDlz

CONTAINER = "loom-dlz"


@dataclass(frozen=True)
class DlzRecord:
    domain: str
    state: str  # deploying | deployed | failed
    subscription_id: str
    region: str
    resource_group: str
    vnet_id: str
    address_space: str
    capacity: str
    capacity_sku: str
    storage_account: str
    key_vault: str
    boundary: str
    deployment_name: str
    deployed_at: str
    deployed_by: str
    peering: dict[str, str] = field(default_factory=dict)  # "hub-to-spoke"/"spoke-to-hub" -> peeringState
    dns_links: list[dict[str, str]] = field(default_factory=list)  # [{zone, state}]
    plan: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, d: dict[str, Any]) -> "DlzRecord":
        return cls(
            str(d.get("domain") or ""), str(d.get("state") or ""), str(d.get("subscriptionId") or ""), str(d.get("region") or ""),
            str(d.get("resourceGroup") or ""), str(d.get("vnetId") or ""), str(d.get("addressSpace") or ""),
            str(d.get("capacity") or ""), str(d.get("capacitySku") or ""), str(d.get("storageAccount") or ""),
            str(d.get("keyVault") or ""), str(d.get("boundary") or ""), str(d.get("deploymentName") or ""),
            str(d.get("deployedAt") or ""), str(d.get("deployedBy") or ""), dict(d.get("peering") or {}),
            list(d.get("dnsLinks") or []), dict(d.get("plan") or {}))  # an older record's "stages": not read

    def as_existing(self) -> ExistingDlz:
        return ExistingDlz(self.domain, self.subscription_id, self.region, self.resource_group, self.address_space,
                           "deployed" if self.state == "deployed" else self.state or "deploying")


class DlzRegistry:
    def __init__(self, scoped: ScopedStore, require_writable: Callable[[str], None]) -> None:
        self.scoped = scoped
        self.require_writable = require_writable

    async def list(self) -> list[DlzRecord]:
        out = [DlzRecord.from_doc(d) async for d in legacy_and_own(self.scoped, "dlz")]
        return sorted(out, key=lambda r: r.domain)

    async def get(self, domain: str) -> DlzRecord:
        d = await self.scoped.tenant_get(CONTAINER, f"dlz:{domain}")
        if not d or d.get("kind") != "dlz":
            d = await self.scoped.tenant_get(LEGACY, f"dlz:{domain}")
        if not d or d.get("kind") != "dlz":
            raise NotFoundError(f"no DLZ {domain!r} recorded in this tenant")
        return DlzRecord.from_doc(d)

    async def find(self, domain: str) -> DlzRecord | None:
        try:
            return await self.get(domain)
        except NotFoundError:
            return None

    async def save(self, plan: dict[str, Any], *, state: str, peering: dict[str, str] | None = None,
                   dns_links: builtins.list[dict[str, str]] | None = None) -> None:
        """Write the record of ``plan`` (a ``DlzPlan.to_dict()``) with the run's outcome so far."""
        self.require_writable("recording a DLZ")
        s = self.scoped.session
        old = await self.find(plan["domain"])
        await self.scoped.tenant_upsert(CONTAINER, {
            "id": f"dlz:{plan['domain']}", "kind": "dlz", "domain": plan["domain"], "state": state,
            "subscriptionId": plan["subscription_id"], "region": plan["region"], "resourceGroup": plan["resource_group"],
            "vnetId": plan["spoke_vnet_id"], "addressSpace": plan["address_space"], "capacity": plan["capacity"],
            "capacitySku": plan["capacity_sku"], "storageAccount": plan["storage_account"], "keyVault": plan["key_vault"],
            "boundary": plan["boundary"], "deploymentName": plan["deployment_name"],
            "deployedAt": (old.deployed_at if old and old.deployed_at else now_iso()) if state != "deployed" else now_iso(),
            "deployedBy": s.upn, "peering": peering if peering is not None else (old.peering if old else {}),
            "dnsLinks": dns_links if dns_links is not None else (old.dns_links if old else []), "plan": plan,
        })
        await _drop_legacy(self.scoped, f"dlz:{plan['domain']}", "dlz")

    async def forget(self, domain: str) -> DlzRecord:
        """Remove the record of ``domain`` (Azure is not touched); the record removed."""
        self.require_writable("forgetting a DLZ record")
        rec = await self.get(domain)
        from loom_tui.store.errors import NotFound

        gone = await _drop_legacy(self.scoped, f"dlz:{domain}", "dlz")
        try:
            await self.scoped.tenant_delete(CONTAINER, f"dlz:{domain}")
        except NotFound:
            if not gone:
                raise NotFoundError(f"no DLZ {domain!r} recorded in this tenant") from None
        return rec

