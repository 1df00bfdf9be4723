"""The embedded store counts its aggregates on read connections of their own, several at once (the
parts of the Usage report side by side); they see every write the store has made, and close with it."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from loom_tui.store.query import Query, eq
from loom_tui.store.sqlite import SqliteStore
from loom_tui.store.sqlite_aggregate import READERS


async def test_two_aggregates_run_at_once_and_see_the_writes(tmp_path: Path):
    store = SqliteStore(tmp_path / "s")
    await store.open()
    try:
        both = threading.Barrier(2, timeout=10)

        def meet(conn: sqlite3.Connection) -> int:
            both.wait()  # only returns when the other call is running too (one reader: BrokenBarrierError)
            return conn.execute("SELECT 1").fetchone()[0]

        assert await asyncio.gather(store._read(meet), store._read(meet)) == [1, 1]
        for n in range(3):
            await store.upsert("audit-log", {"id": f"e{n}", "itemId": "i1", "tenantId": "t", "workspaceId": "w", "at": "2026-11-02"})
            assert await store.count_by("audit-log", "itemId", Query((eq("tenantId", "t"),))) == {"i1": n + 1}
        conns = list(store._reader_conns)
        assert 2 <= len(conns) <= READERS
    finally:
        await store.close()
    for conn in conns:
        with pytest.raises(sqlite3.ProgrammingError):  # closed with the store
            conn.execute("SELECT 1")
