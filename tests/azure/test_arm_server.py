"""The real azure-mgmt-resource async clients against the local ARM server: paging, retries on
every throttling/fault variant, timeouts, malformed bodies — no SDK mocking."""

from __future__ import annotations

import time

import pytest
from azure.core.exceptions import DecodeError

from tests.azure.conftest import StaticCredential, arm_cloud, subscriptions_via
from tests.support.arm_server import RETRY_AFTER_VARIANTS, Fault


async def test_subscriptions_follow_next_link(arm_tls) -> None:
    arm_tls.page_size = 1
    cred = StaticCredential()
    subs = await subscriptions_via(cred, arm_cloud(arm_tls))
    assert [s.display_name for s in subs] == ["Example Subscription", "Example Subscription2"]
    assert subs[0].state == "Enabled"
    assert len(arm_tls.calls_to("subscriptions.list")) == 2  # two pages
    assert cred.scopes[0] == (arm_tls.url + "/.default",)  # the cloud's scope, not management.azure.com
    assert all(c.authorization == "Bearer static-test-token" for c in arm_tls.calls)


async def test_resource_groups_and_resources(arm_tls) -> None:
    from azure.mgmt.resource.resources.aio import ResourceManagementClient

    from loom_tui.azure.clients import AzureClients

    async with AzureClients(StaticCredential(), arm_cloud(arm_tls)) as clients:
        client = clients.resources("sub-1")
        assert isinstance(client, ResourceManagementClient)
        groups = [g.name async for g in client.resource_groups.list()]
        assert groups == ["RG1", "RG2"]
        res = [r async for r in client.resources.list_by_resource_group("RG1")]
    assert res and all(r.id.startswith("/subscriptions/sub-1/resourceGroups/RG1/") for r in res)
    assert {r.type for r in res} >= {"microsoft.compute/disks"}


@pytest.mark.parametrize("variant", sorted(RETRY_AFTER_VARIANTS))
async def test_429_with_each_retry_after_variant_is_retried(arm_tls, variant: str) -> None:
    arm_tls.inject("subscriptions.list", Fault("429", variant=variant, seconds=0))
    subs = await subscriptions_via(StaticCredential(), arm_cloud(arm_tls))
    assert len(subs) == 2
    assert len(arm_tls.calls_to("subscriptions.list")) == 2


async def test_retry_after_seconds_is_waited_for(arm_tls) -> None:
    arm_tls.inject("subscriptions.list", Fault("429", variant="retry-after-seconds", seconds=1))
    t0 = time.monotonic()
    await subscriptions_via(StaticCredential(), arm_cloud(arm_tls))
    assert time.monotonic() - t0 >= 1.0


@pytest.mark.parametrize("kind", ["503", "reset"])
async def test_503_and_connection_reset_are_retried(arm_tls, kind: str) -> None:
    arm_tls.inject("subscriptions.list", Fault(kind))
    assert len(await subscriptions_via(StaticCredential(), arm_cloud(arm_tls))) == 2
    assert len(arm_tls.calls_to("subscriptions.list")) == 2


@pytest.mark.serial  # asserts a time limit the operator is promised: measured alone
async def test_timeout_is_retried_after_read_timeout(arm_tls) -> None:
    arm_tls.hang_seconds = 3
    arm_tls.inject("subscriptions.list", Fault("timeout"))
    t0 = time.monotonic()
    subs = await subscriptions_via(StaticCredential(), arm_cloud(arm_tls), read_timeout=0.5)
    assert len(subs) == 2 and time.monotonic() - t0 < 2.5


async def test_retries_give_up_with_the_arm_error(arm_tls) -> None:
    arm_tls.inject("subscriptions.list", Fault("503"), times=10)
    from loom_tui.azure.errors import ArmError

    with pytest.raises(ArmError) as info:
        await subscriptions_via(StaticCredential(), arm_cloud(arm_tls), retry_total=1)
    assert info.value.status == 503 and info.value.arm_code == "ServiceUnavailable"
    assert str(info.value) == "ServiceUnavailable: The service is unavailable."


async def test_malformed_body_is_a_decode_error(arm_tls) -> None:
    arm_tls.inject("subscriptions.list", Fault("malformed"))
    with pytest.raises(DecodeError):
        await subscriptions_via(StaticCredential(), arm_cloud(arm_tls))


async def test_latency_per_route(arm_tls) -> None:
    arm_tls.delay("subscriptions.list", 0.3)
    t0 = time.monotonic()
    await subscriptions_via(StaticCredential(), arm_cloud(arm_tls))
    assert time.monotonic() - t0 >= 0.3


async def test_no_token_no_answer(arm_tls) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as s:
        async with s.get(arm_tls.url + "/subscriptions?api-version=2022-12-01", ssl=False) as r:
            assert r.status == 401


async def test_other_routes_answer_with_the_official_examples(arm_tls) -> None:
    """Routes whose SDKs later issues bring (cost, budgets, deployments, network, RBAC, Resource
    Graph): raw HTTP checks that the shapes and LRO/paging mechanics are in place."""
    import aiohttp

    from loom_tui.azure.network import ssl_context

    h = {"Authorization": "Bearer t"}
    sub = arm_tls.url + "/subscriptions/00000000-0000-0000-0000-000000000001"
    async with aiohttp.ClientSession(headers=h, connector=aiohttp.TCPConnector(ssl=ssl_context())) as s:
        arm_tls.cost_page_rows = 1  # the SDK never follows nextLink here: POST the same body to it
        url, rows = f"{sub}/providers/Microsoft.CostManagement/query?api-version=2024-08-01", 0
        pages = 0
        while url:
            async with s.post(url, json={"type": "ActualCost"}) as r:
                body = await r.json()
            rows += len(body["properties"]["rows"])
            url = body["properties"]["nextLink"]
            pages += 1
        assert (pages, rows) == (4, 4)
        async with s.post(f"{sub}/providers/Microsoft.Resources/deployments/d1/whatIf?api-version=2025-04-01", json={}) as r:
            assert r.status == 202
            loc = r.headers["Location"]
        async with s.get(loc) as r:
            assert r.status == 202
        async with s.get(loc) as r:
            assert r.status == 200 and (await r.json())["properties"]["changes"]
        async with s.get(f"{sub}/providers/Microsoft.Consumption/budgets?api-version=2024-08-01") as r:
            assert (await r.json())["value"][0]["type"] == "Microsoft.Consumption/budgets"
        async with s.get(f"{sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01") as r:
            assert "roleDefinitionId" in (await r.json())["value"][0]["properties"]
        async with s.post(arm_tls.url + "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01",
                          json={"query": "Resources", "options": {"$top": 3}}) as r:
            assert (await r.json())["$skipToken"]
