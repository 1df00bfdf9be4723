"""The idle finder: what costs money while nobody uses it, with the estimated monthly saving and
the action.  Loom's own criteria, from the store, the Capacity inventory and the last 30 days of
cost:

* **workspace-idle**: an idle workspace, by the one definition Usage uses too
  (:mod:`loom_tui.services.idle_workspaces`: nobody opened it and no audit event touched it in
  ``IDLE_DAYS`` days); saving = what its tagged resources cost over the last 30 days.
* **capacity-idle-workspaces**: a Fabric capacity billed in the last 30 days whose workspaces
  (those tagged on it, assigned to it by name, or on a Fabric SKU in the domain it is tagged with)
  are all idle; saving = its 30-day cost (pause it in Capacity).
* **synapse-no-autopause**: a Synapse SQL / Spark pool billed on every day of the last 30 that has
  cost data (at least ``MIN_DAYS``), i.e. never paused, not even at weekends; saving = the share of its cost outside ``BUSINESS_HOURS`` a week (pause it
  outside working hours, or turn on auto-pause).

Capacities and pools are only named when the Capacity inventory knows them (a resource billed in
the window but gone, or outside Loom's resource groups, cannot be paused) and is not already
paused; when the inventory cannot be read they are listed as not checked, with the reason.

The FinOps toolkit's Resource Graph criteria (unattached disks, orphaned public IPs, NICs, NSGs,
empty App Service plans, stopped-not-deallocated VMs, ...) need an inventory of the estate that
cost data does not carry: they are listed as not checked instead of being guessed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from loom_tui.services.idle_workspaces import IDLE_DAYS, IdleWorkspace

from .model import IdleFinding

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


def find(workspaces: list[dict], idle: list[IdleWorkspace], ws_cost: dict[str, dict[str, Decimal]], resources: list[dict],
         data_days: int = IDLE_DAYS, known: dict[str, Any] | None = None) -> list[IdleFinding]:
    """``workspaces``: the tenant's (not being deleted); ``idle``: the idle ones among them;
    ``ws_cost``: workspace id -> currency -> 30-day cost; ``resources``: rows of the last 30 days
    by resource: {resource_id, name, type, currency, cost, days, workspaces (set of ids), domains
    (set)}; ``data_days``: days of the window with any cost data; ``known``: the inventory's
    resources by lower-case id (None: not read, so no capacity or pool is named)."""
    out: list[IdleFinding] = []
    idle_ids = {w.workspace_id for w in idle}
    for w in idle:
        days = f"for {w.idle_days} days" if w.idle_days is not None else "ever"
        costs = ws_cost.get(w.workspace_id, {}) or {"": Decimal(0)}
        for cur, cost in sorted(costs.items()):
            out.append(IdleFinding("workspace-idle", w.workspace_id, w.name, f"nobody opened it {days} and nothing changed in it",
                                   cost, cur, "review it with its owner; delete it in Workspaces (1) if it is no longer needed"))
    if known is not None:
        out += _resources(workspaces, idle_ids, resources, data_days, known)
    return sorted(out, key=lambda f: (-(f.monthly_saving or 0), f.kind, f.name))


def _resources(workspaces: list[dict], idle_ids: set[str], resources: list[dict], data_days: int,
               known: dict[str, Any]) -> list[IdleFinding]:
    by_name: dict[str, list[str]] = {}
    by_domain: dict[str, list[str]] = {}
    for ws in workspaces:
        cap = ((ws.get("capacityAssignment") or {}).get("capacityId") or ws.get("capacity") or "").lower()
        if cap:
            by_name.setdefault(cap, []).append(ws["id"])
        if cap.startswith("f") and ws.get("domain"):
            by_domain.setdefault(ws["domain"], []).append(ws["id"])
    out: list[IdleFinding] = []
    for r in resources:
        res = known.get((r.get("resource_id") or "").lower())
        if res is None or getattr(res, "is_paused", False):
            continue  # not a resource the inventory knows, or already paused: nothing to pause
        rtype = (r.get("type") or "").lower()
        if rtype == CAPACITY_TYPE:
            served = set(r.get("workspaces") or ()) | set(by_name.get((r.get("name") or "").lower(), ()))
            for d in r.get("domains") or ():
                served |= set(by_domain.get(d, ()))
            if served and all(w in idle_ids for w in served):
                out.append(IdleFinding("capacity-idle-workspaces", r["resource_id"], r["name"],
                                       f"billed while its {len(served)} workspace(s) sat idle {IDLE_DAYS}+ days",
                                       r["cost"], r["currency"], "pause it in Capacity (2)"))
        elif rtype in POOL_TYPES and r.get("days", 0) >= max(MIN_DAYS, data_days):
            out.append(IdleFinding("synapse-no-autopause", r["resource_id"], r["name"],
                                   f"billed on every day with cost data ({r.get('days', 0)}) in the last {IDLE_DAYS}: never paused, not even at weekends",
                                   (r["cost"] * PAUSE_SHARE).quantize(Decimal("0.01")), r["currency"],
                                   f"pause it outside working hours or turn on auto-pause (saves about {PAUSE_SHARE:.0%})"))
    return out


def window(today: date) -> tuple[date, date]:
    return today - timedelta(days=IDLE_DAYS - 1), today + timedelta(days=1)
