"""The shipped DLZ template and the template sources, checked statically: valid ARM JSON at
resource-group scope, every parameter and variable used, what an operator's file must be, and a
recorded file that changed is refused."""

from __future__ import annotations

import json
import re

import pytest

from loom_tui.errors import ValidationError
from loom_tui.services.dlz.plan import build_plan
from loom_tui.services.dlz.template import file_info, inline_of, load_template, parameter_file, scope_of, shipped_template

from .estate import facts
from .test_steps import GOOD


def all_templates(t):
    yield t
    for r in t["resources"]:
        props = r.get("properties")
        inner = props.get("template") if isinstance(props, dict) else None
        if inner:
            yield from all_templates(inner)


def test_valid_arm_json_at_resource_group_scope_like_the_landing_zone_module():
    t = shipped_template()
    assert t["$schema"].endswith("/deploymentTemplate.json#") and scope_of(t) == "resourceGroup"
    assert {r["name"] for r in t["resources"]} == {"dlz-network", "dlz-storage"}  # main.bicep's module names


@pytest.mark.parametrize("which", [0, 1, 2])
def test_every_parameter_and_variable_is_used(which):
    t = list(all_templates(shipped_template()))[which]
    body = json.dumps({k: v for k, v in t.items() if k not in ("parameters",)})
    for name in t.get("parameters", {}):
        if which == 0 and name in ("containerPlatform", "capacitySku", "boundary"):
            continue  # declared as the platform module does; its network and storage modules do not read them (recorded)
        assert f"parameters('{name}')" in body, name
    for name in t.get("variables", {}):
        assert f"variables('{name}')" in json.dumps(t["resources"]) + json.dumps(t.get("outputs", {})) + json.dumps(t["variables"]), name


def test_no_fabric_capacity_and_no_public_endpoint():
    text = json.dumps(shipped_template())
    assert "Microsoft.Fabric/capacities" not in text and "Microsoft.KeyVault/vaults" not in text
    assert '"publicNetworkAccess": "Disabled"' in text and '"allowBlobPublicAccess": false' in text


def test_the_parameter_file_carries_the_plans_parameters():
    plan = build_plan(GOOD, facts())
    pf = parameter_file(plan)
    declared = shipped_template()["parameters"]
    assert set(pf["parameters"]) <= set(declared) and pf["parameters"]["domainName"] == {"value": "supply-chain"}


def test_an_operator_file_is_checked(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("param domain string\n")
    with pytest.raises(ValidationError, match="is not JSON"):
        load_template(bad)
    bad.write_text(json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#",
                               "resources": []}))
    with pytest.raises(ValidationError, match="neither a subscription- nor a resource-group-scope"):
        load_template(bad)
    bad.write_bytes("é".encode("latin-1"))
    with pytest.raises(ValidationError, match="not UTF-8"):
        load_template(bad)
    with pytest.raises(ValidationError, match="cannot read"):
        load_template(tmp_path / "missing.json")


def test_a_recorded_file_is_the_same_file_or_refused(tmp_path):
    path = tmp_path / "compiled.json"
    t = shipped_template()
    t["variables"] = {"note": "operator's copy"}
    path.write_text(json.dumps(t))
    info = file_info(str(path))
    rec = info.record()
    assert rec["kind"] == "file" and rec["ref"] == str(path.resolve()) and len(rec["sha256"]) == 64 and rec["scope"] == "resourceGroup"
    assert inline_of(rec)["variables"]["note"] == "operator's copy"
    assert inline_of({"kind": "shipped"}) == shipped_template() and inline_of({"kind": "spec", "ref": "/x"}) is None
    path.write_text(json.dumps(shipped_template()))
    with pytest.raises(ValidationError, match="changed since the deployment started"):
        inline_of(rec)
    path.unlink()
    with pytest.raises(ValidationError, match="cannot be read now"):
        inline_of(rec)


def test_expressions_are_well_formed():
    from loom_tui.demo_azure.arm_expr import Parser, is_expression

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v)
        elif is_expression(node):
            yield node

    exprs = list(walk(shipped_template()))
    assert len(exprs) > 50
    for e in exprs:
        Parser(e[1:-1]).parse()
    assert not [e for e in exprs if re.search(r"\breference\('", e) and "Microsoft.Resources/deployments" not in e
                and "storageAccounts" not in e]
