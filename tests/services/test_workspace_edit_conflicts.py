"""Edit conflicts: only a change to a field the operator edits is a conflict."""

from __future__ import annotations

import pytest

from loom_tui.config import Profile
from loom_tui.wiring import open_context
from loom_tui.errors import EditConflict
from loom_tui.services.workspaces.service import WorkspaceInput


@pytest.fixture
async def ctx(tmp_path):
    c = await open_context(Profile(), data_dir=str(tmp_path / "d"))
    yield c
    await c.close()


async def test_item_count_change_is_not_an_edit_conflict(ctx):
    ws = await ctx.workspaces.create(WorkspaceInput(name="Conflicts"))
    seen = await ctx.workspaces.get(ws.id)
    await ctx.scoped.workspace_replace(await ctx.scoped.workspace(ws.id), {**seen.doc, "itemCount": 5}, if_match=seen.etag)  # what item writes do
    saved = await ctx.workspaces.update(ws.id, {"description": "mine"}, etag=seen.etag, base=seen)
    assert saved.doc["description"] == "mine" and saved.item_count == 5


async def test_a_changed_edited_field_is_a_conflict_with_both_versions(ctx):
    ws = await ctx.workspaces.create(WorkspaceInput(name="Conflicts 2"))
    seen = await ctx.workspaces.get(ws.id)
    await ctx.workspaces.update(ws.id, {"description": "theirs"}, etag=seen.etag, base=seen)
    with pytest.raises(EditConflict) as info:
        await ctx.workspaces.update(ws.id, {"description": "mine"}, etag=seen.etag, base=seen)
    assert info.value.mine["description"] == "mine"
    assert info.value.theirs["description"] == "theirs"
    assert (await ctx.workspaces.get(ws.id)).doc["description"] == "theirs"  # nothing lost, nothing written


async def test_without_base_any_etag_change_is_a_conflict(ctx):
    ws = await ctx.workspaces.create(WorkspaceInput(name="Conflicts 3"))
    seen = await ctx.workspaces.get(ws.id)
    await ctx.scoped.workspace_replace(await ctx.scoped.workspace(ws.id), {**seen.doc, "itemCount": 2}, if_match=seen.etag)
    with pytest.raises(EditConflict):
        await ctx.workspaces.update(ws.id, {"description": "mine"}, etag=seen.etag)


async def test_pinned_rows_come_first_and_offsets_stay_exact(ctx):
    from loom_tui.domain.workspace import SortKey, WorkspaceView

    view = WorkspaceView(sort=SortKey.NAME, descending=False)
    everything = await ctx.workspaces.window(view, 0, 1000)
    pins = [everything[-1].id, everything[10].id]
    pinned = await ctx.workspaces.pinned(view, pins)
    assert [p.id for p in pinned] == [everything[10].id, everything[-1].id]  # view order
    assert all(p.pinned for p in pinned) and not any(r.pinned for r in everything)
    paged = []
    for offset in range(0, len(everything), 7):
        paged += await ctx.workspaces.window(view, offset, 7, pinned=pinned)
    assert [r.id for r in paged[:2]] == [p.id for p in pinned]
    assert sorted(r.id for r in paged) == sorted(r.id for r in everything)  # no gap, no duplicate
