"""The same Usage report from both adapters: one data set written to the embedded store and, copied
document for document, to Cosmos DB (the real client, the local protocol server); every number of
the two reports is identical (SQLite counts in SQL, Cosmos DB with its COUNT queries and streams)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from loom_tui.domain.clock import iso
from loom_tui.domain.containers import CONTAINERS
from loom_tui.local.demo import seed_demo
from loom_tui.store.sqlite import SqliteStore
from tests.services.test_usage import OTHER_ADMIN, seed_other_tenant, service
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

pytestmark = pytest.mark.cosmos


def _numbers(report) -> dict:
    out = dataclasses.asdict(report)
    out.pop("computed_at")
    return out


async def test_both_adapters_give_the_same_report(tmp_path, request):
    from loom_tui.store.cosmos import CosmosStore

    now = datetime.now(timezone.utc).replace(microsecond=0)
    lite = SqliteStore(tmp_path / "s")
    await lite.open()
    server = request.getfixturevalue("cosmos_server")
    cosmos = CosmosStore(server.endpoint, server.key, database=f"same{uuid.uuid4().hex[:10]}", verify_tls=False)
    await cosmos.init_with_key()
    await cosmos.open()
    try:
        await seed_demo(lite, workspaces=6, items_per_workspace=9)
        demo_items = [d async for d in lite.iterate_cross_partition("items")]
        await seed_other_tenant(lite, now, reuse_item_ids=[d["id"] for d in demo_items[:4]])
        # the web console's: an item and events with no tenantId, on one of the tenant's workspaces
        ws = demo_items[0]["workspaceId"]
        await lite.upsert("items", {"id": "wc-item", "workspaceId": ws, "itemType": "console-type", "displayName": "wc"})
        await lite.upsert_many("audit-log", [
            {"id": f"wc-{n}", "itemId": "wc-item", "workspaceId": ws, "itemType": "console-type",
             "at": iso(now - timedelta(days=n, hours=1))} for n in range(12)
        ] + [{"id": "wc-stray", "itemId": "stray", "workspaceId": "not-a-workspace-here", "at": iso(now)}])
        for name in CONTAINERS:
            docs = [{k: v for k, v in d.items() if k not in ("_etag", "_ts")} async for d in lite.iterate_cross_partition(name)]
            if docs:
                await cosmos.upsert_many(name, docs)

        for session_kw in ({}, {"session": OTHER_ADMIN}):
            a = await service(lite, now, **session_kw).report()
            b = await service(cosmos, now, **session_kw).report()
            assert _numbers(a) == _numbers(b)
            assert a.cards.audit_events > 0 and a.most_active
        mine = await service(lite, now).report()
        assert "console-type" in {bar.label for bar in mine.items_by_type}  # the unstamped item counts
    finally:
        await cosmos.drop_database()
        await cosmos.close()
        await lite.close()
