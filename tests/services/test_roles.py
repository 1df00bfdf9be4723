"""Role enforcement: tenant admin / workspace admin / contributor / viewer / outsider, read-only."""

from __future__ import annotations

import pytest

from loom_tui.errors import Forbidden, NotFoundError, ReadOnlyError
from loom_tui.services.workspaces.items import ItemInput
from loom_tui.services.roles import Action, Role, WRITE_ACTIONS, allowed_actions, role_in

from .conftest import snapshot, upn


async def test_role_of_each_session(team):
    expected = {
        "tenant_admin": Role.TENANT_ADMIN,
        "owner": Role.ADMIN,
        "admin": Role.ADMIN,
        "contributor": Role.CONTRIBUTOR,
        "viewer": Role.VIEWER,
    }
    for attr, role in expected.items():
        c = getattr(team, attr)
        assert await c.roles.role_in(team.id) is role, attr


async def test_allowed_actions_per_role(team):
    assert await team.admin.roles.allowed_actions(team.id) == {Action.READ} | WRITE_ACTIONS
    assert await team.contributor.roles.allowed_actions(team.id) == {Action.READ, Action.EDIT_ITEMS, Action.EDIT_FOLDERS, Action.COMMENT}
    assert await team.viewer.roles.allowed_actions(team.id) == {Action.READ}
    assert Action.MANAGE_MEMBERS in await team.tenant_admin.roles.allowed_actions(team.id)


async def test_read_only_mode_allows_reading_only(team, open_as):
    ro = await open_as("lee.engineer", read_only=True)
    ws = await ro.scoped.workspace(team.id)
    assert await role_in(ro.scoped, ws) is Role.ADMIN
    assert await allowed_actions(ro.scoped, ws, ro.gate.read_only) == {Action.READ}


async def test_outsider_cannot_even_see_the_workspace(team):
    with pytest.raises(NotFoundError):
        await team.outsider.roles.role_in(team.id)
    with pytest.raises(NotFoundError):
        await team.outsider.items.count(team.id)


async def test_viewer_every_write_refused_and_nothing_written(team):
    before = await snapshot(team.owner, team.id)
    v = team.viewer
    attempts = [
        v.items.create(team.id, ItemInput("notebook", "nb")),
        v.folders.create(team.id, "F"),
        v.members.add(team.id, upn("kim.scientist"), "viewer"),
        v.members.remove(team.id, upn("sam.analyst")),
        v.workspaces.update(team.id, {"description": "x"}, etag=None),
        v.workspaces.delete(team.id),
    ]
    for coro in attempts:
        with pytest.raises(Forbidden):
            await coro
    assert await snapshot(team.owner, team.id) == before


async def test_viewer_cannot_comment_rename_or_delete_items(team):
    it = await team.contributor.items.create(team.id, ItemInput("notebook", "shared nb"))
    before = await snapshot(team.owner, team.id)
    for coro in (
        team.viewer.comments.add(team.id, it.id, "hello"),
        team.viewer.items.rename(team.id, it.id, "mine"),
        team.viewer.items.move(team.id, it.id, None),
        team.viewer.items.delete(team.id, it.id),
    ):
        with pytest.raises(Forbidden):
            await coro
    assert await snapshot(team.owner, team.id) == before
    # reading is fine
    assert (await team.viewer.items.get(team.id, it.id)).display_name == "shared nb"


async def test_contributor_edits_items_and_folders_but_not_members_or_workspace(team):
    c = team.contributor
    folder = await c.folders.create(team.id, "Ingest")
    it = await c.items.create(team.id, ItemInput("notebook", "etl", folder_id=folder.id))
    await c.items.rename(team.id, it.id, "etl v2")
    await c.comments.add(team.id, it.id, "looks good")
    before = await snapshot(team.owner, team.id)
    for coro in (
        c.members.add(team.id, upn("kim.scientist"), "viewer"),
        c.members.set_role(team.id, upn("ravi.viewer"), "admin"),
        c.members.remove(team.id, upn("ravi.viewer")),
        c.workspaces.update(team.id, {"name": "taken over"}, etag=None),
        c.workspaces.delete(team.id),
    ):
        with pytest.raises(Forbidden) as err:
            await coro
        assert "contributor" in str(err.value)
    assert await snapshot(team.owner, team.id) == before


async def test_workspace_admin_manages_members_and_edits_workspace(team):
    await team.admin.members.add(team.id, upn("kim.scientist"), "viewer")
    ws = await team.admin.workspaces.update(team.id, {"description": "edited by dana"}, etag=None)
    assert ws.description == "edited by dana"


async def test_tenant_admin_manages_a_workspace_they_are_not_member_of(team):
    assert upn("ops.admin") not in team.ws.doc["memberUpns"]
    await team.tenant_admin.members.add(team.id, upn("kim.scientist"), "contributor")
    assert upn("kim.scientist") in (await team.tenant_admin.workspaces.get(team.id)).doc["memberUpns"]


async def test_workspace_admin_member_can_delete_but_contributor_could_not(team):
    await team.admin.workspaces.delete(team.id)
    with pytest.raises(NotFoundError):
        await team.owner.workspaces.get(team.id)


async def test_read_only_refuses_before_role_checks(team, open_as):
    ro = await open_as("lee.engineer", read_only=True)
    before = await snapshot(team.owner, team.id)
    for coro in (
        ro.items.create(team.id, ItemInput("notebook", "nb")),
        ro.folders.create(team.id, "F"),
        ro.members.add(team.id, upn("kim.scientist"), "viewer"),
        ro.workspaces.update(team.id, {"description": "x"}, etag=None),
    ):
        with pytest.raises(ReadOnlyError):
            await coro
    assert await snapshot(team.owner, team.id) == before
