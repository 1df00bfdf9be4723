"""The demo Azure's ARM template evaluation: the shipped template expands to the plan's names,
and whatever it cannot evaluate is refused with an ARM-style error."""

from __future__ import annotations

import copy

import pytest

from loom_tui.demo_azure.arm_eval import Context, Scope, TemplateError, evaluate, expand
from loom_tui.services.deploy.plan import build_plan
from loom_tui.services.deploy.template import parameters_for, shipped_template

from .estate import SUB_NEW, TENANT, facts
from .test_steps import GOOD

SCOPE = Scope(SUB_NEW, TENANT, "eastus2", "DLZ spare")


def ev(expr, **params):
    return evaluate(expr, Context(SCOPE, params, {"v": "[concat('a', 'b')]"}))


@pytest.mark.parametrize("expr, expected", [
    ("[concat('rg-', parameters('d'))]", "rg-fin"),
    ("[format('{0}-{1}', parameters('d'), 7)]", "fin-7"),
    ("[toLower('ABC')]", "abc"), ("[toUpper('abc')]", "ABC"),
    ("[take('abcdef', 3)]", "abc"), ("[replace('a-b-c', '-', '')]", "abc"),
    ("[uniqueString('test')]", "rbgf3xv4ufgzg"),
    ("[variables('v')]", "ab"),
    ("[subscription().subscriptionId]", SUB_NEW),
    ("[resourceId('rg1', 'Microsoft.Network/virtualNetworks', 'vn')]",
     f"/subscriptions/{SUB_NEW}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vn"),
    ("[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg1')]",
     f"/subscriptions/{SUB_NEW}/providers/Microsoft.Resources/resourceGroups/rg1"),
    ("[union(createObject('a', 1), createObject('b', 2))]", {"a": 1, "b": 2}),
    ("[concat(createArray(1), createArray(2))]", [1, 2]),
    ("[parameters('o').k[1]]", "y"),
    ("[[literal]", "[literal]"),
    ("['it''s']", "it's"),
])
def test_functions(expr, expected):
    assert ev(expr, d="fin", o={"k": ["x", "y"]}) == expected


@pytest.mark.parametrize("expr, why", [
    ("[reference('x').id]", "cannot be evaluated by the demo Azure"),
    ("[guid('a')]", "cannot be evaluated"),
    ("[frobnicate('a')]", "is not valid"),
    ("[variables('nope')]", "variable 'nope' is not found"),
    ("[parameters('nope')]", "parameter 'nope' is not found"),
    ("[concat('a']", "not valid"),
    ("[take('abc')]", "wrong arguments"),
])
def test_what_cannot_be_evaluated_is_refused(expr, why):
    with pytest.raises(TemplateError) as e:
        ev(expr)
    assert e.value.code == "InvalidTemplate" and why in e.value.message


def test_the_shipped_template_expands_to_the_plans_names():
    plan = build_plan(GOOD, facts())
    t = shipped_template()
    planned, outputs = expand(t, parameters_for(t, plan), SCOPE)
    by_type = {p.type: p for p in planned}
    assert by_type["Microsoft.Resources/resourceGroups"].name == plan.resource_group
    assert by_type["Microsoft.Storage/storageAccounts"].name == plan.storage_account
    assert by_type["Microsoft.KeyVault/vaults"].name == plan.key_vault
    assert by_type["Microsoft.Fabric/capacities"].name == plan.capacity
    assert by_type["Microsoft.Fabric/capacities"].body["sku"] == {"name": "F8", "tier": "Fabric"}
    vnet = by_type["Microsoft.Network/virtualNetworks"]
    assert vnet.id == plan.spoke_vnet_id
    assert vnet.body["properties"]["addressSpace"]["addressPrefixes"] == ["10.3.0.0/16"]
    assert len(vnet.body["properties"]["subnets"]) == 5
    containers = [p.id.rsplit("/", 1)[1] for p in planned if p.type.endswith("/containers")]
    assert containers == ["bronze", "silver", "gold", "landing-zone", "checkpoints"]
    for p in planned:
        if p.type.count("/") == 1 and p.type != "Microsoft.Resources/deployments":
            assert p.body["tags"]["loomTenantId"] == TENANT and p.body["tags"]["loomDomain"] == "supply-chain"
            assert p.body["tags"]["Data_Classification"] == "Standard"
    kv = by_type["Microsoft.KeyVault/vaults"].body["properties"]
    assert kv["tenantId"] == TENANT and kv["enablePurgeProtection"] is True
    assert outputs["vnetId"]["value"] == plan.spoke_vnet_id


def test_parameters_are_checked_like_arm():
    plan = build_plan(GOOD, facts())
    t = shipped_template()
    params = parameters_for(t, plan)
    with pytest.raises(TemplateError, match="not part of the allowed value"):
        expand(t, {**params, "capacitySku": {"value": "F3"}}, SCOPE)
    with pytest.raises(TemplateError, match="was not provided"):
        expand(t, {k: v for k, v in params.items() if k != "domain"}, SCOPE)
    with pytest.raises(TemplateError, match="'extra' in the parameters file are not valid"):
        expand(t, {**params, "extra": {"value": 1}}, SCOPE)
    with pytest.raises(TemplateError, match="Expected a value of type 'array'"):
        expand(t, {**params, "subnets": {"value": "x"}}, SCOPE)
    with pytest.raises(TemplateError, match="greater than or equal to '3'"):
        expand(t, {**params, "domain": {"value": "ab"}}, SCOPE)


def test_structures_it_cannot_evaluate_are_refused():
    plan = build_plan(GOOD, facts())
    t = shipped_template()
    params = parameters_for(t, plan)
    outer = copy.deepcopy(t)
    outer["resources"][1]["properties"]["expressionEvaluationOptions"]["scope"] = "outer"
    with pytest.raises(TemplateError, match="outer-scope"):
        expand(outer, params, SCOPE)
    looped = copy.deepcopy(t)
    looped["resources"][0]["copy"] = {"name": "x", "count": 2}
    with pytest.raises(TemplateError, match="'copy'"):
        expand(looped, params, SCOPE)
    dangling = copy.deepcopy(t)
    dangling["resources"][1]["dependsOn"] = ["[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'elsewhere')]"]
    with pytest.raises(TemplateError, match="is not defined in the template"):
        expand(dangling, params, SCOPE)
