"""The demo Azure's ARM template evaluation: the shipped template expands to the plan's names,
and whatever it cannot evaluate is refused with an ARM-style error."""

from __future__ import annotations

import copy

import pytest

from loom_tui.demo_azure.arm_eval import Context, Scope, TemplateError, evaluate
from loom_tui.demo_azure.arm_expand import expand
from loom_tui.services.dlz.plan import build_plan
from loom_tui.services.dlz.template import shipped_template

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
    ("[guid('a', 'b')]", "2d796349-8c7e-55ec-9624-54ece82ed031"),  # uuid5(ARM namespace, "a-b")
    ("[if(true(), 'a', substring('', 0, 5))]", "a"),  # only the branch taken is evaluated
    ("[coalesce(tryGet(parameters('o'), 'nope'), 'dflt')]", "dflt"),
    ("[format('{{{0}}}', 'x')]", "{x}"),
    ("[max(sub(30, 1), 1)]", 29), ("[indexOf('a/keys/b', '/keys/')]", 1),
    ("[split(split('https://v.vault/keys/k/1', '/keys/')[1], '/')[0]]", "k"),
])
def test_functions(expr, expected):
    assert ev(expr, d="fin", o={"k": ["x", "y"]}) == expected


@pytest.mark.parametrize("expr, why", [
    ("[reference('x').id]", "is not defined in the template and does not exist"),
    ("[newGuid()]", "cannot be evaluated"),
    ("[utcNow()]", "cannot be evaluated"),
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


RG_SCOPE = Scope(SUB_NEW, TENANT, "eastus2", "DLZ spare", "rg-csa-loom-dlz-supply-chain-eastus2", "eastus2",
                 runtime_of=lambda p: {**p.as_doc(), "properties": {**p.body.get("properties", {}), "primaryEndpoints": {"dfs": "https://d/", "blob": "https://b/"}}})


def test_the_shipped_template_expands_to_the_plans_names():
    plan = build_plan(GOOD, facts())
    planned, outputs = expand(shipped_template(), plan.template_parameters(), RG_SCOPE)
    by_type = {p.type: p for p in planned}
    assert by_type["Microsoft.Storage/storageAccounts"].name == plan.storage_account
    vnet = by_type["Microsoft.Network/virtualNetworks"]
    assert vnet.id == plan.spoke_vnet_id
    assert vnet.body["properties"]["addressSpace"]["addressPrefixes"] == ["10.3.0.0/16"]
    assert [s["name"] for s in vnet.body["properties"]["subnets"]] == [s.name for s in plan.subnets]
    containers = [p.id.rsplit("/", 1)[1] for p in planned if p.type.endswith("/containers")]
    assert containers == list(plan.storage_containers)
    for p in planned:
        if p.type.count("/") == 1 and "tags" in p.body:
            assert p.body["tags"]["Data_Classification"] == "Standard"
    assert outputs["spokeVnetId"]["value"] == plan.spoke_vnet_id and outputs["landingContainerUrl"]["value"] == "https://d/landing"


def test_parameters_are_checked_like_arm():
    plan = build_plan(GOOD, facts())
    t = shipped_template()
    params = plan.template_parameters()
    with pytest.raises(TemplateError, match="not part of the allowed value"):
        expand(t, {**params, "boundary": {"value": "commercial"}}, RG_SCOPE)
    with pytest.raises(TemplateError, match="was not provided"):
        expand(t, {k: v for k, v in params.items() if k != "domainName"}, RG_SCOPE)
    with pytest.raises(TemplateError, match="'extra' in the parameters file are not valid"):
        expand(t, {**params, "extra": {"value": 1}}, RG_SCOPE)
    with pytest.raises(TemplateError, match="Expected a value of type 'object'"):
        expand(t, {**params, "complianceTags": {"value": "x"}}, RG_SCOPE)
    with pytest.raises(TemplateError, match="less than or equal to '365'"):
        expand(t, {**params, "recycleRetentionDays": {"value": 400}}, RG_SCOPE)


def test_structures_it_cannot_evaluate_are_refused():
    plan = build_plan(GOOD, facts())
    t = shipped_template()
    params = plan.template_parameters()
    outer = copy.deepcopy(t)
    outer["resources"][1]["properties"]["expressionEvaluationOptions"]["scope"] = "outer"
    with pytest.raises(TemplateError, match="outer-scope"):
        expand(outer, params, RG_SCOPE)
    symbolic = copy.deepcopy(t)
    symbolic["languageVersion"] = "2.0"
    with pytest.raises(TemplateError, match="symbolic resource names"):
        expand(symbolic, params, RG_SCOPE)
    dangling = copy.deepcopy(t)
    dangling["resources"][1]["dependsOn"] = ["[resourceId('Microsoft.Resources/deployments', 'elsewhere')]"]
    with pytest.raises(TemplateError, match="is not defined in the template"):
        expand(dangling, params, RG_SCOPE)
    linked = copy.deepcopy(t)
    linked["resources"][0]["properties"].pop("template")
    linked["resources"][0]["properties"]["templateLink"] = {"uri": "https://example.invalid/t.json"}
    with pytest.raises(TemplateError, match="cannot be fetched"):
        expand(linked, params, RG_SCOPE)


def test_user_defined_functions_and_the_template_specs_defaults():
    from loom_tui.demo_azure.estate_admin import spec_template

    from loom_tui.demo_azure.arm_eval import bind_parameters

    t = spec_template()
    required = {k: v for k, v in build_plan(GOOD, facts()).template_parameters().items() if k in t["parameters"]}
    required.update({k: {"value": v} for k, v in {"adminPlaneAdxClusterRgName": "rg", "adminEntraGroupId": "g", "catalogEndpoint": "",
                                                    "databricksUnityCatalogEnabled": True, "databricksSqlWarehouseEnabled": True,
                                                    "powerBiSku": "F64"}.items()})
    values = bind_parameters(t, required, RG_SCOPE)
    assert values["provisionCosmos"] is True and values["existingEventHubNamespaceName"] == ""
    assert values["adminPlaneAdxClusterName"].startswith("adx-csa-loom-") and len(values["adminPlaneAdxClusterName"]) == 19
    adopted = bind_parameters(t, {**required, "adopt": {"value": {"eventhubs": {"mode": "adopt", "target": {"name": "ehns"}},
                                                                  "cosmos": {"mode": "adopt"}}}}, RG_SCOPE)
    assert adopted["existingEventHubNamespaceName"] == "ehns" and adopted["provisionCosmos"] is False


@pytest.mark.parametrize("seed, what", [("'ab'", "a string longer than"), ("createArray(1, 2)", "an array of more than")])
def test_nested_doublings_are_refused_not_built(seed, what):
    """Issue 22 item 16: 24 nested doublings (a 2.4 GB peak before) stop at the bound, named."""
    # each variable doubles the one before: 2**24 times the seed if nothing stopped it
    variables = {"v0": f"[{seed}]", **{f"v{i}": f"[concat(variables('v{i - 1}'), variables('v{i - 1}'))]" for i in range(1, 25)}}
    with pytest.raises(TemplateError) as e:
        evaluate("[variables('v24')]", Context(SCOPE, {}, variables))
    assert e.value.code == "InvalidTemplate" and what in e.value.message


def test_union_of_arrays_keeps_the_first_of_each_value_objects_included():
    assert ev("[union(createArray(1, 2, createObject('a', 1)), createArray(2, createObject('a', 1), 3))]") == [1, 2, {"a": 1}, 3]
