"""Documents the web console wrote show up in loom: lists, counts, search, sort, filters, detail,
items, folders, members, comments, notifications, audit, usage — on the embedded store and on the
real ``azure-cosmos`` client against the local Cosmos DB server (``tests/support/webconsole.py``
has the documents: the web console's v1/HEAD shapes, none of loom's derived fields, unknown extras).
"""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator

import pytest

from loom_tui.config import Profile
from loom_tui.domain.workspace import CapacityKind, SortKey, Workspace, WorkspaceView
from loom_tui.services.context import AppContext
from loom_tui.wiring import context as make_context
from loom_tui.services.errors import NotFoundError
from loom_tui.services.workspaces.items import ItemSort, ItemView
from loom_tui.services.roles import Role
from loom_tui.store.port import DocumentStore
from tests.store.conftest import close_store, open_store
from tests.support import webconsole as wc
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    s = await open_store(request.param, request, tmp_path)
    try:
        await wc.load(s)
        yield s
    finally:
        await close_store(s)


def as_user(store: DocumentStore, user: wc.User, *, tenant_admin: bool = False, read_only: bool = False) -> AppContext:
    return make_context(profile=Profile(), store=store, session=user.session(tenant_admin=tenant_admin), read_only=read_only)


def names(rows: list[Workspace]) -> list[str]:
    return [r.name for r in rows]


async def listed(ctx: AppContext, view: WorkspaceView = WorkspaceView()) -> list[Workspace]:
    total = await ctx.workspaces.count(view)
    rows = await ctx.workspaces.window(view, 0, 100)
    assert len(rows) == total, (total, names(rows))
    return rows


def test_the_fixtures_lack_what_loom_derives():
    v1 = [d for d in wc.WORKSPACES if "tid" not in d]
    assert v1 and not any(f in d for d in v1 for f in wc.LOOM_DERIVED)
    derived = tuple(f for f in wc.LOOM_DERIVED if f != "state") + ("tenantId",)  # an item's state{} is the web console's
    assert not any(f in d for d in wc.ITEMS + wc.FOLDERS for f in derived)
    assert not any("tenantId" in d for d in wc.PERMISSIONS + wc.COMMENTS + wc.AUDIT + wc.NOTIFICATIONS)
    assert all(wc.unknown_fields(d) for docs in wc.ALL.values() for d in docs)


async def test_list_and_count_show_every_workspace_of_the_tenant(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    rows = await listed(admin)
    assert sorted(r.id for r in rows) == sorted(wc.VISIBLE)  # the v1 owner-id one is not in the tenant (see migrate)
    assert await admin.workspaces.count() == 4


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
async def test_every_sort_keeps_documents_lacking_the_field(store, sort, descending):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    rows = await listed(admin, WorkspaceView(sort=sort, descending=descending))
    assert sorted(r.id for r in rows) == sorted(wc.VISIBLE)
    have = [r.doc[sort.value] for r in rows if r.doc.get(sort.value) is not None]
    assert have == sorted(have, reverse=descending)
    lacking = [i for i, r in enumerate(rows) if r.doc.get(sort.value) is None]
    if lacking:  # they sort lowest: first ascending, last descending
        want = list(range(len(rows) - len(lacking), len(rows))) if descending else list(range(len(lacking)))
        assert lacking == want


@pytest.mark.parametrize("term, want", [
    ("sales", {wc.WS_SALES}), ("QUARTERLY", {wc.WS_SALES}), ("Marketing", {wc.WS_SANDBOX}), ("über", {wc.WS_UBER}),
    ("ÄRGER", {wc.WS_UBER}), ("a", set(wc.VISIBLE)), ("runbooks", {wc.WS_OPS}), ("nothing-like-it", set()),
])
async def test_search_is_case_insensitive_on_name_and_description(store, term, want):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    assert {r.id for r in await listed(admin, WorkspaceView(search=term))} == want


async def test_filters_work_without_derived_fields(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    by_kind = {k: {r.id for r in await listed(admin, WorkspaceView(capacity=k))} for k in CapacityKind}
    assert by_kind == {CapacityKind.DEDICATED: {wc.WS_SALES, wc.WS_UBER}, CapacityKind.SHARED: {wc.WS_OPS},
                       CapacityKind.NONE: {wc.WS_SANDBOX}}
    assert {r.id for r in await listed(admin, WorkspaceView(domain="finance"))} == {wc.WS_SALES, wc.WS_UBER}
    creator = as_user(store, wc.CREATOR)
    assert {r.id for r in await listed(creator, WorkspaceView(mine=True))} == {wc.WS_SALES, wc.WS_SANDBOX}  # by createdBy
    assert {r.id for r in await listed(admin, WorkspaceView(mine=True))} == {wc.WS_OPS, wc.WS_UBER}
    assert await admin.workspaces.domains() == ["Default", "Finance", "Operations"]
    assert {r.id for r in await listed(admin, WorkspaceView(domain="FINANCE"))} == {wc.WS_SALES, wc.WS_UBER}  # by name too


async def test_detail_by_id_and_by_name(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    assert (await admin.workspaces.get(wc.WS_SANDBOX)).name == "marketing sandbox"
    assert (await admin.workspaces.find("MARKETING SANDBOX")).id == wc.WS_SANDBOX
    assert (await admin.workspaces.find("über daten")).id == wc.WS_UBER
    with pytest.raises(NotFoundError):
        await admin.workspaces.find(wc.WS_LEGACY)


async def test_visibility_comes_from_workspace_permissions(store):
    member = as_user(store, wc.MEMBER)  # listed only in a binding: no ownerOid, no memberUpns
    assert [r.id for r in await listed(member)] == [wc.WS_SALES]
    assert (await member.workspaces.get(wc.WS_SALES)).id == wc.WS_SALES
    assert await member.roles.role_in(wc.WS_SALES) is Role.CONTRIBUTOR
    viewer = as_user(store, wc.VIEWER)
    assert [r.id for r in await listed(viewer)] == [wc.WS_SALES]
    assert await viewer.roles.role_in(wc.WS_SALES) is Role.VIEWER
    creator = as_user(store, wc.CREATOR)
    assert {r.id for r in await listed(creator)} == {wc.WS_SALES, wc.WS_SANDBOX}
    assert await creator.roles.role_in(wc.WS_SALES) is Role.ADMIN
    outsider = as_user(store, wc.OUTSIDER)
    assert await listed(outsider) == [] and await outsider.workspaces.count() == 0
    for ws_id in wc.VISIBLE:
        with pytest.raises(NotFoundError):
            await outsider.workspaces.get(ws_id)
    with pytest.raises(NotFoundError):
        await outsider.workspaces.find("Sales Lakehouse")
    with pytest.raises(NotFoundError):
        await outsider.items.count(wc.WS_SALES)


async def test_items_and_folders(store):
    member = as_user(store, wc.MEMBER)
    every = ItemView()
    assert await member.items.count(wc.WS_SALES, every) == 3
    for sort in ItemSort:
        for descending in (False, True):
            view = ItemView(sort=sort, descending=descending)
            rows = await member.items.window(wc.WS_SALES, view, 0, 10)
            assert sorted(r.id for r in rows) == sorted(d["id"] for d in wc.ITEMS), (sort, descending)
    root = await member.items.window(wc.WS_SALES, ItemView(folder=None), 0, 10)
    assert {r.id for r in root} == {wc.ITEM_NOTEBOOK, wc.ITEM_LAKEHOUSE}  # no folderId at all counts as the root
    assert [r.id for r in await member.items.window(wc.WS_SALES, ItemView(folder=wc.FOLDER_Q3), 0, 10)] == [wc.ITEM_REPORT]
    assert [r.id for r in await member.items.window(wc.WS_SALES, ItemView(search="REVENUE"), 0, 10)] == [wc.ITEM_REPORT, wc.ITEM_NOTEBOOK]
    assert (await member.items.find(wc.WS_SALES, "revenue notebook")).id == wc.ITEM_NOTEBOOK
    tree = await member.folders.tree(wc.WS_SALES)
    assert [(n.folder.name, [c.folder.name for c in n.children]) for n in tree] == [("Reports", ["Q3"])]


async def test_members_comments_and_notifications(store):
    member = as_user(store, wc.MEMBER)
    members = await member.members.list(wc.WS_SALES)
    assert sorted((str(m.upn).lower(), m.role) for m in members) == sorted(
        [(wc.CREATOR.upn, "admin"), (wc.MEMBER.upn, "contributor"), (wc.VIEWER.upn, "viewer")])
    comments = (await member.comments.list(wc.WS_SALES, wc.ITEM_NOTEBOOK)).items
    assert [c.body for c in comments] == [wc.COMMENTS[0]["body"]]
    notes = await member.notifications.newest()
    assert [n["title"] for n in notes] == ["You were mentioned", "Capacity assigned"]
    assert await member.notifications.unread_count() == 1


async def test_audit_trails_show_events_without_a_tenant_id(store):
    member = as_user(store, wc.MEMBER)
    trail = (await member.audit.workspace_trail(wc.WS_SALES)).items
    assert [e["id"] for e in trail] == [e["id"] for e in sorted(wc.AUDIT[:4], key=lambda e: e["at"], reverse=True)]
    item = (await member.audit.item_trail(wc.WS_SALES, wc.ITEM_NOTEBOOK)).items
    assert [e["action"] for e in item] == ["item.update", "item.create"]
    outsider = as_user(store, wc.OUTSIDER)
    with pytest.raises(NotFoundError):
        await outsider.audit.workspace_trail(wc.WS_SALES)


async def test_usage_counts_the_web_consoles_items_and_events(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    r = await admin.usage.report()
    assert r.cards.workspaces == 4
    assert r.cards.items == 3 and r.cards.item_types == 3
    assert r.cards.audit_events == len(wc.AUDIT) and r.tenant_events == 1
    assert [(b.key, b.count) for b in r.items_by_workspace][:1] == [(wc.WS_SALES, 3)]
    assert {b.key for b in r.items_by_workspace} == set(wc.VISIBLE)
    assert r.most_active[0].item_id == wc.ITEM_NOTEBOOK and r.most_active[0].name == "Revenue Notebook"
