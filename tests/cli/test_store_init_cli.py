"""``loom store init`` from the command line: a Cosmos profile whose database lacks containers is
refused on a writable open with the exact command; ``loom store init`` (account key: the data
plane) creates them; a second run creates nothing; then the open works."""

from __future__ import annotations

import json
import os
import uuid

import pytest

from loom_tui.domain.containers import CONTAINERS
from tests.support.cli import loom
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

pytestmark = pytest.mark.cosmos


def _config(server, database: str) -> None:
    path = os.environ["LOOM_CONFIG"]
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'default_profile = "emu"\n[profiles.emu]\nstore = "cosmos"\ncosmos_endpoint = "{server.endpoint}"\n'
                f'cosmos_database = "{database}"\ncosmos_key = "{server.key}"\ncosmos_emulator = true\n'
                'tenant_id = "11111111-1111-1111-1111-111111111111"\n')


def _drop(server, name: str) -> None:
    import asyncio

    from azure.cosmos.aio import CosmosClient

    async def drop() -> None:
        async with CosmosClient(server.endpoint, server.key, connection_verify=False) as client:
            await client.delete_database(name)

    asyncio.run(drop())


def test_store_init_then_open(cosmos_server) -> None:  # noqa: F811
    name = f"cli{uuid.uuid4().hex[:10]}"
    _config(cosmos_server, name)
    refused = loom("repair", "--quick")
    assert refused.returncode != 0
    assert "loom store init --profile emu" in refused.stderr and "missing the database" in refused.stderr
    try:
        made = loom("store", "init", "-o", "json")
        assert made.returncode == 0, made.stderr
        report = json.loads(made.stdout)
        assert report["via"] == "data plane (account key)"
        assert report["created"] == ["database", *sorted(CONTAINERS)]
        again = loom("store", "init")
        assert again.returncode == 0 and "nothing to create" in again.stdout
        opened = loom("repair", "--quick")
        assert "loom store init" not in opened.stderr, opened.stderr
    finally:
        _drop(cosmos_server, name)
