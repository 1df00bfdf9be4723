"""The step machine and every answer's validation, without a UI."""

from __future__ import annotations

import pytest

from loom_tui.domain.dlz import DlzAnswers
from loom_tui.services.dlz.checks import all_answer_problems
from loom_tui.services.dlz.facts import PermissionReport, RoleCheck
from loom_tui.services.dlz.plan import PlanRefused, build_plan, plan_digest, propose_address_space
from loom_tui.services.dlz.steps import STEPS, StepRefused, Wizard, back_step, next_step, problems, set_answer, with_defaults

from .estate import ADMIN_SUB, SUB_A, SUB_NEW, facts

GOOD = DlzAnswers("commercial", "multi-sub", SUB_NEW, "eastus2", "supply-chain", "F8", "10.3.0.0/16")


def fields(ps):
    return [p.field for p in ps]


def test_steps_in_order():
    assert STEPS == ("intro", "boundary", "mode", "subscription", "domain", "capacity", "network", "permissions", "review",
                     "deploying", "done")


def ok_permissions(sub=SUB_NEW):
    return PermissionReport("oid", "ops.admin", sub, (RoleCheck("Contributor", f"/subscriptions/{sub}", True),))


def test_walk_forward_with_defaults_and_back():
    f = facts(permissions=ok_permissions())
    w = Wizard("d1")
    w = next_step(w, f)
    assert w.step == "boundary"
    with pytest.raises(StepRefused) as e:
        next_step(w, f)
    assert fields(e.value.problems) == ["boundary"] and "choose a boundary" in str(e.value)
    w = set_answer(w, "boundary", "commercial")
    w = with_defaults(next_step(w, f), f)
    assert w.step == "mode" and w.answers.mode == "single-sub"  # the boundary's default
    w = set_answer(w, "mode", "multi-sub")
    w = with_defaults(next_step(w, f), f)
    assert w.step == "subscription" and w.answers.region == "eastus2" and w.answers.subscription_id == ""
    with pytest.raises(StepRefused, match="choose a subscription"):
        next_step(w, f)
    w = set_answer(w, "subscription_id", SUB_NEW)
    w = next_step(w, f)
    w = set_answer(w, "domain", "supply-chain")
    w = with_defaults(next_step(w, f), f)
    assert w.step == "capacity" and w.answers.capacity_sku == "F8"
    w = with_defaults(next_step(w, f), f, propose_space=propose_address_space(f))
    assert w.step == "network" and w.answers.address_space == "10.3.0.0/16"
    w = next_step(next_step(w, f), f)
    assert w.step == "review"
    with pytest.raises(StepRefused, match="validate the deployment first"):
        next_step(w, f)
    digest = plan_digest(build_plan(w.answers, f))
    w.validated_for = digest
    w = next_step(w, f, plan_digest=digest)
    assert w.step == "deploying" and back_step(w) == w  # no way back out of a deployment
    with pytest.raises(StepRefused, match="not finished"):
        next_step(w, f)
    w.deployed = True
    assert next_step(w, f).step == "done"
    assert back_step(Wizard("x", "network")).step == "capacity" and back_step(Wizard("x")).step == "intro"


def test_a_change_after_validation_needs_validation_again():
    w = Wizard("d", "review", GOOD, validated_for="abc")
    assert set_answer(w, "capacity_sku", "F8").validated_for == "abc"  # unchanged value
    assert set_answer(w, "capacity_sku", "F64").validated_for == ""
    f = facts()
    assert problems(Wizard("d", "review", GOOD, validated_for="stale"), f, plan_digest="new") != []


def test_the_good_answers_make_a_full_plan():
    plan = build_plan(GOOD, facts())
    assert plan.resource_group == "rg-csa-loom-dlz-supply-chain-eastus2"
    assert plan.vnet == "vnet-csa-loom-dlz-supply-chain-eastus2"
    assert plan.cloud == "AzureCloud" and plan.container_platform == "containerApps"
    assert plan.subnets[0].cidr == "10.3.0.0/22" and plan.dns_zones_missing == ()
    assert len(plan.dns_zones) == 4  # every zone the hub's resource group holds
    assert plan.tags["Data_Classification"] == "Standard"
    params = plan.template_parameters()
    assert params["boundary"]["value"] == "Commercial" and params["domainName"]["value"] == "supply-chain"
    assert params["spokeVnetCidr"]["value"] == "10.3.0.0/16"
    assert params["adminPlaneLawId"]["value"].endswith("/workspaces/law-csa-loom-eastus2")
    assert set(params["adminPlanePrivateDnsZoneIds"]["value"]) == {"blob", "dfs"}
    assert plan.parameter_sources["adminPlaneHubVnetId"].startswith("read: hub VNet")
    assert plan.parameter_sources["recycleRetentionDays"] == "template default" and "recycleRetentionDays" not in params


@pytest.mark.parametrize("change, field, why", [
    ({"boundary": ""}, "boundary", "choose a boundary"),
    ({"boundary": "narnia"}, "boundary", "unknown boundary"),
    ({"boundary": "il5"}, "boundary", "deploys to AzureUSGovernment"),
    ({"mode": "both"}, "mode", "unknown mode"),
    ({"subscription_id": "99999999-0000-0000-0000-000000000000"}, "subscription_id", "not among the 5 subscriptions"),
    ({"subscription_id": "55555555-5555-5555-5555-555555555555"}, "subscription_id", "is Disabled"),
    ({"subscription_id": SUB_A}, "subscription_id", "already holds the DLZ 'finance'"),
    ({"subscription_id": ADMIN_SUB}, "subscription_id", "not the Admin Plane's"),
    ({"mode": "single-sub"}, "subscription_id", "choose its subscription"),
    ({"region": "mars-1"}, "region", "not a region of this subscription"),
    ({"region": ""}, "region", "choose a region"),
    ({"domain": "Finance!"}, "domain", "lower-case"),
    ({"domain": "hr"}, "domain", "3 to 24"),
    ({"domain": "finance"}, "domain", "already exists"),
    ({"capacity_sku": "F3"}, "capacity_sku", "unknown Fabric SKU"),
    ({"address_space": "10.1.0.0/16"}, "address_space", "overlaps spoke vnet-csa-loom-dlz-finance-eastus2"),
    ({"address_space": "10.0.0.0/20"}, "address_space", "overlaps hub"),
    ({"address_space": "10.3.0.0/25"}, "address_space", "between /16 and /20"),
    ({"address_space": "10.3.0.0"}, "address_space", "not a CIDR"),
])
def test_each_bad_answer_is_named(change, field, why):
    a = DlzAnswers(**{**GOOD.to_dict(), **change})
    ps = all_answer_problems(a, facts())
    assert field in fields(ps), ps
    assert any(why in p.message for p in ps if p.field == field), ps
    with pytest.raises(PlanRefused) as e:
        build_plan(a, facts())
    assert field in str(e.value)


def test_single_sub_allows_one_dlz_next_to_the_admin_plane():
    a = DlzAnswers(**{**GOOD.to_dict(), "mode": "single-sub", "subscription_id": ADMIN_SUB})
    assert all_answer_problems(a, facts()) == []
    from loom_tui.services.dlz.facts import ExistingDlz

    f = facts()
    f.dlzs.append(ExistingDlz("ops", ADMIN_SUB, "eastus2", "rg", "10.9.0.0/16"))
    assert any("single-sub allows one DLZ" in p.message for p in all_answer_problems(a, f))


def test_another_drafts_domain_is_refused_and_the_hub_must_be_known():
    f = facts(draft_domains={"supply-chain"})
    assert any("another draft" in p.message for p in all_answer_problems(GOOD, f))
    assert any("hub network could not be read" in p.message for p in all_answer_problems(GOOD, facts(hub=None)))


def test_permissions_step_names_each_missing_role():
    w = Wizard("d", "permissions", GOOD)
    assert "not checked yet" in str(problems(w, facts())[0])
    rep = PermissionReport("oid", "ops", SUB_NEW, (RoleCheck("Contributor", "sub", True), RoleCheck("User Access Administrator", "sub", False),
                                                   RoleCheck("Private DNS Zone Contributor", "hub rg", False)))
    msgs = [p.message for p in problems(w, facts(permissions=rep))]
    assert msgs == ["missing User Access Administrator on sub", "missing Private DNS Zone Contributor on hub rg"]
    assert problems(w, facts(permissions=ok_permissions(SUB_A)))[0].message.startswith("checked for another subscription")
    assert problems(w, facts(permissions=ok_permissions())) == []


def test_wizard_round_trips_through_a_document():
    w = Wizard("abc", "network", GOOD, validated_for="x", operation_id="op1", deployed=False)
    assert Wizard.from_doc(w.to_doc()) == w
    assert Wizard.from_doc({"step": "bogus"}).step == "intro"


def test_planning_again_a_deployment_in_flight_resumes_it():
    from loom_tui.services.dlz.facts import ExistingDlz, NetworkRow

    f = facts()
    # a run that stopped midway: loom's record (state failed) and the spoke it already created
    f.dlzs.append(ExistingDlz("supply-chain", SUB_NEW, "eastus2", "rg-csa-loom-dlz-supply-chain-eastus2", "10.3.0.0/16", "failed"))
    # ... which, found live, holds the domain (a failed record alone reserves nothing: issue 22 item 4)
    f.dlzs.append(ExistingDlz("supply-chain", SUB_NEW, "eastus2", "rg-csa-loom-dlz-supply-chain-eastus2", "10.3.0.0/16", "deployed",
                              "resource group"))
    f.spokes.append(NetworkRow("vnet-csa-loom-dlz-supply-chain-eastus2", f"/subscriptions/{SUB_NEW}/resourceGroups/"
                               "rg-csa-loom-dlz-supply-chain-eastus2/providers/Microsoft.Network/virtualNetworks/"
                               "vnet-csa-loom-dlz-supply-chain-eastus2", SUB_NEW, "rg-csa-loom-dlz-supply-chain-eastus2", ("10.3.0.0/16",)))
    assert all_answer_problems(GOOD, f) == []
    assert build_plan(GOOD, f).address_space == "10.3.0.0/16"
    # but another region (another DLZ of the same domain) is still refused, and its space is taken
    other = DlzAnswers(**{**GOOD.to_dict(), "region": "westus2"})
    msgs = [p.message for p in all_answer_problems(other, f)]
    assert any("already exists" in m for m in msgs) and any("overlaps" in m for m in msgs)
    # once deployed, the same answers re-run it (idempotent: a re-run converges, issue 20); any other DLZ of that domain is refused
    f.dlzs[-2] = ExistingDlz("supply-chain", SUB_NEW, "eastus2", "rg", "10.3.0.0/16", "deployed")
    assert all_answer_problems(GOOD, f) == []
    assert any("already exists" in p.message for p in all_answer_problems(other, f))
