"""Members: list, add by UPN, change role, remove; the creator is an implicit admin; memberUpns
(what makes a workspace visible) stays in step with the bindings."""

from __future__ import annotations

import asyncio

import pytest

from loom_tui.errors import ConflictError, NotFoundError, ReadOnlyError, ValidationError
from loom_tui.services.roles import Role

from .conftest import REJECTED, snapshot, upn, workspace_audit


async def test_list_shows_creator_as_implicit_admin(team):
    members = {m.upn: m for m in await team.viewer.members.list(team.id)}
    assert set(members) == {upn(a) for a in ("lee.engineer", "dana.steward", "sam.analyst", "ravi.viewer")}
    assert members[upn("lee.engineer")].implicit is True and members[upn("lee.engineer")].role == "admin"
    assert members[upn("lee.engineer")].creator and not members[upn("sam.analyst")].creator
    assert members[upn("sam.analyst")].role == "contributor"
    assert members[upn("sam.analyst")].name == "Sam Analyst"  # from the directory
    assert members[upn("sam.analyst")].principal_id == team.contributor.session.user_oid


async def test_add_grants_visibility_and_audits(team, open_as):
    kim = await open_as("kim.scientist")
    with pytest.raises(NotFoundError):
        await kim.workspaces.get(team.id)
    doc = await team.admin.members.add(team.id, "  Kim.Scientist@CONTOSO-demo.example ", "contributor")
    assert doc.upn == upn("kim.scientist") and doc.id == f"{team.id}:{upn('kim.scientist')}"
    assert upn("kim.scientist") in (await team.owner.workspaces.get(team.id)).doc["memberUpns"]
    assert (await kim.workspaces.get(team.id)).id == team.id
    assert await kim.roles.role_in(team.id) is Role.CONTRIBUTOR
    events = [e for e in await workspace_audit(team.owner, team.id) if e["action"] == "member.add"]
    kim_event = [e for e in events if "kim.scientist" in e["summary"]][0]
    assert kim_event["tenantId"] == team.owner.session.tenant_id and kim_event["upn"] == team.admin.session.upn
    assert kim_event["diff"]["role"] == [None, "contributor"]


async def test_add_refuses_duplicates_and_bad_input_writing_nothing(team):
    before = await snapshot(team.owner, team.id)
    with pytest.raises(ConflictError):
        await team.owner.members.add(team.id, upn("sam.analyst"), "viewer")
    bad_upns = REJECTED + ["no-at-sign", "two@@example.com", "[bold]x[/]@example.com", "a b@example.com", "x@nodot"]
    for bad in bad_upns:
        with pytest.raises(ValidationError) as err:
            await team.owner.members.add(team.id, bad, "viewer")
        assert err.value.field == "upn", bad
    for role in ("owner", "Admin", "", None):
        with pytest.raises(ValidationError):
            await team.owner.members.add(team.id, upn("kim.scientist"), role)  # type: ignore[arg-type]
    assert await snapshot(team.owner, team.id) == before


async def test_change_role(team):
    doc = await team.owner.members.set_role(team.id, upn("ravi.viewer"), "contributor")
    assert doc.role == "contributor"
    assert await team.viewer.roles.role_in(team.id) is Role.CONTRIBUTOR
    events = [e for e in await workspace_audit(team.owner, team.id) if e["action"] == "member.role"]
    assert events[0]["diff"] == {"role": ["viewer", "contributor"]}
    with pytest.raises(NotFoundError):
        await team.owner.members.set_role(team.id, upn("kim.scientist"), "viewer")


async def test_creator_cannot_be_demoted_or_removed(team):
    before = await snapshot(team.owner, team.id)
    for c in (team.admin, team.tenant_admin, team.owner):
        with pytest.raises(ConflictError) as err:
            await c.members.set_role(team.id, upn("lee.engineer"), "viewer")
        assert "created this workspace" in str(err.value) and "cannot be changed" in str(err.value)
        with pytest.raises(ConflictError) as err:
            await c.members.remove(team.id, upn("lee.engineer"))
        assert "cannot be removed" in str(err.value)
    assert await snapshot(team.owner, team.id) == before
    # "changing" the creator to admin is a no-op, not an error
    assert (await team.admin.members.set_role(team.id, upn("lee.engineer"), "admin")).role == "admin"


async def test_remove_takes_visibility_away(team):
    await team.admin.members.remove(team.id, upn("ravi.viewer"))
    ws = await team.owner.workspaces.get(team.id)
    assert upn("ravi.viewer") not in ws.doc["memberUpns"]
    with pytest.raises(NotFoundError):
        await team.viewer.workspaces.get(team.id)
    assert upn("ravi.viewer") not in {m.upn for m in await team.owner.members.list(team.id)}
    with pytest.raises(NotFoundError):
        await team.admin.members.remove(team.id, upn("ravi.viewer"))
    assert any(e["action"] == "member.remove" for e in await workspace_audit(team.owner, team.id))


async def test_concurrent_adds_all_land_in_member_upns(team, ctx):
    # three admins add three different people at once: ETag retries must keep every UPN
    await asyncio.gather(
        team.owner.members.add(team.id, upn("kim.scientist"), "viewer"),
        team.admin.members.add(team.id, upn("mo.contractor"), "viewer"),
        ctx.members.add(team.id, upn("ops.admin"), "admin"),
    )
    ws = await team.owner.workspaces.get(team.id)
    assert {upn("kim.scientist"), upn("mo.contractor"), upn("ops.admin")} <= set(ws.doc["memberUpns"])
    assert len(ws.doc["memberUpns"]) == 7 == len(await team.owner.members.list(team.id))


async def test_interrupted_add_is_finished_by_running_it_again(team):
    # simulate a crash between the binding write and the visibility write
    ws = await team.owner.scoped.workspace(team.id)
    await team.owner.scoped.ws_upsert(ws, "workspace-permissions", {"id": f"{team.id}:{upn('kim.scientist')}", "upn": upn("kim.scientist"), "role": "viewer", "implicit": False})
    await team.owner.members.add(team.id, upn("kim.scientist"), "viewer")
    assert upn("kim.scientist") in (await team.owner.workspaces.get(team.id)).doc["memberUpns"]


async def test_read_only_refuses_member_changes(team, open_as):
    ro = await open_as("lee.engineer", read_only=True)
    before = await snapshot(team.owner, team.id)
    for coro in (ro.members.add(team.id, upn("kim.scientist"), "viewer"), ro.members.set_role(team.id, upn("sam.analyst"), "viewer"),
                 ro.members.remove(team.id, upn("sam.analyst"))):
        with pytest.raises(ReadOnlyError):
            await coro
    assert await snapshot(team.owner, team.id) == before
    assert len(await ro.members.list(team.id)) == 4


def test_a_member_reads_bindings_and_grants_with_odd_fields_literally() -> None:
    from loom_tui.domain.member import GRANTS, Member

    binding = Member.from_binding({"id": "w:x@y.example", "upn": "x@y.example", "name": None, "role": 3, "addedAt": 0}, creator=True)
    assert (binding.name, binding.role, binding.added_at, binding.creator, binding.is_grant) == ("", "3", "0", True, False)
    assert binding.row() == {**binding.doc, "creator": True}  # the members list's row: the binding as stored
    grant = Member.from_grant({"id": "w:p", "principalId": "p", "displayName": "[b]Ops[/b]\x1b", "role": "Viewer", "extra": 1})
    assert grant.upn is None and grant.name == "[b]Ops[/b]\x1b" and grant.principal_type is None and grant.is_grant
    assert grant.row()["source"] == GRANTS and grant.row()["name"] == "[b]Ops[/b]\x1b" and "extra" not in grant.row()
