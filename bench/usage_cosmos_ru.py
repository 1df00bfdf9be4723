"""Request units per Usage report on the Cosmos DB adapter: the real ``azure-cosmos`` async client
against the local protocol server (``@vercel/cosmosdb-server``, which charges 1 RU per request:
the figures are requests, what a real account charges per request is named in the README).

Seeds ``WORKSPACES`` generated workspaces (2 items each) and ``EVENTS`` audit events over 60 days,
then measures ``UsageService.report()`` (``usage_cosmos_ru``, ``usage_cosmos_calls``) and, in the
same run, what the report used to read: every item and every event of the window streamed
(``usage_cosmos_stream_ru``: ``admin_reached`` over both, pages of 5,000, as before).
``LOOM_BENCH_USAGE_RU_EVENTS`` / ``LOOM_BENCH_USAGE_RU_WORKSPACES`` change the size.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

EVENTS = int(os.environ.get("LOOM_BENCH_USAGE_RU_EVENTS", "6000"))
WORKSPACES = int(os.environ.get("LOOM_BENCH_USAGE_RU_WORKSPACES", "200"))


async def measure(server) -> dict[str, float]:
    from loom_tui.config import Profile
    from loom_tui.domain.clock import iso
    from loom_tui.local.demo import DEMO_SESSION, DEMO_TENANT, seed_scale
    from loom_tui.wiring import context as make_context
    from loom_tui.services.usage import _in_window, window
    from loom_tui.store.cosmos import CosmosStore

    store = CosmosStore(server.endpoint, server.key, database=f"ru{uuid.uuid4().hex[:10]}", verify_tls=False)
    await store.init_with_key()
    await store.open()
    try:
        t0 = time.perf_counter()
        await seed_scale(store, workspaces=WORKSPACES, items_per_workspace=2, audit_days=0, seed=7)
        items = [d async for d in store.iterate_cross_partition("items", page_size=1000)]
        rng, now = random.Random(5), datetime.now(timezone.utc)
        events = []
        for n in range(EVENTS):
            it = items[rng.randrange(len(items))]
            events.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "itemId": it["id"], "itemType": it["itemType"],
                           "workspaceId": it["workspaceId"], "tenantId": DEMO_TENANT, "action": "item.update",
                           "at": iso(now - timedelta(seconds=rng.randrange(60 * 86400)))})
        await store.upsert_many("audit-log", events)
        seeded = time.perf_counter() - t0
        ctx = make_context(profile=Profile(), store=store, session=DEMO_SESSION)
        service = ctx.usage
        mark = store.charges.mark()
        t = time.perf_counter()
        report = await service.report()
        took = time.perf_counter() - t
        ru, calls = store.charges.since(mark)
        since, until = window(now)
        mark = store.charges.mark()
        streamed = [d async for d in ctx.scoped.admin_reached("items", page_size=5000)]
        streamed += [d async for d in ctx.scoped.admin_reached("audit-log", _in_window(since, until), page_size=5000)]
        old_ru, old_calls = store.charges.since(mark)
        return {"usage_cosmos_ru": ru, "usage_cosmos_calls": calls, "usage_cosmos_s": took,
                "usage_cosmos_stream_ru": old_ru, "usage_cosmos_stream_calls": old_calls,
                "usage_cosmos_stream_docs": len(streamed), "usage_cosmos_events_30d": report.cards.audit_events,
                "usage_cosmos_items": report.cards.items, "usage_cosmos_seed_s": seeded}
    finally:
        await store.drop_database()
        await store.close()


def run() -> dict[str, float]:
    from tests.support.cosmos_server import running

    with running() as server:
        return {k: float(v) for k, v in asyncio.run(measure(server)).items()}


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k}: {v:.4f}")
