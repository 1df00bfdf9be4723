"""Items: list/search/filter/sort, create (catalog types, lakehouse twin), rename, move, delete,
itemCount bookkeeping, audit events, bad input, read-only, concurrent edits."""

from __future__ import annotations

import asyncio

import pytest

from loom_tui.domain.catalog import item_types
from loom_tui.domain.workspace import Workspace, WorkspaceView
from loom_tui.errors import ConflictError, EditConflict, ReadOnlyError, ValidationError
from loom_tui.services.workspaces.items import ALL_FOLDERS, ItemInput, ItemSort, ItemView, sql_endpoint_name

from .conftest import LITERAL_OK, REJECTED, audit_of, repr_id, snapshot


async def _mine(ctx) -> Workspace:
    """A seeded workspace of the demo user (30-80 items in the demo spread, maybe folders)."""
    return (await ctx.workspaces.window(WorkspaceView(mine=True), 0, 1))[0]


async def _all_items(ctx, ws_id: str) -> list[dict]:
    """Every item's stored document (the oracle below works on documents)."""
    n = await ctx.items.count(ws_id)
    return [item.doc for item in await ctx.items.window(ws_id, ItemView(), 0, n)]


async def test_window_matches_python_oracle_for_sorts_and_filters(ctx):
    ws = await _mine(ctx)
    items = await _all_items(ctx, ws.id)
    assert len(items) == ws.item_count >= 30
    for sort, key in ((ItemSort.NAME, "displayNameLower"), (ItemSort.CREATED, "createdAt"), (ItemSort.UPDATED, "updatedAt"), (ItemSort.TYPE, "itemType")):
        for desc in (False, True):
            got = await ctx.items.window(ws.id, ItemView(sort=sort, descending=desc), 0, 100)
            assert [d.doc[key] for d in got] == sorted((d[key] for d in items), reverse=desc), (sort, desc)
    # folder filters: root + each folder partitions the items; "all" is everything
    root = await ctx.items.count(ws.id, ItemView(folder=None))
    assert root == sum(1 for d in items if d.get("folderId") is None)
    per_folder = {d["folderId"] for d in items if d.get("folderId")}
    assert root + sum([await ctx.items.count(ws.id, ItemView(folder=f)) for f in per_folder]) == len(items)
    assert await ctx.items.count(ws.id, ItemView(folder=ALL_FOLDERS)) == len(items)
    # type filter and search
    t = items[0]["itemType"]
    assert await ctx.items.count(ws.id, ItemView(item_type=t)) == sum(1 for d in items if d["itemType"] == t)
    term = items[3]["displayName"][:5].upper()
    got = await ctx.items.window(ws.id, ItemView(search=term), 0, 100)
    assert {d.id for d in got} == {d["id"] for d in items if term.lower() in d["displayNameLower"]}
    # window paging is consistent with one big window
    assert [d.doc for d in await ctx.items.window(ws.id, ItemView(), 10, 5)] == items[10:15]


async def test_create_writes_item_count_and_audit_with_tenant(team):
    c = team.contributor
    doc = await c.items.create(team.id, ItemInput("notebook", "  daily load  ", description="loads\nthings"))
    assert doc.display_name == "daily load" and doc.item_type == "notebook" and doc.folder_id is None
    assert doc.doc["tenantId"] == c.session.tenant_id and doc.doc["workspaceId"] == team.id
    assert doc.doc["createdBy"] == c.session.upn
    assert (await c.workspaces.get(team.id)).item_count == 1
    [event] = await audit_of(c, team.id, doc.id)
    assert event["tenantId"] == c.session.tenant_id
    assert event["workspaceId"] == team.id and event["itemId"] == doc.id
    assert event["userId"] == c.session.user_oid and event["upn"] == c.session.upn
    assert event["action"] == "item.create" and "daily load" in event["summary"]
    assert event["diff"]["displayName"] == [None, "daily load"] and event["at"]


async def test_every_catalog_type_is_accepted_and_unknown_types_refused(team):
    assert len(item_types()) == 90
    for t in ("notebook", "semantic-model", item_types()[-1]):
        await team.owner.items.create(team.id, ItemInput(t, f"a {t}"))
    before = await snapshot(team.owner, team.id)
    for bad in ("Notebook", "nope", "", "[bold]lakehouse[/]"):
        with pytest.raises(ValidationError) as err:
            await team.owner.items.create(team.id, ItemInput(bad, "x"))
        assert err.value.field == "itemType"
    assert await snapshot(team.owner, team.id) == before


async def test_lakehouse_gets_sql_endpoint_twin_that_follows_it(team):
    c = team.owner
    folder = await c.folders.create(team.id, "Lake")
    lh = await c.items.create(team.id, ItemInput("lakehouse", "sales"))
    twins = await c.items.window(team.id, ItemView(item_type="warehouse"), 0, 10)
    assert len(twins) == 1
    twin = twins[0]
    assert twin.display_name == "sales (SQL endpoint)" and twin.doc["state"] == {"sqlEndpointFor": lh.id}
    assert twin.sql_endpoint_for == lh.id and lh.sql_endpoint_for is None
    assert (await c.workspaces.get(team.id)).item_count == 2
    assert len(await audit_of(c, team.id, twin.id)) == 1
    # the twin cannot be changed on its own
    for coro in (c.items.delete(team.id, twin.id), c.items.rename(team.id, twin.id, "x"), c.items.move(team.id, twin.id, None)):
        with pytest.raises(ConflictError):
            await coro
    # rename and move follow the lakehouse
    await c.items.rename(team.id, lh.id, "revenue")
    await c.items.move(team.id, lh.id, folder.id)
    twin = await c.items.get(team.id, twin.id)
    assert twin.display_name == sql_endpoint_name("revenue") and twin.folder_id == folder.id
    # delete takes both
    assert await c.items.delete(team.id, lh.id) == 2
    assert await c.items.count(team.id) == 0
    assert (await c.workspaces.get(team.id)).item_count == 0
    assert [e["action"] for e in await audit_of(c, team.id, twin.id)][0] == "item.delete"


async def test_lakehouse_name_leaves_room_for_the_twin_suffix(team):
    ok = "l" * 241
    await team.owner.items.create(team.id, ItemInput("lakehouse", ok))
    assert await team.owner.items.count(team.id, ItemView(search=sql_endpoint_name(ok))) == 1
    before = await snapshot(team.owner, team.id)
    with pytest.raises(ValidationError):
        await team.owner.items.create(team.id, ItemInput("lakehouse", "l" * 242))
    await team.owner.items.create(team.id, ItemInput("notebook", "n" * 256))  # other types: the full 256
    assert (await snapshot(team.owner, team.id))["audit"] == before["audit"] + 1


@pytest.mark.parametrize("name", LITERAL_OK, ids=repr_id)
async def test_markup_bidi_zero_width_emoji_names_are_stored_literally(team, name):
    doc = await team.owner.items.create(team.id, ItemInput("notebook", name))
    got = await team.owner.items.get(team.id, doc.id)
    assert got.display_name == name
    assert (await team.owner.items.window(team.id, ItemView(search=name), 0, 5))[0].id == doc.id


@pytest.mark.parametrize("name", REJECTED, ids=repr_id)
async def test_bad_names_are_refused_and_write_nothing(team, name):
    it = await team.owner.items.create(team.id, ItemInput("notebook", "keeper"))
    before = await snapshot(team.owner, team.id)
    with pytest.raises(ValidationError):
        await team.owner.items.create(team.id, ItemInput("notebook", name))
    with pytest.raises(ValidationError):
        await team.owner.items.rename(team.id, it.id, name)
    assert await snapshot(team.owner, team.id) == before


async def test_description_rules_and_missing_folder(team):
    before = await snapshot(team.owner, team.id)
    for kw in ({"description": "\x1b[2J wipe"}, {"description": "d" * 10_000}, {"folder_id": "no-such-folder"}):
        with pytest.raises(ValidationError):
            await team.owner.items.create(team.id, ItemInput("notebook", "x", **kw))
    with pytest.raises(ValidationError):
        await team.owner.items.create(team.id, ItemInput("notebook", None))  # type: ignore[arg-type]
    assert await snapshot(team.owner, team.id) == before


async def test_move_between_folders_and_to_root(team):
    c = team.owner
    a = await c.folders.create(team.id, "A")
    b = await c.folders.create(team.id, "B")
    it = await c.items.create(team.id, ItemInput("report", "r1", folder_id=a.id))
    assert await c.items.count(team.id, ItemView(folder=a.id)) == 1
    await c.items.move(team.id, it.id, b.id)
    assert await c.items.count(team.id, ItemView(folder=a.id)) == 0
    assert await c.items.count(team.id, ItemView(folder=b.id)) == 1
    await c.items.move(team.id, it.id, None)
    assert await c.items.count(team.id, ItemView(folder=None)) == 1
    actions = [e["action"] for e in await audit_of(c, team.id, it.id)]
    assert actions.count("item.move") == 2


async def test_rename_is_etag_conditional(team):
    c = team.owner
    it = await c.items.create(team.id, ItemInput("notebook", "v1"))
    await team.contributor.items.rename(team.id, it.id, "theirs")
    with pytest.raises(EditConflict) as err:
        await c.items.rename(team.id, it.id, "mine", etag=it.etag)
    assert err.value.mine["displayName"] == "mine" and err.value.theirs["displayName"] == "theirs"
    assert (await c.items.get(team.id, it.id)).display_name == "theirs"
    forced = await c.items.rename(team.id, it.id, "mine", etag=it.etag, force=True)
    assert forced.display_name == "mine"


async def test_item_count_stays_right_under_concurrent_creates(team):
    async def make(c, n, tag):
        for i in range(n):
            await c.items.create(team.id, ItemInput("lakehouse" if i % 3 == 0 else "notebook", f"{tag}{i}"))

    await asyncio.gather(make(team.owner, 6, "o"), make(team.contributor, 6, "c"), make(team.admin, 6, "a"))
    n = await team.owner.items.count(team.id)
    assert n == 18 + 6  # every third is a lakehouse with a twin
    assert (await team.owner.workspaces.get(team.id)).item_count == n
    victims = await team.owner.items.window(team.id, ItemView(item_type="lakehouse"), 0, 10)
    await asyncio.gather(*(c.items.delete(team.id, v.id) for c, v in zip((team.owner, team.admin, team.contributor) * 2, victims)))
    n = await team.owner.items.count(team.id)
    assert n == 12 and (await team.owner.workspaces.get(team.id)).item_count == n


async def test_read_only_refuses_every_item_write(team, open_as):
    it = await team.owner.items.create(team.id, ItemInput("notebook", "nb"))
    ro = await open_as("lee.engineer", read_only=True)
    before = await snapshot(team.owner, team.id)
    for coro in (
        ro.items.create(team.id, ItemInput("notebook", "x")),
        ro.items.rename(team.id, it.id, "y"),
        ro.items.move(team.id, it.id, None),
        ro.items.delete(team.id, it.id),
    ):
        with pytest.raises(ReadOnlyError):
            await coro
    assert await snapshot(team.owner, team.id) == before
    assert await ro.items.count(team.id) == 1  # reading still works


async def test_window_read_from_the_end_equals_forward_window(ctx):
    ws = await _mine(ctx)
    for view in (ItemView(), ItemView(sort=ItemSort.TYPE, descending=True), ItemView(folder=None), ItemView(sort=ItemSort.CREATED)):
        total = await ctx.items.count(ws.id, view)
        forward = await ctx.items.window(ws.id, view, 0, total)
        for offset, limit in ((total - 5, 5), (total - 3, 10), (total // 2 + 1, 4), (total - 1, 1)):
            got = await ctx.items.window(ws.id, view, offset, limit, total=total)
            assert [d.id for d in got] == [d.id for d in forward[offset : offset + limit]], (view, offset, limit)
