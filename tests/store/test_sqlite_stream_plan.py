"""Streaming a container across partitions with a range filter walks the primary key once (the
Usage window over a million audit events was quadratic when SQLite picked the range's index and
sorted every match for each page); an equality filter keeps its own index."""

from __future__ import annotations

from pathlib import Path

from loom_tui.store.query import Filter, Op, Query
from loom_tui.store.sqlite import SqliteStore


async def test_range_streams_walk_the_primary_key_and_equality_keeps_its_index(tmp_path: Path):
    store = SqliteStore(tmp_path / "s")
    await store.open()
    try:
        docs = [{"id": f"e{i:04d}", "itemId": f"i{i % 37}", "tenantId": "t", "workspaceId": f"w{i % 5}",
                 "at": f"2026-11-{1 + i % 28:02d}T00:00:00Z"} for i in range(600)]
        await store.upsert_many("audit-log", docs)
        seen: list[str] = []
        orig = store._run

        async def spy(fn):
            import sqlite3

            class Conn:
                def __init__(self, conn: sqlite3.Connection) -> None:
                    self.conn = conn

                def execute(self, sql, params=()):
                    seen.append(" ".join(r[3] for r in self.conn.execute("EXPLAIN QUERY PLAN " + sql, params)))
                    return self.conn.execute(sql, params)

            return await orig(lambda conn: fn(Conn(conn)))

        store._run = spy  # type: ignore[method-assign]
        window = Query((Filter("at", Op.GE, "2026-11-10"), Filter("at", Op.LT, "2026-11-20")))
        got = [d async for d in store.iterate_cross_partition("audit-log", window, page_size=50)]
        assert sorted(d["id"] for d in got) == sorted(d["id"] for d in docs if "2026-11-10" <= d["at"] < "2026-11-20")
        assert seen and all("sqlite_autoindex_c_audit_log_1" in plan and "TEMP B-TREE" not in plan for plan in seen)
        seen.clear()
        one = [d async for d in store.iterate_cross_partition("audit-log", Query((Filter("workspaceId", Op.EQ, "w3"),)))]
        assert len(one) == 120 and seen and all("workspaceId" in plan for plan in seen)
        store._run = orig  # type: ignore[method-assign]
    finally:
        await store.close()
