"""Capacity changes through the one poller, whatever shape the REST specs allow Azure to answer in
(issue 21 item 3 and its acceptance line): an ADX stop answered 200 + Azure-AsyncOperation that
takes 3 simulated minutes ends Stopped; a Fabric scale answered 200 + ``Updating`` follows the
resource's provisioningState; a Location-only suspend; the deadline decided from the resource."""

from __future__ import annotations

import pytest

from loom_tui.azure import lro
from loom_tui.domain.pace import demo_speed
from loom_tui.services.capacity.service import ActionFailed
from tests.support.demo_shapes import async_operation_200, location_only, updating_200

pytestmark = pytest.mark.asyncio


async def find(ctx, name: str):
    """One pausable resource by name, read from the providers' lists (the whole inventory, with
    metrics and cost, is not what these tests are about)."""
    from loom_tui.domain.capacity import RUNTIMES, resource_from_arm

    clients = await ctx.azure()
    for sub in ctx.profile.subscriptions:
        for type_key in RUNTIMES:
            ns, *types = {"microsoft.fabric/capacities": "Microsoft.Fabric/capacities", "microsoft.kusto/clusters": "Microsoft.Kusto/clusters",
                          "microsoft.synapse/workspaces/sqlpools": "Microsoft.Synapse/workspaces"}[type_key].split("/")
            async for doc in clients.pages(f"/subscriptions/{sub}/providers/{ns}/{types[0]}", RUNTIMES.get(type_key).api_version):
                if type_key.endswith("sqlpools"):
                    async for pool in clients.pages(f"{doc['id']}/sqlPools", RUNTIMES[type_key].api_version):
                        if pool["name"] == name:
                            return resource_from_arm(pool)
                elif doc["name"] == name:
                    return resource_from_arm(doc)
    raise LookupError(name)


@pytest.fixture
def fast(monkeypatch):
    """Simulated time at 100x for loom's waits (the demo's action times are set per test)."""
    monkeypatch.setenv("LOOM_DEMO_SPEED", "100")
    return 100.0


async def test_an_adx_stop_of_three_simulated_minutes_ends_stopped(open_ctx, demo, fast):
    ctx = await open_ctx()
    r = await find(ctx, "adxloommarketing")
    assert r.state == "Running" and ctx.pace.speed == demo_speed() == fast
    async_operation_200(demo.server, "kusto.stop")  # 200 + Azure-AsyncOperation, as the Kusto spec allows
    async_operation_200(demo.server, "kusto.start")
    demo.state.set_action_time("kusto.stop", 180 / fast, target=r.id)  # 3 simulated minutes
    out = await ctx.capacity.set_running(r, False)
    assert out.changed and out.result["state"] == "Stopped"
    op = await ctx.operations.get(out.operation_id)
    assert op.state == "succeeded" and [s.state for s in op.steps] == ["succeeded"] * 3
    assert len(demo.server.calls_to("operations.status")) >= 10  # it followed the status, it did not give up
    back = await ctx.capacity.set_running(r, True)
    assert back.result["state"] == "Running"


async def test_a_fabric_scale_answered_200_updating_follows_the_provisioning_state(open_ctx, demo, fast):
    ctx = await open_ctx()
    r = await find(ctx, "fccsaloomhr")
    updating_200(demo.server, "fabric.update", demo.state)
    demo.state.set_action_time("fabric.update", 600 / fast, target=r.id)  # 10 simulated minutes of Updating
    ctx.operations.poll_interval = 30.0  # no Retry-After on a resource read: every 30 simulated seconds
    out = await ctx.capacity.scale(r, "F16")
    assert out.changed and out.result["sku"] == "F16" and out.result["provisioningState"] == "Succeeded"
    assert len(demo.server.calls_to("fabric.capacities.get")) >= 10  # read until provisioningState ended (not 60 reads and give up)


async def test_a_suspend_answered_with_location_only(open_ctx, demo):
    ctx = await open_ctx()
    r = await find(ctx, "fccsaloomfinance")
    location_only(demo.server, "fabric.suspend")
    out = await ctx.capacity.set_running(r, False)
    assert out.result["state"] == "Paused" and demo.server.calls_to("operations.result")


async def test_past_the_deadline_it_decides_from_the_resource_and_says_how(open_ctx, demo, fast, monkeypatch):
    ctx = await open_ctx()
    r = await find(ctx, "adxloommarketing")
    monkeypatch.setitem(lro.DEADLINES, "kusto", ("Data Explorer (ADX) cluster stop, start", 60.0))
    demo.state.set_action_time("kusto.stop", 600 / fast, target=r.id)  # 10 simulated minutes: past the 1 min deadline
    with pytest.raises(ActionFailed) as caught:
        await ctx.capacity.set_running(r, False)
    op = caught.value.operation
    assert op.state == "failed" and op.error.code == "DeadlineExceeded"
    assert "after 1 min" in op.error.message and "still reports Stopping" in op.error.message
    assert "decided from the resource" in op.steps[2].message


async def test_a_status_url_that_cannot_be_followed_is_decided_from_the_resource(open_ctx, demo):
    ctx = await open_ctx()
    r = await find(ctx, "sqlpool_gl")

    def foreign(req, resp):
        resp.headers["Azure-AsyncOperation"] = "https://elsewhere.example/op/1"
        resp.headers.pop("Location", None)
        return resp

    from tests.support.demo_shapes import _wrap

    _wrap(demo.server, "synapse.pause", foreign)
    out = await ctx.capacity.set_running(r, False)
    assert out.result["state"] == "Paused"
    op = await ctx.operations.get(out.operation_id)
    assert op.state == "succeeded" and "cannot be followed" in op.steps[1].message and "decided from the resource" in op.steps[1].message
