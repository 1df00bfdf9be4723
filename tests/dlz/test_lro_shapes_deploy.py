"""The DLZ runner through the one poller (issue 21 item 3; issue 22 item 14): validate and what-if
answered 202 + Location (long-running in the spec), a DNS link whose Location ends with a 204, a
deployment PUT answered 200 + Azure-AsyncOperation, and a peering PUT refused once with ARM's
``AnotherOperationInProgress`` — each through the demo Azure's own state, answered in the other
shape the spec allows."""

from __future__ import annotations

import itertools

from aiohttp import web

from tests.dlz.test_flow_demo import answers, world  # noqa: F401  (world is a fixture)
from tests.support.demo_shapes import _wrap
from tests.support.scripted_arm import Answer, ScriptedArm

_n = itertools.count()


def via_location(server, script: ScriptedArm, route: str) -> None:
    """``route``'s answer (200 with the result, or ARM's error) moved behind 202 + Location."""
    def change(req, resp):
        n = next(_n)
        final = Answer(resp.status, body=__import__("json").loads(resp.body) if resp.body else None)
        script.on("GET", f"results/{n}", Answer(202, {"Location": f"{{base}}/scripted/results/{n}", "Retry-After": "1"}), final)
        return web.Response(status=202, headers={"Location": f"{server.url}/scripted/results/{n}", "Retry-After": "1"})

    _wrap(server, route, change)


async def test_validate_and_what_if_answered_202_location(world):
    ctx, svc, clients, handle = world
    script = ScriptedArm(handle.server)
    via_location(handle.server, script, "deployments.validate")
    via_location(handle.server, script, "deployments.whatif")
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="claims"), f)
    runner = await svc.runner(plan, f, poll_seconds=0.3)
    assert await runner.run(only=("validate", "what-if")) is True
    assert runner.stages["validate"]["message"].startswith("ARM validated the template (")
    assert runner.what_if.create == 24  # the platform's landing zone into a new resource group, read behind Location
    assert script.count("GET", "results/0") == 2 and script.count("GET", "results/1") == 2  # followed: 202, then the result


async def test_a_refused_validation_behind_location_keeps_arms_error_in_full(world):
    ctx, svc, clients, handle = world
    script = ScriptedArm(handle.server)
    via_location(handle.server, script, "deployments.validate")
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="claims"), f)
    taken = f"/subscriptions/{plan.subscription_id}/resourceGroups/rg-elsewhere/providers/Microsoft.Storage/storageAccounts/{plan.storage_account}"
    handle.state.put({"id": taken, "name": plan.storage_account, "type": "Microsoft.Storage/storageAccounts", "location": "eastus2",
                      "properties": {}})
    runner = await svc.runner(plan, f, poll_seconds=0.3)
    assert await runner.run(only=("validate",)) is False
    lines = runner.stages["validate"]["message"].splitlines()
    assert lines[0].startswith("InvalidTemplateDeployment: ") and lines[2].startswith("  StorageAccountAlreadyTaken: ")


async def test_location_ending_204_deployment_200_and_a_busy_peering(world):
    ctx, svc, clients, handle = world
    server = handle.server

    def to_200(req, resp):
        if resp.status == 201:
            resp.set_status(200)  # 200 + Azure-AsyncOperation: allowed for a PUT of a deployment
        return resp

    def location_then_204(req, resp):
        if resp.status == 202 and "Azure-AsyncOperation" in resp.headers:
            return web.Response(status=202, headers={"Location": resp.headers["Location"], "Retry-After": "1"})
        return resp

    def result_204(req, resp):
        return web.Response(status=204) if resp.status == 200 else resp

    busy = {"left": 1}

    def once_busy(req, resp):
        if busy["left"]:
            busy["left"] -= 1
            return web.json_response({"error": {"code": "AnotherOperationInProgress", "message":
                                      "Another operation on this or dependent resource is in progress."}}, status=409)
        return resp

    _wrap(server, "deployments.put", to_200)
    _wrap(server, "network.dns_links.put", location_then_204)
    _wrap(server, "operations.result", result_204)
    _wrap(server, "network.peerings.put", once_busy)
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="retail"), f)
    runner = await svc.runner(plan, f, poll_seconds=0.3)
    assert await runner.run() is True, runner.stages
    assert runner.peering == {"hub-to-spoke": "Connected", "spoke-to-hub": "Connected"} and len(runner.dns_links) == 17
    # the busy answer (and any the demo gives while the hub VNet is busy) sent again, then the other side
    assert busy["left"] == 0 and len(server.calls_to("network.peerings.put")) >= 3
    assert server.calls_to("operations.result")  # the links were followed through Location


async def test_a_deployment_that_ended_after_its_run_died_is_not_started_again(world):
    """The race behind a flaky test_an_interrupted_run_…: the ARM deployment finished before the
    next run looked; it is read, not PUT a second time."""
    import asyncio

    ctx, svc, clients, handle = world
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="pricing"), f)
    started = asyncio.Event()
    runner = await svc.runner(plan, f, listener=lambda ev: started.set() if ev.stage == "deploy" and ev.lines else None, poll_seconds=0.3)
    task = asyncio.create_task(runner.run())
    await asyncio.wait_for(started.wait(), 60)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    path = f"/subscriptions/{plan.subscription_id}/providers/Microsoft.Resources/deployments/{plan.deployment_name}"
    for _ in range(400):  # until ARM says it ended
        if (await clients.send("GET", path, "2026-06-01")).body["properties"]["provisioningState"] == "Succeeded":
            break
        await asyncio.sleep(0.05)
    puts = len(handle.server.calls_to("deployments.put"))
    runner2 = await svc.runner(plan, f, poll_seconds=0.3)
    assert await runner2.run() is True
    assert len(handle.server.calls_to("deployments.put")) == puts
