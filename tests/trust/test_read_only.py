"""Read-only means nothing is written: not the demo store, not a Cosmos database or container."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from loom_tui.config import Profile
from loom_tui.domain.containers import CONTAINERS
from loom_tui.wiring import open_context
from loom_tui.store.errors import ReadOnlyStore, StoreUnavailable
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)


def _loom(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "loom"), *args], capture_output=True, text=True, env=os.environ.copy(), timeout=60)


@pytest.mark.fresh_data
def test_local_read_only_on_a_new_machine_creates_nothing(tmp_path: Path) -> None:
    data = Path(os.environ["LOOM_DATA_DIR"])
    out = _loom("--read-only", "workspaces", "list")
    assert out.returncode != 0
    assert "nothing to show" in out.stderr and "run without --read-only once" in out.stderr
    assert "Traceback" not in out.stderr
    assert not data.exists() or not any(data.iterdir()), list(data.iterdir())


async def test_local_read_only_reads_an_existing_store_and_refuses_store_writes(tmp_path: Path) -> None:
    ctx = await open_context(Profile())  # creates and seeds
    n = await ctx.store.count_cross_partition("workspaces")
    await ctx.close()
    ro = await open_context(Profile(), read_only=True)
    try:
        assert await ro.store.count_cross_partition("workspaces") == n > 0
        with pytest.raises(ReadOnlyStore):
            await ro.store.upsert("workspaces", {"id": "x", "tenantId": ro.session.tenant_id})
    finally:
        await ro.close()


def _cosmos_profile(server, database: str, read_only: bool) -> Profile:
    return Profile(name="ro", store="cosmos", cosmos_endpoint=server.endpoint, cosmos_key=server.key,
                   cosmos_database=database, cosmos_verify_tls=False, read_only=read_only,
                   tenant_id="11111111-1111-1111-1111-111111111111")


async def _databases(server) -> set[str]:
    from azure.cosmos.aio import CosmosClient

    async with CosmosClient(server.endpoint, server.key, connection_verify=False) as client:
        return {d["id"] async for d in client.list_databases()}


@pytest.mark.cosmos
async def test_cosmos_read_only_never_creates_the_database(cosmos_server) -> None:  # noqa: F811
    from loom_tui.store.factory import make_store

    name = f"ro{uuid.uuid4().hex[:10]}"
    store = make_store(_cosmos_profile(cosmos_server, name, True), read_only=True)
    with pytest.raises(StoreUnavailable, match="does not exist; read-only mode creates nothing"):
        await store.open()
    await store.close()
    assert name not in await _databases(cosmos_server)


@pytest.mark.cosmos
async def test_cosmos_read_only_reads_what_exists_and_names_what_is_missing(cosmos_server) -> None:  # noqa: F811
    from azure.cosmos import PartitionKey
    from azure.cosmos.aio import CosmosClient

    from loom_tui.store.factory import make_store

    name = f"ro{uuid.uuid4().hex[:10]}"
    async with CosmosClient(cosmos_server.endpoint, cosmos_server.key, connection_verify=False) as client:
        db = await client.create_database(name)
        ws = await db.create_container("workspaces", PartitionKey(path=CONTAINERS["workspaces"].partition_path))
        await ws.upsert_item({"id": "w1", "tenantId": "t1", "name": "existing"})
        try:
            store = make_store(_cosmos_profile(cosmos_server, name, True), read_only=True)
            await store.open()
            try:
                assert "items" in store.missing and "workspaces" not in store.missing
                assert (await store.get("workspaces", "t1", "w1"))["name"] == "existing"
                assert await store.count("items", "w1") == 0
                assert (await store.query("items", "w1")).items == []
                with pytest.raises(ReadOnlyStore):
                    await store.upsert("workspaces", {"id": "w2", "tenantId": "t1"})
            finally:
                await store.close()
            names = {c["id"] async for c in db.list_containers()}
            assert names == {"workspaces"}  # nothing was created
        finally:
            await client.delete_database(name)
