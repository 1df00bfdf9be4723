"""The inventory on the demo Azure with the real SDK clients: across subscriptions, with runtime
state and utilization, partial results with a warning for each failed part, throttling survived."""

from __future__ import annotations

import pytest

from loom_tui.demo_azure.estate import ADMIN_SUB, DLZ_SUBS
from loom_tui.domain.capacity import ADMIN_PLANE

from .conftest import deny, hang

pytestmark = pytest.mark.asyncio


async def test_inventory_across_subscriptions_with_state_and_load(open_ctx):
    ctx = await open_ctx()
    snapshots = [inv async for inv in ctx.capacity.scan()]
    first, last = snapshots[0], snapshots[-1]
    assert not first.enriched and last.enriched and not last.partial
    subs = {r.subscription_id for r in last.rows}
    assert subs == {ADMIN_SUB, *DLZ_SUBS}
    by_name = {r.name: r for r in last.rows}
    # runtime state per service, from the provider GETs
    assert by_name["fccsaloomfinance"].state == "Active" and by_name["fccsaloommarketing"].state == "Paused"
    assert by_name["sqlpool_gl"].state == "Online" and by_name["sqlpool_experiments"].state == "Paused"  # pools listed from their workspace
    assert by_name["adxloommarketing"].state == "Running" and by_name["adxloomresearch"].state == "Stopped"
    assert by_name["kv-csa-loom-admin"].state is None and by_name["kv-csa-loom-admin"].dlz == ADMIN_PLANE
    assert by_name["fccsaloomsupplychain"].dlz == "supply-chain" and by_name["fccsaloomfinance"].sku == "F64"
    # 24 h utilization from Azure Monitor: a number for running ones, blank with a reason for
    # stopped ones; Fabric has no Azure Monitor metric anywhere, and its rows say so (issue 21)
    assert 20 < by_name["sqlpool_gl"].utilization_24h < 90
    assert by_name["adxloommarketing"].utilization_24h < 2
    assert by_name["adxloomresearch"].utilization_24h is None
    assert "no data" in by_name["adxloomresearch"].utilization_note
    for fabric in ("fccsaloomfinance", "fccsaloommarketing"):
        assert by_name[fabric].utilization_24h is None and by_name[fabric].utilization_absent
        assert "Azure Monitor has no metric for Fabric capacities" in by_name[fabric].utilization_note
    assert by_name["kv-csa-loom-admin"].utilization_24h is None and by_name["kv-csa-loom-admin"].utilization_note == ""
    # month-to-date cost from the Cost service (the demo tenant's cost data), per currency; a row
    # without cost says why
    from loom_tui.services.cost.model import Query

    expected = {rc.resource_id.lower(): float(rc.cost) for rc in (await ctx.cost.resources(Query(by="resource")))["USD"]
                if rc.resource_id}
    fin = by_name["fccsaloomfinance"]
    assert fin.cost_mtd == pytest.approx(expected[fin.id.lower()], abs=0.01) and fin.currency == "USD"
    assert all(r.cost_mtd is not None or r.cost_note for r in last.rows)
    assert by_name["kv-csa-loom-admin"].cost_mtd is None or by_name["kv-csa-loom-admin"].currency == "USD"
    # the listing's rows come first, without runtime state yet
    assert {r.id for r in first.rows} == {r.id for r in last.rows}


async def test_cost_is_for_tenant_admins_only(open_ctx):
    from tests.services.conftest import session_of

    ctx = await open_ctx(session=session_of("lee.engineer"))
    inv = await ctx.capacity.inventory()
    assert not inv.partial and all(r.cost_mtd is None for r in inv.rows)
    assert inv.cost_note == "cost is tenant-wide: only tenant admins see it"
    assert inv.find("fccsaloomfinance").state == "Active"  # the rest is read with the operator's own Azure roles


async def test_two_rounds_per_subscription_not_one_per_group_or_resource(open_ctx, demo):
    """The listing reads each subscription's resources and the provider lists (state in their
    properties): no per-group listing, no per-resource GET for the state."""
    ctx = await open_ctx()
    first = await ctx.capacity.scan().__anext__()
    assert {r.name: r.state for r in first.rows if r.pausable} == {
        r.name: r.state for r in (await ctx.capacity.inventory()).rows if r.pausable}  # state in the first rows already
    assert first.find("sqlpool_gl").state == "Online" and first.find("adxloomresearch").state == "Stopped"
    for route in ("resources.list_by_rg", "fabric.capacities.get", "kusto.clusters.get", "synapse.sql_pools.get"):
        assert demo.server.calls_to(route) == [], route
    subs = len(demo.subscriptions)  # the Admin Plane's, the DLZs' and the empty one kept for multi-sub rehearsal
    for route in ("resources.list", "resource_groups.list", "fabric.capacities.list_all", "kusto.clusters.list_all",
                  "synapse.workspaces.list_all"):
        assert len(demo.server.calls_to(route)) == 2 * subs, route  # once per subscription, per scan (two scans)


async def test_a_refused_subscription_listing_reads_each_group_on_its_own(open_ctx, demo):
    deny(demo.server, f"/subscriptions/{DLZ_SUBS[0]}/resources")
    ctx = await open_ctx()
    inv = await ctx.capacity.inventory()
    assert not inv.partial  # nothing lost: each group was read
    assert {c.path.split("/")[4] for c in demo.server.calls_to("resources.list_by_rg")} == {
        t.resource_group for t in inv.targets if t.subscription_id == DLZ_SUBS[0]}
    assert inv.find("fccsaloomsales").state == "Active"


async def test_403_on_one_resource_group_gives_partial_results_and_names_the_missing_role(open_ctx, demo):
    # a role on some groups only: the subscription-wide listing is refused, one group too
    deny(demo.server, f"/subscriptions/{DLZ_SUBS[0]}/resources")
    rg = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/rg-csa-loom-dlz-sales-eastus2/resources"
    deny(demo.server, rg)
    ctx = await open_ctx()
    inv = await ctx.capacity.inventory()
    assert inv.partial and len(inv.failures) == 1
    f = inv.failures[0]
    assert f.kind == "forbidden"
    assert "rg-csa-loom-dlz-sales-eastus2" in f.scope and DLZ_SUBS[0] in f.scope
    assert "403 AuthorizationFailed" in f.reason and "Microsoft.Resources/subscriptions/resourceGroups/resources/read" in f.reason
    assert "Reader" in f.reason and "does not have authorization" in f.detail  # ARM's text kept in full
    names = {r.name for r in inv.rows}
    assert "fccsaloomsales" not in names and "fccsaloomfinance" in names  # the rest is shown


async def test_a_subscription_refusing_its_group_listing_falls_back_to_the_named_groups(open_ctx, demo):
    deny(demo.server, f"/subscriptions/{ADMIN_SUB}/resourcegroups", "Microsoft.Resources/subscriptions/resourceGroups/read")
    # the profile names every group (as the wiring does for the demo): those of the other
    # subscriptions, tried blind in this one, are not reported missing
    ctx = await open_ctx(dlz_rgs=["rg-csa-loom-dlz-finance-eastus2", "rg-csa-loom-dlz-hr-centralus"])
    inv = await ctx.capacity.inventory()
    assert [f.kind for f in inv.failures] == ["forbidden"]
    assert f"subscription {ADMIN_SUB}" in inv.failures[0].line()
    assert {t.resource_group for t in inv.targets if t.subscription_id == ADMIN_SUB} == {"rg-csa-loom-admin-eastus2"} and "trying the named resource groups directly" in inv.failures[0].reason
    assert "kv-csa-loom-admin" in {r.name for r in inv.rows}  # admin_plane_rg read directly


async def test_a_named_group_that_exists_nowhere_is_a_warning(open_ctx):
    ctx = await open_ctx(dlz_rgs=["rg-csa-loom-dlz-gone-westus3"])
    inv = await ctx.capacity.inventory()
    assert [f.kind for f in inv.failures] == ["not-found"]
    assert "rg-csa-loom-dlz-gone-westus3" in inv.failures[0].line() and "profile dlz_rgs" in inv.failures[0].reason


@pytest.mark.serial  # a 1.5 s budget against answers that take 0.1 s: a loaded machine blurs the two
async def test_a_group_that_never_answers_times_out_alone(open_ctx, demo):
    hang(demo.server, f"/subscriptions/{DLZ_SUBS[1]}/resources", seconds=4)  # then each group on its own
    hang(demo.server, f"/subscriptions/{DLZ_SUBS[1]}/resourceGroups/rg-csa-loom-dlz-hr-centralus/resources", seconds=4)
    ctx = await open_ctx()
    inv = await ctx.capacity.inventory(timeout=1.5)
    assert [f.kind for f in inv.failures] == ["timeout"]
    assert "rg-csa-loom-dlz-hr-centralus" in inv.failures[0].line()
    assert "fccsaloomresearch" in {r.name for r in inv.rows}


async def test_throttling_mid_fan_out_is_waited_out(open_ctx, demo):
    from loom_tui.demo_azure.faults import Fault

    demo.server.inject("resources.list", Fault("429", "retry-after-ms", 0.3), times=3)
    ctx = await open_ctx()
    clients = await ctx.azure()
    heard = []
    clients.on_throttle(heard.append)
    inv = await ctx.capacity.inventory()
    assert not inv.partial and len(heard) == 3
    assert len({r.resource_group for r in inv.rows}) == 7  # admin plane + six DLZs, all read
    assert len(demo.server.calls_to("resources.list")) == len(demo.subscriptions) + 3  # each subscription once, three retries
    assert demo.server.calls_to("resources.list_by_rg") == []


async def test_throttling_that_never_ends_is_a_warning(open_ctx, demo):
    from loom_tui.demo_azure.faults import Fault

    for route in ("resources.list", "resources.list_by_rg"):
        demo.server.inject(route, Fault("429", "retry-after-seconds", 0), times=100)
    ctx = await open_ctx()
    clients = await ctx.azure()
    clients.retry_total = 1
    inv = await ctx.capacity.inventory()
    assert inv.partial and {f.kind for f in inv.failures} == {"throttled"}
    assert all("429" in f.reason for f in inv.failures)


async def test_a_dlz_recorded_by_the_wizard_is_in_the_inventory(open_ctx, demo):
    """A group the naming convention and the tags would miss is scanned once the DLZ registry
    (services/dlz/registry.py, what the setup wizard writes) records it."""
    from loom_tui.demo_azure.estate import DEMO_TENANT
    from loom_tui.services.dlz.registry import DlzRegistry

    sub, rg = DLZ_SUBS[1], "rg-ops-landing"
    rg_id = f"/subscriptions/{sub}/resourceGroups/{rg}"
    demo.state.put({"id": rg_id, "name": rg, "type": "Microsoft.Resources/resourceGroups", "location": "westus3", "tags": {},
                    "properties": {"provisioningState": "Succeeded"}})
    demo.state.put({"id": f"{rg_id}/providers/Microsoft.Fabric/capacities/fcops", "name": "fcops", "type": "Microsoft.Fabric/capacities",
                    "location": "westus3", "tags": {"loomTenantId": DEMO_TENANT}, "sku": {"name": "F4", "tier": "Fabric"},
                    "properties": {"provisioningState": "Succeeded", "state": "Active", "administration": {"members": []}}})
    ctx = await open_ctx()
    assert (await ctx.capacity.inventory()).find("fcops") is None  # not named, not tagged: not Loom's yet
    plan = {"domain": "ops", "subscription_id": sub, "region": "westus3", "resource_group": rg, "spoke_vnet_id": "",
            "address_space": "10.9.0.0/16", "capacity": "fcops", "capacity_sku": "F4", "storage_account": "", "key_vault": "",
            "boundary": "commercial", "deployment_name": "loom-dlz-ops"}
    await DlzRegistry(ctx.scoped, ctx.require_writable).save(plan, state="deployed")
    inv = await ctx.capacity.inventory()
    row = inv.find("fcops")
    assert row is not None and row.dlz == "ops" and row.state == "Active"
    assert [t.why for t in inv.targets if t.resource_group == rg] == ["recorded DLZ"]
    assert not inv.partial


async def test_a_metric_that_does_not_exist_in_the_cloud_is_not_asked_for_and_said_so(open_ctx, demo):
    """The same estate seen as US Government: Azure Monitor has no Fabric metric in any cloud, so
    Fabric rows say so (and no metrics call is made for them); the others are read; auto-pause
    judges the capacity from its workspaces instead."""
    import dataclasses

    from loom_tui.azure.clients import AzureClients
    from loom_tui.screens.capacity import cells
    from loom_tui.wiring import StaticBearer, demo_cloud

    ctx = await open_ctx()
    gov = dataclasses.replace(demo_cloud(demo.arm_endpoint), name="AzureUSGovernment")
    await ctx._azure.close()
    ctx._azure = AzureClients(StaticBearer(demo.secret), gov, extra_ca=demo.ca_bundle)
    inv = await ctx.capacity.inventory()
    fin = inv.find("fccsaloomfinance")
    assert fin.utilization_24h is None and fin.utilization_absent and cells.util(fin) == "none"
    assert "Azure Monitor has no metric for Fabric capacities" in fin.utilization_note
    assert inv.find("sqlpool_gl").utilization_24h is not None and cells.util(inv.find("sqlpool_gl")).endswith("%")
    asked = [c.path for c in demo.server.calls if "Microsoft.Insights/metrics" in c.path]
    assert asked and not [p for p in asked if "/Microsoft.Fabric/" in p]
    decisions = await ctx.capacity.decisions([fin], idle_for=__import__("datetime").timedelta(hours=2))
    assert "workspace" in decisions[0].reason and "Azure Monitor" not in decisions[0].reason  # judged from the store


async def test_a_provider_list_that_fails_leaves_the_state_to_each_resource_s_get(open_ctx, demo):
    """Fabric's list-by-subscription refused in one subscription: its capacities still get their
    state, from their own GET, and nothing is lost (no warning: the fallback read it all)."""
    deny(demo.server, f"/subscriptions/{DLZ_SUBS[0]}/providers/Microsoft.Fabric/capacities", "Microsoft.Fabric/capacities/read")
    ctx = await open_ctx()
    snapshots = [inv async for inv in ctx.capacity.scan()]
    first, last = snapshots[0], snapshots[-1]
    assert first.find("fccsaloomfinance").state is None and first.find("fccsaloomresearch").state == "Paused"  # other sub: listed
    assert last.find("fccsaloomfinance").state == "Active" and last.find("fccsaloommarketing").state == "Paused"
    assert not last.partial
    gets = {c.path.rsplit("/", 1)[-1] for c in demo.server.calls_to("fabric.capacities.get")}
    assert gets == {r.name for r in last.rows if r.type_key == "microsoft.fabric/capacities" and r.subscription_id == DLZ_SUBS[0]}


async def test_without_the_workspace_list_the_pools_come_from_the_listed_workspaces(open_ctx, demo):
    deny(demo.server, f"/subscriptions/{DLZ_SUBS[0]}/providers/Microsoft.Synapse/workspaces", "Microsoft.Synapse/workspaces/read")
    ctx = await open_ctx()
    first = await ctx.capacity.scan().__anext__()
    assert first.find("sqlpool_gl").state == "Online" and not first.partial


async def test_a_cancelled_scan_leaves_no_request_running(open_ctx, demo):
    import asyncio

    for route in ("resources.list", "fabric.capacities.list_all", "kusto.clusters.list_all", "synapse.workspaces.list_all"):
        demo.server.delay(route, 60)  # far longer than the test waits: only a cancellation can end them
    ctx = await open_ctx()
    clients = await ctx.azure()
    task = asyncio.ensure_future(ctx.capacity.inventory())
    await _until(lambda: clients.bound.in_flight > 0)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await _until(lambda: clients.bound.in_flight == 0)


async def _until(condition, timeout: float = 10.0) -> None:
    import asyncio

    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("fault", ["503", "reset", "malformed"])
async def test_a_failed_subscription_listing_falls_back_to_the_recorded_landing_zones(open_ctx, demo, fault):
    """Issue 22 item 17: a 503, a reset or a malformed answer on GET /subscriptions is a warning line
    that names it and the fallback (the subscriptions the landing-zone records name), not an
    unexpected error and not an empty list."""
    from loom_tui.demo_azure.faults import Fault

    from loom_tui.demo_azure.estate import DOMAIN_PLACEMENT, dlz_rg
    from loom_tui.services.dlz.registry import CONTAINER

    ctx = await open_ctx()
    ctx.profile.subscriptions = []  # list them from Azure, as a profile without its own list does
    # one landing zone the wizard recorded: the only subscription loom knows without listing
    await ctx.scoped.tenant_upsert(CONTAINER, {"id": "dlz:finance", "kind": "dlz", "domain": "finance", "state": "deployed",
                                               "subscriptionId": DOMAIN_PLACEMENT["finance"][0], "resourceGroup": dlz_rg("finance")})
    recorded = {DOMAIN_PLACEMENT["finance"][0]}
    demo.server.inject("subscriptions.list", Fault(fault), times=20)  # past every retry
    inv = await ctx.capacity.inventory()
    line = inv.failures[0].line()
    assert line.startswith("subscriptions (GET /subscriptions): ")
    assert {"503": "503", "reset": "", "malformed": "JSON is invalid"}[fault] in line
    assert f"listed the {len(recorded)} subscription(s) the landing-zone records name instead" in line
    assert {r.subscription_id for r in inv.rows} and {r.subscription_id for r in inv.rows} <= recorded
