"""Pause, resume and scale on the demo Azure, each an Operation: the state moves through Azure's
transitions, a failed action carries ARM's error in full, read-only and non-admins are refused,
"pause this DLZ" goes on past a failure, auto-pause decides from known metrics."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from loom_tui.services.capacity import actions
from loom_tui.services.capacity.service import ActionFailed
from loom_tui.services.errors import Forbidden, ReadOnlyError, ValidationError

pytestmark = pytest.mark.asyncio


async def _watch_states(ctx, r, op_id: str) -> list[str]:
    """Every state Azure reports for ``r`` while the operation runs (read with the real clients)."""
    clients = await ctx.azure()
    seen: list[str] = []
    while True:
        op = await ctx.operations.get(op_id)
        state = (await actions.read(clients, r)).state
        if not seen or seen[-1] != state:
            seen.append(state)
        if op is not None and not op.running:
            return seen
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("name, running, moving, paused", [
    ("fccsaloomfinance", "Active", "Pausing", "Paused"),
    ("sqlpool_gl", "Online", "Pausing", "Paused"),
    ("adxloommarketing", "Running", "Stopping", "Stopped"),
])
async def test_pause_and_resume_move_through_azures_states(open_ctx, name, running, moving, paused):
    ctx = await open_ctx()
    r = (await ctx.capacity.inventory()).find(name)
    assert r.state == running
    op = await ctx.capacity.start_set_running(r, False)
    assert op.kind == "capacity.pause" and op.target == r.id and [s.name for s in op.steps] == ["read state", "pause", "confirm"]
    seen = await _watch_states(ctx, r, op.id)
    assert seen[0] in (running, moving) and moving in seen and seen[-1] == paused
    done = await ctx.operations.get(op.id)
    assert done.state == "succeeded" and done.result["state"] == paused and all(s.state == "succeeded" for s in done.steps)
    again = await ctx.capacity.set_running(r, False)  # idempotent: nothing sent
    assert not again.changed and "already" in again.message
    back = await ctx.capacity.set_running(r, True)
    assert back.changed and back.result["state"] == running
    assert (await ctx.capacity.inventory()).find(name).state == running
    lines = await ctx.capacity.recent_operations(r)
    assert len(lines) == 3 and "capacity.resume  succeeded" in lines[0]


async def test_scale_a_fabric_capacity(open_ctx):
    ctx = await open_ctx()
    r = (await ctx.capacity.inventory()).find("fccsaloomhr")
    prices, currency, basis = await ctx.capacity.monthly_prices(r)  # from its billed cost per CU-hour (linear in CUs)
    assert currency == "USD" and "per CU-hour active" in basis
    assert prices["F128"] == pytest.approx(2 * prices["F64"], abs=0.02) and prices["F2"] < prices["F64"]
    out = await ctx.capacity.scale(r, "f16")
    assert out.changed and out.result["sku"] == "F16"
    assert (await ctx.capacity.inventory()).find("fccsaloomhr").sku == "F16"
    with pytest.raises(ValidationError, match="F2, F4"):
        await ctx.capacity.start_scale(r, "F3")
    pool = (await ctx.capacity.inventory()).find("sqlpool_gl")
    with pytest.raises(ValidationError, match="only Fabric"):
        await ctx.capacity.start_scale(pool, "F8")


async def test_a_failed_action_carries_arms_error_in_full(open_ctx, demo):
    ctx = await open_ctx()
    r = (await ctx.capacity.inventory()).find("fccsaloomsales")
    message = ("Capacity 'fccsaloomsales' cannot be suspended: 3 Fabric items [lakehouse, warehouse] are running "
               "jobs.\nRetry after they finish.")
    demo.state.fail_action("fabric.suspend", target=r.id, status=409, code="CapacityBusy", message=message)
    with pytest.raises(ActionFailed) as caught:
        await ctx.capacity.set_running(r, False)
    assert caught.value.arm_code == "CapacityBusy" and caught.value.message == message and caught.value.status == 409
    op = caught.value.operation
    assert op.state == "failed" and op.error.message == message
    demo.state.fail_action("fabric.suspend", target=r.id, code="InternalError", message="the capacity fell over", at="operation")
    with pytest.raises(ActionFailed, match="the capacity fell over"):
        await ctx.capacity.set_running(r, False)


async def test_read_only_and_non_admins_are_refused_before_azure_is_asked(open_ctx, demo):
    from tests.services.conftest import session_of

    await open_ctx()  # the store exists: read-only mode creates nothing
    ro = await open_ctx(read_only=True)
    r = (await ro.capacity.inventory()).find("fccsaloomfinance")
    before = len(demo.server.calls)
    with pytest.raises(ReadOnlyError):
        await ro.capacity.start_set_running(r, False)
    viewer = await open_ctx(session=session_of("ravi.viewer"))
    with pytest.raises(Forbidden, match="tenant admins"):
        await viewer.capacity.start_scale(r, "F2")
    with pytest.raises(Forbidden):
        await viewer.capacity.pause_dlz("finance", [r])
    assert len(demo.server.calls) == before


async def test_pause_a_dlz_goes_on_past_a_failure(open_ctx, demo):
    ctx = await open_ctx()
    inv = await ctx.capacity.inventory()
    fabric = inv.find("fccsaloomsupplychain")
    demo.state.fail_action("fabric.suspend", target=fabric.id, status=400, code="BadRequest", message="suspend refused for the test")
    said: list[str] = []
    results = await ctx.capacity.pause_dlz("supply-chain", inv.rows, said.append)
    by_name = {r.name: r for r in results}
    assert set(by_name) == {"fccsaloomsupplychain", "sqlpool_inventory"}  # the pausable, running ones of that DLZ
    assert not by_name["fccsaloomsupplychain"].ok and "suspend refused for the test" in by_name["fccsaloomsupplychain"].message
    assert by_name["sqlpool_inventory"].ok
    assert (await ctx.capacity.inventory()).find("sqlpool_inventory").state == "Paused"
    assert any(line.startswith("sqlpool_inventory: ") for line in said) and any("failed" in line for line in said)


async def _idle_store(ctx, now, *, opened: str, audited: str) -> None:
    """Every workspace untouched for a day, but one of domain ``opened`` opened now and one of
    domain ``audited`` with an audit event now (the store is what Fabric auto-pause reads)."""
    from loom_tui.domain.clock import iso

    workspaces = [ws async for ws in ctx.scoped.tenant_workspaces_iter()]
    day_ago = iso(now - timedelta(days=1))
    seen = set()
    for ws in workspaces:
        ws = dict(ws, lastAccessedAt=day_ago)
        if ws.get("domain") == opened and opened not in seen and str(ws.get("capacity") or "").startswith("F"):
            ws["lastAccessedAt"] = iso(now - timedelta(minutes=5))
            seen.add(opened)
        await ctx.store.upsert("workspaces", ws)
    events = [ev async for ev in ctx.scoped.admin_reached("audit-log")]
    recent = [ev for ev in events if ev.get("at", "") >= iso(now - timedelta(hours=3))]
    for ev in recent:  # the demo tenant's own recent activity would make every domain busy
        await ctx.store.upsert("audit-log", dict(ev, at=iso(now - timedelta(days=2))))
    target = next(ws for ws in workspaces if ws.get("domain") == audited and str(ws.get("capacity") or "").startswith("F"))
    model = next(ev for ev in events if ev.get("workspaceId"))
    await ctx.store.upsert("audit-log", dict(model, id="audit-now-1", workspaceId=target["id"], at=iso(now - timedelta(minutes=3))))


async def test_pause_idle_decides_from_known_metrics_then_pauses_and_notifies(open_ctx):
    """Azure Monitor decides for ADX and SQL pools; Fabric capacities (no Azure Monitor metric)
    are decided from the store: every workspace they serve idle in the window (issue 21)."""
    from loom_tui.demo_azure import estate_metrics as em

    ctx = await open_ctx()
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=1)
    await _idle_store(ctx, now, opened="finance", audited="hr")
    assert em.profile("/x/adxloommarketing") == "idle" and em.profile("/x/sqlpool_gl") == "busy"
    dry = await ctx.capacity.pause_idle(idle_for=timedelta(hours=2), threshold=5, dry_run=True, now=now)
    verdicts = {d.resource.name: d for d in dry.decisions}
    assert verdicts["fccsaloomsales"].pause and "idle: its" in verdicts["fccsaloomsales"].reason
    assert "no audit event and were not opened in the last 2h" in verdicts["fccsaloomsales"].reason
    assert "set capacity_metrics_dataset" in verdicts["fccsaloomsales"].reason
    assert not verdicts["fccsaloomfinance"].pause and "opened at" in verdicts["fccsaloomfinance"].reason
    assert not verdicts["fccsaloomhr"].pause and "1 audit event(s)" in verdicts["fccsaloomhr"].reason
    assert verdicts["adxloommarketing"].pause and "idle: peak" in verdicts["adxloommarketing"].reason
    assert not verdicts["sqlpool_gl"].pause and verdicts["sqlpool_gl"].reason.startswith("busy:")
    assert not verdicts["fccsaloommarketing"].pause and "not running" in verdicts["fccsaloommarketing"].reason
    assert dry.results == [] and (await ctx.capacity.inventory()).find("fccsaloomsales").state == "Active"
    real = await ctx.capacity.pause_idle(idle_for=timedelta(hours=2), threshold=5, now=now)
    assert {r.name for r in real.results if r.ok} == {d.resource.name for d in dry.picked}
    inv = await ctx.capacity.inventory()
    assert inv.find("fccsaloomsales").state == "Paused" and inv.find("fccsaloomfinance").state == "Active"
    notes = await ctx.notifications.newest()
    assert notes[0]["title"] == "Auto-pause" and "capacities paused" in notes[0]["body"] and notes[1]["title"] == "Auto-pause (dry run)"


async def test_dr_posture_lines_good_and_bad(open_ctx):
    ctx = await open_ctx()
    checks = await ctx.capacity.dr()
    red = {(c.resource, c.check) for c in checks if not c.ok}
    assert red == {("stloomresearchdlz", "blob soft delete"), ("stloomresearchdlz", "container soft delete"),
                   ("stloomresearchdlz", "change feed"), ("kv-loom-sales-dlz", "purge protection")}
    cosmos = next(c for c in checks if c.kind == "Cosmos DB")
    assert cosmos.ok and "continuous, 30 days" in cosmos.detail
    assert all(c.fix.startswith("az ") for c in checks if not c.ok)
    assert len([c for c in checks if c.kind == "Storage"]) == 7 * 3
