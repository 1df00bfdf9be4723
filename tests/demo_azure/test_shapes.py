"""Every official example in tests/fixtures/azure-rest against the demo Azure's matching route:
each field of the example's response body is present with the same JSON type (more is allowed).

A field that only some elements of an example list carry is optional by the example's own
evidence and is not required.  ``ABSENT`` names the fields the estate leaves out, each with its
reason; ``OWNED_ELSEWHERE`` names the files whose routes belong to other areas' helpers (they
shrink it as their routes land)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from loom_tui.demo_azure.estate import ADMIN_RG, ADMIN_SUB, DLZ_SUBS, HUB_VNET, PRIVATE_DNS_ZONES, dlz_rg
from tests.demo_azure.conftest import get_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "azure-rest"

# Routes other helpers own (issue 8: metrics -> capacity, cost query + budgets -> cost, deployments ->
# dlz).  Until they land these are the stateless example-body routes, so checking them here would
# compare an example with itself.
OWNED_ELSEWHERE = {
    "Metrics_List.Microsoft.Insights-2024-02-01.json": "capacity",
    "Budgets_Get.Microsoft.Consumption-2024-08-01.json": "cost",
    "Budgets_List.Microsoft.Consumption-2024-08-01.json": "cost",
    "Consumption_2024-08-01_CreateOrUpdateBudget.json": "cost",
    "MCABillingProfileQueryGrouping.json": "cost",
    "ResourceGroupQuery.json": "cost",
    "SubscriptionQuery.json": "cost",
    "PostDeploymentValidateOnSubscription.2026-09-01.json": "dlz",
    "PostDeploymentWhatIfOnSubscription.2026-09-01.json": "dlz",
    "PutDeploymentSubscriptionTemplateSpecsWithId.2025-04-01.json": "dlz",
    "SYNTHESIZED_DeploymentOperations_ListAtSubscriptionScope.json": "dlz",
    # Resource Graph: no area asks for it yet; the example-body route answers
    "Resources_BasicQuery.Microsoft.ResourceGraph-2024-04-01.json": "unowned (example body)",
    "Resources_FirstPageQuery.Microsoft.ResourceGraph-2024-04-01.json": "unowned (example body)",
    "Resources_NextPageQuery.Microsoft.ResourceGraph-2024-04-01.json": "unowned (example body)",
}

# Optional fields the estate's resources do not carry, and why.
ABSENT = {
    "KustoClusters_Get.Microsoft.Kusto-2025-02-14.json": {
        "properties.keyVaultProperties": "no customer-managed key on the demo clusters",
        "properties.migrationCluster": "no cluster migration in the demo estate",
    },
    "DatabaseAccounts_Get.Microsoft.DocumentDB-2025-04-15.json": {
        "properties.backupPolicy.periodicModeProperties": "the account has continuous backup (backupPolicy is a discriminated union)",
        "properties.backupPolicy.migrationState": "no periodic-to-continuous migration in progress",
        "identity.userAssignedIdentities": "system-assigned identity only",
    },
    "Vaults_Get.Microsoft.KeyVault-2025-05-01.json": {
        "properties.hsmPoolResourceId": "no managed HSM pool behind the demo vaults",
    },
    "Vaults_ListByResourceGroup.Microsoft.KeyVault-2024-11-01.json": {
        "value[].properties.hsmPoolResourceId": "no managed HSM pool behind the demo vaults",
        "nextLink": "one vault per resource group: no second page even at $top=1",
    },
    "VirtualNetworks_Get.Microsoft.Network-2025-03-01.json": {
        "properties.defaultPublicNatGateway": "the demo VNets have no NAT gateway",
        "properties.subnets[].properties.ipConfigurations[].id": "nothing is deployed in the demo subnets",
    },
}

FIN = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('finance')}"
RES = f"/subscriptions/{DLZ_SUBS[1]}/resourceGroups/{dlz_rg('research')}"
MKT = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('marketing')}"
ADMIN = f"/subscriptions/{ADMIN_SUB}/resourceGroups/{ADMIN_RG}"
CAP = FIN + "/providers/Microsoft.Fabric/capacities/fccsaloomfinance"
POOL = FIN + "/providers/Microsoft.Synapse/workspaces/syn-loom-finance/sqlPools/sqlpool_gl"
HUB = ADMIN + f"/providers/Microsoft.Network/virtualNetworks/{HUB_VNET}"
ZONE = ADMIN + f"/providers/Microsoft.Network/privateDnsZones/{PRIVATE_DNS_ZONES[0]}"
SPOKE_FIN = FIN + "/providers/Microsoft.Network/virtualNetworks/vnet-csa-loom-dlz-finance-eastus2"
SPOKE_MKT = MKT + "/providers/Microsoft.Network/virtualNetworks/vnet-csa-loom-dlz-marketing-eastus2"
RA = "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"

# file -> (method, path, request body, example status to compare, GET this path after the operation ends)
CALLS: dict[str, tuple[str, str, Any, str, str | None]] = {
    "BlobServices_GetServiceProperties.Microsoft.Storage-2025-06-01.json":
        ("GET", FIN + "/providers/Microsoft.Storage/storageAccounts/stloomfinancedlz/blobServices/default?api-version=2025-06-01", None, "200", None),
    "DatabaseAccounts_Get.Microsoft.DocumentDB-2025-04-15.json":
        ("GET", ADMIN + "/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-csa-loom-admin?api-version=2025-04-15", None, "200", None),
    "FabricCapacities_Get.Microsoft.Fabric-2023-11-01.json": ("GET", CAP + "?api-version=2023-11-01", None, "200", None),
    "FabricCapacities_Get.Microsoft.Fabric-2026-08-01.json": ("GET", CAP + "?api-version=2026-08-01", None, "200", None),
    "FabricCapacities_ListByResourceGroup.Microsoft.Fabric-2026-08-01.json":
        ("GET", FIN + "/providers/Microsoft.Fabric/capacities?api-version=2026-08-01", None, "200", None),
    "FabricCapacities_ListSkus.Microsoft.Fabric-2026-08-01.json":
        ("GET", f"/subscriptions/{DLZ_SUBS[0]}/providers/Microsoft.Fabric/skus?api-version=2026-08-01", None, "200", None),
    "FabricCapacities_ListSkusForCapacity.Microsoft.Fabric-2026-08-01.json": ("GET", CAP + "/skus?api-version=2026-08-01", None, "200", None),
    "FabricCapacities_Suspend.Microsoft.Fabric-2026-08-01.json": ("POST", CAP + "/suspend?api-version=2026-08-01", None, "202", None),
    "FabricCapacities_Resume.Microsoft.Fabric-2026-08-01.json":
        ("POST", RES + "/providers/Microsoft.Fabric/capacities/fccsaloomresearch/resume?api-version=2026-08-01", None, "202", None),
    "FabricCapacities_Update.Microsoft.Fabric-2026-08-01.json":
        ("PATCH", MKT + "/providers/Microsoft.Fabric/capacities/fccsaloommarketing?api-version=2026-08-01",
         {"sku": {"name": "F8", "tier": "Fabric"}, "tags": {"testKey": "testValue"},
          "properties": {"administration": {"members": ["ops.admin@contoso-demo.example"],
                                            "overageSettings": {"enabled": True, "thresholdCapacityUnitHours": 150}}}}, "202",
         MKT + "/providers/Microsoft.Fabric/capacities/fccsaloommarketing?api-version=2026-08-01"),
    "KustoClusters_Get.Microsoft.Kusto-2025-02-14.json":
        ("GET", MKT + "/providers/Microsoft.Kusto/clusters/adxloommarketing?api-version=2025-02-14", None, "200", None),
    "KustoClusters_ListByResourceGroup.Microsoft.Kusto-2024-04-13.json":
        ("GET", RES + "/providers/Microsoft.Kusto/clusters?api-version=2024-04-13", None, "200", None),
    "KustoClusters_Start.Microsoft.Kusto-2024-04-13.json":
        ("POST", RES + "/providers/Microsoft.Kusto/clusters/adxloomresearch/start?api-version=2024-04-13", None, "202", None),
    "KustoClusters_Stop.Microsoft.Kusto-2025-02-14.json":
        ("POST", MKT + "/providers/Microsoft.Kusto/clusters/adxloommarketing/stop?api-version=2025-02-14", None, "202", None),
    "SqlPools_Get.Microsoft.Synapse-2021-06-01.json": ("GET", POOL + "?api-version=2021-06-01", None, "200", None),
    "SqlPools_Pause.Microsoft.Synapse-2021-06-01.json": ("POST", POOL + "/pause?api-version=2021-06-01", None, "202", POOL + "?api-version=2021-06-01"),
    "SqlPools_Resume.Microsoft.Synapse-2021-06-01.json":
        ("POST", RES + "/providers/Microsoft.Synapse/workspaces/syn-loom-research/sqlPools/sqlpool_experiments/resume?api-version=2021-06-01",
         None, "202", None),
    "Subscriptions_List.Microsoft.Resources-2022-12-01.json": ("GET", "/subscriptions?api-version=2022-12-01", None, "200", None),
    "Subscriptions_ListLocations.Microsoft.Resources-2022-12-01.json":
        ("GET", f"/subscriptions/{ADMIN_SUB}/locations?api-version=2022-12-01", None, "200", None),
    "Vaults_Get.Microsoft.KeyVault-2025-05-01.json": ("GET", ADMIN + "/providers/Microsoft.KeyVault/vaults/kv-csa-loom-admin?api-version=2025-05-01", None, "200", None),
    "Vaults_ListByResourceGroup.Microsoft.KeyVault-2024-11-01.json":
        ("GET", FIN + "/providers/Microsoft.KeyVault/vaults?api-version=2024-11-01&$top=1", None, "200", None),
    "VirtualNetworks_Get.Microsoft.Network-2025-03-01.json": ("GET", HUB + "?api-version=2025-03-01", None, "200", None),
    "VirtualNetworkPeerings_Get.Microsoft.Network-2024-07-01.json":
        ("GET", HUB + "/virtualNetworkPeerings/peer-to-dlz-finance?api-version=2024-07-01", None, "200", None),
    "VirtualNetworkPeeringCreate.network-2024-07-01.json":
        ("PUT", SPOKE_FIN + "/virtualNetworkPeerings/peer-finance-to-marketing?api-version=2024-07-01",
         {"properties": {"remoteVirtualNetwork": {"id": SPOKE_MKT}, "allowVirtualNetworkAccess": True, "allowForwardedTraffic": True}},
         "200", SPOKE_FIN + "/virtualNetworkPeerings/peer-finance-to-marketing?api-version=2024-07-01"),
    "VirtualNetworkLinkPut.privatedns-2024-06-01.json":
        ("PUT", ZONE + "/virtualNetworkLinks/link-finance?api-version=2024-06-01",
         {"location": "Global", "tags": {"key1": "value1"}, "properties": {"virtualNetwork": {"id": SPOKE_FIN}, "registrationEnabled": False}},
         "200", ZONE + "/virtualNetworkLinks/link-finance?api-version=2024-06-01"),
    "RoleAssignments_ListForScope.authorization-2022-04-01.json":
        ("GET", f"/subscriptions/{ADMIN_SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01", None, "200", None),
    "RoleAssignments_CreateForSubscription.authorization-2022-04-01.json":
        ("PUT", f"/subscriptions/{ADMIN_SUB}/providers/Microsoft.Authorization/roleAssignments/05c5a614-a7d6-4502-b150-c2fb455033ff?api-version=2022-04-01",
         {"properties": {"roleDefinitionId": f"/subscriptions/{ADMIN_SUB}{RA}", "principalId": "ce2ce14e-85d7-4629-bdbc-454d0519d987",
                         "principalType": "User"}}, "201", None),
}


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(v)]


def _common(elements: list[Any]) -> Any:
    """What every element of an example list has (fields only some carry are optional)."""
    first = elements[0]
    if not all(isinstance(e, dict) for e in elements):
        return first
    keys = [k for k in first if all(k in e for e in elements)]
    return {k: (_common([e[k] for e in elements]) if all(isinstance(e[k], list) for e in elements) and all(e[k] for e in elements)
                else (_common([e[k] for e in elements]) if all(isinstance(e[k], dict) for e in elements) else first[k]))
            for k in keys}


def shape_problems(example: Any, actual: Any, path: str = "", absent: dict[str, str] | None = None) -> list[str]:
    absent = absent or {}
    if path in absent:
        return []
    if example is None:
        return []  # null says nothing about the type
    if _kind(example) != _kind(actual):
        return [f"{path or '<body>'}: {_kind(example)} expected, {_kind(actual)} found"]
    out: list[str] = []
    if path.endswith("tags") and isinstance(example, dict):  # a map: its keys are the example's own
        return [f"{path}.{k}: string expected" for k, v in actual.items() if not isinstance(v, str)]
    if isinstance(example, dict):
        for k, v in example.items():
            p = f"{path}.{k}" if path else k
            if p in absent:
                continue
            if k not in actual:
                out.append(f"{p}: missing")
            else:
                out += shape_problems(v, actual[k], p, absent)
    elif isinstance(example, list) and example and actual:
        model = _common(example) if all(isinstance(e, dict) for e in example) else example[0]
        for item in actual:
            out += shape_problems(model, item, path + "[]", absent)
    return out


def test_every_fixture_is_checked_or_named() -> None:
    files = sorted(p.name for p in FIXTURES.glob("*.json"))
    assert files
    unlisted = [f for f in files if f not in CALLS and f not in OWNED_ELSEWHERE]
    assert not unlisted, f"fixtures with no route call and no owner: {unlisted}"
    assert not [f for f in CALLS if f not in files] and not [f for f in OWNED_ELSEWHERE if f not in files]


def test_the_comparison_catches_a_missing_field_and_a_wrong_type() -> None:
    example = {"a": {"b": 1, "c": [{"d": "x", "e": True}, {"d": "y"}]}}
    assert shape_problems(example, {"a": {"b": 2, "c": [{"d": "z"}], "extra": 1}}) == []
    assert shape_problems(example, {"a": {"b": "2", "c": [{"d": 3}]}}) == ["a.b: number expected, string found", "a.c[].d: string expected, number found"]
    assert shape_problems(example, {"a": {"c": []}}) == ["a.b: missing"]


@pytest.mark.parametrize("name", sorted(CALLS))
async def test_response_shape_matches_the_official_example(demo, name: str) -> None:
    spec = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    method, path, body, status_key, after = CALLS[name]
    example = spec["responses"][status_key]
    status, actual, headers = await get_json(demo, path, method=method, json=body)
    assert status < 300, f"{name}: {method} {path} answered {status}: {actual}"
    lower = {k.lower() for k in headers}
    for h in (example.get("headers") or {}):
        if h.lower() not in ("retry-after",) or "retry-after" in lower:
            assert h.lower() in lower, f"{name}: header {h} missing"
    if status == 202 and ("azure-asyncoperation" in lower):
        while (await get_json(demo, headers.get("Azure-AsyncOperation") or headers["azure-asyncoperation"]))[1]["status"] == "InProgress":
            await asyncio.sleep(0.1)
    if after:
        status, actual, _ = await get_json(demo, after)
        example = spec["responses"].get("200") or example
        assert status == 200
    problems = shape_problems(example.get("body"), actual, absent=ABSENT.get(name))
    assert not problems, f"{name}:\n" + "\n".join(problems)


# The subscription-wide lists the Capacity inventory reads (services/capacity/listing.py): ARM's
# "list by subscription" answers the same body as "list by resource group" (same spec model), and
# a workspace's SQL pools list holds SqlPool documents as GET returns them.
BY_SUBSCRIPTION = {
    "FabricCapacities_ListByResourceGroup.Microsoft.Fabric-2026-08-01.json":
        f"/subscriptions/{DLZ_SUBS[0]}/providers/Microsoft.Fabric/capacities?api-version=2023-11-01",
    "KustoClusters_ListByResourceGroup.Microsoft.Kusto-2024-04-13.json":
        f"/subscriptions/{DLZ_SUBS[1]}/providers/Microsoft.Kusto/clusters?api-version=2024-04-13",
}


@pytest.mark.parametrize("name", sorted(BY_SUBSCRIPTION))
async def test_list_by_subscription_has_the_list_shape_and_every_group(demo, name: str) -> None:
    example = json.loads((FIXTURES / name).read_text(encoding="utf-8"))["responses"]["200"]["body"]
    status, actual, _ = await get_json(demo, BY_SUBSCRIPTION[name])
    assert status == 200
    assert not shape_problems(example, actual, absent={"nextLink": "one page"})
    path, query = BY_SUBSCRIPTION[name].split("?")
    sub, kind = path.split("/")[2], path.split("/providers/")[1]
    _, groups, _ = await get_json(demo, f"/subscriptions/{sub}/resourcegroups?api-version=2021-04-01")
    per_group = set()
    for g in groups["value"]:
        per_group |= {v["id"] for v in (await get_json(demo, f"{g['id']}/providers/{kind}?{query}"))[1]["value"]}
    assert {v["id"] for v in actual["value"]} == per_group and per_group  # every group's, in one list
    assert all(v["properties"].get("state") for v in actual["value"])  # the runtime state is in the list


async def test_workspaces_by_subscription_and_their_sql_pools(demo) -> None:
    status, actual, _ = await get_json(demo, f"/subscriptions/{DLZ_SUBS[1]}/providers/Microsoft.Synapse/workspaces?api-version=2021-06-01")
    assert status == 200 and len(actual["value"]) == 2
    pool = json.loads((FIXTURES / "SqlPools_Get.Microsoft.Synapse-2021-06-01.json").read_text(encoding="utf-8"))["responses"]["200"]["body"]
    for ws in actual["value"]:
        status, pools, _ = await get_json(demo, ws["id"] + "/sqlPools?api-version=2021-06-01")
        assert status == 200 and pools["value"]
        for p in pools["value"]:
            assert not shape_problems(pool, p) and p["properties"]["status"] in ("Online", "Paused")
