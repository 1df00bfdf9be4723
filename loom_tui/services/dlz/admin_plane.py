"""What a DLZ deployment needs to know of the Admin Plane, read live from its resource group:
the Log Analytics workspace, the console's managed identity (and the activator's), the shared
ADX cluster and its identity, the private DNS zones the hub holds, and the DLZ template specs.

These are the ids the platform's ``dlz-attach.bicepparam`` asks the operator for through
environment variables (``LOOM_ADMIN_LAW_ID``, ``LOOM_CONSOLE_PRINCIPAL_ID``, ``LOOM_DNS_ZONE_*``,
…); loom reads them instead.  A read that fails is named in ``problems``, never guessed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from loom_tui.azure.errors import ArmError

# api-versions are picked per cloud (loom_tui/azure/api_versions.py)
TYPES = ("Microsoft.OperationalInsights/workspaces", "Microsoft.ManagedIdentity/userAssignedIdentities", "Microsoft.Kusto/clusters",
         "Microsoft.Network/privateDnsZones", "Microsoft.Resources/templateSpecs")
SPEC_WORDS = ("landing-zone", "landingzone", "dlz")


@dataclass(frozen=True)
class Identity:
    name: str
    principal_id: str
    client_id: str = ""
    id: str = ""


@dataclass(frozen=True)
class SpecVersion:
    id: str  # the version's resource id (what a deployment's templateLink.id names)
    spec: str
    version: str
    modified: str = ""


@dataclass
class AdminPlane:
    law_id: str = ""
    console: Identity | None = None
    activator: Identity | None = None
    adx: Identity | None = None  # the shared cluster: name, its system identity's principal id; id → resource group
    zones: dict[str, str] = field(default_factory=dict)  # zone name (lower case) -> id
    specs: list[SpecVersion] = field(default_factory=list)  # DLZ template spec versions, newest first
    problems: list[str] = field(default_factory=list)

    @property
    def adx_rg(self) -> str:
        parts = (self.adx.id if self.adx else "").split("/")
        return parts[4] if len(parts) > 4 else ""


async def read_admin_plane(clients: Any, sub: str, rg: str) -> AdminPlane:
    out = AdminPlane()
    base = f"/subscriptions/{sub}/resourceGroups/{rg}/providers"

    async def rows(rtype: str, query: str = "") -> list[dict[str, Any]]:
        from loom_tui.azure.api_versions import pick

        try:
            return [r async for r in clients.pages(f"{base}/{rtype}{query}", await pick(clients, rtype, path=base))]
        except ArmError as exc:
            out.problems.append(f"{rtype} in {rg} could not be read: {exc}")
            return []

    laws, uamis, clusters, zones, specs = await asyncio.gather(
        rows("Microsoft.OperationalInsights/workspaces"), rows("Microsoft.ManagedIdentity/userAssignedIdentities"),
        rows("Microsoft.Kusto/clusters"), rows("Microsoft.Network/privateDnsZones"),
        rows("Microsoft.Resources/templateSpecs", "?$expand=versions"))
    if laws:
        out.law_id = str(sorted(laws, key=lambda r: ("loom" not in str(r.get("name")).lower(), str(r.get("name"))))[0].get("id") or "")
    for u in uamis:
        name, props = str(u.get("name") or ""), u.get("properties") or {}
        ident = Identity(name, str(props.get("principalId") or ""), str(props.get("clientId") or ""), str(u.get("id") or ""))
        if "console" in name.lower() and out.console is None:
            out.console = ident
        elif "activator" in name.lower() and out.activator is None:
            out.activator = ident
    if clusters:
        c = clusters[0]
        out.adx = Identity(str(c.get("name") or ""), str((c.get("identity") or {}).get("principalId") or ""), "", str(c.get("id") or ""))
    out.zones = {str(z.get("name") or "").lower(): str(z.get("id") or "") for z in zones}
    for s in specs:
        name = str(s.get("name") or "")
        if not any(w in name.lower() for w in SPEC_WORDS):
            continue
        versions = ((s.get("properties") or {}).get("versions") or {})
        for v, info in versions.items():
            out.specs.append(SpecVersion(f"{s.get('id')}/versions/{v}", name, v, str((info or {}).get("timeModified") or "")))
    out.specs.sort(key=lambda v: (v.modified, v.version), reverse=True)
    return out
