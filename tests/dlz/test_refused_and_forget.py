"""Issue 22 item 4: a DLZ deploy refused at the permissions stage records nothing; a failed record
reserves nothing (domain, subscription, address space); ``loom dlz forget`` removes a record for
tenant admins only, audited, with Azure untouched."""

from __future__ import annotations

import pytest

from loom_tui.demo_azure.estate_dlz import SPARE_SUB
from loom_tui.domain.dlz import DlzAnswers
from loom_tui.errors import Forbidden, NotFoundError
from loom_tui.services.dlz.plan import propose_address_space
from loom_tui.services.dlz.service import DlzService
from loom_tui.store.scoped import TENANT_SETTINGS_ITEM

from tests.services.conftest import open_as, data_dir  # noqa: F401  (fixtures)


def answers(facts, domain: str = "logistics", **over) -> DlzAnswers:
    a = {"boundary": "commercial", "mode": "multi-sub", "subscription_id": SPARE_SUB, "region": "eastus2", "domain": domain,
         "capacity_sku": "F8", "address_space": propose_address_space(facts),
         "parameters": {"adminEntraGroupId": "5a5a0000-0000-4000-8000-00000000ad01"}}
    a.update(over)
    return DlzAnswers(**a)


async def test_a_viewers_refused_deploy_leaves_no_record_and_squats_nothing(open_as):
    admin = await open_as(tenant_admin=True)  # the demo admin (seeds the store)
    viewer = await open_as("ravi.viewer")
    vsvc = DlzService(viewer)
    facts = await vsvc.facts()
    plan, facts = await vsvc.plan(answers(facts), facts)
    runner = await vsvc.runner(plan, facts, poll_seconds=0.2)
    assert await runner.run() is False
    assert runner.stages["permissions"]["state"] == "failed" and "missing Contributor" in runner.stages["permissions"]["message"]
    assert await vsvc.registry.find("logistics") is None  # nothing recorded
    asvc = DlzService(admin)
    f = await asvc.facts()
    assert "logistics" not in f.dlz_domains()
    same, _ = await asvc.plan(answers(f), f)  # the same domain, subscription and address space: accepted
    assert same.address_space == plan.address_space and same.subscription_id == SPARE_SUB


async def test_a_failed_record_reserves_nothing_and_forget_removes_it(open_as):
    admin = await open_as(tenant_admin=True)
    svc = DlzService(admin)
    f = await svc.facts()
    plan, f = await svc.plan(answers(f, domain="claims"), f)
    await svc.registry.save(plan.to_dict(), state="failed")
    f2 = await svc.facts()
    assert "claims" not in f2.dlz_domains() and all(t.cidr != plan.address_space for t in f2.taken())
    other, _ = await svc.plan(answers(f2, domain="claims", region="westus3", address_space=plan.address_space), f2)  # not the same run
    assert other.region == "westus3"
    again, _ = await svc.plan(answers(f2, domain="claims", address_space=plan.address_space), f2)  # the same answers resume it
    assert again.domain == "claims"

    viewer = await open_as("ravi.viewer")
    with pytest.raises(Forbidden):
        await DlzService(viewer).forget("claims")
    resources_before = await _resources(admin)
    rec = await svc.forget("claims")
    assert rec.state == "failed" and await svc.registry.find("claims") is None
    assert await _resources(admin) == resources_before  # Azure untouched
    with pytest.raises(NotFoundError):
        await svc.forget("claims")
    trail = (await admin.scoped.store.query("audit-log", TENANT_SETTINGS_ITEM.format(tid=admin.session.tenant_id))).items
    assert any(e.get("action") == "dlz.forget" and "claims" in e.get("summary", "") for e in trail)


async def _resources(ctx) -> list[str]:
    clients = await ctx.azure()
    return sorted([r["id"] async for r in clients.pages(f"/subscriptions/{SPARE_SUB}/resources", "2021-04-01")])


def test_cli_viewer_deploy_refused_then_admin_plans_it_and_forget_is_for_tenant_admins(tmp_path):
    from tests.dlz.test_cli_dlz import GOOD, loom

    answers_file = tmp_path / "dlz.toml"
    answers_file.write_text(GOOD)
    refused = loom("--as", "viewer", "dlz", "deploy", "--answers", str(answers_file), "--yes", check=False)
    assert refused.returncode == 1 and "missing Contributor" in refused.stderr
    assert loom("dlz", "show", "logistics", check=False).returncode == 3  # nothing recorded
    loom("dlz", "plan", "--answers", str(answers_file))  # the domain, subscription and space are free
    nope = loom("--as", "viewer", "dlz", "forget", "logistics", check=False)
    assert nope.returncode == 4 and "only tenant admins" in nope.stderr
    missing = loom("dlz", "forget", "logistics", check=False)
    assert missing.returncode == 3 and "no DLZ 'logistics'" in missing.stderr
