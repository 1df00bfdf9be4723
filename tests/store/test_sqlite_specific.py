"""What only the embedded SQLite store must guarantee: several OS processes, and index use."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from loom_tui.store.query import ALL, AnyOf, Filter, Op, Order, Query, eq
from loom_tui.store.sqlite import SqliteStore

REPO = Path(__file__).resolve().parents[2]

# One writer process: N upserts of its own documents interleaved with ETag-conditional
# increments of one shared counter, retried on PreconditionFailed (optimistic concurrency).
WORKER = textwrap.dedent(
    """
    import asyncio, os, sys, time
    from loom_tui.store.errors import PreconditionFailed
    from loom_tui.store.sqlite import SqliteStore

    path, name, n, increments, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]

    async def main():
        store = SqliteStore(path)
        await store.open()
        while not os.path.exists(go):  # both processes start writing at the same moment
            time.sleep(0.005)
        retries = 0
        for i in range(n):
            await store.upsert("items", {"id": f"{name}-{i}", "workspaceId": "ws", "i": i})
            if i % (n // increments) == 0:
                while True:
                    doc = await store.get("items", "ws", "counter")
                    await asyncio.sleep(0.002)  # think time: widens the read-modify-write window
                    try:
                        await store.replace("items", {**doc, "value": doc["value"] + 1}, if_match=doc["_etag"])
                        break
                    except PreconditionFailed:
                        retries += 1
        await store.close()
        print(f"retries {retries}")

    asyncio.run(main())
    """
)


async def test_two_processes_write_one_file_without_locks_or_lost_updates(tmp_path):
    db = tmp_path / "shared"
    store = SqliteStore(db)
    await store.open()
    await store.create("items", {"id": "counter", "workspaceId": "ws", "value": 0})
    n, increments = 500, 100
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), name, str(n), str(increments), str(go)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("p1", "p2")
    ]
    time.sleep(0.5)  # let both open the store before the start signal
    go.touch()
    results = [p.communicate(timeout=240) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err
        assert "database is locked" not in err
        assert out.startswith("retries ")
    assert await store.count("items", "ws") == 2 * n + 1
    counter = await store.get("items", "ws", "counter")
    assert counter["value"] == 2 * increments  # every increment landed exactly once
    retries = sum(int(out.split()[1]) for out, _ in results)
    assert retries > 0, "the two writers never collided: the test did not exercise the ETag check"
    await store.close()


def _uses_index(plan: list[str], table: str) -> bool:
    searches = [line for line in plan if table in line]
    return bool(searches) and all(
        ("USING INDEX" in line or "USING PRIMARY KEY" in line or "USING COVERING INDEX" in line) and not line.startswith(f"SCAN {table}")
        for line in searches
    )


@pytest.mark.parametrize(
    "container, query",
    [
        ("workspaces", ALL.ordered(Order("lastAccessedAt", True))),
        ("workspaces", ALL.ordered(Order("nameLower"))),
        ("workspaces", Query((Filter("nameLower", Op.STARTSWITH, "sa"),), (Order("nameLower"),))),
        ("workspaces", Query((AnyOf((eq("ownerOid", "u1"), Filter("memberUpns", Op.HAS, "a@b.c"))),), (Order("lastAccessedAt", True),))),
        ("items", ALL.ordered(Order("displayNameLower"))),
        ("items", Query((Filter("displayNameLower", Op.CONTAINS, "sales"),), (Order("displayNameLower"),))),
        ("items", Query((eq("folderId", "f1"),), (Order("displayNameLower"),))),
    ],
    ids=["ws-lastAccessed", "ws-name", "ws-name-prefix", "ws-visible", "items-name", "items-search", "items-folder"],
)
async def test_partition_queries_use_indexes(tmp_path, container, query):
    store = SqliteStore(tmp_path)
    await store.open()
    try:
        plan = await store.explain(container, "t1", query)
    finally:
        await store.close()
    table = "c_" + container
    assert _uses_index(plan, table), plan
    assert not any(line.startswith(f"SCAN {table}") for line in plan), plan


async def test_database_files_are_private_to_the_user(tmp_path):
    import os
    import stat

    from loom_tui.store.sqlite import SqliteStore

    folder = tmp_path / "private"
    async with SqliteStore(folder) as s:
        await s.upsert("workspaces", {"id": "w", "tenantId": "t", "name": "x"})
        modes = {p.name: stat.S_IMODE(os.stat(p).st_mode) for p in folder.iterdir()}
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert modes and all(m & 0o077 == 0 for m in modes.values()), modes
