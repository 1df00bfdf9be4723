"""Driving every route of the demo Azure once (the calls of ``test_demo_routes``): for each route
a request loom or an operator's tool could send, at the api-version loom uses; long-running
answers are followed through their status URLs until the operation ends."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from loom_tui.demo_azure.estate_admin import CONSOLE_UAMI, LAW, SPEC, SPEC_VERSION
from loom_tui.demo_azure.estate import ADMIN_RG, ADMIN_SUB, DLZ_SUBS, HUB_VNET, PRIVATE_DNS_ZONES, dlz_rg

FIN = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('finance')}"
RES = f"/subscriptions/{DLZ_SUBS[1]}/resourceGroups/{dlz_rg('research')}"
MKT = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('marketing')}"
SALES = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('sales')}"
ADMIN = f"/subscriptions/{ADMIN_SUB}/resourceGroups/{ADMIN_RG}"
CAP = FIN + "/providers/Microsoft.Fabric/capacities/fccsaloomfinance"
WS = FIN + "/providers/Microsoft.Synapse/workspaces/syn-loom-finance"
POOL = WS + "/sqlPools/sqlpool_gl"
HUB = ADMIN + f"/providers/Microsoft.Network/virtualNetworks/{HUB_VNET}"
ZONE = ADMIN + f"/providers/Microsoft.Network/privateDnsZones/{PRIVATE_DNS_ZONES[0]}"
SPOKE_FIN = FIN + "/providers/Microsoft.Network/virtualNetworks/vnet-csa-loom-dlz-finance-eastus2"
SPOKE_MKT = MKT + "/providers/Microsoft.Network/virtualNetworks/vnet-csa-loom-dlz-marketing-eastus2"
SPOKE_SALES = SALES + "/providers/Microsoft.Network/virtualNetworks/vnet-csa-loom-dlz-sales-eastus2"
ROLE = "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
SUB = f"/subscriptions/{DLZ_SUBS[0]}"

# api-versions loom sends (see the README's api-version table)
V = {
    "resources": "2021-04-01", "subscriptions": "2022-12-01", "fabric": "2026-08-01", "kusto": "2024-04-13",
    "synapse": "2021-06-01", "metrics": "2024-02-01", "budgets": "2024-08-01", "cost": "2024-08-01",
    "network": "2023-11-01", "dns": "2024-06-01", "roles": "2022-04-01", "cosmos": "2025-04-15",
    "storage": "2025-06-01", "keyvault": "2025-05-01", "deployments": "2026-06-01",
    "loganalytics": "2022-10-01", "identities": "2023-01-31", "templatespecs": "2022-02-01",
}

TEMPLATE = {"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "resources": [
                {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2021-04-01", "name": "rg-csa-loom-dlz-spec-eastus2",
                 "location": "eastus2", "properties": {}}]}
DEPLOYMENT = {"location": "eastus2", "properties": {"mode": "Incremental", "template": TEMPLATE, "parameters": {}}}


COSMOS = f"{ADMIN}/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-csa-loom-admin"


def calls() -> list[tuple[str, str, Any]]:
    """(method, path with query, body) for every route."""
    r, s, f, k, y = V["resources"], V["subscriptions"], V["fabric"], V["kusto"], V["synapse"]
    n, d, st, kv, c, dep = V["network"], V["dns"], V["storage"], V["keyvault"], V["cosmos"], V["deployments"]
    end = "2026-12-04T00:00:00Z"
    return [
        ("GET", f"/subscriptions?api-version={s}", None),
        ("GET", f"/tenants?api-version={s}", None),
        ("GET", f"{SUB}?api-version={s}", None),
        ("GET", f"{SUB}/locations?api-version={s}", None),
        ("GET", f"{SUB}/resourcegroups?api-version={r}", None),
        ("GET", f"{FIN}?api-version={r}", None),
        ("PUT", f"{SUB}/resourcegroups/rg-csa-loom-dlz-spec-eastus2?api-version={r}", {"location": "eastus2", "tags": {"k": "v"}}),
        ("GET", f"{FIN}/resources?$expand=provisioningState,createdTime,changedTime&api-version={r}", None),
        ("GET", f"{SUB}/resources?$expand=provisioningState,createdTime,changedTime&api-version={r}", None),
        ("GET", f"{MKT}/providers/Microsoft.Kusto/clusters/adxloommarketing/providers/Microsoft.Insights/metrics?metricnames=CPU&timespan=2026-12-03T00:00:00Z/{end}"
                f"&interval=PT1H&aggregation=Average&api-version={V['metrics']}", None),
        ("GET", f"{FIN}/providers/Microsoft.Fabric/capacities/fccsaloomfinance?api-version={f}", None),
        ("GET", f"{FIN}/providers/Microsoft.Fabric/capacities?api-version={f}", None),
        ("GET", f"{SUB}/providers/Microsoft.Fabric/capacities?api-version={f}", None),
        ("GET", f"{SUB}/providers/Microsoft.Fabric/skus?api-version={f}", None),
        ("GET", f"{CAP}/skus?api-version={f}", None),
        ("POST", f"{CAP}/suspend?api-version={f}", None),
        ("POST", f"{RES}/providers/Microsoft.Fabric/capacities/fccsaloomresearch/resume?api-version={f}", None),
        ("PATCH", f"{MKT}/providers/Microsoft.Fabric/capacities/fccsaloommarketing?api-version={f}",
         {"sku": {"name": "F8", "tier": "Fabric"}}),
        ("GET", f"{MKT}/providers/Microsoft.Kusto/clusters/adxloommarketing?api-version={k}", None),
        ("GET", f"{RES}/providers/Microsoft.Kusto/clusters?api-version={k}", None),
        ("GET", f"{SUB}/providers/Microsoft.Kusto/clusters?api-version={k}", None),
        ("POST", f"{MKT}/providers/Microsoft.Kusto/clusters/adxloommarketing/stop?api-version={k}", None),
        ("POST", f"{RES}/providers/Microsoft.Kusto/clusters/adxloomresearch/start?api-version={k}", None),
        ("GET", f"{WS}?api-version={y}", None),
        ("GET", f"{FIN}/providers/Microsoft.Synapse/workspaces?api-version={y}", None),
        ("GET", f"{SUB}/providers/Microsoft.Synapse/workspaces?api-version={y}", None),
        ("GET", f"{POOL}?api-version={y}", None),
        ("GET", f"{WS}/sqlPools?api-version={y}", None),
        ("GET", f"{WS}/bigDataPools?api-version={y}", None),
        ("GET", f"{WS}/bigDataPools/sparkfinance?api-version={y}", None),
        ("POST", f"{POOL}/pause?api-version={y}", None),
        ("POST", f"{RES}/providers/Microsoft.Synapse/workspaces/syn-loom-research/sqlPools/sqlpool_experiments/resume?api-version={y}", None),
        ("GET", f"{HUB}?api-version={n}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.Network/virtualNetworks?api-version={n}", None),
        ("GET", f"{SUB}/providers/Microsoft.Network/virtualNetworks?api-version={n}", None),
        ("GET", f"{HUB}/virtualNetworkPeerings/peer-hub-to-finance?api-version={n}", None),
        ("GET", f"{HUB}/virtualNetworkPeerings?api-version={n}", None),
        ("PUT", f"{SPOKE_FIN}/virtualNetworkPeerings/peer-finance-to-marketing?api-version={n}",
         {"properties": {"remoteVirtualNetwork": {"id": SPOKE_MKT}, "allowVirtualNetworkAccess": True, "allowForwardedTraffic": True}}),
        ("GET", f"{ZONE}?api-version={d}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.Network/privateDnsZones?api-version={d}", None),
        ("GET", f"/subscriptions/{ADMIN_SUB}/providers/Microsoft.Network/privateDnsZones?api-version={d}", None),
        ("GET", f"{ZONE}/virtualNetworkLinks/link-hub?api-version={d}", None),
        ("GET", f"{ZONE}/virtualNetworkLinks?api-version={d}", None),
        ("PUT", f"{ZONE}/virtualNetworkLinks/link-sales?api-version={d}",
         {"location": "global", "properties": {"virtualNetwork": {"id": SPOKE_SALES}, "registrationEnabled": False}}),
        ("GET", f"{ADMIN}/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-csa-loom-admin?api-version={c}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.DocumentDB/databaseAccounts?api-version={c}", None),
        ("GET", f"/subscriptions/{ADMIN_SUB}/providers/Microsoft.DocumentDB/databaseAccounts?api-version={c}", None),
        ("PUT", f"{COSMOS}/sqlDatabases/loom?api-version={c}", {"properties": {"resource": {"id": "loom"}, "options": {}}}),
        ("GET", f"{COSMOS}/sqlDatabases/loom?api-version={c}", None),
        ("GET", f"{COSMOS}/sqlDatabases?api-version={c}", None),
        ("PUT", f"{COSMOS}/sqlDatabases/loom/containers/operations?api-version={c}",
         {"properties": {"resource": {"id": "operations", "partitionKey": {"paths": ["/tenantId"], "kind": "Hash", "version": 2}},
                         "options": {}}}),
        ("GET", f"{COSMOS}/sqlDatabases/loom/containers/operations?api-version={c}", None),
        ("GET", f"{COSMOS}/sqlDatabases/loom/containers?api-version={c}", None),
        ("GET", f"{FIN}/providers/Microsoft.Storage/storageAccounts/stloomfinancedlz?api-version={st}", None),
        ("GET", f"{FIN}/providers/Microsoft.Storage/storageAccounts?api-version={st}", None),
        ("GET", f"{SUB}/providers/Microsoft.Storage/storageAccounts?api-version={st}", None),
        ("GET", f"{FIN}/providers/Microsoft.Storage/storageAccounts/stloomfinancedlz/blobServices/default?api-version={st}", None),
        ("GET", f"{FIN}/providers/Microsoft.Storage/storageAccounts/stloomfinancedlz/blobServices?api-version={st}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.KeyVault/vaults/kv-csa-loom-admin?api-version={kv}", None),
        ("GET", f"{FIN}/providers/Microsoft.KeyVault/vaults?api-version={kv}", None),
        ("GET", f"{SUB}/providers/Microsoft.KeyVault/vaults?api-version={kv}", None),
        ("GET", f"/subscriptions/{ADMIN_SUB}/providers/Microsoft.Authorization/roleAssignments?api-version={V['roles']}", None),
        ("PUT", f"/subscriptions/{ADMIN_SUB}/providers/Microsoft.Authorization/roleAssignments/05c5a614-a7d6-4502-b150-c2fb455033ff"
                f"?api-version={V['roles']}",
         {"properties": {"roleDefinitionId": f"/subscriptions/{ADMIN_SUB}{ROLE}", "principalId": "ce2ce14e-85d7-4629-bdbc-454d0519d987",
                         "principalType": "User"}}),
        ("GET", f"/subscriptions/{ADMIN_SUB}/providers/Microsoft.Authorization/roleAssignments/05c5a614-a7d6-4502-b150-c2fb455033ff"
                f"?api-version={V['roles']}", None),
        ("PUT", f"{SUB}/providers/Microsoft.Consumption/budgets/spec-budget?api-version={V['budgets']}",
         {"properties": {"category": "Cost", "amount": 500, "timeGrain": "Monthly",
                         "timePeriod": {"startDate": "2026-12-01T00:00:00Z", "endDate": "2027-11-30T00:00:00Z"},
                         "notifications": {"Actual_GreaterThan_80_Percent": {"enabled": True, "operator": "GreaterThan", "threshold": 80,
                                                                             "contactEmails": ["ops@contoso.example"]}}}}),
        ("GET", f"{SUB}/providers/Microsoft.Consumption/budgets?api-version={V['budgets']}", None),
        ("GET", f"{SUB}/providers/Microsoft.Consumption/budgets/spec-budget?api-version={V['budgets']}", None),
        ("DELETE", f"{SUB}/providers/Microsoft.Consumption/budgets/spec-budget?api-version={V['budgets']}", None),
        ("POST", f"{SUB}/providers/Microsoft.CostManagement/query?api-version={V['cost']}",
         {"type": "ActualCost", "timeframe": "MonthToDate",
          "dataset": {"granularity": "Daily", "aggregation": {"totalCost": {"name": "Cost", "function": "Sum"}},
                      "grouping": [{"type": "Dimension", "name": "ResourceGroupName"}]}}),
        ("POST", f"{SUB}/providers/Microsoft.Resources/deployments/spec-deploy/validate?api-version={dep}", DEPLOYMENT),
        ("POST", f"{SUB}/providers/Microsoft.Resources/deployments/spec-deploy/whatIf?api-version={dep}", DEPLOYMENT),
        ("PUT", f"{SUB}/providers/Microsoft.Resources/deployments/spec-deploy?api-version={dep}", DEPLOYMENT),
        ("GET", f"{SUB}/providers/Microsoft.Resources/deployments/spec-deploy?api-version={dep}", None),
        ("GET", f"{SUB}/providers/Microsoft.Resources/deployments/spec-deploy/operations?api-version={dep}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.OperationalInsights/workspaces/{LAW}?api-version={V['loganalytics']}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.OperationalInsights/workspaces?api-version={V['loganalytics']}", None),
        ("GET", f"/subscriptions/{ADMIN_SUB}/providers/Microsoft.OperationalInsights/workspaces?api-version={V['loganalytics']}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{CONSOLE_UAMI}?api-version={V['identities']}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version={V['identities']}", None),
        ("GET", f"/subscriptions/{ADMIN_SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version={V['identities']}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.Resources/templateSpecs?$expand=versions&api-version={V['templatespecs']}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.Resources/templateSpecs/{SPEC}?api-version={V['templatespecs']}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.Resources/templateSpecs/{SPEC}/versions?api-version={V['templatespecs']}", None),
        ("GET", f"{ADMIN}/providers/Microsoft.Resources/templateSpecs/{SPEC}/versions/{SPEC_VERSION}?api-version={V['templatespecs']}", None),
        ("GET", "/metadata/endpoints?api-version=2022-09-01", None),
        ("GET", f"{SUB}/providers/Microsoft.Fabric?api-version=2021-04-01", None),
        ("GET", "/providers/Microsoft.Resources?api-version=2021-04-01", None),
    ]


async def drive(handle: Any, request: Any) -> None:
    """Every call, then every status URL it was answered with, until each operation ends."""
    polls: list[str] = []
    for method, path, body in calls():
        status, _, headers = await request(handle, path, method=method, json=body)
        if status in (200, 201, 202):
            polls += [u for u in (headers.get("Azure-AsyncOperation"), headers.get("Location")) if u]
    for url in polls:
        for _ in range(200):
            status, body, headers = await request(handle, _local(handle, url))
            done = status != 202 and not (isinstance(body, dict) and body.get("status") in ("InProgress", "Running", "Accepted"))
            if done:
                break
            await asyncio.sleep(0.05)


def _local(handle: Any, url: str) -> str:
    """A status URL as the demo Azure wrote it (maybe with ``:443``) -> its path and query here."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
