"""Deep pages on Cosmos DB: a page reached by scrolling continues by keyset from the page before
(sort key + id), so the documents the client receives do not grow with the page's position."""

from __future__ import annotations

import uuid

import pytest

from loom_tui.store.query import Order, Query
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

pytestmark = pytest.mark.cosmos


@pytest.mark.parametrize("descending", [False, True])
async def test_sequential_windows_continue_by_keyset_and_stay_exact(cosmos_server, descending) -> None:  # noqa: F811
    from loom_tui.store.cosmos import CosmosStore

    store = CosmosStore(cosmos_server.endpoint, cosmos_server.key, database=f"k{uuid.uuid4().hex[:12]}", verify_tls=False)
    await store.init_with_key()
    await store.open()
    try:
        # 7 names for 300 items: ties broken by id (the composite index loom creates with the container)
        docs = [{"id": f"i{n:04d}", "workspaceId": "w", "displayNameLower": f"name {n % 7}", "n": n} for n in range(300)]
        await store.upsert_many("items", docs)
        query = Query((), (Order("displayNameLower", descending), Order("id", descending)))
        want = sorted(docs, key=lambda d: (d["displayNameLower"], d["id"]), reverse=descending)
        got, received = [], []
        for offset in range(0, 300, 50):
            before = store.docs_received
            got += await store.window("items", "w", query, offset, 50)
            received.append(store.docs_received - before)
        assert [d["id"] for d in got] == [d["id"] for d in want]  # no gaps or repeats, ties in id order
        assert received == [50] * 6  # page 6 cost what page 1 cost
        # a write moves rows: remembered page ends are dropped, the window is exact again
        await store.delete("items", "w", want[10]["id"])
        again = await store.window("items", "w", query, 50, 50)
        assert [d["id"] for d in again] == [d["id"] for d in want[51:101]]
    finally:
        await store.drop_database()
        await store.close()
