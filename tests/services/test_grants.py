"""Workspace access as the web console grants it: ``workspace-roles`` documents by principal id,
the member named by UPN, object id or group name and resolved through the principal lookup
(Microsoft Graph; here the demo tenant's directory in memory — tests/azure/test_graph.py holds the
Graph client to the demo Azure's Graph)."""

from __future__ import annotations

import pytest

from loom_tui.domain.principal import Principal
from loom_tui.errors import ConflictError, NotFoundError, ValidationError
from loom_tui.local.demo import DEMO_GROUPS
from loom_tui.services.workspaces.grants import PENDING_DETAIL
from loom_tui.services.principals import GraphUnavailable, NoGraph, StaticPrincipals
from loom_tui.wiring import demo_principals
from loom_tui.services.roles import Role
from loom_tui.store.query import ALL

from .conftest import upn
from .test_console_contract import grants_with, problems

ENGINEERS = next(oid for oid, name, _ in DEMO_GROUPS if name == "Data Engineers")


async def all_grants(c, ws_id: str) -> list[dict]:
    ws = await c.scoped.workspace(ws_id)
    return (await c.scoped.ws_query(ws, "workspace-roles", ALL, max_items=1000)).items


async def test_grant_by_upn_writes_the_consoles_document_and_gives_the_role(team, open_as):
    grants = grants_with(team.owner, demo_principals())
    doc = await grants.grant(team.id, " Kim.Scientist@CONTOSO-demo.example ", "Member")
    kim = await open_as("kim.scientist")
    oid = kim.session.user_oid
    assert doc.id == f"{team.id}:{oid}" and doc.doc["workspaceId"] == team.id and doc.principal_id == oid
    assert (doc.principal_type, doc.role, doc.name, doc.upn, doc.is_grant) == ("User", "Member", "Kim Scientist", None, True)
    assert doc.added_by == team.owner.session.upn and doc.added_at
    assert doc.doc["azureRoleStatus"] == "pending" and doc.doc["azureRoleDetail"] == PENDING_DETAIL
    assert problems(doc.doc, "WorkspaceRoleAssignment") == []
    assert await kim.roles.role_in(team.id) is Role.CONTRIBUTOR  # the console's Member writes


async def test_grant_by_group_name_and_regrant_changes_the_role(team):
    grants = grants_with(team.owner, demo_principals())
    doc = await grants.grant(team.id, "Data Engineers", "viewer")
    assert (doc.id, doc.principal_type, doc.role) == (f"{team.id}:{ENGINEERS}", "Group", "Viewer")
    again = await grants.grant(team.id, ENGINEERS, "Admin")  # by object id: the same document
    assert again.id == doc.id and again.role == "Admin" and again.added_at == doc.added_at
    assert [g["role"] for g in await all_grants(team.owner, team.id)] == ["Admin"]
    assert problems(again.doc, "WorkspaceRoleAssignment") == []


async def test_unknown_and_bad_input_write_nothing(team):
    grants = grants_with(team.owner, demo_principals())
    with pytest.raises(NotFoundError, match="no user nobody@contoso-demo.example"):
        await grants.grant(team.id, "nobody@contoso-demo.example", "Viewer")
    with pytest.raises(NotFoundError, match="named 'No Such Group'"):
        await grants.grant(team.id, "No Such Group", "Viewer")
    with pytest.raises(NotFoundError):
        await grants.grant(team.id, "00000000-0000-4000-8000-000000000000", "Viewer")
    with pytest.raises(ValidationError):
        await grants.grant(team.id, "Data Engineers", "Owner")
    assert await all_grants(team.owner, team.id) == []


async def test_a_name_several_principals_share_lists_them(team):
    grants = grants_with(team.owner, demo_principals())
    with pytest.raises(ConflictError) as e:
        await grants.grant(team.id, "Contractors", "Viewer")
    ids = [oid for oid, name, _ in DEMO_GROUPS if name == "Contractors"]
    assert len(ids) == 2 and all(i in str(e.value) for i in ids)
    assert await all_grants(team.owner, team.id) == []


async def test_display_names_from_the_directory_are_shown_visibly(team):
    evil = "\x1b]52;c;aGk=\x07Ops"
    lookup = StaticPrincipals([Principal("11111111-1111-4111-8111-111111111111", "Group", evil),
                               Principal("22222222-2222-4222-8222-222222222222", "Group", evil)])
    with pytest.raises(ConflictError) as e:
        await grants_with(team.owner, lookup).grant(team.id, evil, "Viewer")
    assert "\x1b" not in str(e.value) and "\x07" not in str(e.value) and "\\x1b" in str(e.value)


async def test_a_cloud_without_graph_takes_an_object_id_with_its_type_only(team):
    grants = grants_with(team.owner, NoGraph("USSec"))
    with pytest.raises(GraphUnavailable, match="needs Microsoft Graph.*USSec"):
        await grants.grant(team.id, "Data Engineers", "Viewer")
    with pytest.raises(GraphUnavailable, match="needs Microsoft Graph"):
        await grants.grant(team.id, upn("kim.scientist"), "Viewer")
    with pytest.raises(GraphUnavailable, match="--type"):
        await grants.grant(team.id, ENGINEERS, "Viewer")
    assert await all_grants(team.owner, team.id) == []
    doc = await grants.grant(team.id, ENGINEERS.upper(), "Viewer", principal_type="Group")
    assert (doc.principal_id, doc.principal_type, doc.name) == (ENGINEERS, "Group", ENGINEERS)
    await grants.revoke(team.id, ENGINEERS)  # its own principal id needs no directory
    assert await all_grants(team.owner, team.id) == []


async def test_a_new_grant_replaces_the_legacy_binding(team):
    """sam.analyst holds a legacy ``workspace-permissions`` contributor binding; granted Viewer in
    ``workspace-roles``, the binding goes, so the lower role is the one that holds."""
    grants = grants_with(team.owner, demo_principals())
    await grants.grant(team.id, upn("sam.analyst"), "Viewer")
    ws = await team.owner.scoped.workspace(team.id)
    assert await team.owner.scoped.ws_get(ws, "workspace-permissions", f"{team.id}:{upn('sam.analyst')}") is None
    assert await team.contributor.roles.role_in(team.id) is Role.VIEWER
    # the creator's implicit binding is never dropped
    await grants.grant(team.id, upn("lee.engineer"), "Viewer")
    assert await team.owner.members.list(team.id)  # still listed
    assert await team.owner.roles.role_in(team.id) is Role.ADMIN


async def test_revoke_by_upn_and_only_admins_grant(team):
    from loom_tui.errors import Forbidden

    grants = grants_with(team.owner, demo_principals())
    await grants.grant(team.id, upn("kim.scientist"), "Admin")
    with pytest.raises(Forbidden):
        await grants_with(team.contributor, demo_principals()).grant(team.id, "Analysts", "Admin")
    await grants.revoke(team.id, upn("kim.scientist"))
    assert await all_grants(team.owner, team.id) == []
    with pytest.raises(NotFoundError):
        await grants.revoke(team.id, upn("kim.scientist"))
