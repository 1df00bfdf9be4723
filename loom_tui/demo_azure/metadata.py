"""The demo Azure's ``metadata/endpoints`` document (the 2022-09-01 shape), so that a profile can
register it as a custom cloud (``loom cloud register --metadata-url <endpoint>``): Resource
Manager is this server, the DNS suffixes and private-link zones are the public cloud's (the estate's
17 zones carry public names)."""

from __future__ import annotations

from typing import Any

CLOUD_NAME = "LoomDemoAzure"
LOGIN_ENDPOINT = "https://login.demo-azure.invalid"  # no sign-in: the demo Azure takes its per-run bearer secret

# service -> zone, in loom's cloud registry keys (loom_tui/azure/clouds.py)
PRIVATE_DNS_ZONES = {
    **{f"storage_{svc}": f"privatelink.{svc}.core.windows.net" for svc in ("blob", "dfs", "file", "queue", "table", "web")},
    "key_vault": "privatelink.vaultcore.azure.net",
    "cosmos_sql": "privatelink.documents.azure.com",
    "container_registry": "privatelink.azurecr.io",
    "sql_database": "privatelink.database.windows.net",
    "synapse_sql": "privatelink.sql.azuresynapse.net",
    "synapse_dev": "privatelink.dev.azuresynapse.net",
    "data_factory": "privatelink.adf.azure.com",
    "event_hubs_service_bus": "privatelink.servicebus.windows.net",
    "azure_monitor": "privatelink.monitor.azure.com",
}


def metadata_document(arm_endpoint: str, tenant_id: str | None = None) -> dict[str, Any]:
    arm = arm_endpoint.rstrip("/") + "/"
    return {
        "name": CLOUD_NAME,
        "portal": "https://portal.demo-azure.invalid",
        "authentication": {"loginEndpoint": LOGIN_ENDPOINT, "audiences": [arm], "tenant": tenant_id or "common",
                           "identityProvider": "AAD"},
        "resourceManager": arm,
        "graph": "https://graph.demo-azure.invalid/",
        "logAnalyticsResourceId": "https://api.loganalytics.demo-azure.invalid",
        "suffixes": {"storage": "core.windows.net", "keyVaultDns": "vault.azure.net", "acrLoginServer": "azurecr.io",
                     "sqlServerHostname": "database.windows.net", "cosmosDb": "documents.azure.com"},
        "privateDnsZones": dict(PRIVATE_DNS_ZONES),
    }
