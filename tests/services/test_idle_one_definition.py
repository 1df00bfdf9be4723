"""Issue 24 defect 18: Usage and the Cost idle finder list the same idle workspaces (one definition
of idle, shared), and the finder names only resources the Capacity inventory knows.  On the local
profile with its demo Azure (the real wiring), the day pinned."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from loom_tui.config import Profile
from loom_tui.wiring import open_context
from loom_tui.services.cost.model import Query

TODAY = "2026-11-20"


@pytest.fixture
async def ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("LOOM_DEMO_TODAY", TODAY)
    c = await open_context(Profile(), data_dir=str(tmp_path / "data"))
    try:
        yield c
    finally:
        await c.close()


async def _touch_with_an_audit_event(ctx, workspace_id: str) -> None:
    """An audit event on the workspace inside the window (its lastAccessedAt stays old)."""
    from loom_tui.services.audit import AuditService

    audit = AuditService(ctx.scoped)
    event = audit.event(item_type="notebook", action="item.update", summary="edited a notebook")
    event["at"] = "2026-11-18T10:00:00.000Z"
    await audit.write(await ctx.scoped.workspace(workspace_id), workspace_id, event)


async def test_usage_and_the_cost_idle_finder_list_the_same_idle_workspaces(ctx):
    before = await ctx.usage.report()
    assert len(before.idle) >= 3
    touched = before.idle[0].workspace_id  # idle by its access time, but someone changed something in it
    await _touch_with_an_audit_event(ctx, touched)
    usage = await ctx.usage.report()
    report = await ctx.cost.idle(Query())
    from_cost = {f.target for f in report.findings if f.kind == "workspace-idle"}
    from_usage = {w.workspace_id for w in usage.idle}
    assert from_usage and from_cost == from_usage
    assert touched not in from_cost


async def test_the_idle_finder_names_only_resources_the_inventory_knows(ctx):
    report = await ctx.cost.idle(Query())
    inv = await ctx.capacity.inventory()
    known = {r.id.lower(): r for r in inv.rows}
    named = [f for f in report.findings if f.kind != "workspace-idle"]
    assert named  # the demo has something to pause (a SQL pool billed every day)
    for f in named:
        r = known.get(f.target.lower())
        assert r is not None, f"{f.name} is not in the inventory"
        assert not r.is_paused, f"{f.name} is already paused"
    top = max(report.findings, key=lambda f: f.monthly_saving or 0)
    assert top.kind == "workspace-idle" or top.target.lower() in known


def test_one_definition_counts_audit_events_and_creation_as_activity():
    from loom_tui.services.idle_workspaces import idle_among, window

    since, _ = window(datetime(2026, 11, 20, 12, tzinfo=timezone.utc))
    docs = [
        {"id": "old", "name": "Old", "lastAccessedAt": "2026-09-01T00:00:00.000Z", "createdAt": "2026-01-01T00:00:00.000Z"},
        {"id": "touched", "name": "Touched", "lastAccessedAt": "2026-09-01T00:00:00.000Z", "createdAt": "2026-01-01T00:00:00.000Z"},
        {"id": "new", "name": "New", "createdAt": "2026-11-18T00:00:00.000Z"},
        {"id": "opened", "name": "Opened", "lastAccessedAt": "2026-11-19T00:00:00.000Z", "createdAt": "2026-01-01T00:00:00.000Z"},
        {"id": "never", "name": "Never", "createdAt": "2026-02-01T00:00:00.000Z"},
        {"id": "gone", "name": "Gone", "state": "Deleting", "createdAt": "2026-01-01T00:00:00.000Z"},
    ]
    idle = idle_among(docs, {"touched"}, since, {"old": 4})
    assert [w.workspace_id for w in idle] == ["never", "old"]
    assert idle[1].items == 4 and idle[1].idle_days == 80 and idle[0].last_accessed is None


def test_a_capacity_the_inventory_does_not_know_or_has_paused_is_not_named():
    from decimal import Decimal
    from types import SimpleNamespace

    from loom_tui.services.cost import idle
    from loom_tui.services.idle_workspaces import idle_among, window

    since, _ = window(datetime(2026, 11, 20, 12, tzinfo=timezone.utc))
    wss = [{"id": "w1", "name": "A", "domain": "hr", "capacity": "F8", "lastAccessedAt": "2026-09-01T00:00:00Z",
            "createdAt": "2026-01-01T00:00:00Z"}]
    pool = {"resource_id": "/x/pool", "name": "pool", "type": "microsoft.synapse/workspaces/sqlpools", "currency": "USD",
            "cost": Decimal("300"), "days": 30, "workspaces": set(), "domains": set()}
    cap = {**pool, "resource_id": "/x/fc", "name": "fc", "type": "microsoft.fabric/capacities", "domains": {"hr"}}
    gone = {**pool, "resource_id": "/x/gone", "name": "gone"}
    known = {"/x/pool": SimpleNamespace(is_paused=False), "/x/fc": SimpleNamespace(is_paused=True)}
    found = idle.find(wss, idle_among(wss, set(), since), {}, [pool, cap, gone], 30, known)
    assert sorted(f.name for f in found if f.kind != "workspace-idle") == ["pool"]
    assert [f.name for f in idle.find(wss, idle_among(wss, set(), since), {}, [pool, cap, gone], 30, None)] == ["A"]
