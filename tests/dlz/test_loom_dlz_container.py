"""loom's DLZ records and wizard drafts live in loom's own ``loom-dlz`` container; the console's
``landing-zones`` holds only its LandingZone documents.  Records an older loom wrote into
``landing-zones`` are still read, and moved out on the next save (a console document there is
never touched)."""

from __future__ import annotations

import pytest

from loom_tui.config import Profile
from loom_tui.wiring import open_context
from loom_tui.services.dlz.drafts import DraftService
from loom_tui.services.dlz.registry import DlzRegistry


@pytest.fixture
async def ctx(tmp_path):
    c = await open_context(Profile(), data_dir=str(tmp_path / "data"))
    yield c
    await c.close()


PLAN = {"domain": "claims", "subscription_id": "11111111-2222-4333-8444-555555555555", "region": "eastus2",
        "resource_group": "rg-csa-loom-dlz-claims-eastus2", "spoke_vnet_id": "/x/vnet", "address_space": "10.9.0.0/16",
        "capacity": "", "capacity_sku": "F8", "storage_account": "sa", "key_vault": "", "boundary": "commercial",
        "deployment_name": "d"}


async def test_old_records_in_landing_zones_are_read_then_moved_on_save(ctx) -> None:
    tid = ctx.session.tenant_id
    await ctx.store.upsert("landing-zones", {"id": "dlz:claims", "tenantId": tid, "kind": "dlz", "domain": "claims", "state": "failed"})
    old_draft = DraftService(ctx.scoped, ctx.require_writable).new()
    await ctx.store.upsert("landing-zones", {"id": f"draft:{old_draft.draft_id}", "tenantId": tid, "kind": "draft", **old_draft.to_doc(),
                                             "updatedBy": ctx.session.upn, "owner": ctx.session.user_oid})
    console_lz = {"id": "claims", "tenantId": tid, "name": "claims", "resourceGroups": [], "createdBy": "x", "createdAt": "t",
                  "updatedAt": "t"}
    await ctx.store.upsert("landing-zones", console_lz)
    reg = DlzRegistry(ctx.scoped, ctx.require_writable)
    assert (await reg.get("claims")).state == "failed"
    assert "claims" in [r.domain for r in await reg.list()]
    drafts = DraftService(ctx.scoped, ctx.require_writable)
    assert old_draft.draft_id in [r.wizard.draft_id for r in await drafts.all()]
    await reg.save(PLAN, state="deployed")
    assert await ctx.store.get("landing-zones", tid, "dlz:claims") is None
    assert (await ctx.store.get("loom-dlz", tid, "dlz:claims"))["state"] == "deployed"
    await drafts.delete(old_draft.draft_id)
    assert await ctx.store.get("landing-zones", tid, f"draft:{old_draft.draft_id}") is None
    assert await ctx.store.get("landing-zones", tid, "claims") is not None  # the console's stays


async def test_new_drafts_go_to_loom_dlz(ctx) -> None:
    drafts = DraftService(ctx.scoped, ctx.require_writable)
    w = drafts.new()
    await drafts.save(w)
    tid = ctx.session.tenant_id
    assert await ctx.store.get("loom-dlz", tid, f"draft:{w.draft_id}") is not None
    assert await ctx.store.get("landing-zones", tid, f"draft:{w.draft_id}") is None


async def test_a_record_an_older_loom_wrote_with_stages_is_read_and_saved_without_them(ctx) -> None:
    tid = ctx.session.tenant_id
    old = {"id": "dlz:claims", "tenantId": tid, "kind": "dlz", "domain": "claims", "state": "failed", "subscriptionId": PLAN["subscription_id"],
           "peering": {"hub-to-spoke": "Connected"}, "dnsLinks": [{"zone": "z", "state": "Completed"}], "plan": PLAN,
           "stages": {"permissions": {"state": "succeeded", "message": ""}, "deploy": {"state": "failed", "message": "DeploymentFailed"}}}
    await ctx.store.upsert("loom-dlz", old)
    reg = DlzRegistry(ctx.scoped, ctx.require_writable)
    rec = await reg.get("claims")
    assert (rec.state, rec.peering, rec.dns_links, rec.plan) == ("failed", {"hub-to-spoke": "Connected"}, [{"zone": "z", "state": "Completed"}], PLAN)
    assert [r.domain for r in await reg.list()] == ["claims"]
    await reg.save(PLAN, state="deploying")  # the stages are the operation's: the record keeps the outcome only
    doc = await ctx.store.get("loom-dlz", tid, "dlz:claims")
    assert "stages" not in doc and doc["state"] == "deploying" and doc["peering"] == {"hub-to-spoke": "Connected"}
    assert doc["dnsLinks"] == [{"zone": "z", "state": "Completed"}] and doc["plan"] == PLAN
