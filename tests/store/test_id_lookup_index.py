"""A document found by id alone, in any partition (which partition holds this workspace id?),
is an index lookup on the embedded store, not a scan that parses every document: opening a
workspace counts the holders of its id, and with 10,000 workspaces the scan cost ~30 ms per open
(the cause of bench/workspaces_scale.py's slower items_first_rows_s)."""

from __future__ import annotations

import sqlite3

from loom_tui.domain.containers import CONTAINERS
from loom_tui.store.query import Query, eq
from loom_tui.store.sqlite import SqliteStore, _where, table_of


async def test_counting_an_id_across_partitions_uses_an_index(tmp_path):
    store = SqliteStore(tmp_path)
    await store.open()
    try:
        await store.create("workspaces", {"id": "w1", "tenantId": "t1", "name": "a"})
        await store.create("workspaces", {"id": "w1", "tenantId": "t2", "name": "b"})
        await store.create("workspaces", {"id": "w2", "tenantId": "t1", "name": "c"})
        assert await store.count_cross_partition("workspaces", Query((eq("id", "w1"),))) == 2
    finally:
        await store.close()
    conn = sqlite3.connect(tmp_path / "loom.db")
    try:
        for c in CONTAINERS.values():
            t = table_of(c.name)
            params: list = []
            where = _where(Query((eq("id", "w1"),)).where, params)  # the store's own SQL for it
            plan = " ".join(str(r[-1]) for r in conn.execute(f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM {t} WHERE {where}", params))
            assert "USING" in plan and "INDEX" in plan, (c.name, plan)
    finally:
        conn.close()
