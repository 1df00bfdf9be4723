"""The domains registry in the web console's shape (``lib/azure/domain-registry.ts``, pinned
commit): ``{id: "domains:<tid>", tenantId, kind: "domains", items: [{id, name, ...}]}``; a
workspace's ``domain`` is a domain id.  On both adapters."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator

import pytest

from loom_tui.config import Profile
from loom_tui.domain.workspace import WorkspaceView
from loom_tui.errors import ValidationError
from loom_tui.services.context import AppContext
from loom_tui.wiring import context as make_context
from loom_tui.services.domains import STARTERS, chargeback_tag
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.store.port import DocumentStore
from tests.store.conftest import close_store, open_store
from tests.support import webconsole as wc
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    s = await open_store(request.param, request, tmp_path)
    try:
        yield s
    finally:
        await close_store(s)


def as_admin(store: DocumentStore, *, read_only: bool = False) -> AppContext:
    return make_context(profile=Profile(), store=store, session=wc.ADMIN.session(tenant_admin=True), read_only=read_only)


async def _doc(store: DocumentStore) -> dict | None:
    return await store.get("tenant-settings", wc.TENANT, f"domains:{wc.TENANT}")


async def test_a_tenant_without_a_registry_gets_the_console_s_starter_set(store) -> None:
    ctx = as_admin(store)
    assert await ctx.workspaces.domains() == [s[1] for s in STARTERS]
    doc = await _doc(store)
    assert doc is not None and doc["kind"] == "domains" and doc["tenantId"] == wc.TENANT
    assert [i["id"] for i in doc["items"]] == [s[0] for s in STARTERS] and doc["items"][0]["id"] == "default"
    assert "domains" not in doc  # loom's old key: the console's doc.items.some(...) must never meet it instead


async def test_read_only_shows_the_starters_and_writes_nothing(store) -> None:
    ctx = as_admin(store, read_only=True)
    assert "Default" in await ctx.workspaces.domains()
    assert await _doc(store) is None


async def test_a_workspace_stores_the_domain_id_given_by_id_or_name(store) -> None:
    await wc.load(store)
    ctx = as_admin(store)
    by_name = await ctx.workspaces.create(WorkspaceInput(name="By name", domain="operations"))  # the name of "ops"
    assert by_name.doc["domain"] == "ops"
    by_id = await ctx.workspaces.create(WorkspaceInput(name="By id", domain="FINANCE"))
    assert by_id.doc["domain"] == "finance"
    plain = await ctx.workspaces.create(WorkspaceInput(name="No domain"))
    assert plain.doc["domain"] == "default"  # the console's create: domain defaults to 'default'
    assert await ctx.workspaces.domain_names() == {"default": "Default", "finance": "Finance", "ops": "Operations"}
    with pytest.raises(ValidationError, match="not one of this tenant's domains"):
        await ctx.workspaces.create(WorkspaceInput(name="Nope", domain="Logistics"))
    rows = await ctx.workspaces.window(WorkspaceView(domain="Operations"), 0, 50)
    assert {r.id for r in rows} == {by_name.id, wc.WS_OPS}


async def test_a_new_domain_is_an_item_in_the_console_s_shape_and_unknown_fields_stay(store) -> None:
    await wc.load(store)
    ctx = as_admin(store)
    ws = await ctx.workspaces.create(WorkspaceInput(name="Claims", domain="claims-east", new_domain=True))
    assert ws.doc["domain"] == "claims-east"
    doc = await _doc(store)
    new = next(i for i in doc["items"] if i["id"] == "claims-east")
    assert new["name"] == "claims-east" and new["status"] == "registered" and new["createdBy"]
    assert doc["futureField"] == wc.DOMAINS_DOC["futureField"] and doc["wcSchemaVersion"] == 3  # unknown fields kept
    finance = next(i for i in doc["items"] if i["id"] == "finance")
    assert finance["domain-itemFlags"] == {"beta": True, "tags": ["a", "b"]} and finance["subscriptionIds"]


async def test_loom_s_old_registry_is_read_and_rewritten_in_the_console_s_shape(store) -> None:
    await store.upsert("tenant-settings", {"id": f"domains:{wc.TENANT}", "tenantId": wc.TENANT, "domains": [
        {"id": "finance", "name": "finance", "displayName": "Finance", "createdAt": "2025-01-01T00:00:00Z", "createdBy": "x"},
        {"name": "hr"}]})
    ctx = as_admin(store)
    assert await ctx.workspaces.domain_names() == {"finance": "Finance", "hr": "hr"}
    await ctx.workspaces.create(WorkspaceInput(name="People", domain="lab", new_domain=True))
    doc = await _doc(store)
    assert "domains" not in doc and doc["kind"] == "domains"
    assert [i["id"] for i in doc["items"]] == ["finance", "hr", "lab"]


async def test_the_dlz_binding_is_written_as_upsertDomainBinding_does(store) -> None:
    await wc.load(store)
    ctx = as_admin(store)
    sub = "AAAAAAAA-1111-4222-8333-444444444444"
    item = await ctx.workspaces.registry.upsert_binding("Operations", subscription_ids=[sub, "not-a-guid"], dlz_rg="rg-ops",
                                                        location="eastus2", capacity_sku="F64")
    assert item["id"] == "ops" and item["subscriptionIds"] == [sub.lower()] and item["status"] == "active"
    assert item["chargebackTag"] == chargeback_tag("ops") and item["dlzRg"] == "rg-ops" and item["capacitySku"] == "F64"
    assert item["parentId"] == "default"  # what was there stays
    again = await ctx.workspaces.registry.upsert_binding("ops", subscription_ids=["bbbbbbbb-1111-4222-8333-444444444444"])
    assert again["subscriptionIds"] == [sub.lower(), "bbbbbbbb-1111-4222-8333-444444444444"]  # a union
    fresh = await ctx.workspaces.registry.upsert_binding("Claims West")
    assert fresh["id"] == "claims-west" and fresh["status"] == "registered"
