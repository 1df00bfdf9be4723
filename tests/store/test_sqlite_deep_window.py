"""A window deep in an ordered list is read from its far end in the exact reverse order (the end
of 10,000 workspaces skips 50 rows instead of 9,950): every window, forward or from the end, is
the same slice of the one order — ties broken by id, missing values and descending keys
included."""

from __future__ import annotations

import random

import pytest

from loom_tui.store import sqlite as sqlite_store
from loom_tui.store.query import Order, Query, eq
from loom_tui.store.sqlite import SqliteStore


@pytest.mark.parametrize("orders", [(Order("name"),), (Order("name", descending=True),),
                                    (Order("state"), Order("name", descending=True))])
async def test_every_window_is_a_slice_of_the_one_order(tmp_path, monkeypatch, orders):
    monkeypatch.setattr(sqlite_store, "DEEP_OFFSET", 5)  # the far-end read from a small list on
    rng = random.Random(7)
    docs = []
    for i in range(120):
        doc = {"id": f"w{i:03d}", "tenantId": "t1" if i % 3 else "t2", "tid": "T"}
        if i % 11:  # some have no name, some share one (ties broken by id)
            doc["name"] = rng.choice(["alpha", "beta", "gamma", "Beta", "", f"n{i % 17}"])
        doc["state"] = rng.choice(["Active", "Paused"])
        docs.append(doc)
    store = SqliteStore(tmp_path)
    await store.open()
    try:
        await store.upsert_many("workspaces", docs)
        query = Query((eq("tid", "T"),), orders)
        whole = [d["id"] for d in await store.window_cross_partition("workspaces", query, 0, 1000)]
        assert len(whole) == 120
        monkeypatch.setattr(sqlite_store, "DEEP_OFFSET", 10**9)  # forward only: the reference
        forward = [d["id"] for d in await store.window_cross_partition("workspaces", query, 0, 1000)]
        assert whole == forward
        monkeypatch.setattr(sqlite_store, "DEEP_OFFSET", 5)
        for offset in (0, 5, 59, 60, 61, 70, 100, 115, 119, 120, 130):
            for limit in (1, 7, 50):
                got = [d["id"] for d in await store.window_cross_partition("workspaces", query, offset, limit)]
                assert got == forward[offset:offset + limit], (offset, limit)
    finally:
        await store.close()
