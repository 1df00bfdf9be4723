"""The shipped template is a faithful port of the platform's landing-zone network.bicep and
storage.bicep (fixtures at fgarofalo56/csa-inabox@26890f87, tests/fixtures/platform/): resource by
resource — types, names, the subnets with their delegations, NSG and policies, the private
endpoints with their zone groups, the diagnostic settings, the storage settings and containers —
and checkov's ARM checks pass on it.  The demo Admin Plane's template spec declares every
parameter of the landing-zone module (names, types, allowed values, defaults)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from loom_tui.demo_azure.arm_eval import Scope
from loom_tui.demo_azure.arm_expand import expand
from loom_tui.services.dlz.template import shipped_template

from .bicep_params import literal_default, read_params

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "platform"


def bicep(name: str) -> str:
    return (FIXTURES / f"{name}.bicep").read_text(encoding="utf-8")


def bicep_resources(text: str) -> dict[str, tuple[str, str]]:
    """symbol -> (type, api version) of every ``resource`` a Bicep file declares."""
    return {m["sym"]: (m["type"], m["api"]) for m in re.finditer(r"^resource (?P<sym>\w+) '(?P<type>[\w./]+)@(?P<api>[\w-]+)'", text, re.M)}


def inner(name: str) -> dict:
    return next(r for r in shipped_template()["resources"] if r["name"] == name)["properties"]["template"]


def planned(**over):
    params = {"location": "eastus2", "boundary": "Commercial", "domainName": "supply-chain", "containerPlatform": "containerApps",
              "capacitySku": "F8", "adminPlaneHubVnetId": "/subscriptions/a/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/hub",
              "adminPlaneLawId": "/subscriptions/a/resourceGroups/r/providers/Microsoft.OperationalInsights/workspaces/law",
              "adminPlanePrivateDnsZoneIds": {"blob": "/zones/blob", "dfs": "/zones/dfs"}, "spokeVnetCidr": "10.3.0.0/16",
              "complianceTags": {"Environment": "Production"}, "storageRequireCmk": False, **over}
    scope = Scope("sub", "tenant", "eastus2", "x", "rg-csa-loom-dlz-supply-chain-eastus2", "eastus2",
                  runtime_of=lambda p: {**p.as_doc(), "properties": {**p.body.get("properties", {}),
                                                                      "primaryEndpoints": {"dfs": "https://x.dfs/", "blob": "https://x.blob/"}}})
    got, _ = expand(shipped_template(), {k: {"value": v} for k, v in params.items()}, scope)
    return got


@pytest.mark.parametrize("module", ["network", "storage"])
def test_the_port_has_every_resource_of_the_bicep_module_with_its_type_and_api_version(module):
    want = sorted(bicep_resources(bicep(module)).values())
    got = sorted((r["type"], r["apiVersion"]) for r in inner(f"dlz-{module}")["resources"])
    assert got == want


def test_subnets_delegations_nsg_and_policies_as_network_bicep():
    text = bicep("network")
    vnet = next(p for p in planned() if p.type == "Microsoft.Network/virtualNetworks")
    assert vnet.name == "vnet-csa-loom-dlz-supply-chain-eastus2"
    subnets = {s["name"]: s["properties"] for s in vnet.body["properties"]["subnets"]}
    assert list(subnets) == re.findall(r"name: '(snet-[\w-]+)'", text)
    for name, prefix in re.findall(r"name: '(snet-[\w-]+)'\s+properties: \{\s+addressPrefix: '\$\{prefix\}\.([\d./]+)'", text):
        assert subnets[name]["addressPrefix"] == f"10.3.{prefix}", name
    for name in ("snet-databricks-public", "snet-databricks-private"):
        assert subnets[name]["delegations"][0]["properties"]["serviceName"] == "Microsoft.Databricks/workspaces"
        assert subnets[name]["networkSecurityGroup"]["id"].endswith("/networkSecurityGroups/nsg-databricks-supply-chain-eastus2")
    assert subnets["snet-private-endpoints"]["privateEndpointNetworkPolicies"] == "Disabled"
    gw = subnets["snet-pbi-vnet-gateway"]
    assert gw["delegations"][0]["properties"]["serviceName"] == "Microsoft.PowerPlatform/vnetaccesslinks"
    assert gw["serviceEndpoints"] == [{"service": "Microsoft.Storage"}] and gw["privateEndpointNetworkPolicies"] == "Disabled"
    nsg = next(p for p in planned() if p.type == "Microsoft.Network/networkSecurityGroups")
    rules = {r["name"]: r["properties"] for r in nsg.body["properties"]["securityRules"]}
    want = dict(re.findall(r"name: '([\w.-]+)'\s+properties: \{\s+priority: (\d+)", text))
    assert len(want) == 10 and set(rules) == set(want)
    for name, prio in want.items():
        assert rules[name]["priority"] == int(prio), name
    peer = next(p for p in planned() if p.type.endswith("virtualNetworkPeerings"))
    assert peer.name.endswith("/peer-to-admin-hub") and peer.body["properties"]["remoteVirtualNetwork"]["id"].endswith("/hub")
    assert not [p for p in planned(adminPlaneHubVnetId="") if p.type.endswith("virtualNetworkPeerings")]  # the condition


def test_storage_settings_containers_endpoints_and_diagnostics_as_storage_bicep():
    text = bicep("storage")
    got = planned()
    sa = next(p for p in got if p.type == "Microsoft.Storage/storageAccounts")
    props = sa.body["properties"]
    for key in ("isHnsEnabled", "isSftpEnabled", "allowBlobPublicAccess", "allowSharedKeyAccess", "allowCrossTenantReplication",
                "defaultToOAuthAuthentication", "supportsHttpsTrafficOnly"):
        assert props[key] is (re.search(rf"^\s+{key}: (true|false)$", text, re.M).group(1) == "true"), key
    assert props["minimumTlsVersion"] == "TLS1_2" and props["publicNetworkAccess"] == "Disabled"
    assert props["networkAcls"] == {"bypass": "AzureServices", "defaultAction": "Deny"}
    assert props["encryption"]["requireInfrastructureEncryption"] is True and props["encryption"]["keySource"] == "Microsoft.Storage"
    assert sa.body["sku"] == {"name": "Standard_ZRS"} and sa.body["kind"] == "StorageV2"
    assert sa.name.startswith("saloomsupplychain") and len(sa.name) == 24
    containers = re.search(r"var containers = \[(.*?)\]", text).group(1)
    assert [p.name.rsplit("/", 1)[1] for p in got if p.type.endswith("/containers")] == re.findall(r"'([\w-]+)'", containers)
    bs = next(p for p in got if p.type.endswith("/blobServices"))
    assert bs.body["properties"]["deleteRetentionPolicy"] == {"enabled": True, "days": 30}
    assert bs.body["properties"]["changeFeed"] == {"enabled": True} and bs.body["properties"]["isVersioningEnabled"] is False
    pes = {p.name: p for p in got if p.type == "Microsoft.Network/privateEndpoints"}
    assert {pe.body["properties"]["privateLinkServiceConnections"][0]["properties"]["groupIds"][0] for pe in pes.values()} == {"blob", "dfs"}
    assert all(pe.body["properties"]["subnet"]["id"].endswith("/subnets/snet-private-endpoints") for pe in pes.values())
    groups = {p.name.split("/")[0]: p.body["properties"]["privateDnsZoneConfigs"][0]["properties"]["privateDnsZoneId"]
              for p in got if p.type.endswith("privateDnsZoneGroups")}
    assert sorted(groups.values()) == ["/zones/blob", "/zones/dfs"]  # into the hub's zones
    diags = [p for p in got if p.type == "Microsoft.Insights/diagnosticSettings"]
    assert len(diags) == 2 and all(d.body["properties"]["workspaceId"].endswith("/workspaces/law") for d in diags)
    assert {d.id.split("/providers/Microsoft.Insights")[0].rsplit("/", 2)[-2] for d in diags} == {"storageAccounts", "blobServices"}
    assert not [p for p in planned(adminPlaneLawId="") if p.type == "Microsoft.Insights/diagnosticSettings"]
    assert not [p for p in planned(adminPlanePrivateDnsZoneIds={}) if p.type.endswith("privateDnsZoneGroups")]


def test_the_demo_template_spec_declares_the_landing_zone_modules_parameters():
    from loom_tui.demo_azure.estate_admin import spec_template

    declared = spec_template()["parameters"]
    params = read_params(FIXTURES / "main.bicep")
    assert list(declared) == list(params)
    expressions = {"adminPlaneAdxClusterName": "[format('adx-csa-loom-{0}', take(uniqueString(subscription().id), 6))]",
                   "existingEventHubNamespaceName": "[__bicep.adoptName(parameters('adopt'), 'eventhubs')]",
                   "provisionCosmos": "[equals(__bicep.adoptMode(parameters('adopt'), 'cosmos'), 'create')]"}
    for name, p in params.items():
        d = declared[name]
        assert d["type"] == ("securestring" if p.secure else p.type), name
        assert d.get("allowedValues") == p.allowed, name
        assert d.get("minValue") == p.min_value and d.get("maxValue") == p.max_value, name
        lit = literal_default(p.default)
        if p.default is None:
            assert "defaultValue" not in d, name
        elif lit is ...:
            assert d["defaultValue"] == expressions[name], name
        else:
            assert d["defaultValue"] == lit, name


@pytest.mark.skipif(shutil.which("checkov") is None and not (Path(sys.executable).parent / "checkov").exists(),
                    reason="checkov is not installed (pip install -e .[test])")
def test_checkovs_arm_checks_pass_on_the_exported_template(tmp_path):
    (tmp_path / "dlz.json").write_text(json.dumps(shipped_template(), indent=2))  # what `loom dlz export` writes
    exe = shutil.which("checkov") or str(Path(sys.executable).parent / "checkov")
    proc = subprocess.run([exe, "-d", str(tmp_path), "--framework", "arm", "-o", "json", "--quiet", "--compact"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    reports = json.loads(proc.stdout or "[]")
    reports = reports if isinstance(reports, list) else [reports]
    failed = [(c["check_id"], c["resource"], c.get("check_name")) for r in reports for c in (r.get("results") or {}).get("failed_checks", [])]
    summary = reports[0]["summary"]
    assert summary["passed"] >= 10 and summary["resource_count"] >= 15, summary  # it read the nested modules' resources
    assert failed == [] and summary["failed"] == 0, failed
    assert summary["skipped"] == 2  # CKV_AZURE_43 and CKV_AZURE_206 on the storage account, each with its reason in the template
