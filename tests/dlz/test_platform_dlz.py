"""Issue 20 on the demo Azure: a DLZ deployed twice is unchanged the second time (what-if shows no
change, nothing duplicated); peerings and DNS links that already join the same networks are
adopted whatever their names (the demo answers 409 to a second link, as ARM does); ``loom dlz
plan`` proposes the address space, lists the subscriptions when none is given, and shows every
template parameter with its value and source; the post-deploy bootstrap command."""

from __future__ import annotations

import json

import pytest

from loom_tui.demo_azure.estate import ADMIN_RG, ADMIN_SUB, PRIVATE_DNS_ZONES
from loom_tui.demo_azure.estate_dlz import SPARE_SUB
from loom_tui.services.dlz.bootstrap import bootstrap_for

from .test_cli_dlz import GOOD, loom
from .test_flow_demo import answers, world  # noqa: F401  (fixture)

DNS_API = "2020-06-01"
HUB_RG = f"/subscriptions/{ADMIN_SUB}/resourceGroups/{ADMIN_RG}"


async def _links(clients, zone: str) -> list[dict]:
    return [link async for link in clients.pages(f"{HUB_RG}/providers/Microsoft.Network/privateDnsZones/{zone}/virtualNetworkLinks", DNS_API)]


async def test_a_dlz_deployed_twice_is_unchanged_the_second_time(world):
    ctx, svc, clients, handle = world
    f = await svc.facts()
    plan, f = await svc.plan(answers(f), f)
    assert await (await svc.runner(plan, f, poll_seconds=0.2)).run() is True
    f2 = await svc.facts()
    again, f2 = await svc.plan(answers(f2, address_space=plan.address_space), f2)
    assert again.resource_group_exists and again.parameters == plan.parameters
    check = await svc.runner(again, f2, poll_seconds=0.2)
    assert await check.run(only=("validate", "what-if")) is True
    assert (check.what_if.create, check.what_if.modify, check.what_if.delete) == (0, 0, 0) and check.what_if.other > 20
    puts = len(handle.server.calls_to("network.peerings.put")), len(handle.server.calls_to("network.dns_links.put"))
    rerun = await svc.runner(again, f2, poll_seconds=0.2)
    assert await rerun.run() is True
    assert (len(handle.server.calls_to("network.peerings.put")), len(handle.server.calls_to("network.dns_links.put"))) == puts
    assert "adopted peer-to-dlz-logistics" in rerun.stages["peering"]["message"]
    assert "17 adopted, 0 created" in rerun.stages["dns"]["message"]
    for zone in PRIVATE_DNS_ZONES[:3]:
        assert sorted(l["name"] for l in await _links(clients, zone)) == ["link-hub", "link-logistics"]
    # issue 24 item 8: the DLZ passes loom's own DR check (ADLS Gen2: soft delete + change feed, no versioning)
    mine = [c for c in await ctx.capacity.dr() if c.resource == plan.storage_account]
    assert {c.check for c in mine} == {"blob soft delete", "container soft delete", "change feed"} and all(c.ok for c in mine), mine
    steps, command = bootstrap_for((await svc.dlz("logistics")).plan)
    assert command.startswith("gh workflow run csa-loom-post-deploy-bootstrap.yml -f boundary=Commercial -f region=eastus2")
    assert f"-f admin_subscription={ADMIN_SUB} -f dlz_subscription={SPARE_SUB} -f dlz_domain=logistics" in command
    assert any("SCIM" in s for s in steps)


async def test_links_and_peerings_of_a_platform_built_dlz_are_adopted_never_duplicated(world):
    from loom_tui.services.dlz.runner import DlzRunner

    ctx, svc, clients, handle = world
    f = await svc.facts()
    spoke = next(s for s in f.spokes if s.name == "vnet-csa-loom-dlz-finance-eastus2")
    zone = PRIVATE_DNS_ZONES[2]
    zone_id = f"{HUB_RG}/providers/Microsoft.Network/privateDnsZones/{zone}"
    # the platform (or an operator by hand) linked the spoke to one zone under its own name
    made = await clients.send("PUT", f"{zone_id}/virtualNetworkLinks/dlz-finance-by-hand", DNS_API,
                              json={"location": "global", "properties": {"virtualNetwork": {"id": spoke.id}, "registrationEnabled": False}})
    assert made.status in (200, 201, 202)
    from loom_tui.azure.errors import ArmError

    with pytest.raises(ArmError) as second:  # ARM refuses a second link of the zone to the same network
        await clients.send("PUT", f"{zone_id}/virtualNetworkLinks/link-finance", DNS_API,
                           json={"location": "global", "properties": {"virtualNetwork": {"id": spoke.id}, "registrationEnabled": False}})
    assert second.value.status == 409
    fin = next(d for d in f.found if d.domain == "finance")
    plan, _ = await svc.plan(answers(f, domain="logistics"), f)
    from dataclasses import replace

    plan = replace(plan, domain="finance", subscription_id=fin.subscription_id, resource_group=fin.resource_group, vnet=spoke.name)
    runner = await svc.runner(plan, f, poll_seconds=0.2)
    assert isinstance(runner, DlzRunner)
    msg = await runner.stage_peering()
    assert "hub-to-spoke: adopted peer-to-dlz-finance" in msg and "spoke-to-hub: adopted peer-to-admin-hub" in msg
    msg = await runner.stage_dns()
    assert "1 adopted, 16 created" in msg
    assert sorted(l["name"] for l in await _links(clients, zone)) == ["dlz-finance-by-hand", "link-hub"]


def test_plan_proposes_the_address_space_lists_subscriptions_and_shows_every_parameter(tmp_path):
    answers_file = tmp_path / "dlz.toml"
    answers_file.write_text(GOOD.replace('address_space = "10.1.0.0/16"\n', ""))
    proc = loom("dlz", "plan", "--answers", str(answers_file), "-o", "json")
    assert "proposing 10.1.0.0/16, the next free /16" in proc.stderr
    plan = json.loads(proc.stdout)
    params = {p["name"]: p for p in plan["templateParameters"]}
    assert params["spokeVnetCidr"]["value"] == "10.1.0.0/16" and params["spokeVnetCidr"]["source"].startswith("answer: network")
    assert params["adminPlaneLawId"]["source"] == "read: Log Analytics workspace law-csa-loom-eastus2"
    assert params["adminEntraGroupId"]["source"] == "asked" and params["recycleRetentionDays"] == {
        "name": "recycleRetentionDays", "value": 30, "source": "template default"}
    assert len(params) == 66  # every parameter the landing-zone module declares
    answers_file.write_text(GOOD.replace(f'subscription_id = "{SPARE_SUB}"\n', ""))
    listed = loom("dlz", "plan", "--answers", str(answers_file), "-o", "json", check=False)
    assert listed.returncode == 2 and "choose one of the subscriptions listed" in listed.stderr
    subs = {s["subscriptionId"]: s for s in json.loads(listed.stdout)["subscriptions"]}
    assert subs[SPARE_SUB]["canDeploy"] and subs[SPARE_SUB]["dlzs"] == []
    assert "finance" in next(s for s in subs.values() if s["name"].startswith("CSA Loom DLZ East"))["dlzs"]
    assert subs[ADMIN_SUB]["adminPlane"] is True
    answers_file.write_text(GOOD.replace("[parameters]\n", "[parameters]\nrecycleRetentionDays = 400\n"))
    bad = loom("dlz", "plan", "--answers", str(answers_file), "-o", "json", check=False)
    assert bad.returncode == 2 and json.loads(bad.stderr)["error"]["problems"][0]["message"].startswith("recycleRetentionDays: must be between 1 and 365")
