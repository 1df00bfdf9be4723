"""Every Cosmos DB request leaves one log line: method, path, status, duration, request id."""

from __future__ import annotations

import logging
import uuid

import pytest

from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

pytestmark = pytest.mark.cosmos


async def test_cosmos_calls_are_logged_without_keys(cosmos_server, caplog):  # noqa: F811
    from loom_tui.store.cosmos import CosmosStore

    store = CosmosStore(cosmos_server.endpoint, cosmos_server.key, database=f"l{uuid.uuid4().hex[:12]}", verify_tls=False)
    await store.init_with_key()
    with caplog.at_level(logging.DEBUG):
        await store.open()
        await store.upsert("workspaces", {"id": "w1", "tenantId": "t", "name": "x"})
        await store.get("workspaces", "t", "w1")
        await store.drop_database()
        await store.close()
    lines = [r.getMessage() for r in caplog.records if " -> " in r.getMessage()]
    assert any(line.startswith("POST ") and "/docs" in line and "-> 20" in line for line in lines), lines
    assert any(line.startswith("GET ") and "/docs/w1" in line for line in lines), lines
    assert all(cosmos_server.key not in line and "?" not in line for line in lines)
