"""The local profile end to end: ``ctx.azure()`` starts the demo Azure, the real SDK clients list
resources across its subscriptions, and pausing a Fabric capacity runs as an Operation polled to
completion with progress — the same code a real cloud runs."""

from __future__ import annotations

from loom_tui.config import Profile
from loom_tui.wiring import open_context

FABRIC = "Microsoft.Fabric/capacities"
API = "2023-11-01"


async def test_pause_a_capacity_on_the_demo_azure_as_an_operation(tmp_path) -> None:
    ctx = await open_context(Profile(), data_dir=str(tmp_path / "data"))
    try:
        clients = await ctx.azure()
        found = []
        for sub in ctx.profile.subscriptions:  # every subscription of the estate, through the SDK client
            found += [r async for r in clients.resources(sub).resources.list()]
        caps = [r for r in found if r.type.lower() == FABRIC.lower()]
        assert len({r.id.split("/")[2] for r in found}) >= 2 and caps
        states = {r.id: (await clients.send("GET", r.id, API)).body["properties"]["state"] for r in caps}
        active = next(rid for rid, st in states.items() if st == "Active")
        assert "Paused" in states.values()  # the estate has paused ones too

        op = await ctx.operations.start("capacity.suspend", active, steps=["suspend"],
                                        run=lambda h: h.begin("suspend", "POST", active + "/suspend", API))
        seen = [o async for o in ctx.operations.watch(op.id)]
        after = (await clients.send("GET", active, API)).body["properties"]["state"]
    finally:
        await ctx.close()
    final = seen[-1]
    assert final.state == "succeeded" and final.error is None and final.steps[0].state == "succeeded"
    assert final.result["status"] == "Succeeded"  # the final poll answer, stored as JSON
    assert any(o.poll_url for o in seen)  # polled from the stored URL
    assert any(o.steps[0].state == "running" and o.steps[0].message for o in seen)  # progress on the way
    assert after == "Paused"
