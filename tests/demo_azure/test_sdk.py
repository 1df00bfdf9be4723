"""The real async SDK clients (azure-mgmt-resource aio, azure-core's ARM poller) against the demo
Azure: listing across subscriptions, long-running operations polled by the SDK, throttling, the
bearer secret, and one state shared by two servers on one data directory."""

from __future__ import annotations

import asyncio

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError

from loom_tui.demo_azure.estate import ADMIN_RG, ADMIN_SUB, DLZ_SUBS, PRIVATE_DNS_ZONES, dlz_rg
from loom_tui.demo_azure.estate_dlz import SPARE_SUB
from loom_tui.demo_azure.faults import RETRY_AFTER_VARIANTS, Fault
from loom_tui.demo_azure.launcher import reset_demo_azure, start_demo_azure
from loom_tui.local.demo import DEMO_TENANT, demo_workspaces
from tests.demo_azure.conftest import SecretCredential, get_json, sdk_kwargs

FINANCE_CAP = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('finance')}/providers/Microsoft.Fabric/capacities/fccsaloomfinance"
FABRIC_API = "2023-11-01"


def rm_client(handle, sub: str, **kw):
    from azure.mgmt.resource.resources.aio import ResourceManagementClient

    return ResourceManagementClient(SecretCredential(handle.secret), sub, **sdk_kwargs(handle, **kw))


async def test_subscriptions_and_resources_across_subscriptions(demo) -> None:
    from azure.mgmt.resource.subscriptions.aio import SubscriptionClient

    async with SubscriptionClient(SecretCredential(demo.secret), **sdk_kwargs(demo)) as sc:
        subs = [s async for s in sc.subscriptions.list()]  # pages of 2: nextLink followed
        tenants = [t.tenant_id async for t in sc.tenants.list()]
        locations = [loc.name async for loc in sc.subscriptions.list_locations(ADMIN_SUB)]
    assert sorted(s.subscription_id for s in subs) == sorted([ADMIN_SUB, *DLZ_SUBS, SPARE_SUB])  # + the Setup area's empty one
    assert all(s.tenant_id == DEMO_TENANT for s in subs) and tenants == [DEMO_TENANT]
    assert "eastus2" in locations

    by_type: dict[str, list] = {}
    for sub in demo.subscriptions:
        async with rm_client(demo, sub) as client:
            async for r in client.resources.list(expand="provisioningState"):
                by_type.setdefault(r.type.lower(), []).append(r)
                assert r.provisioning_state == "Succeeded"
    assert len(by_type["microsoft.network/privatednszones"]) == len(PRIVATE_DNS_ZONES) == 17
    assert len(by_type["microsoft.fabric/capacities"]) == 6
    assert len(by_type["microsoft.network/virtualnetworks"]) == 7  # hub + 6 spokes
    assert "microsoft.authorization/roleassignments" not in by_type  # extension resources are not listed
    domains = {d for d in (r.tags.get("loomDomain") for r in by_type["microsoft.fabric/capacities"])}
    assert domains == {"finance", "marketing", "sales", "supply-chain", "hr", "research"}
    ws_ids = {w["id"] for w in demo_workspaces()}
    tagged = [r for rs in by_type.values() for r in rs if (r.tags or {}).get("loomWorkspaceId")]
    assert tagged and all(r.tags["loomWorkspaceId"] in ws_ids and r.tags["loomTenantId"] == DEMO_TENANT for r in tagged)


async def test_resource_groups_filter_and_get_by_id(demo) -> None:
    async with rm_client(demo, DLZ_SUBS[0]) as client:
        groups = [g.name async for g in client.resource_groups.list()]
        assert groups == sorted(dlz_rg(d) for d in ("finance", "marketing", "sales"))
        caps = [r async for r in client.resources.list(filter="resourceType eq 'Microsoft.Fabric/capacities' and tagName eq 'loomDomain' and tagValue eq 'finance'")]
        assert [c.id for c in caps] == [FINANCE_CAP]
        cap = await client.resources.get_by_id(FINANCE_CAP, api_version=FABRIC_API)
        assert cap.sku.name == "F64" and cap.properties["state"] == "Active"
        with pytest.raises(HttpResponseError) as info:
            await client.resource_groups.get("rg-does-not-exist")
        assert info.value.status_code == 404 and info.value.error.code == "ResourceGroupNotFound"


async def _poll(handle, path: str, *, method: str = "POST", api: str = FABRIC_API, body=None):
    """Start an action through the SDK's pipeline (``send_request``) and let azure-core's ARM
    poller follow it to the end; returns the states seen on the resource while it ran."""
    from azure.core.polling import AsyncLROPoller
    from azure.core.rest import HttpRequest
    from azure.mgmt.core.polling.async_arm_polling import AsyncARMPolling

    async with rm_client(handle, DLZ_SUBS[0]) as client:
        req = HttpRequest(method, f"{handle.arm_endpoint.rstrip('/')}{path}?api-version={api}", json=body)
        first = await client.send_request(req, _return_pipeline_response=True)
        if first.http_response.status_code >= 400:
            await first.http_response.read()
            first.http_response.raise_for_status()
        assert first.http_response.status_code in (201, 202)
        assert "Azure-AsyncOperation" in first.http_response.headers and "Location" in first.http_response.headers
        poller = AsyncLROPoller(client._client, first, lambda pr: pr.http_response, AsyncARMPolling(0.2))
        done = asyncio.ensure_future(poller.result())  # azure-core's async poller polls while awaited
        seen = []
        while not done.done():
            seen.append((await client.resources.get_by_id(path.rsplit("/", 1)[0] if method == "POST" else path, api_version=api)).properties)
            await asyncio.sleep(0.15)
        await done
        return seen


async def test_suspend_runs_as_an_operation_polled_by_the_sdk(demo) -> None:
    seen = await _poll(demo, FINANCE_CAP + "/suspend")
    assert {"state": "Pausing", "provisioningState": "Updating"}.items() <= seen[0].items()
    status, cap, _ = await get_json(demo, FINANCE_CAP + f"?api-version={FABRIC_API}")
    assert cap["properties"]["state"] == "Paused" and cap["properties"]["provisioningState"] == "Succeeded"
    # suspending a paused capacity is refused with ARM's error shape
    status, body, _ = await get_json(demo, FINANCE_CAP + f"/suspend?api-version={FABRIC_API}", method="POST")
    assert status == 400 and set(body["error"]) >= {"code", "message"} and "Paused" in body["error"]["message"]
    await _poll(demo, FINANCE_CAP + "/resume")
    assert (await get_json(demo, FINANCE_CAP + f"?api-version={FABRIC_API}"))[1]["properties"]["state"] == "Active"


async def test_scale_is_a_patch_of_the_sku(demo) -> None:
    seen = await _poll(demo, FINANCE_CAP, method="PATCH", body={"sku": {"name": "F128", "tier": "Fabric"}})
    assert seen and seen[0]["state"] == "Scaling"
    cap = (await get_json(demo, FINANCE_CAP + f"?api-version={FABRIC_API}"))[1]
    assert cap["sku"] == {"name": "F128", "tier": "Fabric"} and cap["properties"]["state"] == "Active"
    status, body, _ = await get_json(demo, FINANCE_CAP + f"?api-version={FABRIC_API}", method="PATCH", json={"sku": {"name": "F3"}})
    assert status == 400 and body["error"]["code"] == "BadRequest"


async def test_injected_action_failures(demo) -> None:
    demo.state.fail_action("fabric.suspend", target=FINANCE_CAP, status=409, code="CapacityBusy", message="not now")
    with pytest.raises(HttpResponseError) as info:
        await _poll(demo, FINANCE_CAP + "/suspend")
    assert info.value.status_code == 409 and "not now" in str(info.value)
    demo.state.fail_action("fabric.suspend", code="InternalServerError", message="the capacity could not be paused", at="operation")
    with pytest.raises(HttpResponseError) as info:
        await _poll(demo, FINANCE_CAP + "/suspend")
    assert "the capacity could not be paused" in str(info.value)
    cap = (await get_json(demo, FINANCE_CAP + f"?api-version={FABRIC_API}"))[1]
    assert cap["properties"]["state"] == "Active" and cap["properties"]["provisioningState"] == "Failed"


async def test_a_second_action_while_one_runs_is_a_conflict(demo) -> None:
    status, _, headers = await get_json(demo, FINANCE_CAP + f"/suspend?api-version={FABRIC_API}", method="POST")
    assert status == 202
    status, body, _ = await get_json(demo, FINANCE_CAP + f"?api-version={FABRIC_API}", method="PATCH", json={"sku": {"name": "F8"}})
    assert status == 409 and body["error"]["code"] == "Conflict"
    status, op, _ = await get_json(demo, headers["Azure-AsyncOperation"])
    assert status == 200 and op["status"] == "InProgress" and 0 <= op["percentComplete"] < 100


async def test_synapse_pause_and_kusto_start(demo) -> None:
    pool = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('finance')}/providers/Microsoft.Synapse/workspaces/syn-loom-finance/sqlPools/sqlpool_gl"
    seen = await _poll(demo, pool + "/pause", api="2021-06-01")
    assert seen[0]["status"] == "Pausing"
    assert (await get_json(demo, pool + "?api-version=2021-06-01"))[1]["properties"]["status"] == "Paused"
    adx = f"/subscriptions/{DLZ_SUBS[1]}/resourceGroups/{dlz_rg('research')}/providers/Microsoft.Kusto/clusters/adxloomresearch"
    status, _, headers = await get_json(demo, adx + "/start?api-version=2024-04-13", method="POST")
    assert status == 202
    assert (await get_json(demo, adx + "?api-version=2024-04-13"))[1]["properties"]["state"] == "Starting"
    while (await get_json(demo, headers["Azure-AsyncOperation"]))[1]["status"] == "InProgress":
        await asyncio.sleep(0.1)
    assert (await get_json(demo, adx + "?api-version=2024-04-13"))[1]["properties"]["state"] == "Running"


async def test_peering_by_the_sdks_begin_create_or_update(demo) -> None:
    from azure.mgmt.resource.resources.models import GenericResource

    fin = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('finance')}/providers/Microsoft.Network/virtualNetworks/vnet-csa-loom-dlz-finance-eastus2"
    mkt = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('marketing')}/providers/Microsoft.Network/virtualNetworks/vnet-csa-loom-dlz-marketing-eastus2"
    api = "2024-07-01"
    async with rm_client(demo, DLZ_SUBS[0], polling_interval=0.2) as client:
        poller = await client.resources.begin_create_or_update_by_id(
            fin + "/virtualNetworkPeerings/peer-finance-to-marketing",
            GenericResource(properties={"remoteVirtualNetwork": {"id": mkt}, "allowVirtualNetworkAccess": True}), api_version=api)
        one = await poller.result()
        assert one.properties["provisioningState"] == "Succeeded" and one.properties["peeringState"] == "Initiated"
        poller = await client.resources.begin_create_or_update_by_id(
            mkt + "/virtualNetworkPeerings/peer-marketing-to-finance", GenericResource(properties={"remoteVirtualNetwork": {"id": fin}}),
            api_version=api)
        await poller.result()
        back = await client.resources.get_by_id(fin + "/virtualNetworkPeerings/peer-finance-to-marketing", api_version=api)
        assert back.properties["peeringState"] == "Connected"
        hub = f"/subscriptions/{ADMIN_SUB}/resourceGroups/{ADMIN_RG}/providers/Microsoft.Network/virtualNetworks/vnet-csa-loom-hub-eastus2"
        with pytest.raises(HttpResponseError) as info:
            await client.resources.begin_create_or_update_by_id(
                hub + "/virtualNetworkPeerings/peer-nowhere",
                GenericResource(properties={"remoteVirtualNetwork": {"id": hub.replace("hub", "gone")}}), api_version=api)
        assert info.value.error.code == "InvalidResourceReference"


@pytest.mark.parametrize("variant", sorted(RETRY_AFTER_VARIANTS))
async def test_429_variants_are_retried_by_the_sdk(demo, variant: str) -> None:
    demo.server.inject("resource_groups.list", Fault("429", variant=variant, seconds=0))
    async with rm_client(demo, ADMIN_SUB) as client:
        assert [g.name async for g in client.resource_groups.list()] == [ADMIN_RG]
    assert len(demo.server.calls_to("resource_groups.list")) == 2


async def test_wrong_secret_is_refused(demo) -> None:
    async with rm_client(demo, ADMIN_SUB) as good:
        assert [g.name async for g in good.resource_groups.list()] == [ADMIN_RG]
    from azure.mgmt.resource.resources.aio import ResourceManagementClient

    async with ResourceManagementClient(SecretCredential("not-the-secret"), ADMIN_SUB, **sdk_kwargs(demo)) as bad:
        with pytest.raises(ClientAuthenticationError) as info:
            [g async for g in bad.resource_groups.list()]
    assert info.value.status_code == 401
    status, body, _ = await get_json(demo, f"/subscriptions/{ADMIN_SUB}/resourceGroups?api-version=2022-09-01", headers={})
    assert status == 401 and body["error"]["code"] == "AuthenticationFailed"


async def test_two_servers_on_one_data_dir_share_the_estate(demo, tmp_path) -> None:
    other = start_demo_azure(tmp_path, action_seconds=0.6)
    try:
        assert other.arm_endpoint != demo.arm_endpoint and other.secret != demo.secret
        assert other.ca_bundle == demo.ca_bundle  # the CA is made once per data dir
        status, _, _ = await get_json(demo, FINANCE_CAP + f"/suspend?api-version={FABRIC_API}", method="POST")
        assert status == 202
        assert (await get_json(other, FINANCE_CAP + f"?api-version={FABRIC_API}"))[1]["properties"]["state"] == "Pausing"
        await asyncio.sleep(0.7)
        assert (await get_json(other, FINANCE_CAP + f"?api-version={FABRIC_API}"))[1]["properties"]["state"] == "Paused"
        assert (await get_json(demo, FINANCE_CAP + f"?api-version={FABRIC_API}"))[1]["properties"]["state"] == "Paused"
    finally:
        other.stop()
    reset_demo_azure(tmp_path)  # what `loom seed` does
    assert (await get_json(demo, FINANCE_CAP + f"?api-version={FABRIC_API}"))[1]["properties"]["state"] == "Active"


async def test_role_assignments(demo) -> None:
    scope = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('finance')}"
    status, body, _ = await get_json(demo, scope + "/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01")
    inherited = [ra for ra in body["value"] if ra["properties"]["scope"] == f"/subscriptions/{DLZ_SUBS[0]}"]
    assert status == 200 and inherited and len(body["value"]) > len(inherited)
    new = {"properties": {"roleDefinitionId": f"/subscriptions/{DLZ_SUBS[0]}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
                          "principalId": "11111111-2222-4333-8444-555555555555", "principalType": "Group"}}
    url = scope + "/providers/Microsoft.Authorization/roleAssignments/{}?api-version=2022-04-01"
    status, made, _ = await get_json(demo, url.format("6f1c3a55-0e6d-4b8e-9a1b-6b2b0e6d0c01"), method="PUT", json=new)
    assert status == 201 and made["properties"]["scope"] == scope
    status, body, _ = await get_json(demo, url.format("6f1c3a55-0e6d-4b8e-9a1b-6b2b0e6d0c02"), method="PUT", json=new)
    assert status == 409 and body["error"]["code"] == "RoleAssignmentExists"


async def test_metadata_registers_as_a_custom_cloud(demo) -> None:
    from loom_tui.azure.clouds import cloud_from_metadata

    status, doc, _ = await get_json(demo, "/metadata/endpoints?api-version=2022-09-01", headers={})
    assert status == 200
    cloud = cloud_from_metadata("LoomDemoAzure", doc, source=demo.metadata_url)
    assert cloud.arm_endpoint == demo.arm_endpoint and cloud.arm_scope == demo.arm_endpoint + ".default"
    assert not cloud.zones_incomplete
    assert {cloud.private_dns_zones[k] for k in ("key_vault", "storage_blob", "storage_dfs", "cosmos_sql")} <= set(PRIVATE_DNS_ZONES)


async def test_started_off_the_event_loop(tmp_path, monkeypatch) -> None:
    """The start (imports, certificate, seeding) runs while the loop goes on: the start below waits
    until the loop has ticked three times, which it can only do when the start is off the loop (on
    it, the wait would time out and the assertion say so). No timing is assumed."""
    import threading

    from loom_tui.demo_azure import launcher

    ticked = threading.Event()
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            if ticks >= 3:
                ticked.set()
            await asyncio.sleep(0.001)

    real_start = launcher.start_demo_azure
    seen: list[bool] = []

    def start_after_ticks(*args, **kw):
        seen.append(ticked.wait(30))
        return real_start(*args, **kw)

    monkeypatch.setattr(launcher, "start_demo_azure", start_after_ticks)
    ticker = asyncio.ensure_future(tick())
    handle = await launcher.start_demo_azure_async(tmp_path / "data")
    try:
        assert seen == [True]  # the loop ticked while the start was under way
        status, subs, _ = await get_json(handle, "/subscriptions?api-version=2022-12-01")
        assert status == 200 and len(subs["value"]) == 2 and "nextLink" in subs
    finally:
        ticker.cancel()
        await launcher.stop_demo_azure_async(handle)
