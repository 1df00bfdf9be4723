"""Usage metrics: every number equals a direct computation over the store (the oracle reads the raw
store, not the service), only the session's tenant is counted, non-admins get Forbidden.

Runs on the embedded store and on the real ``azure-cosmos`` client against the local Cosmos DB
protocol server (no GROUP BY there either, which is why the service groups in Python).
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import AsyncIterator

import pytest

from loom_tui.config import Profile
from loom_tui.domain.clock import iso, parse_iso
from loom_tui.domain.session import Session
from loom_tui.local.demo import DEMO_SESSION, DEMO_TENANT, seed_demo
from loom_tui.services.context import AppContext
from loom_tui.wiring import context as make_context
from loom_tui.errors import Forbidden
from loom_tui.services.usage import TOP_ITEMS, TOP_WORKSPACES, WINDOW_DAYS, UsageService, window
from loom_tui.store.port import DocumentStore
from loom_tui.store.sqlite import SqliteStore
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

OTHER_TENANT = "0ther000-0000-4000-8000-0000000000b2"
OTHER_ADMIN = Session(tenant_id=OTHER_TENANT, user_oid="bb000001-0000-4000-8000-000000000001", upn="root@other.example",
                      display_name="Other Admin", is_tenant_admin=True, source="test")
NON_ADMIN = Session(tenant_id=DEMO_TENANT, user_oid="aa000001-0000-4000-8000-000000000003", upn="lee.engineer@contoso-demo.example",
                    display_name="Lee Engineer", is_tenant_admin=False, source="test")


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    if request.param == "sqlite":
        s: DocumentStore = SqliteStore(tmp_path / "store")
    else:
        from loom_tui.store.cosmos import CosmosStore

        server = request.getfixturevalue("cosmos_server")
        s = CosmosStore(server.endpoint, server.key, database=f"u{uuid.uuid4().hex[:12]}", verify_tls=False)
        await s.init_with_key()
    await s.open()
    try:
        yield s
    finally:
        drop = getattr(s, "drop_database", None)
        if drop is not None:
            await drop()
        await s.close()


def ctx_for(store: DocumentStore, session: Session = DEMO_SESSION) -> AppContext:
    return make_context(profile=Profile(), store=store, session=session)


def service(store: DocumentStore, now: datetime, session: Session = DEMO_SESSION) -> UsageService:
    return UsageService(ctx_for(store, session).scoped, lambda: now)


async def seed_other_tenant(store: DocumentStore, now: datetime, *, reuse_item_ids: list[str]) -> int:
    """Another tenant in the same store: a workspace, items and recent audit events.  Some events
    reuse item ids of the demo tenant (same partition!) so a filter on partition alone would count them."""
    ws_id = "other-ws-1"
    await store.upsert("workspaces", {"id": ws_id, "tenantId": OTHER_TENANT, "name": "Other tenant space", "nameLower": "other tenant space",
                                      "itemCount": 500, "state": "Active", "ownerOid": OTHER_ADMIN.user_oid})
    await store.upsert_many("items", [{"id": f"other-item-{i}", "workspaceId": ws_id, "tenantId": OTHER_TENANT,
                                       "itemType": "other-only-type", "displayName": f"o{i}"} for i in range(7)])
    events = []
    for i in range(25):
        item = reuse_item_ids[i % len(reuse_item_ids)] if i % 2 else f"other-item-{i % 7}"
        events.append({"id": f"other-ev-{i}", "itemId": item, "itemType": "other-only-type", "workspaceId": ws_id,
                       "tenantId": OTHER_TENANT, "action": "item.update", "at": iso(now - timedelta(hours=i))})
    await store.upsert_many("audit-log", events)
    return len(events)


async def raw(store: DocumentStore, container: str) -> list[dict]:
    return [d async for d in store.iterate_cross_partition(container)]


async def oracle(store: DocumentStore, tenant: str, now: datetime) -> dict:
    """The expected numbers, computed straight from every document in the store."""
    since, until = window(now)
    # the tenant's: its tid (filed under the owner, as the console does), or loom's older filing under the tenant
    wss = [d for d in await raw(store, "workspaces") if tenant in (d.get("tid"), d.get("tenantId")) and d.get("state") != "Deleting"]
    items = [d for d in await raw(store, "items") if d.get("tenantId") == tenant]
    events = [e for e in await raw(store, "audit-log")
              if e.get("tenantId") == tenant and since <= parse_iso(e["at"]) < until]
    per_item = Counter(e["itemId"] for e in events if e.get("workspaceId"))
    return {
        "workspaces": len(wss),
        "items": len(items),
        "types": Counter(d["itemType"] for d in items),
        "ws_counts": sorted((d["itemCount"] for d in wss), reverse=True)[:TOP_WORKSPACES],
        "ws_by_id": {d["id"]: (d["name"], d["itemCount"]) for d in wss},
        "events": len(events),
        "per_day": Counter(parse_iso(e["at"]).date() for e in events),
        "per_item": per_item,
        "items_by_id": {d["id"]: d for d in items},
    }


async def test_numbers_equal_a_direct_computation_over_the_store(store):
    now = datetime.now(timezone.utc)
    await seed_demo(store, workspaces=8, items_per_workspace=12)
    demo_items = [d["id"] for d in await raw(store, "items")][:5]
    other = await seed_other_tenant(store, now, reuse_item_ids=demo_items)
    want = await oracle(store, DEMO_TENANT, now)

    r = await service(store, now).report()

    assert r.cards.workspaces == want["workspaces"] == 8
    assert r.cards.items == want["items"] == r.scanned_items
    assert r.cards.item_types == len(want["types"])
    assert {b.label: b.count for b in r.items_by_type} == dict(want["types"])
    assert [b.count for b in r.items_by_type] == sorted(want["types"].values(), reverse=True)
    # items by workspace: counted from the items, largest first (seed_demo's itemCount agrees)
    assert [b.count for b in r.items_by_workspace] == want["ws_counts"]
    assert all(want["ws_by_id"][b.key] == (b.label, b.count) for b in r.items_by_workspace)
    # the audit window: only this tenant's events
    all_recent = want["events"] + other
    assert r.cards.audit_events == want["events"] > 0
    assert r.cards.audit_events != all_recent
    assert len(r.activity) == WINDOW_DAYS
    assert r.activity[-1].day == now.date() and r.activity[0].day == (now - timedelta(days=WINDOW_DAYS - 1)).date()
    assert {d.day: d.count for d in r.activity if d.count} == dict(want["per_day"])
    assert sum(d.count for d in r.activity) == r.cards.audit_events
    # most active items: the top counts, each with its real name, type and workspace
    assert [a.events for a in r.most_active] == sorted(want["per_item"].values(), reverse=True)[:TOP_ITEMS]
    for a in r.most_active:
        assert want["per_item"][a.item_id] == a.events
        doc = want["items_by_id"][a.item_id]
        assert (a.name, a.item_type, a.workspace_id) == (doc["displayName"], doc["itemType"], doc["workspaceId"])
        assert a.workspace == want["ws_by_id"][a.workspace_id][0]


async def test_each_tenant_sees_only_its_own_numbers(store):
    now = datetime.now(timezone.utc)
    await seed_demo(store, workspaces=3, items_per_workspace=5)
    demo_items = [d["id"] for d in await raw(store, "items")][:5]
    other = await seed_other_tenant(store, now, reuse_item_ids=demo_items)

    r = await service(store, now, OTHER_ADMIN).report()

    assert (r.cards.workspaces, r.cards.items, r.cards.item_types, r.cards.audit_events) == (1, 7, 1, other)
    assert [(b.label, b.count) for b in r.items_by_type] == [("other-only-type", 7)]
    # counted from the items themselves, not from the workspace document's itemCount (500 here)
    assert [(b.label, b.count) for b in r.items_by_workspace] == [("Other tenant space", 7)]
    # events on item ids the demo tenant also uses are still this tenant's, and nothing of the demo tenant leaks in
    assert sum(a.events for a in r.most_active) <= other
    assert all(a.workspace_id == "other-ws-1" for a in r.most_active)


async def test_non_admins_get_forbidden_before_any_read(tmp_path):
    store = SqliteStore(tmp_path / "s")
    await store.open()
    try:
        await seed_demo(store, workspaces=2, items_per_workspace=3)
        before = store.charges.mark()
        with pytest.raises(Forbidden, match="tenant admins"):
            await service(store, datetime.now(timezone.utc), NON_ADMIN).report()
        assert store.charges.since(before) == (0.0, 0)
        # and the admin-only reads refuse on their own, too (the second lock)
        with pytest.raises(Forbidden):
            await ctx_for(store, NON_ADMIN).scoped.admin_count("items")
    finally:
        await store.close()


async def test_window_edges_deleted_items_and_workspace_events(tmp_path):
    """Fixed clock: events exactly at the window start count, a millisecond before or a future day
    does not; a deleted item and a workspace-level event still get a name."""
    now = datetime(2026, 3, 15, 10, 30, tzinfo=timezone.utc)
    since, until = window(now)
    assert since == datetime(2026, 2, 14, tzinfo=timezone.utc) and until == datetime(2026, 3, 16, tzinfo=timezone.utc)
    store = SqliteStore(tmp_path / "s")
    await store.open()
    try:
        t = DEMO_TENANT
        await store.upsert("workspaces", {"id": "w1", "tenantId": t, "name": "Alpha [red]", "itemCount": 1, "state": "Active"})
        await store.upsert("workspaces", {"id": "w2", "tenantId": t, "name": "Going away", "itemCount": 9, "state": "Deleting"})
        await store.upsert("workspaces", {"id": "w3", "tenantId": t, "name": "No state yet", "itemCount": 0})
        await store.upsert("items", {"id": "i1", "workspaceId": "w1", "tenantId": t, "itemType": "notebook", "displayName": "nb"})
        ev = lambda i, item, at, ws="w1": {"id": f"e{i}", "itemId": item, "itemType": "notebook", "workspaceId": ws, "tenantId": t, "at": iso(at)}  # noqa: E731
        await store.upsert_many("audit-log", [
            ev(1, "i1", since),  # counts (first day)
            ev(2, "i1", since - timedelta(milliseconds=1)),  # too old
            ev(3, "i1", until - timedelta(milliseconds=1)),  # counts (today)
            ev(4, "i1", until),  # tomorrow: a clock-skewed writer, not counted
            ev(5, "gone", now), ev(6, "gone", now),  # item deleted since
            ev(7, "w1", now),  # a workspace-level event (itemId = workspace id)
        ])
        await store.upsert("audit-log", {"id": "e8", "itemId": f"tenant-settings:{t}", "itemType": "tenant-settings", "tenantId": t, "at": iso(now)})

        r = await service(store, now).report()

        assert r.cards.workspaces == 2  # "Deleting" is left out, a workspace without a state is not
        assert r.cards.audit_events == 6 and r.tenant_events == 1
        assert r.activity[0].count == 1 and r.activity[-1].count == 5
        got = {a.item_id: (a.name, a.workspace, a.events) for a in r.most_active}
        assert got == {"i1": ("nb", "Alpha [red]", 2), "gone": ("(deleted item)", "Alpha [red]", 2), "w1": ("Alpha [red]", "Alpha [red]", 1)}
        assert [a.item_id for a in r.most_active] == ["gone", "i1", "w1"]  # ties broken by id, deterministic
    finally:
        await store.close()


async def test_context_exposes_the_service(ctx):
    """``ctx.usage`` on the seeded demo tenant (the shared service fixture)."""
    r = await ctx.usage.report()
    wss = [d async for d in ctx.store.iterate_cross_partition("workspaces") if d.get("tid") == ctx.session.tenant_id]
    assert r.cards.workspaces == sum(1 for d in wss if d.get("state") != "Deleting") > 0
    assert r.cards.items == sum(b.count for b in r.items_by_type)


async def test_idle_workspaces_are_those_with_no_activity_in_30_days(tmp_path):
    """Idle: nobody opened it in the window (lastAccessedAt older, or never stamped) and no audit
    event of the window touched it.  Longest idle first; a workspace being deleted is not listed."""
    now = datetime(2026, 3, 15, 10, 30, tzinfo=timezone.utc)
    since, _ = window(now)
    store = SqliteStore(tmp_path / "s")
    await store.open()
    try:
        t = DEMO_TENANT
        old, older = iso(since - timedelta(days=3)), iso(since - timedelta(days=90))
        for ws_id, name, accessed, state in (("a", "Opened lately", iso(now - timedelta(days=1)), "Active"),
                                              ("b", "Old but busy", old, "Active"),
                                              ("c", "Forgotten", old, "Active"),
                                              ("d", "Never opened", None, None),
                                              ("e", "Ancient", older, "Active"),
                                              ("f", "Being deleted", older, "Deleting")):
            doc = {"id": ws_id, "tenantId": t, "name": name, "state": state, "itemCount": 0}
            if accessed:
                doc["lastAccessedAt"] = accessed
            await store.upsert("workspaces", doc)
        await store.upsert("items", {"id": "ic", "workspaceId": "c", "tenantId": t, "itemType": "notebook", "displayName": "nb"})
        await store.upsert_many("audit-log", [
            {"id": "e1", "itemId": "ib", "itemType": "notebook", "workspaceId": "b", "tenantId": t, "at": iso(now - timedelta(days=2))},
            {"id": "e2", "itemId": "ic", "itemType": "notebook", "workspaceId": "c", "tenantId": t, "at": iso(since - timedelta(days=1))},
        ])
        r = await service(store, now).report()
        assert [(w.workspace_id, w.name) for w in r.idle] == [("d", "Never opened"), ("e", "Ancient"), ("c", "Forgotten")]
        assert [w.items for w in r.idle] == [0, 0, 1] and r.idle[1].last_accessed == older
    finally:
        await store.close()


async def test_ties_in_the_most_active_items_are_broken_the_same_on_every_adapter(store):
    """Eleven items with as many events: the ten with the smallest ids make the list, in id order;
    an item with as many events in two workspaces is filed under the first in text order."""
    now = datetime(2026, 3, 15, 10, 30, tzinfo=timezone.utc)
    t = DEMO_TENANT
    for ws in ("wa", "wb"):
        await store.upsert("workspaces", {"id": ws, "tenantId": t, "name": f"space {ws}", "state": "Active"})
    ids = [f"it{n:02d}" for n in range(11)][::-1]  # written in reverse: order is the rule's, not the store's
    events = [{"id": f"e-{i}-{k}", "itemId": i, "workspaceId": "wb", "tenantId": t, "at": iso(now - timedelta(hours=k))}
              for i in ids for k in range(3)]
    events += [{"id": f"twin-{ws}-{k}", "itemId": "it05", "workspaceId": ws, "tenantId": t, "at": iso(now - timedelta(days=1, hours=k))}
               for ws in ("wb", "wa") for k in range(2)]
    await store.upsert_many("audit-log", events)

    r = await service(store, now).report()

    assert [(a.item_id, a.events) for a in r.most_active] == [("it05", 7)] + [(f"it{n:02d}", 3) for n in (0, 1, 2, 3, 4, 6, 7, 8, 9)]
    assert r.most_active[0].workspace_id == "wb"  # 5 events there, 2 in wa
    tie = [{"id": f"tie-{k}", "itemId": "it10", "workspaceId": "wa", "tenantId": t, "at": iso(now - timedelta(days=2, hours=k))}
           for k in range(3)]  # it10: 3 in wb, 3 in wa, and now the busiest item
    await store.upsert_many("audit-log", tie)
    r = await service(store, now).report()
    assert (r.most_active[0].item_id, r.most_active[0].events, r.most_active[0].workspace_id) == ("it05", 7, "wb")
    assert (r.most_active[1].item_id, r.most_active[1].events, r.most_active[1].workspace_id) == ("it10", 6, "wa")
