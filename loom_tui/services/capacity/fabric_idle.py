"""Auto-pause for Fabric capacities, from what exists (issue 21).

Azure Monitor has no metric for ``Microsoft.Fabric/capacities``, so a capacity's idleness is read
from the store: it is a candidate when every workspace it serves (``domain/fabric_assignment.py``)
was idle for the whole window — nobody opened it (``lastAccessedAt``) and no audit event touched
it.  Where the profile names the Fabric Capacity Metrics semantic model
(``capacity_metrics_dataset``), its CU figures (``cu_metrics.py``) must also stay under the
threshold; a capacity they show busy is kept.  Every decision says which of these it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from loom_tui.domain.capacity import Resource
from loom_tui.domain.clock import iso
from loom_tui.domain.fabric_assignment import Served, served_by
from loom_tui.store.query import Filter, Op, Query

from .autopause import Decision, describe

if TYPE_CHECKING:
    from loom_tui.config import Profile

    from .cu_metrics import CuSeries


@dataclass
class Activity:
    """The store's view of the window: every workspace, and what each did in it."""

    since: datetime
    workspaces: list[dict] = field(default_factory=list)
    events: dict[str, int] = field(default_factory=dict)  # workspace id -> audit events in the window

    def opened(self, ws_id: str) -> str | None:
        """``lastAccessedAt`` of the workspace when it falls in the window."""
        for ws in self.workspaces:
            if ws.get("id") == ws_id:
                at = ws.get("lastAccessedAt")
                return at if isinstance(at, str) and at >= iso(self.since) else None
        return None


async def read_activity(scoped, since: datetime) -> Activity:
    """Every workspace of the tenant, and the audit events since ``since``, from the store."""
    act = Activity(since)
    async for ws in scoped.tenant_workspaces_iter():
        act.workspaces.append(ws)
    q = Query((Filter("at", Op.GE, iso(since)),))
    async for ev in scoped.admin_reached("audit-log", q, page_size=5000):
        wid = ev.get("workspaceId")
        if wid:
            act.events[wid] = act.events.get(wid, 0) + 1
    return act


def served(r: Resource, act: Activity, profile: "Profile | None" = None) -> list[Served]:
    if profile is None:
        return served_by(r.id, r.name, r.tags, act.workspaces)
    return served_by(r.id, r.name, r.tags, act.workspaces, workspace_tag=profile.tag_workspace, domain_tags=profile.tag_domain)


def decide(r: Resource, act: Activity, *, now: datetime, idle_for: timedelta, threshold: float,
           cu: "CuSeries | None" = None, cu_note: str = "", profile: "Profile | None" = None) -> Decision:
    """The auto-pause decision for one Fabric capacity."""
    window = describe(idle_for)
    if not r.is_running:
        return Decision(r, False, f"not running (state {r.state or 'unknown'})")
    if (r.provisioning_state or "Succeeded") != "Succeeded":
        return Decision(r, False, f"provisioning state {r.provisioning_state}: an operation is under way")
    ws = served(r, act, profile)
    busy = [(w, act.events.get(w.workspace_id, 0), act.opened(w.workspace_id)) for w in ws]
    busy = [b for b in busy if b[1] or b[2]]
    if busy:
        w, events, opened = busy[0]
        what = f"opened at {opened[:16].replace('T', ' ')}Z" if opened else f"{events} audit event(s)"
        more = f" (and {len(busy) - 1} more)" if len(busy) > 1 else ""
        return Decision(r, False, f"busy: workspace {w.name!r} {what} in the last {window}{more}")
    basis = (f"its {len(ws)} workspace(s) had no audit event and were not opened in the last {window}" if ws
             else "no workspace in the store is assigned to it (by capacity id or name, tag, or domain)")
    if cu is None:
        note = f"; CU figures: {cu_note}" if cu_note else "; no CU figures (set capacity_metrics_dataset to read them)"
        return Decision(r, True, f"idle: {basis}{note}")
    peak = cu.peak(now - idle_for)
    if peak is None:
        return Decision(r, False, f"{basis}, but the Capacity Metrics model has no CU figures for the last {window}; kept running")
    if peak >= threshold:
        return Decision(r, False, f"busy: CU peak {peak:.1f} % in the last {window} (Capacity Metrics) >= {threshold:g} %", peak)
    return Decision(r, True, f"idle: {basis}; CU peak {peak:.1f} % (Capacity Metrics) < {threshold:g} %", peak)


@dataclass
class FabricInputs:
    activity: Activity
    cu: "dict[str, CuSeries] | None" = None  # None: not configured or not readable (cu_note says which)
    cu_note: str = ""


async def inputs(scoped: Any, profile: Any, clients: Any, *, now: datetime, idle_for: timedelta) -> FabricInputs:
    """What the Fabric decisions rest on: the store's activity of the window and, where the
    profile names the Capacity Metrics dataset, its CU figures (a failure to read them is said,
    and the store's view decides alone)."""
    since = now - idle_for
    act = await read_activity(scoped, since)
    if not getattr(profile, "capacity_metrics_dataset", None):
        return FabricInputs(act)
    from . import cu_metrics
    from .failures import describe as failure

    try:
        cu = await cu_metrics.read(clients, profile, getattr(clients.cloud, "name", ""), since)
    except Exception as exc:  # noqa: BLE001 — the decision says why the CU figures are missing
        return FabricInputs(act, None, f"not read from the Capacity Metrics model ({failure('executeQueries', exc).reason})")
    return FabricInputs(act, cu)


def decide_with(r: Resource, got: FabricInputs, *, now: datetime, idle_for: timedelta, threshold: float,
                profile: "Profile | None" = None) -> Decision:
    from . import cu_metrics

    if got.cu is None:
        return decide(r, got.activity, now=now, idle_for=idle_for, threshold=threshold, cu_note=got.cu_note, profile=profile)
    series = cu_metrics.for_capacity(got.cu, r.id, r.name)
    if series is None:
        return decide(r, got.activity, now=now, idle_for=idle_for, threshold=threshold, profile=profile,
                      cu=cu_metrics.CuSeries(r.name, ()))
    return decide(r, got.activity, now=now, idle_for=idle_for, threshold=threshold, cu=series, profile=profile)
