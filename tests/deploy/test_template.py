"""The shipped DLZ template, checked statically: valid ARM JSON, every parameter and variable used,
the security settings present, the tags on every tracked resource."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from loom_tui.services.deploy.plan import build_plan
from loom_tui.services.deploy.template import load_template, parameter_file, parameters_for, shipped_template
from loom_tui.errors import ValidationError

from .estate import facts
from .test_steps import GOOD

TEXT = resources.files("loom_tui.data").joinpath("templates/dlz.json").read_text()


def walk(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)
    else:
        yield node


def all_resources(t):
    for r in t["resources"]:
        yield r
        inner = r.get("properties", {}).get("template")
        if inner:
            yield from all_resources(inner)


def test_valid_arm_json_at_subscription_scope():
    t = json.loads(TEXT)
    assert t["$schema"].endswith("subscriptionDeploymentTemplate.json#") and t["contentVersion"] == "1.0.0.0"
    for r in all_resources(t):
        assert {"type", "apiVersion", "name"} <= set(r), r
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(-preview)?", r["apiVersion"])


@pytest.mark.parametrize("scope", ["outer", "inner"])
def test_every_parameter_and_variable_is_used(scope):
    t = shipped_template()
    if scope == "inner":
        t = t["resources"][1]["properties"]["template"]
    else:  # the outer scope without the nested template (scope "inner": its own parameters)
        del t["resources"][1]["properties"]["template"]
    body = json.dumps({k: v for k, v in t.items() if k not in ("parameters", "variables")}) + json.dumps(t.get("variables", {}))
    for p in t["parameters"]:
        assert f"parameters('{p}')" in body, f"parameter {p} is never used"
    for v in t.get("variables", {}):
        assert f"variables('{v}')" in body, f"variable {v} is never used"
    # and nothing refers to an undeclared one
    for p in re.findall(r"parameters\('([^']+)'\)", body):
        assert p in t["parameters"]


def test_security_settings_present():
    res = {r["type"]: r for r in all_resources(shipped_template())}
    blob = res["Microsoft.Storage/storageAccounts/blobServices"]["properties"]
    assert blob["deleteRetentionPolicy"]["enabled"] and blob["containerDeleteRetentionPolicy"]["enabled"]
    st = res["Microsoft.Storage/storageAccounts"]
    assert st["properties"]["isHnsEnabled"] is True and st["properties"]["allowBlobPublicAccess"] is False
    assert st["properties"]["minimumTlsVersion"] == "TLS1_2"
    kv = res["Microsoft.KeyVault/vaults"]["properties"]
    assert kv["enableSoftDelete"] is True and kv["enablePurgeProtection"] is True
    containers = sorted(re.search(r"/default/([a-z-]+)'", r["name"]).group(1) for r in all_resources(shipped_template())
                        if r["type"].endswith("/containers"))
    assert containers == sorted(["bronze", "silver", "gold", "landing-zone", "checkpoints"])
    cap = res["Microsoft.Fabric/capacities"]
    assert cap["sku"]["name"] == "[parameters('capacitySku')]"
    assert shipped_template()["parameters"]["capacitySku"]["allowedValues"][-1] == "F2048"


def test_every_tracked_resource_carries_the_loom_and_compliance_tags():
    t = shipped_template()
    tags = t["variables"]["tags"]
    assert "parameters('complianceTags')" in tags and "'loomTenantId'" in tags and "'loomDomain'" in tags
    for r in all_resources(t):
        if r["type"].count("/") == 1:  # top-level (tracked) resources; child resources have no tags
            assert r.get("tags") in ("[variables('tags')]", "[parameters('tags')]"), r["type"]


def test_parameter_file_carries_only_declared_parameters():
    plan = build_plan(GOOD, facts())
    pf = parameter_file(shipped_template(), plan)
    assert set(pf["parameters"]) == set(shipped_template()["parameters"])
    trimmed = parameters_for({"parameters": {"domain": {}}}, plan)
    assert trimmed == {"domain": {"value": "supply-chain"}}


def test_an_operator_template_is_checked(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json")
    with pytest.raises(ValidationError, match="not JSON"):
        load_template(bad)
    bad.write_text(json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}))
    with pytest.raises(ValidationError, match="not a subscription-scope"):
        load_template(bad)
    t = shipped_template()
    t["parameters"]["costCenter"] = {"type": "string"}
    bad.write_text(json.dumps(t))
    with pytest.raises(ValidationError, match="costCenter"):
        load_template(bad)
    with pytest.raises(ValidationError, match="cannot read"):
        load_template(tmp_path / "missing.json")


def test_an_operator_template_must_take_every_parameter_loom_passes(tmp_path):
    from loom_tui.services.deploy.template import PARAMETER_TYPES, check_template

    assert set(PARAMETER_TYPES) == set(shipped_template()["parameters"]) == set(build_plan(GOOD, facts()).template_parameters())
    assert {k: v["type"].lower() for k, v in shipped_template()["parameters"].items()} == PARAMETER_TYPES
    path = tmp_path / "compiled.json"
    t = shipped_template()
    del t["parameters"]["capacitySku"], t["parameters"]["complianceTags"]
    path.write_text(json.dumps(t))
    with pytest.raises(ValidationError, match="does not declare capacitySku, complianceTags"):
        load_template(path)
    t = shipped_template()
    t["parameters"]["subnets"]["type"] = "string"
    with pytest.raises(ValidationError, match="parameter subnets is of type 'string', loom passes 'array'"):
        check_template(t)
    t = shipped_template()
    t["parameters"]["loomTenantId"]["type"] = "secureString"  # a secure variant is fine
    t["parameters"]["costCenter"] = {"type": "string", "defaultValue": "cc-1"}  # one with a default too
    path.write_text("\ufeff" + json.dumps(t))  # az bicep build on Windows writes a BOM
    assert load_template(path)["parameters"]["costCenter"]["defaultValue"] == "cc-1"


def test_a_recorded_template_is_the_same_file_or_refused(tmp_path):
    from loom_tui.services.deploy.template import load_recorded, template_source

    assert template_source(None) is None and load_recorded(None) == shipped_template()
    path = tmp_path / "compiled.json"
    t = shipped_template()
    t["variables"]["note"] = "operator's copy"
    path.write_text(json.dumps(t))
    src = template_source(path)
    assert src["path"] == str(path.resolve()) and len(src["sha256"]) == 64
    assert load_recorded(src)["variables"]["note"] == "operator's copy"
    path.write_text(json.dumps(shipped_template()))
    with pytest.raises(ValidationError, match="changed since the deployment started"):
        load_recorded(src)
    path.unlink()
    with pytest.raises(ValidationError, match="cannot be read now"):
        load_recorded(src)
