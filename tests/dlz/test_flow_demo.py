"""The whole DLZ flow on the demo Azure with the real async SDK clients: permissions, validate,
what-if, deploy with per-operation progress, peering both ways and every DNS link read back, the
record in the store; faults mid-deploy (429, a failed resource, a run interrupted) and resume."""

from __future__ import annotations

import asyncio

import pytest

from loom_tui.config import Profile
from loom_tui.demo_azure.estate_dlz import SPARE_SUB
from loom_tui.domain.dlz import DlzAnswers
from loom_tui.wiring import open_context
from loom_tui.services.dlz.plan import PlanRefused, propose_address_space
from loom_tui.services.dlz.runner import STAGES
from loom_tui.services.dlz.service import DlzService
from loom_tui.wiring import DemoAzure


NETWORK_API = "2023-11-01"


@pytest.fixture
async def world(tmp_path):
    ctx = await open_context(Profile(), data_dir=str(tmp_path / "data"))
    clients = await ctx.azure()
    handle = next(o.handle for o in ctx._owned if isinstance(o, DemoAzure))  # noqa: SLF001  (to inject faults)
    handle.server.calls = []  # every call kept (the server's own log keeps the last 2,000): the tests count them
    try:
        yield ctx, DlzService(ctx), clients, handle
    finally:
        await ctx.close()


ADMIN_GROUP = "5a5a0000-0000-4000-8000-00000000ad01"


def answers(facts, domain="logistics", **over) -> DlzAnswers:
    a = {"boundary": "commercial", "mode": "multi-sub", "subscription_id": SPARE_SUB, "region": "eastus2", "domain": domain,
         "capacity_sku": "F8", "address_space": propose_address_space(facts), "parameters": {"adminEntraGroupId": ADMIN_GROUP}}
    a.update(over)
    return DlzAnswers(**a)


async def test_facts_are_read_live(world):
    ctx, svc, clients, handle = world
    f = await svc.facts()
    assert f.hub is not None and f.hub.address_space == ("10.0.0.0/16",) and f.problems == []
    assert f.admin_resource_group == "rg-csa-loom-admin-eastus2"
    assert {"finance", "hr", "research"} <= f.dlz_domains()
    assert SPARE_SUB in f.regions and "eastus2" in f.regions[SPARE_SUB]
    assert propose_address_space(f) == "10.1.0.0/16"  # the demo spokes use 10.10-10.15
    with pytest.raises(PlanRefused) as e:
        await svc.plan(answers(f, domain="finance", address_space="10.12.0.0/16"), f)
    assert {p.field for p in e.value.problems} == {"domain", "address_space"}


async def test_whole_flow_then_read_everything_back(world):
    ctx, svc, clients, handle = world
    f = await svc.facts()
    plan, f = await svc.plan(answers(f), f)
    events = []
    runner = await svc.runner(plan, f, listener=events.append, poll_seconds=0.3)
    assert await runner.run() is True
    assert [s for s in STAGES if runner.stages[s]["state"] == "succeeded"] == list(STAGES)
    # deployed from the Admin Plane's template spec (by id), every parameter read from the estate or asked
    assert plan.template["kind"] == "spec" and plan.template["ref"].endswith("/templateSpecs/csa-loom-landing-zone/versions/1.0.0")
    assert plan.parameter_sources["adminPlaneLawId"] == "read: Log Analytics workspace law-csa-loom-eastus2"
    assert plan.parameter_sources["consolePrincipalId"].startswith("read: console identity") and plan.parameter_sources["adminEntraGroupId"] == "asked"
    # what-if as a diff: counts, then the list
    assert runner.what_if.create >= 20 and runner.what_if.modify == 0 and runner.what_if.delete == 0
    # per-operation progress came from the deployment's operations while it ran (the nested modules' too)
    # (how many polls see the list grow depends on the machine's load: one poll may see it whole)
    deploy_lines = [e for e in events if e.stage == "deploy" and e.state == "running" and e.lines]
    assert deploy_lines and any("Microsoft.Storage/storageAccounts" in ln for ln in deploy_lines[-1].lines)
    assert all(len(a.lines) <= len(b.lines) for a, b in zip(deploy_lines, deploy_lines[1:]))  # it only grows
    # the template's resources exist, with the platform's settings
    vnet = (await clients.send("GET", plan.spoke_vnet_id, NETWORK_API)).body
    assert vnet["properties"]["addressSpace"]["addressPrefixes"] == ["10.1.0.0/16"]
    assert vnet["tags"]["Data_Classification"] == "Standard"
    rg = (await clients.send("GET", f"/subscriptions/{SPARE_SUB}/resourceGroups/{plan.resource_group}", "2021-04-01")).body
    assert rg["tags"]["csa-loom-tier"] == "dlz" and rg["tags"]["loomTenantId"] == ctx.session.tenant_id
    # peering both ways, named as the platform names them, read back
    hub_side = (await clients.send("GET", f"{plan.hub_vnet_id}/virtualNetworkPeerings/peer-to-dlz-logistics", NETWORK_API)).body
    spoke_side = (await clients.send("GET", f"{plan.spoke_vnet_id}/virtualNetworkPeerings/peer-to-admin-hub", NETWORK_API)).body
    assert hub_side["properties"]["peeringState"] == spoke_side["properties"]["peeringState"] == "Connected"
    assert hub_side["properties"]["remoteVirtualNetwork"]["id"].lower() == plan.spoke_vnet_id.lower()
    # every DNS link, read back: one per zone the hub's resource group holds
    hub_rg = f"/subscriptions/{f.admin_subscription_id}/resourceGroups/{f.admin_resource_group}"
    for zone in plan.dns_zones:
        link = (await clients.send("GET", f"{hub_rg}/providers/Microsoft.Network/privateDnsZones/{zone}/virtualNetworkLinks/link-logistics",
                                   "2020-06-01")).body
        assert link["properties"]["virtualNetwork"]["id"].lower() == plan.spoke_vnet_id.lower(), zone
    assert len(plan.dns_zones) == 17
    # recorded: Capacity and Cost see it; and the domain and the space are taken now
    rec = await svc.dlz("logistics")
    assert rec.state == "deployed" and rec.peering == {"hub-to-spoke": "Connected", "spoke-to-hub": "Connected"}
    assert len(rec.dns_links) == 17
    f2 = await svc.facts()
    assert "logistics" in f2.dlz_domains() and propose_address_space(f2) == "10.2.0.0/16"
    # recorded as the web console records a DLZ: the domain's binding, a LandingZone; loom's own
    # record and drafts stay out of the console's landing-zones
    tid = ctx.session.tenant_id
    registry = await ctx.store.get("tenant-settings", tid, f"domains:{tid}")
    item = next(i for i in registry["items"] if i["id"] == "logistics")
    assert item["subscriptionIds"] == [SPARE_SUB.lower()] and item["dlzRg"] == plan.resource_group
    assert item["location"] == "eastus2" and item["capacitySku"] == "F8" and item["status"] == "active"
    assert item["chargebackTag"] == "loom-domain:logistics"
    lz = await ctx.store.get("landing-zones", tid, "logistics")
    assert lz["name"] == "logistics" and lz["subscriptionId"] == SPARE_SUB and lz["resourceGroups"] == [plan.resource_group]
    assert lz["region"] == "eastus2" and lz["network"]["vnetId"] == plan.spoke_vnet_id and lz["createdBy"] == ctx.session.upn
    from loom_tui.store.query import Query
    console_lzs = (await ctx.store.query("landing-zones", tid, Query(), max_items=100)).items
    assert [d["id"] for d in console_lzs] == ["logistics"]  # no dlz:/draft: records among them
    assert await ctx.store.get("loom-dlz", tid, "dlz:logistics") is not None


async def test_a_429_is_waited_out(world):
    from loom_tui.demo_azure.faults import Fault

    ctx, svc, clients, handle = world
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="retail"), f)
    handle.server.inject("deployments.put", Fault("429", "retry-after-seconds", 1))
    handle.server.inject("deployments.operations", Fault("429", "x-ms-retry-after-ms", 0.5))
    runner = await svc.runner(plan, f, poll_seconds=0.3)
    assert await runner.run() is True
    assert len(handle.server.calls_to("deployments.put")) == 2


async def _record_doc(ctx, domain: str) -> dict:
    return await ctx.store.get("loom-dlz", ctx.session.tenant_id, f"dlz:{domain}")


async def test_a_failed_resource_stops_the_run_with_arms_text_and_a_retry_resumes(world):
    from loom_tui.services.dlz.operation import stages_of

    ctx, svc, clients, handle = world
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="claims"), f)
    storage_id = (f"/subscriptions/{SPARE_SUB}/resourceGroups/{plan.resource_group}/providers/Microsoft.Storage/"
                  f"storageAccounts/{plan.storage_account}")
    handle.state.fail_action("deployments.resource", target=storage_id, status=400, code="RequestDisallowedByPolicy",
                             message="Resource 'st' was disallowed by policy. [Policy: deny-public-storage]", at="operation")
    first = await asyncio.wait_for(ctx.operations.wait((await svc.start_deploy(plan)).id), 120)
    assert first.state == "failed"
    assert [s.state for s in first.steps] == ["succeeded"] * 3 + ["failed", "pending", "pending", "pending"]
    failed = first.steps[3].message
    assert "RequestDisallowedByPolicy" in failed and "[Policy: deny-public-storage]" in failed and "DeploymentFailed" in failed
    assert first.error.message.startswith("deploy: ") and "[Policy: deny-public-storage]" in first.error.message
    doc = await _record_doc(ctx, "claims")
    assert doc["state"] == "failed" and "stages" not in doc  # the record keeps the outcome; the stages are the operation's
    # the retry starts at the stage that failed, as the operation's steps say (permissions/validate/what-if are not run again)
    checks = len(handle.server.calls_to("deployments.validate")), len(handle.server.calls_to("deployments.whatif"))
    f = await svc.facts()
    plan2, f = await svc.plan(answers(f, domain="claims", address_space=plan.address_space), f)  # resuming is not a clash
    events2 = []
    second = await asyncio.wait_for(ctx.operations.wait((await svc.start_deploy(plan2, listener=events2.append)).id), 120)
    assert second.state == "succeeded", second.error
    assert [e.stage for e in events2 if e.state == "running"][0] == "deploy"
    assert [s.message for s in second.steps[:3]] == ["done in an earlier run"] * 3
    assert (len(handle.server.calls_to("deployments.validate")), len(handle.server.calls_to("deployments.whatif"))) == checks
    doc = await _record_doc(ctx, "claims")
    assert doc["state"] == "deployed" and "stages" not in doc and doc["peering"]["spoke-to-hub"] == "Connected"
    assert await svc.stages("claims") == stages_of(second) and list(stages_of(second)) == list(STAGES)


async def test_after_forget_a_deployment_starts_over_from_the_permissions(world):
    """The operations of a failed run outlive ``loom dlz forget``: they must not carry a new run."""
    ctx, svc, clients, handle = world
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="claims"), f)
    storage_id = (f"/subscriptions/{SPARE_SUB}/resourceGroups/{plan.resource_group}/providers/Microsoft.Storage/"
                  f"storageAccounts/{plan.storage_account}")
    handle.state.fail_action("deployments.resource", target=storage_id, status=400, code="RequestDisallowedByPolicy",
                             message="disallowed by policy", at="operation")
    first = await asyncio.wait_for(ctx.operations.wait((await svc.start_deploy(plan)).id), 120)
    assert first.state == "failed" and first.steps[3].state == "failed"
    await svc.forget("claims")
    f = await svc.facts()
    plan2, f = await svc.plan(answers(f, domain="claims", address_space=plan.address_space), f)
    events = []
    second = await asyncio.wait_for(ctx.operations.wait((await svc.start_deploy(plan2, listener=events.append)).id), 120)
    assert second.state == "succeeded", second.error
    assert [e.stage for e in events if e.state == "running"][0] == "permissions"
    assert "done in an earlier run" not in [s.message for s in second.steps]


async def test_an_interrupted_run_watches_the_deployment_instead_of_starting_it_twice(world):
    ctx, svc, clients, handle = world
    handle.state.action_seconds = 4.0  # a deployment at operator speed: still running when the next process looks
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="pricing"), f)
    started = asyncio.Event()

    def listener(ev):
        if ev.stage == "deploy" and ev.state == "running" and ev.lines:
            started.set()

    op = await svc.start_deploy(plan, listener=listener)
    await asyncio.wait_for(started.wait(), 60)
    await ctx.operations.close()  # the process goes away mid-deploy; the ARM deployment and the operation carry on
    left = next(o for o in await ctx.operations.running() if o.id == op.id)
    assert [s.state for s in left.steps[:4]] == ["succeeded"] * 3 + ["running"]
    assert "stages" not in await _record_doc(ctx, "pricing")
    puts, checks = len(handle.server.calls_to("deployments.put")), len(handle.server.calls_to("deployments.validate"))
    assert await ctx.operations.adopt(left)  # the next process takes it over: it carries on from its own steps
    final = await asyncio.wait_for(ctx.operations.wait(op.id), 120)
    assert final.state == "succeeded", final.error
    assert len(handle.server.calls_to("deployments.put")) == puts  # watched, not started again
    assert len(handle.server.calls_to("deployments.validate")) == checks  # resumed at the deploy stage
    assert (await svc.dlz("pricing")).peering["spoke-to-hub"] == "Connected"


async def test_a_run_resumed_past_the_peering_keeps_the_peering_the_record_holds(world):
    ctx, svc, clients, handle = world
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="retail"), f)
    assert await (await svc.runner(plan, f, poll_seconds=0.3)).run() is True
    peering, links = (await svc.dlz("retail")).peering, (await svc.dlz("retail")).dns_links
    assert peering == {"hub-to-spoke": "Connected", "spoke-to-hub": "Connected"} and len(links) == 17
    events = []
    runner = await svc.runner(plan, f, listener=events.append, poll_seconds=0.3)
    assert await runner.run(start=list(STAGES).index("dns")) is True  # the earlier run's peering is not run again
    assert list(dict.fromkeys(e.stage for e in events if e.state == "running")) == ["dns", "record"]
    assert runner.peering == peering and (await svc.dlz("retail")).peering == peering  # carried on from the record
    assert "stages" not in await _record_doc(ctx, "retail")


async def test_missing_roles_are_named_with_their_fixes(world, tmp_path):
    from loom_tui.domain.session import Session
    from loom_tui.local.demo import DEMO_TENANT

    ctx, svc, clients, handle = world
    f = await svc.facts()
    lee = Session(tenant_id=DEMO_TENANT, user_oid="aa000001-0000-4000-8000-000000000003", upn="lee.engineer@contoso-demo.example",
                  display_name="Lee", source="test")
    ctx.session = lee
    ctx.__dict__.pop("scoped", None)
    rep = await DlzService(ctx).check_permissions(SPARE_SUB, f, role_assignments=1)
    assert not rep.ok
    missing = {(c.role, c.scope) for c in rep.missing}
    assert ("Contributor", f"/subscriptions/{SPARE_SUB}") in missing
    assert ("User Access Administrator", f"/subscriptions/{SPARE_SUB}") in missing
    # the hub side is held through a group: lee is a member of "DLZ deployers", Contributor on the hub's resource group
    hub = {c.role: c for c in rep.checks if "/resourceGroups/" in c.scope}
    assert hub["Private DNS Zone Contributor"].held and hub["Private DNS Zone Contributor"].via == "Contributor"
    assert any('--role "User Access Administrator"' in fix and lee.user_oid in fix for fix in rep.fixes)
    assert rep.portal_links == ()  # the demo Azure's cloud has no portal: no link is printed


async def test_an_operators_compiled_template_is_deployed_and_recorded(world, tmp_path):
    import json

    from loom_tui.services.dlz.template import shipped_template

    ctx, svc, clients, handle = world
    t = shipped_template()
    t["metadata"]["description"] = "the operator's compiled copy"
    t["resources"][0]["properties"]["template"]["resources"][0]["tags"] = "[union(parameters('complianceTags'), createObject('source', 'operator'))]"
    path = tmp_path / "compiled.json"
    path.write_text(json.dumps(t))
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="pricing", template=str(path)), f)
    assert plan.template["kind"] == "file" and plan.parameter_sources["adminPlaneLawId"].startswith("read:")
    op = await svc.start_deploy(plan)
    final = await asyncio.wait_for(ctx.operations.wait(op.id), 240)
    assert final.state == "succeeded", final.error
    vnet = (await clients.send("GET", plan.spoke_vnet_id, NETWORK_API)).body
    assert vnet["tags"]["source"] == "operator"  # the operator's template, not the shipped one
    rec = await svc.registry.get("pricing")
    assert rec.state == "deployed" and rec.plan["template"]["ref"] == str(path.resolve())  # a resumed run deploys the same file


async def test_a_resumed_deploy_refuses_an_operators_template_that_changed(world, tmp_path):
    import json

    from loom_tui.services.dlz.operation import _resume
    from loom_tui.services.dlz.template import shipped_template

    ctx, svc, clients, handle = world
    path = tmp_path / "compiled.json"
    path.write_text(json.dumps(shipped_template()))
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="pricing", template=str(path)), f)
    await svc.registry.save(plan.to_dict(), state="failed", peering={}, dns_links=[])
    path.write_text(json.dumps(shipped_template(), indent=1))  # edited since

    async def run(handle):
        return await _resume(handle)

    op = await ctx.operations.start("dlz.deploy.test", "pricing", steps=["permissions"], run=run)
    final = await asyncio.wait_for(ctx.operations.wait(op.id), 60)
    assert final.state == "failed" and "changed since the deployment started" in final.error.message


async def test_a_refused_validation_shows_arms_error_with_every_nested_detail(world):
    ctx, svc, clients, handle = world
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="claims"), f)
    taken = f"/subscriptions/{SPARE_SUB}/resourceGroups/rg-elsewhere/providers/Microsoft.Storage/storageAccounts/{plan.storage_account}"
    handle.state.put({"id": taken, "name": plan.storage_account, "type": "Microsoft.Storage/storageAccounts", "location": "eastus2",
                      "properties": {}})
    runner = await svc.runner(plan, f, poll_seconds=0.3)
    assert await runner.run(only=("validate",)) is False
    lines = runner.stages["validate"]["message"].splitlines()
    assert lines[0].startswith("InvalidTemplateDeployment: The template deployment ")
    assert lines[1] == "PreflightValidationCheckFailed: Preflight validation failed. Please refer to the details for the specific errors."
    assert lines[2] == f"  StorageAccountAlreadyTaken: The storage account named {plan.storage_account} is already taken."
