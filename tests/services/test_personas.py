"""Personas of the local profile: ``loom --as viewer|contributor|admin|tenant-admin`` each acts as
a demo user who holds exactly that role (the seed makes it so), and sees what that role sees."""

from __future__ import annotations

import pytest

from loom_tui.config import Profile
from loom_tui.domain.workspace import WorkspaceView
from loom_tui.errors import Forbidden, UsageError
from loom_tui.local.demo import DEMO_SESSION, PERSONAS, persona_session
from loom_tui.wiring import open_context
from loom_tui.services.workspaces.items import ItemInput


@pytest.fixture
async def persona(data_dir):
    opened = []

    async def _open(name: str | None):
        c = await open_context(Profile(), data_dir=data_dir, persona=name)
        opened.append(c)
        return c

    yield _open
    for c in opened:
        await c.close()


async def roles_of(ctx) -> dict[str, str]:
    n = await ctx.workspaces.count()
    rows = await ctx.workspaces.window(WorkspaceView(), 0, n)
    return {r.id: (await ctx.roles.role_in(r.id)).value for r in rows}


async def test_each_persona_holds_the_role_it_names(persona):
    tenant_admin = await persona("tenant-admin")
    assert tenant_admin.session == DEMO_SESSION and tenant_admin.session.is_tenant_admin
    total = await tenant_admin.workspaces.count()
    viewer, contributor, admin = await persona("viewer"), await persona("contributor"), await persona("admin")
    v, c, a = await roles_of(viewer), await roles_of(contributor), await roles_of(admin)
    assert v and set(v.values()) == {"viewer"}
    assert c and set(c.values()) <= {"contributor", "viewer"} and "contributor" in c.values()
    assert a and "admin" in a.values()
    assert all(len(r) < total for r in (v, c, a))  # none of them sees the whole tenant
    assert not any(x.session.is_tenant_admin for x in (viewer, contributor, admin))


async def test_each_persona_can_do_what_its_role_allows_and_no_more(persona):
    viewer, contributor = await persona("viewer"), await persona("contributor")
    ws_v = next(iter(await roles_of(viewer)))
    with pytest.raises(Forbidden):
        await viewer.items.create(ws_v, ItemInput("notebook", "viewer_cannot"))
    roles = await roles_of(contributor)
    ws_c = next(w for w, r in roles.items() if r == "contributor")
    made = await contributor.items.create(ws_c, ItemInput("notebook", "contributor_can"))
    assert made.doc["createdBy"].startswith("sam.analyst@")
    with pytest.raises(Forbidden):
        await contributor.members.add(ws_c, "kim.scientist@contoso-demo.example", "viewer")
    with pytest.raises(Forbidden):
        await contributor.usage.report()


def test_personas_are_the_four_roles_and_nothing_else():
    assert PERSONAS == ("tenant-admin", "admin", "contributor", "viewer")
    assert persona_session(None) == DEMO_SESSION
    with pytest.raises(UsageError, match="no persona"):
        persona_session("root")


async def test_a_persona_is_refused_on_a_real_profile(data_dir):
    with pytest.raises(UsageError, match="local profile"):
        await open_context(Profile(name="prod", store="cosmos", cosmos_endpoint="https://x.documents.azure.com:443/"),
                           data_dir=data_dir, persona="viewer")
