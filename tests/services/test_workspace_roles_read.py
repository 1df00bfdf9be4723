"""The console's sharing (``workspace-roles``, lib/azure/workspace-roles-client.ts at the pinned
commit) gives access in loom: a grant names a principal id — the user's object id, or a group of
their token — with one of the console's four roles, mapped onto loom's (README).  On both adapters."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import AsyncIterator

import pytest

from loom_tui.config import Profile
from loom_tui.domain.workspace import WorkspaceView
from loom_tui.services.context import AppContext
from loom_tui.wiring import context as make_context
from loom_tui.services.errors import Forbidden, NotFoundError
from loom_tui.services.roles import Action, Role
from loom_tui.store.port import DocumentStore
from tests.store.conftest import close_store, open_store
from tests.support import webconsole as wc
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

GROUP = "6a000000-0000-4000-8000-0000000000a1"
OTHER_GROUP = "6a000000-0000-4000-8000-0000000000b2"


def grant(ws_id: str, principal: str, ptype: str, role: str, name: str) -> dict:
    """A grant as the console's addRole writes it."""
    return {"id": f"{ws_id}:{principal}", "workspaceId": ws_id, "principalId": principal, "principalType": ptype,
            "displayName": name, "role": role, "azureRoleStatus": "pending", "azureRoleDetail": "LOOM_DLZ_RG not configured.",
            "addedBy": wc.CREATOR.upn, "addedAt": wc.ago(days=2)}


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    s = await open_store(request.param, request, tmp_path)
    try:
        await wc.load(s)
        await s.upsert_many("workspace-roles", [
            grant(wc.WS_SANDBOX, wc.OUTSIDER.oid, "User", "Member", wc.OUTSIDER.name),
            grant(wc.WS_SALES, GROUP, "Group", "Contributor", "Sales readers"),
            grant(wc.WS_OPS, GROUP, "Group", "Admin", "Sales readers"),
            grant(wc.WS_UBER, OTHER_GROUP, "Group", "Admin", "Someone else's group"),
        ])
        yield s
    finally:
        await close_store(s)


def as_user(store: DocumentStore, user: wc.User, groups: tuple[str, ...] = ()) -> AppContext:
    return make_context(profile=Profile(), store=store, session=replace(user.session(), groups=groups))


async def ids(ctx: AppContext) -> set[str]:
    return {r.id for r in await ctx.workspaces.window(WorkspaceView(), 0, 100)}


async def test_a_direct_grant_lists_opens_and_maps_member_to_contributor(store) -> None:
    oz = as_user(store, wc.OUTSIDER)
    assert await ids(oz) == {wc.WS_SANDBOX}
    assert await oz.roles.role_in(wc.WS_SANDBOX) == Role.CONTRIBUTOR
    assert Action.EDIT_ITEMS in await oz.roles.allowed_actions(wc.WS_SANDBOX)
    assert Action.MANAGE_MEMBERS not in await oz.roles.allowed_actions(wc.WS_SANDBOX)
    with pytest.raises(NotFoundError):
        await oz.workspaces.get(wc.WS_SALES)


async def test_a_group_of_the_token_grants_and_the_highest_role_wins(store) -> None:
    oz = as_user(store, wc.OUTSIDER, groups=(GROUP,))
    # the console's listAccessibleWorkspaces lists direct grants only: a group's open by id
    assert await ids(oz) == {wc.WS_SANDBOX}
    assert {(await oz.workspaces.get(w)).id for w in (wc.WS_SALES, wc.WS_OPS)} == {wc.WS_SALES, wc.WS_OPS}
    assert await oz.roles.role_in(wc.WS_SALES) == Role.VIEWER  # the console's Contributor is read-only
    with pytest.raises(Forbidden):
        await oz.roles.require(wc.WS_SALES, Action.EDIT_ITEMS)
    assert await oz.roles.role_in(wc.WS_OPS) == Role.ADMIN
    member = as_user(store, wc.MEMBER, groups=(GROUP,))  # a contributor binding in workspace-permissions too
    assert await member.roles.role_in(wc.WS_SALES) == Role.CONTRIBUTOR  # the higher of the two


async def test_a_group_not_in_the_token_grants_nothing(store) -> None:
    oz = as_user(store, wc.OUTSIDER, groups=("6a000000-0000-4000-8000-0000000000ff",))
    assert wc.WS_UBER not in await ids(oz)
    with pytest.raises(NotFoundError):
        await oz.workspaces.get(wc.WS_UBER)
