"""Capacity rows: one Azure resource of the Loom estate, with its runtime state, cost and load.

Pure data.  ``resource_from_arm`` turns one ARM resource document (the resource-group listing's
shape, or a provider GET) into a :class:`Resource`; the services enrich it with the runtime state
from the provider, the month-to-date cost and the 24 h utilization (``dataclasses.replace``).

Runtime state exists for three services, and each has its own vocabulary and verbs::

    Microsoft.Fabric/capacities        properties.state   Active / Paused     suspend / resume
    Microsoft.Synapse/workspaces/sqlPools  properties.status  Online / Paused  pause / resume
    Microsoft.Kusto/clusters           properties.state   Running / Stopped   stop / start
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .capability import PAUSE, RESUME, SCALE, Capable
from .fabric_skus import SKU_NAMES


@dataclass(frozen=True)
class Runtime:
    """How a pausable service reports and changes its runtime state."""

    label: str  # "Fabric capacity"
    state_field: str  # the key under ``properties``
    running: tuple[str, ...]  # states in which the service bills compute
    paused: tuple[str, ...]
    pause_verb: str  # the ARM action (POST {id}/<verb>)
    resume_verb: str
    api_version: str
    metric: str  # the Azure Monitor metric of its load, in percent ("": Azure Monitor has none)
    metric_aggregation: str = "Average"


FABRIC = "microsoft.fabric/capacities"
SYNAPSE_POOL = "microsoft.synapse/workspaces/sqlpools"
KUSTO = "microsoft.kusto/clusters"
COSMOS = "microsoft.documentdb/databaseaccounts"
STORAGE = "microsoft.storage/storageaccounts"
KEY_VAULT = "microsoft.keyvault/vaults"

# Fabric has no Azure Monitor metric in any cloud (Microsoft.Fabric/capacities has no metrics
# namespace; CU use lives in the Fabric Capacity Metrics semantic model, read through Power BI's
# executeQueries where the profile names it: services/capacity/fabric_idle.py).  Its utilization
# stays blank and the row says why; it is never guessed.
RUNTIMES: dict[str, Runtime] = {
    FABRIC: Runtime("Fabric capacity", "state", ("Active",), ("Paused", "Suspended"), "suspend", "resume", "2023-11-01", ""),
    SYNAPSE_POOL: Runtime("Synapse SQL pool", "status", ("Online",), ("Paused",), "pause", "resume", "2021-06-01", "DWUUsedPercent"),
    KUSTO: Runtime("Data Explorer cluster", "state", ("Running",), ("Stopped",), "stop", "start", "2024-04-13", "CPU"),
}

# Load metrics of services that cannot pause (shown, never acted on).
METRICS: dict[str, tuple[str, str]] = {
    **{t: (r.metric, r.metric_aggregation) for t, r in RUNTIMES.items() if r.metric},
    COSMOS: ("NormalizedRUConsumption", "Maximum"),
}

# Every Fabric F SKU, smallest first; the number is the capacity units (CU) it buys.
F_SKUS: tuple[str, ...] = SKU_NAMES

# CU-equivalent coefficients of the web console's design (web-console.md, Capacity):
# 1 Synapse DPU ≈ 8 CU, 1 ADX vCore-second ≈ 1/60 CU (its DBU and AOAI TPM rates are not kept:
# nothing loom reads is counted in DBU or TPM).
CU_PER_SYNAPSE_DPU = 8.0
CU_PER_ADX_VCORE = 1.0 / 60.0
# A dedicated SQL pool's DW100c is counted as one DPU (the design names no DWU rate; recorded here
# so the roll-up says what it assumed).
DWU_PER_DPU = 100.0

ADMIN_PLANE = "(admin plane)"
DLZ_RG = re.compile(r"^rg-csa-loom-dlz-(?P<domain>.+)-(?P<region>[a-z0-9]+)$", re.IGNORECASE)
LOOM_RG = re.compile(r"^rg-csa-loom-", re.IGNORECASE)


@dataclass(frozen=True)
class Resource(Capable):
    id: str
    name: str
    type: str
    location: str
    resource_group: str
    subscription_id: str
    sku: str | None = None
    kind: str | None = None
    provisioning_state: str | None = None
    state: str | None = None  # runtime state (Fabric / Synapse pool / ADX), else None
    state_note: str = ""  # why the state is blank when the service has one (the GET failed)
    cost_mtd: float | None = None
    currency: str | None = None
    cost_note: str = ""  # why the cost is blank
    utilization_24h: float | None = None  # percent, average over 24 h
    utilization_note: str = ""  # why utilization is blank
    utilization_absent: bool = False  # the metric does not exist in this cloud (domain/metric_clouds.py)
    dlz: str = ""  # the landing zone (domain) the resource group belongs to, or ADMIN_PLANE
    tags: dict[str, str] = field(default_factory=dict)
    sku_capacity: int | None = None  # sku.capacity (ADX instance count)
    arm: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)  # the ARM document, as read

    @property
    def type_key(self) -> str:
        return self.type.lower()

    @property
    def provider(self) -> str:
        return self.type.split("/", 1)[0]

    @property
    def runtime(self) -> Runtime | None:
        return RUNTIMES.get(self.type_key)

    def capabilities(self) -> frozenset[str]:
        """The verbs of this resource's kind (the one rule :meth:`can` answers from): a service with
        a runtime state pauses and resumes; a Fabric capacity also scales (by F SKU)."""
        verbs = {PAUSE, RESUME} if self.runtime is not None else set()
        if self.type_key == FABRIC:
            verbs.add(SCALE)
        return frozenset(verbs)

    def acts(self, verb: str) -> bool:
        """Whether ``verb`` is allowed here and would change something now: pause a running
        resource, resume a paused one, scale one that scales."""
        if self.can(verb) is not None:
            return False
        return self.is_running if verb == PAUSE else self.is_paused if verb == RESUME else True

    @property
    def pausable(self) -> bool:
        return self.can(PAUSE) is None

    @property
    def scalable(self) -> bool:
        return self.can(SCALE) is None

    @property
    def is_running(self) -> bool:
        rt = self.runtime
        return rt is not None and self.state in rt.running

    @property
    def is_paused(self) -> bool:
        rt = self.runtime
        return rt is not None and self.state in rt.paused

    @property
    def sku_or_kind(self) -> str:
        return self.sku or self.kind or ""


def _s(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def dlz_of(resource_group: str, tags: dict[str, str] | None = None, *, admin_rg: str | None = None,
           known: dict[str, str] | None = None) -> str:
    """The landing zone a resource group belongs to: a name recorded for it (``known``: rg lower ->
    DLZ name), the ``loomDomain``/``loom-domain`` tag, the naming convention
    ``rg-csa-loom-dlz-<domain>-<region>``; the Admin Plane RG is ``(admin plane)``."""
    rg = resource_group.lower()
    if known and rg in known:
        return known[rg]
    if admin_rg and rg == admin_rg.lower():
        return ADMIN_PLANE
    for key in ("loomDomain", "loom-domain"):
        if tags and tags.get(key):
            return str(tags[key])
    m = DLZ_RG.match(resource_group)
    if m:
        return m.group("domain").lower()
    if rg.startswith("rg-csa-loom-admin"):
        return ADMIN_PLANE
    return ""


def parse_id(resource_id: str) -> tuple[str, str]:
    """``(subscription id, resource group)`` of an ARM id (empty strings where absent)."""
    parts = resource_id.strip("/").split("/")
    sub = rg = ""
    for i in range(0, len(parts) - 1):
        key = parts[i].lower()
        if key == "subscriptions" and not sub:
            sub = parts[i + 1]
        elif key == "resourcegroups" and not rg:
            rg = parts[i + 1]
    return sub, rg


def resource_from_arm(doc: dict[str, Any], *, dlz: str = "") -> Resource:
    rid = str(doc.get("id") or "")
    sub, rg = parse_id(rid)
    sku = doc.get("sku") or {}
    props = doc.get("properties") or {}
    provisioning = _s(doc.get("provisioningState")) or _s(props.get("provisioningState"))
    rtype = str(doc.get("type") or "")
    state = None
    rt = RUNTIMES.get(rtype.lower())
    if rt is not None:
        state = _s(props.get(rt.state_field))
    capacity = sku.get("capacity") if isinstance(sku, dict) else None
    return Resource(
        id=rid,
        name=str(doc.get("name") or rid.rsplit("/", 1)[-1]),
        type=rtype,
        location=str(doc.get("location") or ""),
        resource_group=rg,
        subscription_id=sub,
        sku=_s(sku.get("name")) or _s(sku.get("tier")) if isinstance(sku, dict) else None,
        kind=_s(doc.get("kind")),
        provisioning_state=provisioning,
        state=state,
        dlz=dlz,
        tags={str(k): str(v) for k, v in (doc.get("tags") or {}).items()},
        sku_capacity=int(capacity) if isinstance(capacity, (int, float)) else None,
        arm=doc,
    )


def fabric_cus(sku: str | None) -> int | None:
    """The capacity units of an F SKU (``F64`` -> 64)."""
    if sku and sku.upper() in F_SKUS:
        return int(sku[1:])
    return None


def adx_vcores(sku: str | None, instances: int | None) -> int | None:
    """vCores of an ADX cluster from its SKU name (``Standard_L16as_v3`` x 2 -> 32)."""
    if not sku:
        return None
    m = re.search(r"_[A-Z]+(\d+)[a-z]*(?:_v\d+)?", sku)
    if not m:
        return None
    return int(m.group(1)) * (instances or 1)


def synapse_dwu(sku: str | None) -> int | None:
    m = re.match(r"^DW(\d+)c?$", sku or "", re.IGNORECASE)
    return int(m.group(1)) if m else None


def cu_equivalent(r: Resource) -> float | None:
    """Average CU-equivalent in use over 24 h (from ``utilization_24h``); None when the resource has
    no coefficient or no utilization.  A paused resource uses 0."""
    if r.runtime is not None and r.is_paused:
        return 0.0
    if r.utilization_24h is None:
        return None
    u = r.utilization_24h / 100.0
    if r.type_key == FABRIC:
        cus = fabric_cus(r.sku)
        return None if cus is None else cus * u
    if r.type_key == SYNAPSE_POOL:
        dwu = synapse_dwu(r.sku)
        return None if dwu is None else dwu / DWU_PER_DPU * CU_PER_SYNAPSE_DPU * u
    if r.type_key == KUSTO:
        vcores = adx_vcores(r.sku, r.sku_capacity)
        return None if vcores is None else vcores * u * CU_PER_ADX_VCORE
    return None


# What the console says where the profile's cloud publishes no portal address (the demo Azure, a
# custom cloud whose metadata names none): said plainly, never a dead or made-up link.
NO_PORTAL = "no portal for this cloud"


def portal_link(portal: str, resource_id: str, tenant_id: str | None = None) -> str:
    """The resource's overview page in the cloud's portal.  The id is percent-encoded (it is data:
    a control character in it must not reach the terminal inside an OSC 8 hyperlink)."""
    from urllib.parse import quote

    base = portal.rstrip("/")
    at = f"@{quote(tenant_id, safe='-.')}" if tenant_id else ""
    return f"{base}/#{at}/resource{quote(resource_id, safe='/-_.~()')}/overview"


def public(r: Resource, portal: str | None = None) -> dict[str, Any]:
    """The row as headless JSON (camelCase, stable keys)."""
    row: dict[str, Any] = {
        "id": r.id,
        "name": r.name,
        "type": r.type,
        "resourceGroup": r.resource_group,
        "subscriptionId": r.subscription_id,
        "location": r.location,
        "sku": r.sku,
        "kind": r.kind,
        "provisioningState": r.provisioning_state,
        "state": r.state,
        "monthToDateCost": r.cost_mtd,
        "currency": r.currency,
        "utilization24h": r.utilization_24h,
        "utilization24hUnit": "Percent",  # every load metric loom reads is a percentage
        "dlz": r.dlz,
    }
    if r.state is None and r.state_note:
        row["stateNote"] = r.state_note
    if r.cost_mtd is None and r.cost_note:
        row["costNote"] = r.cost_note
    if r.utilization_24h is None and r.utilization_note:
        row["utilizationNote"] = r.utilization_note
    row["portalUrl"] = portal or None
    if not portal:
        row["portalNote"] = NO_PORTAL
    return row
