"""The permissions step checks the profile's deploy service principal (``deploy_principal_id``)
when the profile names one, else the signed-in identity — on the local profile's demo Azure, with
the roles granted to the principal through ARM and the check run again."""

from __future__ import annotations

import uuid

import pytest

from loom_tui.config import ConfigError, Profile, load_config
from loom_tui.demo_azure.estate_dlz import SPARE_SUB
from loom_tui.wiring import open_context
from loom_tui.services.dlz.permissions import ROLE_IDS
from loom_tui.services.dlz.service import DlzService

ROLE_API = "2022-04-01"  # the one stable version with this shape (loom_tui/azure/api_versions.py)

SP = "5e000000-0000-4000-8000-00000000d1a2"


@pytest.fixture
async def open_ctx(tmp_path):
    opened = []

    async def make(profile: Profile):
        ctx = await open_context(profile, data_dir=str(tmp_path / "data"))
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        await ctx.close()


async def grant(clients, scope: str, role: str, principal: str) -> None:
    await clients.send("PUT", f"{scope}/providers/Microsoft.Authorization/roleAssignments/{uuid.uuid4()}", ROLE_API,
                       json={"properties": {"roleDefinitionId": f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{ROLE_IDS[role]}",
                                            "principalId": principal, "principalType": "ServicePrincipal"}})


async def test_the_service_principal_is_checked_not_the_signed_in_user(open_ctx):
    ctx = await open_ctx(Profile(deploy_principal_id=SP, deploy_principal_name="sp-loom-deploy"))
    svc = DlzService(ctx)
    assert svc.deployer() == (SP, "service principal sp-loom-deploy", "ServicePrincipal")
    facts = await svc.facts()
    roles = (await svc.template(_answers(), facts)).role_assignments  # the Admin Plane's template spec holds role assignments
    assert roles >= 1
    rep = await svc.check_permissions(SPARE_SUB, facts, roles)
    # the signed-in demo admin holds every role; the principal holds none of them yet
    assert rep.principal_id == SP and rep.principal_label == "service principal sp-loom-deploy" and not rep.ok
    assert {c.role for c in rep.missing} == {"Contributor", "User Access Administrator", "Network Contributor",
                                             "Private DNS Zone Contributor"}
    assert all(f"--assignee-object-id {SP} --assignee-principal-type ServicePrincipal" in fix for fix in rep.fixes)
    plan, facts = await svc.plan(_answers(), facts)
    runner = await svc.runner(plan, facts)
    assert await runner.run(only=("permissions",)) is False
    assert "missing User Access Administrator" in runner.stages["permissions"]["message"]

    clients = await ctx.azure()
    hub = svc.hub_scope(facts)
    await grant(clients, f"/subscriptions/{SPARE_SUB}", "Owner", SP)
    await grant(clients, hub, "Network Contributor", SP)
    await grant(clients, hub, "Private DNS Zone Contributor", SP)
    again = await svc.check_permissions(SPARE_SUB, facts, roles)
    assert again.ok and not again.missing and again.fixes == ()
    runner = await svc.runner(plan, facts)
    assert await runner.run(only=("permissions",)) is True
    assert runner.stages["permissions"]["message"] == "service principal sp-loom-deploy holds every role needed"


async def test_without_one_the_signed_in_identity_is_checked(open_ctx):
    ctx = await open_ctx(Profile())
    svc = DlzService(ctx)
    assert svc.deployer() == (ctx.session.user_oid, ctx.session.upn, "User")
    rep = await svc.check_permissions(SPARE_SUB, await svc.facts())
    assert rep.principal_id == ctx.session.user_oid and rep.ok


def test_the_profile_key_must_be_an_object_id(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[profiles.ops]\ndeploy_principal_id = "{SP}"\ndeploy_principal_name = "sp-loom-deploy"\n')
    prof = load_config(cfg).profiles["ops"]
    assert prof.deploy_principal_id == SP and prof.deploy_principal_name == "sp-loom-deploy"
    cfg.write_text('[profiles.ops]\ndeploy_principal_id = "sp-loom-deploy"\n')
    with pytest.raises(ConfigError, match="deploy_principal_id.*object id"):
        load_config(cfg)


def _answers():
    from loom_tui.domain.dlz import DlzAnswers

    return DlzAnswers(boundary="commercial", mode="multi-sub", subscription_id=SPARE_SUB, region="eastus2", domain="logistics",
                      capacity_sku="F8", address_space="10.1.0.0/16", parameters={"adminEntraGroupId": "5a5a0000-0000-4000-8000-00000000ad01"})
