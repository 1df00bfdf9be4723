"""Property: through ScopedStore, no operation ever returns another tenant's document.

Random multi-tenant data (the same document ids in several tenants, workspaces owned by or shared
with different users, items, audit events) and random operations by sessions of random tenants,
on both adapters.  Every answer is also compared with the Python oracle, so an adapter that
returns too little fails as well as one that returns too much.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loom_tui.domain.session import Session
from loom_tui.errors import NotFoundError
from loom_tui.store.query import ALL, Filter, Op, Order, Query, eq, matches
from loom_tui.store.scoped import ScopedStore
from loom_tui.store.workspace_access import listed as listed_for

from .conftest import ADAPTERS, close_store, open_store

TENANTS = ("ta", "tb", "tc")
USERS = ("u1", "u2", "u3")
IDS = ("w1", "w2", "w3", "shared")
NAMES = ("sales", "sales eu", "ops", "[lab]", "ünï")


@st.composite
def worlds(draw) -> dict:
    """Workspaces per tenant (same ids in several tenants), and items/audit per workspace."""
    workspaces = []
    for tid in TENANTS:
        for wid in draw(st.lists(st.sampled_from(IDS), unique=True, max_size=4)):
            workspaces.append(
                {
                    "id": wid,
                    "tenantId": tid,
                    "ownerOid": draw(st.sampled_from(USERS)),
                    "memberUpns": draw(st.lists(st.sampled_from([f"{u}@x.test" for u in USERS]), unique=True, max_size=2)),
                    "nameLower": draw(st.sampled_from(NAMES)),
                    "itemCount": draw(st.integers(0, 5)),
                }
            )
    return {"workspaces": workspaces, "items_per_ws": draw(st.integers(0, 3))}


conditions = st.sampled_from(
    [
        (),
        (eq("nameLower", "sales"),),
        (Filter("nameLower", Op.STARTSWITH, "sales"),),
        (Filter("itemCount", Op.GE, 2),),
        (Filter("memberUpns", Op.HAS, "u1@x.test"),),
        (eq("tenantId", "ta"),),  # a filter naming a tenant cannot widen the partition
    ]
)
sessions = st.builds(
    lambda tid, oid, admin: Session(tid, oid, f"{oid}@x.test", oid, is_tenant_admin=admin),
    st.sampled_from(TENANTS),
    st.sampled_from(USERS),
    st.booleans(),
)
operations = st.lists(
    st.tuples(
        sessions,
        st.sampled_from(["get", "query", "count", "window", "admin", "workspace", "audit"]),
        conditions,
        st.sampled_from(IDS),
        st.integers(1, 4),
        st.sampled_from(TENANTS),  # whose workspace a "workspace"/"audit" op asks for
    ),
    min_size=1,
    max_size=8,
)
SETTINGS = "tenant-settings"  # a tenant container where the same ids exist in every tenant


def _scoped(world: dict, run: str) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """The world with run-unique tenant ids (examples share one store).

    Tenant documents keep their ids (the same id in several tenants); workspaces get globally
    unique ids, as in Loom (GUIDs), because workspace ids are the partition keys of items.
    """
    tdocs, wss, items, audit = [], [], [], []
    for w in world["workspaces"]:
        tid = f"{run}-{w['tenantId']}"
        tdocs.append({**w, "tenantId": tid})
        gid = f"{tid}-{w['id']}"
        wss.append({**w, "id": gid, "tenantId": tid})
        for i in range(world["items_per_ws"]):
            items.append({"id": f"i{i}", "workspaceId": gid, "tenantId": tid, "displayNameLower": f"item {i}"})
            audit.append({"id": f"a{i}", "itemId": f"{gid}-i{i}", "workspaceId": gid, "tenantId": tid, "at": f"2024-01-0{i + 1}"})
    return tdocs, wss, items, audit


async def _example(store, world: dict, ops: list) -> None:
    run = uuid.uuid4().hex[:8]
    tdocs, wss, items, audit = _scoped(world, run)
    await store.upsert_many(SETTINGS, tdocs)
    await store.upsert_many("workspaces", wss)
    await store.upsert_many("items", items)
    await store.upsert_many("audit-log", audit)
    for session, op, conds, wid, size, target in ops:
        s = Session(f"{run}-{session.tenant_id}", session.user_oid, session.upn, session.display_name, is_tenant_admin=session.is_tenant_admin)
        scoped = ScopedStore(store, s)
        tid = s.tenant_id
        mine = [d for d in tdocs if d["tenantId"] == tid]
        q = Query(tuple(conds), (Order("nameLower"),))

        def want(docs: list[dict], query: Query) -> list[str]:
            return sorted(d["id"] for d in docs if all(matches(d, c) for c in query.where))

        if op == "get":
            doc = await scoped.tenant_get(SETTINGS, wid)
            assert doc is None or doc["tenantId"] == tid
            assert (doc is None) == (not any(d["id"] == wid for d in mine))
        elif op == "query":
            got, token = [], None
            while True:
                page = await scoped.tenant_query(SETTINGS, q, max_items=size, continuation=token)
                got.extend(page.items)
                token = page.continuation
                if not token:
                    break
            assert all(d["tenantId"] == tid for d in got)
            assert sorted(d["id"] for d in got) == want(mine, q)
        elif op == "count":
            assert await scoped.tenant_count(SETTINGS, q) == len(want(mine, q))
        elif op == "window":
            rows = await scoped.tenant_window(SETTINGS, q, 1, size)
            assert all(d["tenantId"] == tid for d in rows)
            assert len(rows) == max(0, min(size, len(want(mine, q)) - 1))
        elif op == "admin":
            if not s.is_tenant_admin:
                continue
            page = await scoped.admin_query(SETTINGS, Query(tuple(conds)), max_items=100)
            assert all(d["tenantId"] == tid for d in page.items)
            assert sorted(d["id"] for d in page.items) == want(mine, Query(tuple(conds) + (eq("tenantId", tid),)))
            assert await scoped.admin_count("audit-log") == sum(1 for a in audit if a["tenantId"] == tid)
        else:  # "workspace" / "audit": ask for a real workspace id, possibly another tenant's
            gid = f"{run}-{target}-{wid}"
            visible = [
                w for w in wss if w["id"] == gid and w["tenantId"] == tid and matches(w, listed_for(s, []))
            ]
            try:
                ref = await scoped.workspace(gid)
            except NotFoundError:
                assert not visible
                continue
            assert visible and ref.tenant_id == tid and ref.doc["tenantId"] == tid
            if op == "workspace":
                page = await scoped.ws_query(ref, "items", ALL, max_items=50)
            else:
                page = await scoped.workspace_audit(ref, max_items=50)
            assert all(d["tenantId"] == tid and d["workspaceId"] == gid for d in page.items)
            assert len(page.items) == world["items_per_ws"]


@pytest.mark.parametrize("kind", ADAPTERS)
def test_no_operation_returns_another_tenants_document(kind, request, tmp_path):
    examples = 15 if kind == "cosmos" else 60

    async def run_one(world: dict, ops: list) -> None:
        store = await open_store(kind, request, tmp_path)
        try:
            await _example(store, world, ops)
        finally:
            await close_store(store)

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(world=worlds(), ops=operations)
    def check(world: dict, ops: list) -> None:
        asyncio.run(run_one(world, ops))

    check()


# -- workspace ids that are NOT unique across tenants ------------------------------------------
# Another writer (a script, the web console, Cosmos directly) can store a workspace of tenant B
# under the id of tenant A's workspace.  That id is the partition key of items, folders and
# members, so the partition holds both tenants' documents: nothing of A may be read, changed or
# deleted through B's sessions (and the other way round).

collisions = st.fixed_dictionaries({
    "holders": st.lists(st.sampled_from(TENANTS), unique=True, min_size=2, max_size=3),
    "owners": st.lists(st.sampled_from(USERS), min_size=3, max_size=3),
    "items": st.integers(0, 3),
    "untagged": st.booleans(),  # one item without tenantId (the web console writes none)
})
collision_ops = st.lists(
    st.tuples(sessions, st.sampled_from(["list", "count", "window", "get", "replace", "delete", "upsert", "item_write", "audit"]),
              st.sampled_from(TENANTS), st.integers(0, 3)),
    min_size=1, max_size=8,
)


async def _collision_example(store, world: dict, ops: list) -> None:
    from loom_tui.services.errors import Forbidden
    from loom_tui.store.errors import NotFound

    run = uuid.uuid4().hex[:8]
    gid = f"{run}-same"
    holders = [f"{run}-{t}" for t in world["holders"]]
    items: list[dict] = []
    for n, tid in enumerate(holders):
        await store.upsert("workspaces", {"id": gid, "tenantId": tid, "ownerOid": world["owners"][n], "memberUpns": [],
                                          "nameLower": "same"})
        for i in range(world["items"]):
            items.append({"id": f"{tid}-i{i}", "workspaceId": gid, "tenantId": tid, "displayNameLower": f"item {i}"})
            await store.upsert("audit-log", {"id": f"{tid}-a{i}", "itemId": f"{tid}-i{i}", "workspaceId": gid, "tenantId": tid, "at": "2024"})
    if world["untagged"]:
        items.append({"id": "untagged", "workspaceId": gid, "displayNameLower": "untagged"})
    await store.upsert_many("items", items)
    before = {d["id"]: await store.get("items", gid, d["id"]) for d in items}
    for session, op, target, i in ops:
        s = Session(f"{run}-{session.tenant_id}", session.user_oid, session.upn, session.display_name, is_tenant_admin=session.is_tenant_admin)
        scoped = ScopedStore(store, s)
        tid = s.tenant_id
        try:
            ref = await scoped.workspace(gid)
        except NotFoundError:
            continue
        assert ref.shared_id and ref.doc["tenantId"] == tid
        mine = sorted(d["id"] for d in items if d.get("tenantId") == tid)
        other = f"{run}-{target}-i{i}" if f"{run}-{target}" != tid else "untagged"
        if op == "list":
            page = await scoped.ws_query(ref, "items", ALL, max_items=50)
            assert sorted(d["id"] for d in page.items) == mine
        elif op == "count":
            assert await scoped.ws_count(ref, "items") == len(mine)
        elif op == "window":
            rows = await scoped.ws_window(ref, "items", Query((), (Order("displayNameLower"),)), 0, 50)
            assert sorted(d["id"] for d in rows) == mine
        elif op == "get":
            doc = await scoped.ws_get(ref, "items", other)
            assert doc is None
        elif op == "audit":
            page = await scoped.workspace_audit(ref, max_items=50)
            assert all(d["tenantId"] == tid for d in page.items)
        else:
            stored = before.get(other)
            if stored is None:
                continue  # writing an id nobody holds creates this tenant's own document: not an attack
            try:
                if op == "replace":
                    await scoped.ws_replace(ref, "items", {**(stored or {"id": other}), "displayNameLower": "pwned"})
                elif op == "delete":
                    await scoped.ws_delete(ref, "items", other)
                elif op == "upsert":
                    await scoped.ws_upsert(ref, "items", {"id": other, "displayNameLower": "pwned"})
                else:
                    await scoped.item_write(ref, "audit-log", other, {"id": f"{run}-{target}-a{i}", "at": "pwned"})
            except (Forbidden, NotFound):
                pass
            if stored is not None:
                assert await store.get("items", gid, other) == stored, f"{op} changed another tenant's item"
                before[other] = stored
    for doc_id, doc in before.items():
        now = await store.get("items", gid, doc_id)
        assert now == doc or (now is not None and now.get("tenantId") is not None and doc.get("tenantId") == now.get("tenantId")), doc_id
    for tid in holders:
        for i in range(world["items"]):
            a = await store.get("audit-log", f"{tid}-i{i}", f"{tid}-a{i}")
            assert a is not None and a["at"] == "2024", "an audit event of another tenant was rewritten"


@pytest.mark.parametrize("kind", ADAPTERS)
def test_colliding_workspace_ids_never_cross_tenants(kind, request, tmp_path):
    examples = 12 if kind == "cosmos" else 50

    async def run_one(world: dict, ops: list) -> None:
        store = await open_store(kind, request, tmp_path)
        try:
            await _collision_example(store, world, ops)
        finally:
            await close_store(store)

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(world=collisions, ops=collision_ops)
    def check(world: dict, ops: list) -> None:
        asyncio.run(run_one(world, ops))

    check()
