"""90 days of daily cost for the demo estate, deterministic (no RNG state: each amount is a hash
of the resource and the day), and a FOCUS 1.0 export of it that ``loom cost import`` reads.

The billable resources of the demo Azure's estate (``loom_tui.demo_azure.estate``: passed in as
its ARM documents, so names, ids, SKUs, states and tags are the ones the Capacity area lists) bill
as their SKU and state say, each day:

* a Fabric capacity: its CUs x 24 h x ``FABRIC_PER_CU_HOUR`` while active (usage in CU hours, as
  Fabric's compute meter bills); a capacity Paused in the estate was paused ``paused_days`` ago
  and bills nothing since, so a paused F8 never bills more than an active F128;
* a Synapse dedicated SQL pool: its DWU/100 x ``SQL_PER_DW100_HOUR`` per hour online (usage in
  hours); most are paused at weekends, one runs every day (never paused); a Paused one bills
  nothing since it was paused;
* a Spark pool: a few hours on weekdays with auto-pause on, every hour of every day without it;
* a Data Explorer cluster while Running (a Stopped one stopped ``STOPPED_AGO`` days ago);
  storage accounts, Key Vaults, VNets and the Cosmos DB account a usual day's cost.

Beside the estate, what a real bill also has: per workspace a storage account (tagged
``loomTenantId``, ``loomWorkspaceId`` and the domain — ``loomDomain``; the web console's
``loom-domain`` spelling on a few, as real estates have both), a Log Analytics workspace, an
untagged public IP and disk (unallocated everywhere), one spike (a storage account's egress, 12
days ago), one new service (Azure OpenAI, from 9 days ago), one stopped service (Azure Machine
Learning, stopped 20 days ago) and one steadily growing workspace.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator

DEMO_TENANT = "7d1e6c2a-0000-4000-8000-00000000de70"
ADMIN_SUB = "de700000-0000-4000-8000-0000000000a1"
DLZ_SUBS = ("de700000-0000-4000-8000-0000000000d1", "de700000-0000-4000-8000-0000000000d2")
ADMIN_RG = "rg-csa-loom-admin-eastus2"
PLACEMENT = {
    "finance": (DLZ_SUBS[0], "eastus2"), "marketing": (DLZ_SUBS[0], "eastus2"), "sales": (DLZ_SUBS[0], "eastus2"),
    "supply-chain": (DLZ_SUBS[1], "centralus"), "hr": (DLZ_SUBS[1], "centralus"), "research": (DLZ_SUBS[1], "centralus"),
}
DAYS = 90
CURRENCY = "USD"
SPIKE_AGO = 12
NEW_SERVICE_AGO = 9
BILLING_ACCOUNT = "/providers/Microsoft.Billing/billingAccounts/demo-0000"


@dataclass(frozen=True)
class DemoResource:
    sub: str
    rg: str
    rtype: str  # Microsoft.X/y (as ARM spells it)
    name: str
    service: str
    category: str
    region: str
    base: Decimal  # a usual day's cost
    tags: dict = field(default_factory=dict)
    first_ago: int | None = None  # bills from this many days ago (None: the whole window)
    last_ago: int | None = None  # bills until this many days ago (None: until today)
    spike_ago: int | None = None
    growth: Decimal = Decimal(0)  # per day, relative
    weekends_off: bool = False  # paused on Saturdays and Sundays (auto-pause)
    arm_id: str = ""  # the estate's id (as ARM spells it), else built from the type and name
    hourly: Decimal = Decimal(0)  # units of use per hour (CUs, DWU/100) when billed by the hour: no noise then
    hours: int = 24  # hours billed on a day it runs
    unit: str = ""  # the usage unit written to the export ("Hours")

    @property
    def id(self) -> str:
        """ARM's id: each type segment followed by its name (``workspaces/w/sqlPools/p``)."""
        if self.arm_id:
            return self.arm_id
        ns, *types = self.rtype.split("/")
        names = self.name.split("/")
        path = "/".join(f"{t}/{n}" for t, n in zip(types, names))
        return f"/subscriptions/{self.sub}/resourceGroups/{self.rg}/providers/{ns}/{path}"


def today() -> date:
    """Today (UTC); ``LOOM_DEMO_TODAY=YYYY-MM-DD`` pins it, as it pins the demo tenant's data."""
    from loom_tui.domain.demo_day import today as day

    return day()


def dlz_rg(domain: str) -> str:
    return f"rg-csa-loom-dlz-{domain}-{PLACEMENT.get(domain, (DLZ_SUBS[0], 'eastus2'))[1]}"


def _h(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def demo_resources(workspaces: Iterable[dict], estate: Iterable[dict], tenant_id: str = DEMO_TENANT) -> list[DemoResource]:
    """The demo's cost lines: the estate's billable resources (``estate``: its ARM documents) as
    their SKU and state say (:mod:`.demo_estate`), then what a bill also has beside them."""
    from .demo_estate import billable

    out: list[DemoResource] = []
    for doc, sub, rg, rtype, service, category, how in billable(estate):
        region = str(doc.get("location") or "eastus2")
        out.append(DemoResource(sub, rg, rtype, doc["name"], service, category, region, how.pop("base"),
                                dict(doc.get("tags") or {}), arm_id=doc["id"], **how))
    return out + _beside_the_estate(workspaces, tenant_id)


def _beside_the_estate(workspaces: Iterable[dict], tenant_id: str) -> list[DemoResource]:
    from .demo_estate import STOPPED_AGO

    out: list[DemoResource] = []
    t = {"loomTenantId": tenant_id}
    out.append(DemoResource(ADMIN_SUB, ADMIN_RG, "Microsoft.OperationalInsights/workspaces", "log-csa-loom-admin", "Log Analytics",
                            "Management and Governance", "eastus2", Decimal("12.75"), dict(t)))
    out.append(DemoResource(ADMIN_SUB, ADMIN_RG, "Microsoft.Network/publicIPAddresses", "pip-csa-loom-bastion", "Virtual Network",
                            "Networking", "eastus2", Decimal("3.60")))  # untagged
    out.append(DemoResource(ADMIN_SUB, ADMIN_RG, "Microsoft.Compute/disks", "disk-jumpbox-os", "Storage", "Storage", "eastus2",
                            Decimal("5.20")))  # untagged
    sub, region = PLACEMENT["research"]
    out.append(DemoResource(sub, dlz_rg("research"), "Microsoft.CognitiveServices/accounts", "oai-loom-research", "Azure OpenAI",
                            "AI + Machine Learning", region, Decimal("21.00"), {**t, "loomDomain": "research"}, first_ago=NEW_SERVICE_AGO))
    out.append(DemoResource(sub, dlz_rg("research"), "Microsoft.MachineLearningServices/workspaces", "mlw-loom-research",
                            "Azure Machine Learning", "AI + Machine Learning", region, Decimal("32.00"), {**t, "loomDomain": "research"},
                            last_ago=STOPPED_AGO + 1))
    for n, ws in enumerate(sorted(workspaces, key=lambda w: w["id"])):
        domain = ws.get("domain") or "finance"
        sub, region = PLACEMENT.get(domain, (DLZ_SUBS[0], "eastus2"))
        dom_key = "loom-domain" if n % 7 == 3 else "loomDomain"
        wt = {**t, dom_key: domain, "loomWorkspaceId": ws["id"]}
        base = Decimal(_h(ws["id"], "base") % 2400 + 150) / 100
        out.append(DemoResource(sub, dlz_rg(domain), "Microsoft.Storage/storageAccounts", f"stws{ws['id'].replace('-', '')[:18]}", "Storage",
                                "Storage", region, base, wt, spike_ago=SPIKE_AGO if n == 0 else None,
                                growth=Decimal("0.012") if n == 1 else Decimal(0)))
    return out


def quantity(r: DemoResource) -> Decimal:
    """Units of use on a day the resource bills (CU hours, DW100 hours, vCore hours); 1 for the rest."""
    return r.hourly * r.hours if r.hourly else Decimal(1)


def amount(r: DemoResource, day: date, today: date) -> Decimal:
    ago = (today - day).days
    if r.first_ago is not None and ago > r.first_ago:
        return Decimal(0)
    if r.last_ago is not None and ago < r.last_ago:
        return Decimal(0)
    if r.weekends_off and day.weekday() >= 5:
        return Decimal(0)
    if r.hourly:  # billed by the hour at a list price: the same every day it runs
        return r.base.quantize(Decimal("0.000001"))
    noise = Decimal(_h(r.id, day.isoformat()) % 2001 - 1000) / Decimal(10000)  # +-10 %
    weekday = Decimal("0.8") if day.weekday() >= 5 else Decimal(1)
    grow = (1 + r.growth) ** (DAYS - ago) if r.growth else Decimal(1)
    cost = r.base * weekday * (1 + noise) * grow
    if r.spike_ago is not None and ago == r.spike_ago:
        cost *= 40
    return cost.quantize(Decimal("0.000001"))


def daily_rows(resources: list[DemoResource], today: date, days: int = DAYS) -> Iterator[tuple[date, DemoResource, Decimal]]:
    """(day, resource, cost) for the ``days`` days that end yesterday (cost data lags a day)."""
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        for r in resources:
            c = amount(r, day, today)
            if c:
                yield day, r, c


FOCUS_COLUMNS = ["BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
                 "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
                 "ConsumedQuantity", "ConsumedUnit", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingQuantity",
                 "PricingUnit", "ProviderName",
                 "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType", "ServiceCategory", "ServiceName",
                 "SubAccountId", "SubAccountName", "Tags", "x_ResourceGroupName", "x_ResourceType"]


def _month(d: date) -> tuple[str, str]:
    start = d.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return start.isoformat() + "T00:00:00Z", end.isoformat() + "T00:00:00Z"


def focus_row(day: date, r: DemoResource, cost: Decimal) -> list[str]:
    ps, pe = _month(day)
    c = format(cost, "f")
    q, unit = format(quantity(r), "f"), r.unit or "Units"
    return [c, BILLING_ACCOUNT, "Contoso demo", CURRENCY, pe, ps, "Usage", "", f"{r.service} usage", "Usage-Based",
            (day + timedelta(days=1)).isoformat() + "T00:00:00Z", day.isoformat() + "T00:00:00Z", q, unit, c, c, "Microsoft", c, q, unit,
            "Microsoft", "Microsoft", r.region, r.region, r.id, r.name, r.rtype.split("/")[-1], r.category, r.service,
            f"/subscriptions/{r.sub}", f"demo {r.sub[-2:]}", json.dumps(r.tags, sort_keys=True) if r.tags else "", r.rg, r.rtype.lower()]


def write_focus(path: Path, rows: Iterable[tuple[date, DemoResource, Decimal]]) -> int:
    from loom_tui.private_files import private_dir, private_umask

    private_dir(path.parent)
    n = 0
    with private_umask(), open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(FOCUS_COLUMNS)
        for day, r, cost in rows:
            w.writerow(focus_row(day, r, cost))
            n += 1
    return n
