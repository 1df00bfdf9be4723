"""90 days of daily cost for the demo estate, deterministic (no RNG state: each amount is a hash
of the resource and the day), and a FOCUS 1.0 export of it that ``loom cost import`` reads.

What it holds, so every view has something true to show:

* per workspace: a storage account (and for one in three a Spark pool), tagged ``loomTenantId``,
  ``loomWorkspaceId`` and the domain (``loomDomain``; the web console's ``loom-domain`` spelling on
  a few, as real estates have both);
* per domain (DLZ resource group): a Fabric capacity and a Key Vault tagged with the domain only
  (unallocated by workspace, allocated by domain); Synapse SQL pools in some domains, paused at
  weekends but one billed every day (never paused);
* the Admin Plane: Cosmos DB, the hub VNet, a Log Analytics workspace; and an untagged public IP
  and disk (unallocated everywhere);
* one spike (a storage account's egress, 12 days ago), one new service (Azure OpenAI, from 9
  days ago), one stopped service (a Data Explorer cluster, stopped 20 days ago), one steadily
  growing workspace.
The subscriptions and resource groups are those of the demo Azure's estate.
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
STOPPED_AGO = 20
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

    @property
    def id(self) -> str:
        """ARM's id: each type segment followed by its name (``workspaces/w/sqlPools/p``)."""
        ns, *types = self.rtype.split("/")
        names = self.name.split("/")
        path = "/".join(f"{t}/{n}" for t, n in zip(types, names))
        return f"/subscriptions/{self.sub}/resourceGroups/{self.rg}/providers/{ns}/{path}"


def today() -> date:
    """Today (UTC); ``LOOM_DEMO_TODAY=YYYY-MM-DD`` pins it, as it pins the demo tenant's data."""
    import os
    from datetime import datetime, timezone

    pinned = os.environ.get("LOOM_DEMO_TODAY")
    if pinned:
        return date.fromisoformat(pinned)
    return datetime.now(timezone.utc).date()


def dlz_rg(domain: str) -> str:
    return f"rg-csa-loom-dlz-{domain}-{PLACEMENT.get(domain, (DLZ_SUBS[0], 'eastus2'))[1]}"


def _h(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def demo_resources(workspaces: Iterable[dict], tenant_id: str = DEMO_TENANT) -> list[DemoResource]:
    out: list[DemoResource] = []
    t = {"loomTenantId": tenant_id}
    domains = sorted({w.get("domain") or "finance" for w in workspaces} | set(PLACEMENT)) if workspaces else sorted(PLACEMENT)
    out.append(DemoResource(ADMIN_SUB, ADMIN_RG, "Microsoft.DocumentDB/databaseAccounts", "cosmos-csa-loom-admin", "Azure Cosmos DB",
                            "Databases", "eastus2", Decimal("38.40"), {**t, "loomRole": "admin-plane"}))
    out.append(DemoResource(ADMIN_SUB, ADMIN_RG, "Microsoft.Network/virtualNetworks", "vnet-csa-loom-hub-eastus2", "Virtual Network",
                            "Networking", "eastus2", Decimal("4.10"), {**t, "loomRole": "admin-plane"}))
    out.append(DemoResource(ADMIN_SUB, ADMIN_RG, "Microsoft.OperationalInsights/workspaces", "log-csa-loom-admin", "Log Analytics",
                            "Management and Governance", "eastus2", Decimal("12.75"), dict(t)))
    out.append(DemoResource(ADMIN_SUB, ADMIN_RG, "Microsoft.Network/publicIPAddresses", "pip-csa-loom-bastion", "Virtual Network",
                            "Networking", "eastus2", Decimal("3.60")))  # untagged
    out.append(DemoResource(ADMIN_SUB, ADMIN_RG, "Microsoft.Compute/disks", "disk-jumpbox-os", "Storage", "Storage", "eastus2",
                            Decimal("5.20")))  # untagged
    for i, domain in enumerate(domains):
        sub, region = PLACEMENT.get(domain, (DLZ_SUBS[0], "eastus2"))
        rg, dt = dlz_rg(domain), {**t, "loomDomain": domain}
        short = domain.replace("-", "")[:10]
        out.append(DemoResource(sub, rg, "Microsoft.Fabric/capacities", f"fccsaloom{short}", "Microsoft Fabric", "Analytics", region,
                                Decimal(64 + 32 * (i % 3)), dt))
        out.append(DemoResource(sub, rg, "Microsoft.KeyVault/vaults", f"kv-loom-{domain}-dlz"[:24], "Key Vault", "Security", region,
                                Decimal("0.90"), dt))
        if domain in ("finance", "supply-chain", "research"):
            out.append(DemoResource(sub, rg, "Microsoft.Synapse/workspaces/sqlPools", f"syn-loom-{domain}/sqlpool01", "Azure Synapse Analytics",
                                    "Analytics", region, Decimal("72.00") if domain == "supply-chain" else Decimal("30.00"), dt,
                                    weekends_off=domain != "supply-chain"))
        if domain == "research":
            out.append(DemoResource(sub, rg, "Microsoft.Kusto/clusters", f"adxloom{short}", "Azure Data Explorer", "Analytics", region,
                                    Decimal("48.00"), dt, last_ago=STOPPED_AGO + 1))
            out.append(DemoResource(sub, rg, "Microsoft.CognitiveServices/accounts", f"oai-loom-{domain}", "Azure OpenAI", "AI + Machine Learning",
                                    region, Decimal("21.00"), dt, first_ago=NEW_SERVICE_AGO))
    for n, ws in enumerate(sorted(workspaces, key=lambda w: w["id"])):
        domain = ws.get("domain") or "finance"
        sub, region = PLACEMENT.get(domain, (DLZ_SUBS[0], "eastus2"))
        dom_key = "loom-domain" if n % 7 == 3 else "loomDomain"
        wt = {**t, dom_key: domain, "loomWorkspaceId": ws["id"]}
        base = Decimal(_h(ws["id"], "base") % 2400 + 150) / 100
        out.append(DemoResource(sub, dlz_rg(domain), "Microsoft.Storage/storageAccounts", f"stws{ws['id'].replace('-', '')[:18]}", "Storage",
                                "Storage", region, base, wt, spike_ago=SPIKE_AGO if n == 0 else None,
                                growth=Decimal("0.012") if n == 1 else Decimal(0)))
        if n % 3 == 0:
            out.append(DemoResource(sub, dlz_rg(domain), "Microsoft.Synapse/workspaces/bigDataPools", f"syn-loom-{domain}/spark{n:02d}",
                                    "Azure Synapse Analytics", "Analytics", region, base * 2, wt, weekends_off=True))
    return out


def amount(r: DemoResource, day: date, today: date) -> Decimal:
    ago = (today - day).days
    if r.first_ago is not None and ago > r.first_ago:
        return Decimal(0)
    if r.last_ago is not None and ago < r.last_ago:
        return Decimal(0)
    if r.weekends_off and day.weekday() >= 5:
        return Decimal(0)
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
                 "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit", "ProviderName",
                 "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType", "ServiceCategory", "ServiceName",
                 "SubAccountId", "SubAccountName", "Tags", "x_ResourceGroupName", "x_ResourceType"]


def _month(d: date) -> tuple[str, str]:
    start = d.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return start.isoformat() + "T00:00:00Z", end.isoformat() + "T00:00:00Z"


def focus_row(day: date, r: DemoResource, cost: Decimal) -> list[str]:
    ps, pe = _month(day)
    c = format(cost, "f")
    return [c, BILLING_ACCOUNT, "Contoso demo", CURRENCY, pe, ps, "Usage", "", f"{r.service} usage", "Usage-Based",
            (day + timedelta(days=1)).isoformat() + "T00:00:00Z", day.isoformat() + "T00:00:00Z", c, c, "Microsoft", c, "1", "Hours",
            "Microsoft", "Microsoft", r.region, r.region, r.id, r.name, r.rtype.split("/")[-1], r.category, r.service,
            f"/subscriptions/{r.sub}", f"demo {r.sub[-2:]}", json.dumps(r.tags, sort_keys=True) if r.tags else "", r.rg, r.rtype.lower()]


def write_focus(path: Path, rows: Iterable[tuple[date, DemoResource, Decimal]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(FOCUS_COLUMNS)
        for day, r, cost in rows:
            w.writerow(focus_row(day, r, cost))
            n += 1
    return n
