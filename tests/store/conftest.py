"""The ``store`` fixture: every contract test runs once per adapter (embedded SQLite, Cosmos DB).

The Cosmos DB protocol server is started once per session (tests/support/cosmos_server.py); each
test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import AsyncIterator

import pytest

from loom_tui.store.port import DocumentStore
from loom_tui.store.sqlite import SqliteStore
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

ADAPTERS = [pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.cosmos)]


async def open_store(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> DocumentStore:
    if kind == "sqlite":
        store: DocumentStore = SqliteStore(tmp_path / "store")
    else:
        from loom_tui.store.cosmos import CosmosStore

        server = request.getfixturevalue("cosmos_server")
        store = CosmosStore(server.endpoint, server.key, database=f"t{uuid.uuid4().hex[:12]}", verify_tls=False)
        await store.init_with_key()  # what `loom store init` does with an account key
    await store.open()
    return store


async def close_store(store: DocumentStore) -> None:
    drop = getattr(store, "drop_database", None)
    if drop is not None:
        await drop()
    await store.close()


@pytest.fixture(params=ADAPTERS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    s = await open_store(request.param, request, tmp_path)
    try:
        yield s
    finally:
        await close_store(s)
