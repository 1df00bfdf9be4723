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


async def test_the_workspace_list_walks_its_sort_index_across_owners(tmp_path):
    """The list is ordered across owners' partitions under OR-ed access conditions: the store walks
    the sort field's own index (a page needs only its rows) instead of searching several indexes
    and sorting every match by a value parsed out of each document (10,000 workspaces: ~0.3 s)."""
    from loom_tui.domain.session import Session
    from loom_tui.store.query import Order
    from loom_tui.store.scoped import ScopedStore

    store = SqliteStore(tmp_path)
    await store.open()
    try:
        await store.upsert_many("workspaces", [{"id": f"w{i}", "tenantId": f"o{i % 7}", "tid": "T", "name": f"n{i:03d}"}
                                               for i in range(60)])
        scoped = ScopedStore(store, Session("T", "o1", "o1@x.test", "O", is_tenant_admin=True))
        q = Query((), (Order("name"),)).and_(*await scoped.visibility())
        plan = " ".join(await store.explain("workspaces", None, q))
        assert "ix_c_workspaces_name_x" in plan and "MULTI-INDEX" not in plan, plan
        rows = await scoped.workspaces_window(Query((), (Order("name"),)), 50, 5)
        assert [r["name"] for r in rows] == [f"n{i:03d}" for i in range(50, 55)]
    finally:
        await store.close()
