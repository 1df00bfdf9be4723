"""Capacity is a real SKU or none; the domain is one of the tenant's, or a new one by choice.

Stored values the web console allowed ("Premium P1", "Shared (Pro)", "Trial") stay when an edit
leaves them as they are; typed new they are refused.  Messages name fields as the form does."""

from __future__ import annotations

import pytest

from loom_tui.domain.workspace_fields import CAPACITY_SKUS, check_capacity
from loom_tui.errors import ValidationError
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.store.query import Filter, Op, Query


@pytest.mark.parametrize("typed, stored", [("f64", "F64"), (" F2 ", "F2"), ("F2048", "F2048"), ("p1", "P1"), ("", "")])
def test_real_skus_are_accepted_and_spelt_upper_case(typed, stored):
    assert check_capacity(typed) == stored


@pytest.mark.parametrize("typed", ["lol", "F3", "F4096", "Trial", "Shared (Pro)", "Premium P1", "P6", "F 64"])
def test_anything_else_is_refused_naming_the_field(typed):
    with pytest.raises(ValidationError) as err:
        check_capacity(typed)
    assert err.value.field == "capacity" and str(err.value).startswith("Capacity ")
    assert "F2" in str(err.value) and "F2048" in str(err.value)


def test_a_sku_inside_free_text_is_named():
    with pytest.raises(ValidationError, match="type P1"):
        check_capacity("Premium P1")


def test_the_sku_list_is_fabric_and_power_bi_premium():
    assert CAPACITY_SKUS[:3] == ("F2", "F4", "F8") and "F64" in CAPACITY_SKUS and "P1" in CAPACITY_SKUS
    assert "F3" not in CAPACITY_SKUS and "Trial" not in CAPACITY_SKUS


async def test_create_refuses_a_bad_capacity_and_writes_nothing(ctx):
    before = await ctx.workspaces.count()
    with pytest.raises(ValidationError) as err:
        await ctx.workspaces.create(WorkspaceInput(name="Bad sku", capacity="lol"))
    assert err.value.field == "capacity" and "'lol' is not a capacity SKU" in str(err.value)
    assert await ctx.workspaces.count() == before


async def test_create_refuses_an_unknown_domain_unless_new_is_chosen(ctx):
    with pytest.raises(ValidationError) as err:
        await ctx.workspaces.create(WorkspaceInput(name="Bad domain", domain="Bad Domain!!"))
    assert err.value.field == "domain" and str(err.value).startswith("Domain 'Bad Domain!!' is not one of this tenant's domains")
    assert "Finance" in str(err.value) and "New domain" in str(err.value)  # the domains by name
    with pytest.raises(ValidationError, match="cannot be a new domain: only lower-case"):
        await ctx.workspaces.create(WorkspaceInput(name="Bad domain", domain="Bad Domain!!", new_domain=True))
    with pytest.raises(ValidationError, match="not one of this tenant's domains"):
        await ctx.workspaces.create(WorkspaceInput(name="New domain", domain="logistics"))
    assert not await ctx.scoped.workspaces_in_tenant(Query((Filter("name", Op.IEQUALS, "Bad domain"),)), max_items=5)


async def test_a_new_domain_by_choice_joins_the_tenants_domains(ctx):
    ws = await ctx.workspaces.create(WorkspaceInput(name="New domain", domain="logistics", new_domain=True))
    assert ws.doc["domain"] == "logistics" and "logistics" in await ctx.workspaces.domains()
    # from now on it is one of the tenant's: no choice needed, any case
    other = await ctx.workspaces.create(WorkspaceInput(name="Second", domain="Logistics", capacity="f8"))
    assert other.doc["domain"] == "logistics" and other.doc["capacity"] == "F8"


async def test_an_edit_keeps_a_stored_free_text_capacity_but_refuses_a_new_one(ctx):
    ws = await ctx.workspaces.create(WorkspaceInput(name="Legacy", capacity="F8", domain="hr"))
    # the web console stored free text: put it there as it would
    await ctx.scoped.workspace_replace(await ctx.scoped.workspace(ws.id), {**ws.doc, "capacity": "Premium P1", "domain": "Old Domain"},
                                       if_match=ws.etag)
    current = await ctx.workspaces.get(ws.id)
    # an edit of another field (or the same value sent back) keeps both as stored
    edited = await ctx.workspaces.update(ws.id, {"description": "kept", "capacity": "Premium P1", "domain": "Old Domain"},
                                         etag=current.etag)
    assert edited.doc["capacity"] == "Premium P1" and edited.doc["domain"] == "Old Domain" and edited.doc["description"] == "kept"
    with pytest.raises(ValidationError, match="Capacity 'Trial' is not a capacity SKU"):
        await ctx.workspaces.update(ws.id, {"capacity": "Trial"}, etag=edited.etag)
    with pytest.raises(ValidationError, match="Domain 'Another' is not one of"):
        await ctx.workspaces.update(ws.id, {"domain": "Another"}, etag=edited.etag)
    fixed = await ctx.workspaces.update(ws.id, {"capacity": "p1", "domain": "FINANCE"}, etag=edited.etag)
    assert fixed.doc["capacity"] == "P1" and fixed.doc["domain"] == "finance"


async def test_messages_name_fields_as_the_form_does(ctx):
    with pytest.raises(ValidationError) as err:
        await ctx.workspaces.create(WorkspaceInput(name="  "))
    assert str(err.value) == "Name is required"
    ws = await ctx.workspaces.create(WorkspaceInput(name="Labels"))
    from loom_tui.services.workspaces.items import ItemInput

    with pytest.raises(ValidationError) as err:
        await ctx.items.create(ws.id, ItemInput("notebook", ""))
    assert str(err.value) == "Name is required" and "displayName" not in str(err.value)
