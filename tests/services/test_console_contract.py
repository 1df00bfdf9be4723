"""A contract from the web console's own types: every document loom writes into a container the
console reads validates against the JSON Schema generated from the console's TypeScript type at
the pinned commit (tests/fixtures/console-schemas, README there), on both adapters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import AsyncIterator

import jsonschema
import pytest

from loom_tui.config import Profile
from loom_tui.services.context import AppContext
from loom_tui.wiring import context as make_context
from loom_tui.services.dlz.console_record import record_for_console
from loom_tui.services.workspaces.grants import GrantService
from loom_tui.services.principals import PrincipalLookup
from loom_tui.wiring import demo_principals
from loom_tui.services.workspaces.items import ItemInput
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.store.port import DocumentStore
from loom_tui.store.query import ALL
from tests.store.conftest import close_store, open_store
from tests.support import webconsole as wc
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)


def grants_with(ctx: AppContext, lookup: PrincipalLookup) -> GrantService:
    """``ctx``'s grant service with ``lookup`` for the run's principal lookup."""

    async def principals() -> PrincipalLookup:
        return lookup

    return GrantService(ctx.scoped, ctx.gate, ctx.members, principals)


SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "console-schemas"
# container -> the console's type of its documents (a container's documents of another kind, such
# as tenant-settings' settings document, are matched by id below)
TYPES = {"workspaces": "Workspace", "items": "WorkspaceItem", "folders": "WorkspaceFolder", "landing-zones": "LandingZone",
         "workspace-roles": "WorkspaceRoleAssignment"}


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def problems(doc: dict, type_name: str) -> list[str]:
    body = {k: v for k, v in doc.items() if k not in ("_etag", "_ts")}
    v = jsonschema.Draft7Validator(schema(type_name))
    return [f"{type_name} {doc.get('id')}: {'/'.join(map(str, e.absolute_path)) or '(doc)'}: {e.message}" for e in v.iter_errors(body)]


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    s = await open_store(request.param, request, tmp_path)
    try:
        yield s
    finally:
        await close_store(s)


PLAN = {"domain": "claims", "subscription_id": "11111111-2222-4333-8444-555555555555", "region": "eastus2",
        "resource_group": "rg-csa-loom-dlz-claims-eastus2", "hub_vnet_id": "/subscriptions/aaaaaaaa-0000-4000-8000-000000000001/x",
        "spoke_vnet_id": "/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg/providers/Microsoft.Network/"
                         "virtualNetworks/vnet", "capacity_sku": "F8", "boundary": "commercial"}


async def test_every_document_loom_writes_validates_against_the_console_s_types(store) -> None:
    ctx = make_context(profile=Profile(), store=store, session=wc.ADMIN.session(tenant_admin=True))
    ws = await ctx.workspaces.create(WorkspaceInput(name="Contract", description="d", capacity="F64"))
    bare = await ctx.workspaces.create(WorkspaceInput(name="Bare"))  # no capacity, no description
    new_domain = await ctx.workspaces.create(WorkspaceInput(name="Claims ws", domain="claims", new_domain=True))
    await ctx.workspaces.update(ws.id, {"description": "", "capacity": ""}, etag=(await ctx.workspaces.get(ws.id)).etag)
    folder = await ctx.folders.create(ws.id, "Reports")
    await ctx.folders.create(ws.id, "Sub", parent=folder.id)
    await ctx.items.create(ws.id, ItemInput("notebook", "nb one", folder_id=folder.id))
    item = await ctx.items.create(ws.id, ItemInput("lakehouse", "lake"))
    await ctx.items.rename(ws.id, item.id, "lake two")
    await record_for_console(ctx.scoped, PLAN)
    grants = grants_with(ctx, demo_principals())  # member grants (tests/services/test_grants.py)
    await grants.grant(ws.id, "Data Engineers", "Member")
    await grants.grant(ws.id, "kim.scientist@contoso-demo.example", "Viewer")
    await grants.grant(ws.id, "kim.scientist@contoso-demo.example", "Admin")  # a re-grant replaces
    tid = wc.TENANT
    found: list[str] = []
    checked = 0
    for container, type_name in TYPES.items():
        async for doc in store.iterate_cross_partition(container, ALL):
            checked += 1
            found += problems(doc, type_name)
    domains = await store.get("tenant-settings", tid, f"domains:{tid}")
    found += problems(domains, "DomainsDoc")
    assert checked >= 10 and {bare.id, new_domain.id} <= {d["id"] async for d in store.iterate_cross_partition("workspaces")}
    assert not found, "\n".join(found)


def test_the_schemas_catch_a_broken_document() -> None:
    """The validator is not vacuous: the shapes the issue names fail."""
    assert problems({"id": f"domains:{wc.TENANT}", "tenantId": wc.TENANT, "domains": []}, "DomainsDoc")  # loom's old shape
    assert problems({"id": "dlz:x", "tenantId": wc.TENANT, "kind": "dlz", "domain": "x"}, "LandingZone")  # loom's old record
    assert problems({"id": "w:p", "workspaceId": "w", "principalId": "p", "principalType": "User", "displayName": "d",
                     "role": "admin", "addedBy": "u", "addedAt": "t"}, "WorkspaceRoleAssignment")  # loom's lower-case role
    assert problems({"id": "w", "tenantId": "t", "name": "n", "createdBy": "u", "createdAt": "t", "updatedAt": "t",
                     "capacity": None}, "Workspace")  # null where the console writes nothing
