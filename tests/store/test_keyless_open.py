"""A Cosmos DB account with local auth disabled (the platform deploys it so): Entra data-plane roles
cannot create a database or a container.  A writable open creates nothing through the data plane;
it names each missing container and the command that creates it; reading works without them.

The protocol server sits behind a proxy that refuses creation as Entra RBAC does (403, substatus
5301), so a test fails if loom tries."""

from __future__ import annotations

import uuid

import pytest

from loom_tui.config import Profile
from loom_tui.domain.containers import CONTAINERS, LOOM_OWN
from loom_tui.store.cosmos import CosmosStore
from loom_tui.store.errors import ContainersMissing, StoreUnavailable
from tests.support.cosmos_server import cosmos_server, provision  # noqa: F401  (session fixture)

from .throttle_proxy import ThrottleProxy

pytestmark = pytest.mark.cosmos


@pytest.fixture
async def rbac(cosmos_server):
    p = ThrottleProxy(cosmos_server.port)
    p.entra_rbac = True
    await p.start()
    yield p
    await p.stop()


async def _console_only(cosmos_server) -> str:
    """A database holding the web console's containers, none of loom's own."""
    from azure.cosmos import PartitionKey
    from azure.cosmos.aio import CosmosClient

    name = f"k{uuid.uuid4().hex[:12]}"
    async with CosmosClient(cosmos_server.endpoint, cosmos_server.key, connection_verify=False) as client:
        db = await client.create_database(name)
        for c in CONTAINERS.values():
            if c.name not in LOOM_OWN:
                await db.create_container(c.name, PartitionKey(path=c.partition_path))
        await db.get_container_client("workspaces").upsert_item({"id": "w1", "tenantId": "oid-1", "name": "Sales"})
    return name


def _store(rbac, cosmos_server, database: str, **kw) -> CosmosStore:
    profile = Profile(name="prod", store="cosmos", cosmos_endpoint=rbac.endpoint, cosmos_key=cosmos_server.key,
                      cosmos_database=database, cosmos_verify_tls=False, **kw)
    return CosmosStore.from_profile(profile)


async def _drop(cosmos_server, name: str) -> None:
    from azure.cosmos.aio import CosmosClient

    async with CosmosClient(cosmos_server.endpoint, cosmos_server.key, connection_verify=False) as client:
        await client.delete_database(name)


async def test_a_writable_open_creates_nothing_and_names_each_missing_container(rbac, cosmos_server) -> None:
    name = await _console_only(cosmos_server)
    try:
        store = _store(rbac, cosmos_server, name)
        with pytest.raises(ContainersMissing) as err:
            await store.open()
        await store.close()
        assert rbac.creations() == []  # not even tried
        assert sorted(err.value.missing) == sorted(LOOM_OWN)
        text = str(err.value)
        for c in LOOM_OWN:
            assert c in text
        assert "`loom store init --profile prod`" in text and "DocumentDB Account Contributor" in text
        assert "--read-only" in text
    finally:
        await _drop(cosmos_server, name)


async def test_reading_works_without_loom_s_containers(rbac, cosmos_server) -> None:
    name = await _console_only(cosmos_server)
    try:
        store = _store(rbac, cosmos_server, name)
        store.read_only = True
        await store.open()
        try:
            assert sorted(store.missing) == sorted(LOOM_OWN)
            assert (await store.get("workspaces", "oid-1", "w1"))["name"] == "Sales"
            assert (await store.query("operations", "t")).items == []
        finally:
            await store.close()
        assert rbac.creations() == []
    finally:
        await _drop(cosmos_server, name)


async def test_a_missing_database_is_named_with_the_command(rbac, cosmos_server) -> None:
    store = _store(rbac, cosmos_server, f"k{uuid.uuid4().hex[:12]}")
    with pytest.raises(ContainersMissing, match="missing the database and every container") as err:
        await store.open()
    await store.close()
    assert err.value.database_missing and rbac.creations() == []


async def test_the_key_path_of_store_init_is_refused_under_entra_rbac_with_a_clear_error(rbac, cosmos_server) -> None:
    name = await _console_only(cosmos_server)
    try:
        store = _store(rbac, cosmos_server, name)
        with pytest.raises(StoreUnavailable, match="403"):
            await store.init_with_key()
        assert rbac.creations()  # it tried (a key path), and Cosmos refused
    finally:
        await _drop(cosmos_server, name)


async def test_once_the_containers_exist_a_writable_open_works_and_creates_nothing(rbac, cosmos_server) -> None:
    name = await _console_only(cosmos_server)
    try:
        provision(cosmos_server.endpoint, name)  # as `loom store init` would have, through ARM
        store = _store(rbac, cosmos_server, name)
        await store.open()
        try:
            await store.upsert("operations", {"id": "op1", "tenantId": "t", "state": "running"})
            assert (await store.get("operations", "t", "op1"))["state"] == "running"
        finally:
            await store.close()
        assert rbac.creations() == []
    finally:
        await _drop(cosmos_server, name)
