"""Document-store operations per second, embedded SQLite and Cosmos DB (local protocol server).

``run()`` returns ``{"<adapter>.<operation>_per_s": value}`` for create, get, query (one page of
100) and replace-with-ETag, measured one awaited call after another (the latency a screen feels),
plus ``cosmos.<operation>_ru`` (mean request charge per call as the server reported it).
``bench/run.py`` calls it; ``python bench/store_ops.py`` prints the numbers.

The Cosmos DB numbers need node and ``tests/support/cosmos/node_modules`` (``npm ci`` there, or
``bash scripts/test.sh``); without them only the SQLite numbers are returned and the reason is
printed on stderr.  The local server is an in-memory JavaScript imitation on loopback: its numbers
say how much the adapter and the SDK cost, not how fast a real Cosmos DB account is.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Awaitable, Callable

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from loom_tui.store.port import DocumentStore  # noqa: E402
from loom_tui.store.query import ALL, Order  # noqa: E402

N_DOCS = 400  # creates, gets and replaces per adapter
N_PAGES = 40  # pages of 100 read
CONTAINER = "items"
PK = "bench-ws"


def _doc(i: int) -> dict:
    return {
        "id": f"item-{i:05d}",
        "workspaceId": PK,
        "displayName": f"Item {i}",
        "displayNameLower": f"item {i:05d}",
        "itemType": ("Lakehouse", "Notebook", "Warehouse")[i % 3],
        "createdAt": f"2024-01-{1 + i % 28:02d}T00:00:00Z",
        "tags": ["bench", f"t{i % 7}"],
    }


async def _timed(n: int, op: Callable[[int], Awaitable[object]]) -> float:
    start = time.perf_counter()
    for i in range(n):
        await op(i)
    return n / (time.perf_counter() - start)


async def measure(store: DocumentStore, prefix: str) -> dict[str, float]:
    out: dict[str, float] = {}
    ru: dict[str, float] = {}

    async def phase(name: str, n: int, op: Callable[[int], Awaitable[object]]) -> None:
        mark = store.charges.mark()
        out[f"{prefix}.{name}_per_s"] = await _timed(n, op)
        spent, calls = store.charges.since(mark)
        ru[f"{prefix}.{name}_ru"] = spent / max(calls, 1)

    await phase("create", N_DOCS, lambda i: store.create(CONTAINER, _doc(i)))
    await phase("get", N_DOCS, lambda i: store.get(CONTAINER, PK, f"item-{i:05d}"))
    query = ALL.ordered(Order("displayName"))  # an indexed field (the web console's own name field)
    tokens: list[str | None] = [None]

    async def page(_: int) -> None:
        p = await store.query(CONTAINER, PK, query, max_items=100, continuation=tokens[-1])
        tokens.append(p.continuation)  # walk the pages, starting over at the end
        if not p.continuation:
            tokens.append(None)

    await phase("query_page100", N_PAGES, page)
    etags: dict[int, str] = {}
    for i in range(N_DOCS):
        doc = await store.get(CONTAINER, PK, f"item-{i:05d}")
        etags[i] = doc["_etag"]

    async def replace(i: int) -> None:
        await store.replace(CONTAINER, {**_doc(i), "displayName": f"Item {i} (renamed)"}, if_match=etags[i])

    await phase("replace_etag", N_DOCS, replace)
    if prefix == "cosmos":
        out.update(ru)
    return out


async def _sqlite() -> dict[str, float]:
    from loom_tui.store.sqlite import SqliteStore

    with tempfile.TemporaryDirectory(prefix="loom-bench-") as tmp:
        store = SqliteStore(Path(tmp))
        await store.open()
        try:
            return await measure(store, "sqlite")
        finally:
            await store.close()


async def _cosmos(endpoint: str, key: str) -> dict[str, float]:
    from loom_tui.store.cosmos import CosmosStore

    store = CosmosStore(endpoint, key, database=f"bench{uuid.uuid4().hex[:8]}", verify_tls=False)
    await store.init_with_key()
    await store.open()
    try:
        return await measure(store, "cosmos")
    finally:
        await store.drop_database()
        await store.close()


def run() -> dict[str, float]:
    results = asyncio.run(_sqlite())
    try:
        from tests.support import cosmos_server

        server = cosmos_server.start()
    except Exception as exc:  # node/npm package missing: say so, return what was measured
        print(f"store_ops: Cosmos DB numbers skipped: {exc}", file=sys.stderr)
        return results
    try:
        results.update(asyncio.run(_cosmos(server.endpoint, server.key)))
    finally:
        cosmos_server.stop(server)
    return results


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name:32s} {value:12.1f}")
