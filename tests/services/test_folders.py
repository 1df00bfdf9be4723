"""Folders: tree, create {name, parent?}, rename, delete moving children to the root."""

from __future__ import annotations

import pytest

from loom_tui.errors import EditConflict, NotFoundError, ReadOnlyError, ValidationError
from loom_tui.domain.folder import Folder
from loom_tui.services.workspaces.folders import build_tree
from loom_tui.services.workspaces.items import ItemInput, ItemView

from .conftest import LITERAL_OK, REJECTED, audit_of, snapshot


async def test_tree_create_nested_and_list(team):
    c = team.contributor
    serve = await c.folders.create(team.id, "Serve")
    ingest = await c.folders.create(team.id, "ingest")
    raw = await c.folders.create(team.id, "raw", parent=ingest.id)
    deep = await c.folders.create(team.id, "2026", parent=raw.id)
    tree = await c.folders.tree(team.id)
    assert [n.folder.name for n in tree] == ["ingest", "Serve"]  # case-insensitive order
    assert [n.folder.name for n in tree[0].children] == ["raw"]
    assert tree[0].children[0].children[0].folder.id == deep.id
    assert tree[1].folder.id == serve.id and tree[1].children == []
    assert len(await c.folders.list(team.id)) == 4
    [event] = await audit_of(c, team.id, raw.id)
    assert event["action"] == "folder.create" and event["tenantId"] == c.session.tenant_id


def test_build_tree_treats_orphans_as_roots():
    tree = build_tree([Folder.from_doc({"id": "a", "name": "a", "parent": "gone"}), Folder.from_doc({"id": "b", "name": "b", "parent": "a"})])
    assert [n.folder.id for n in tree] == ["a"] and [n.folder.id for n in tree[0].children] == ["b"]


def test_a_console_folder_with_odd_fields_reads_literally_and_keeps_its_place():
    odd = Folder.from_doc({"id": 5, "name": None, "parent": "", "_etag": 1, "color": "teal"})
    assert (odd.id, odd.name, odd.parent, odd.etag) == ("5", "", None, "1") and odd.doc["color"] == "teal"
    child = Folder.from_doc({"id": "c", "name": "[b]x[/b]\x1b", "parent": 5})
    tree = build_tree([odd, child])
    assert [n.folder.id for n in tree] == ["5"] and [n.folder.name for n in tree[0].children] == ["[b]x[/b]\x1b"]


async def test_create_validation_writes_nothing(team):
    c = team.owner
    await c.folders.create(team.id, "Reports")
    before = await snapshot(c, team.id)
    with pytest.raises(ValidationError):
        await c.folders.create(team.id, "x", parent="no-such-folder")
    with pytest.raises(ValidationError):
        await c.folders.create(team.id, " reports ")  # sibling names are unique, case-insensitively
    for bad in REJECTED:
        with pytest.raises(ValidationError):
            await c.folders.create(team.id, bad)
    assert await snapshot(c, team.id) == before


async def test_literal_names(team):
    for name in LITERAL_OK:
        f = await team.owner.folders.create(team.id, name)
        assert (await team.owner.scoped.ws_get(await team.owner.scoped.workspace(team.id), "folders", f.id))["name"] == name


async def test_rename_with_etag_conflict(team):
    c = team.owner
    f = await c.folders.create(team.id, "Old")
    await c.folders.create(team.id, "Taken")
    with pytest.raises(ValidationError):
        await c.folders.rename(team.id, f.id, "taken")
    renamed = await team.contributor.folders.rename(team.id, f.id, "New")
    assert renamed.name == "New"
    with pytest.raises(EditConflict) as err:
        await c.folders.rename(team.id, f.id, "Mine", etag=f.etag)
    assert err.value.theirs["name"] == "New" and err.value.mine["name"] == "Mine"
    assert [e["action"] for e in await audit_of(c, team.id, f.id)].count("folder.rename") == 1


async def test_delete_moves_items_and_subfolders_to_root(team):
    c = team.owner
    top = await c.folders.create(team.id, "Top")
    sub = await c.folders.create(team.id, "Sub", parent=top.id)
    subsub = await c.folders.create(team.id, "SubSub", parent=sub.id)
    inside = [await c.items.create(team.id, ItemInput("notebook", f"n{i}", folder_id=top.id)) for i in range(3)]
    lh = await c.items.create(team.id, ItemInput("lakehouse", "lh", folder_id=top.id))
    deeper = await c.items.create(team.id, ItemInput("notebook", "deep", folder_id=sub.id))
    moved = await team.contributor.folders.delete(team.id, top.id)
    assert moved == {"folders": 1, "items": 5}  # 3 notebooks + lakehouse + its SQL endpoint
    with pytest.raises(NotFoundError):
        await c.folders.rename(team.id, top.id, "x")
    roots = {d.id for d in await c.items.window(team.id, ItemView(folder=None), 0, 100)}
    assert {d.id for d in inside} | {lh.id} <= roots
    assert deeper.id not in roots  # only direct children move; Sub keeps its own
    assert (await c.items.get(team.id, deeper.id)).folder_id == sub.id
    tree = await c.folders.tree(team.id)
    assert [n.folder.id for n in tree] == [sub.id] and [n.folder.id for n in tree[0].children] == [subsub.id]
    [event] = [e for e in await audit_of(c, team.id, top.id) if e["action"] == "folder.delete"]
    assert event["diff"]["moved"] == {"folders": 1, "items": 5}
    assert (await c.workspaces.get(team.id)).item_count == 6  # nothing was deleted but the folder


async def test_read_only_refuses_folder_writes(team, open_as):
    f = await team.owner.folders.create(team.id, "F")
    ro = await open_as("lee.engineer", read_only=True)
    before = await snapshot(team.owner, team.id)
    for coro in (ro.folders.create(team.id, "G"), ro.folders.rename(team.id, f.id, "H"), ro.folders.delete(team.id, f.id)):
        with pytest.raises(ReadOnlyError):
            await coro
    assert await snapshot(team.owner, team.id) == before
