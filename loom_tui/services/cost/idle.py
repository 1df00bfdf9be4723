"""The idle finder: what costs money while nobody uses it, with the estimated monthly saving and
the action.  Loom's own criteria, from the store and the last 30 days of cost:

* **workspace-idle**: a workspace nobody opened for ``IDLE_DAYS`` days; saving = what its tagged
  resources cost over the last 30 days.
* **capacity-idle-workspaces**: a Fabric capacity billed in the last 30 days whose workspaces
  (those tagged on it, assigned to it by name, or on a Fabric SKU in the domain it is tagged with)
  are all idle; saving = its 30-day cost (pause it in Capacity).
* **synapse-no-autopause**: a Synapse SQL / Spark pool billed on every day of the last 30 that has
  cost data (at least ``MIN_DAYS``), i.e. never paused, not even at weekends; saving = the share of its cost outside ``BUSINESS_HOURS`` a week (pause it
  outside working hours, or turn on auto-pause).

The FinOps toolkit's Resource Graph criteria (unattached disks, orphaned public IPs, NICs, NSGs,
empty App Service plans, stopped-not-deallocated VMs, ...) need an inventory of the estate that
cost data does not carry: they are listed as not checked instead of being guessed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from .model import IdleFinding

IDLE_DAYS = 30
MIN_DAYS = 25
BUSINESS_HOURS = 50  # hours a week a pool needs to run (10 h x 5 days)
PAUSE_SHARE = Decimal(168 - BUSINESS_HOURS) / Decimal(168)
CAPACITY_TYPE = "microsoft.fabric/capacities"
POOL_TYPES = ("microsoft.synapse/workspaces/sqlpools", "microsoft.synapse/workspaces/bigdatapools")
FINOPS_NOT_CHECKED = [
    "unattached managed disks, orphaned public IPs / NICs / NSGs / NAT gateways, gateways without connections, "
    "empty App Service plans and SQL elastic pools, VMs stopped but not deallocated, Premium snapshots, "
    "Advisor cost recommendations: these FinOps toolkit checks need an Azure Resource Graph inventory, not cost data",
]


def _idle_days(ws: dict, today: date) -> int | None:
    at = ws.get("lastAccessedAt") or ws.get("createdAt")
    if not at:
        return None
    try:
        seen = datetime.fromisoformat(str(at).replace("Z", "+00:00")).astimezone(timezone.utc).date()
    except ValueError:
        return None
    return (today - seen).days


def find(workspaces: list[dict], ws_cost: dict[str, dict[str, Decimal]], resources: list[dict], today: date,
         data_days: int = IDLE_DAYS) -> list[IdleFinding]:
    """``ws_cost``: workspace id -> currency -> 30-day cost; ``resources``: rows of the last 30
    days by resource: {resource_id, name, type, currency, cost, days, workspaces (set of ids),
    domains (set)}; ``data_days``: days of the window with any cost data."""
    out: list[IdleFinding] = []
    idle: dict[str, int] = {}
    by_name: dict[str, list[str]] = {}
    by_domain: dict[str, list[str]] = {}
    for ws in workspaces:
        days = _idle_days(ws, today)
        cap = ((ws.get("capacityAssignment") or {}).get("capacityId") or ws.get("capacity") or "").lower()
        if cap:
            by_name.setdefault(cap, []).append(ws["id"])
        if cap.startswith("f") and ws.get("domain"):
            by_domain.setdefault(ws["domain"], []).append(ws["id"])
        if days is None or days < IDLE_DAYS:
            continue
        idle[ws["id"]] = days
        costs = ws_cost.get(ws["id"], {}) or {"": Decimal(0)}
        for cur, cost in sorted(costs.items()):
            out.append(IdleFinding("workspace-idle", ws["id"], ws.get("name") or ws["id"], f"nobody opened it for {days} days",
                                   cost, cur, "review it with its owner; delete it in Workspaces (1) if it is no longer needed"))
    for r in resources:
        rtype = (r.get("type") or "").lower()
        if rtype == CAPACITY_TYPE:
            served = set(r.get("workspaces") or ()) | set(by_name.get((r.get("name") or "").lower(), ()))
            for d in r.get("domains") or ():
                served |= set(by_domain.get(d, ()))
            if served and all(w in idle for w in served):
                out.append(IdleFinding("capacity-idle-workspaces", r["resource_id"], r["name"],
                                       f"billed while its {len(served)} workspace(s) sat idle {IDLE_DAYS}+ days",
                                       r["cost"], r["currency"], "pause it in Capacity (2)"))
        elif rtype in POOL_TYPES and r.get("days", 0) >= max(MIN_DAYS, data_days):
            out.append(IdleFinding("synapse-no-autopause", r["resource_id"], r["name"],
                                   f"billed on every day with cost data ({r.get('days', 0)}) in the last {IDLE_DAYS}: never paused, not even at weekends",
                                   (r["cost"] * PAUSE_SHARE).quantize(Decimal("0.01")), r["currency"],
                                   f"pause it outside working hours or turn on auto-pause (saves about {PAUSE_SHARE:.0%})"))
    return sorted(out, key=lambda f: (-(f.monthly_saving or 0), f.kind, f.name))


def window(today: date) -> tuple[date, date]:
    return today - timedelta(days=IDLE_DAYS - 1), today + timedelta(days=1)
