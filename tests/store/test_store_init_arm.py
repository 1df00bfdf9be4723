"""``loom store init`` through Azure Resource Manager, on the demo Azure (the real SDK transport):
the database and each missing container are PUT as long-running operations, with loom's
partition keys and composite indexes; what exists is left alone; a second run creates nothing."""

from __future__ import annotations

import asyncio

import pytest

from loom_tui.domain.containers import CONTAINERS
from loom_tui.domain.pace import Pace


@pytest.fixture
async def demo(tmp_path):
    from loom_tui.demo_azure.launcher import start_demo_azure

    handle = await asyncio.to_thread(start_demo_azure, tmp_path / "store", action_seconds=0.3)
    try:
        yield handle
    finally:
        await asyncio.to_thread(handle.stop)


@pytest.fixture
async def clients(demo):
    from loom_tui.azure.clients import AzureClients
    from loom_tui.wiring import StaticBearer, demo_cloud

    c = AzureClients(StaticBearer(demo.secret), demo_cloud(demo.arm_endpoint), extra_ca=demo.ca_bundle)
    yield c
    await c.close()


async def test_store_init_creates_the_database_and_every_container_through_arm(demo, clients) -> None:
    from loom_tui.services.store_init import existing_containers, find_account, init_through_arm

    account = await find_account(clients, "https://cosmos-csa-loom-admin.documents.azure.com:443/", list(demo.subscriptions))
    assert account.endswith("/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-csa-loom-admin")
    steps: list[str] = []

    async def step(text: str) -> None:
        steps.append(text)

    result = await init_through_arm(clients, account, "loom", pace=Pace(20), on_step=step)
    assert result.created == ["database", *CONTAINERS]
    assert await existing_containers(clients, f"{account}/sqlDatabases/loom") == set(CONTAINERS)
    body = (await clients.send("GET", f"{account}/sqlDatabases/loom/containers/workspaces", "2025-04-15")).body
    assert body["properties"]["resource"]["partitionKey"]["paths"] == ["/tenantId"]
    items = (await clients.send("GET", f"{account}/sqlDatabases/loom/containers/items", "2025-04-15")).body
    assert items["properties"]["resource"]["indexingPolicy"]["compositeIndexes"]
    again = await init_through_arm(clients, account, "loom", pace=Pace(20))
    assert again.created == [] and sorted(again.existing) == sorted(CONTAINERS)


async def test_only_the_missing_containers_are_created(demo, clients) -> None:
    from loom_tui.services.store_init import container_body, init_through_arm

    account = await _account(clients, demo)
    db = f"{account}/sqlDatabases/loom"
    await clients.send("PUT", db, "2025-04-15", {"properties": {"resource": {"id": "loom"}}})
    for name in ("workspaces", "items"):
        await clients.send("PUT", f"{db}/containers/{name}", "2025-04-15", container_body(name))
    await asyncio.sleep(0.5)
    result = await init_through_arm(clients, account, "loom", pace=Pace(20))
    assert "database" not in result.created and {"workspaces", "items"} <= set(result.existing)
    assert "operations" in result.created and "workspaces" not in result.created


async def test_an_unknown_endpoint_says_how_to_name_the_account(demo, clients) -> None:
    from loom_tui.services.store_init import AccountNotFound, find_account

    with pytest.raises(AccountNotFound, match="--account-id"):
        await find_account(clients, "https://nope.documents.azure.com:443/", list(demo.subscriptions))


async def _account(clients, demo) -> str:
    from loom_tui.services.store_init import find_account

    return await find_account(clients, "https://cosmos-csa-loom-admin.documents.azure.com:443/", list(demo.subscriptions))
