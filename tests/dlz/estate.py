"""A small estate for the pure tests of the wizard (what the facts loader reads from Azure)."""

from __future__ import annotations

from loom_tui.services.dlz.admin_plane import AdminPlane, Identity
from loom_tui.services.dlz.facts import DeployFacts, ExistingDlz, NetworkRow, SubscriptionRow

TENANT = "72f988bf-0000-0000-0000-00000000c0de"
ADMIN_SUB = "11111111-1111-1111-1111-111111111111"
SUB_A = "22222222-2222-2222-2222-222222222222"
SUB_B = "33333333-3333-3333-3333-333333333333"
SUB_NEW = "44444444-4444-4444-4444-444444444444"


def facts(**over) -> DeployFacts:
    f = DeployFacts(
        tenant_id=TENANT, profile_cloud="AzureCloud", admin_subscription_id=ADMIN_SUB, admin_resource_group="rg-csa-loom-admin-eastus2",
        hub=NetworkRow("vnet-csa-loom-hub-eastus2", f"/subscriptions/{ADMIN_SUB}/resourceGroups/rg-csa-loom-admin-eastus2/providers/"
                       "Microsoft.Network/virtualNetworks/vnet-csa-loom-hub-eastus2", ADMIN_SUB, "rg-csa-loom-admin-eastus2", ("10.0.0.0/16",)),
        spokes=[NetworkRow("vnet-csa-loom-dlz-finance-eastus2", "/x/finance", SUB_A, "rg-csa-loom-dlz-finance-eastus2", ("10.1.0.0/16",)),
                NetworkRow("vnet-csa-loom-dlz-hr-eastus2", "/x/hr", SUB_B, "rg-csa-loom-dlz-hr-eastus2", ("10.2.0.0/16",))],
        subscriptions=[SubscriptionRow(ADMIN_SUB, "CSA Loom Admin Plane"), SubscriptionRow(SUB_A, "DLZ finance"),
                       SubscriptionRow(SUB_B, "DLZ hr"), SubscriptionRow(SUB_NEW, "DLZ spare"),
                       SubscriptionRow("55555555-5555-5555-5555-555555555555", "Disabled one", "Disabled")],
        regions={s: ["eastus", "eastus2", "westus2"] for s in (ADMIN_SUB, SUB_A, SUB_B, SUB_NEW)},
        dlzs=[ExistingDlz("finance", SUB_A, "eastus2", "rg-csa-loom-dlz-finance-eastus2", "10.1.0.0/16"),
              ExistingDlz("hr", SUB_B, "eastus2", "rg-csa-loom-dlz-hr-eastus2", "10.2.0.0/16")],
        capacity_admins=["ops.admin@contoso-demo.example"],
        admin=admin_plane(),
    )
    for k, v in over.items():
        setattr(f, k, v)
    return f


ADMIN_RG_ID = f"/subscriptions/{ADMIN_SUB}/resourceGroups/rg-csa-loom-admin-eastus2"


def admin_plane() -> AdminPlane:
    zones = ["privatelink.blob.core.windows.net", "privatelink.dfs.core.windows.net", "privatelink.vaultcore.azure.net",
             "privatelink.sql.azuresynapse.net"]
    return AdminPlane(
        law_id=f"{ADMIN_RG_ID}/providers/Microsoft.OperationalInsights/workspaces/law-csa-loom-eastus2",
        console=Identity("uami-loom-console-eastus2", "c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-000000000002"),
        adx=Identity("adxshared", "a0000000-0000-4000-8000-000000000003", "", f"{ADMIN_RG_ID}/providers/Microsoft.Kusto/clusters/adxshared"),
        zones={z: f"{ADMIN_RG_ID}/providers/Microsoft.Network/privateDnsZones/{z}" for z in zones})

