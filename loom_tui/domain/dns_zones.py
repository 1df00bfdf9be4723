"""The 17 private DNS zones every spoke must be linked to, per cloud.

The list is the Admin Plane network's first 17 zones (``csa-loom-facts.json``); the names per
cloud follow Microsoft's "Azure Private Endpoint private DNS zone values" page.  Two names carry
the region (Container Apps, Kusto).  For an air-gapped or custom cloud only the storage zones
follow a published pattern: the others are ``None`` and the runner says so rather than guessing.
"""

from __future__ import annotations

# service key -> zone name template per cloud ({region}, {storage} substituted)
_KEYS = ("key_vault", "container_registry", "blob", "dfs", "app_configuration", "cognitive_services", "openai", "search",
         "cosmos_sql", "service_bus", "event_grid", "web_apps", "container_apps", "azure_ml", "azure_ml_api", "notebooks", "kusto")

_ZONES: dict[str, dict[str, str]] = {
    "AzureCloud": {
        "key_vault": "privatelink.vaultcore.azure.net", "container_registry": "privatelink.azurecr.io",
        "blob": "privatelink.blob.{storage}", "dfs": "privatelink.dfs.{storage}", "app_configuration": "privatelink.azconfig.io",
        "cognitive_services": "privatelink.cognitiveservices.azure.com", "openai": "privatelink.openai.azure.com",
        "search": "privatelink.search.windows.net", "cosmos_sql": "privatelink.documents.azure.com",
        "service_bus": "privatelink.servicebus.windows.net", "event_grid": "privatelink.eventgrid.azure.net",
        "web_apps": "privatelink.azurewebsites.net", "container_apps": "privatelink.{region}.azurecontainerapps.io",
        "azure_ml": "privatelink.azureml.ms", "azure_ml_api": "privatelink.api.azureml.ms",
        "notebooks": "privatelink.notebooks.azure.net", "kusto": "privatelink.{region}.kusto.windows.net",
    },
    "AzureUSGovernment": {
        "key_vault": "privatelink.vaultcore.usgovcloudapi.net", "container_registry": "privatelink.azurecr.us",
        "blob": "privatelink.blob.{storage}", "dfs": "privatelink.dfs.{storage}", "app_configuration": "privatelink.azconfig.azure.us",
        "cognitive_services": "privatelink.cognitiveservices.azure.us", "openai": "privatelink.openai.azure.us",
        "search": "privatelink.search.windows.us", "cosmos_sql": "privatelink.documents.azure.us",
        "service_bus": "privatelink.servicebus.usgovcloudapi.net", "event_grid": "privatelink.eventgrid.azure.us",
        "web_apps": "privatelink.azurewebsites.us", "container_apps": "privatelink.{region}.azurecontainerapps.us",
        "azure_ml": "privatelink.api.ml.azure.us", "azure_ml_api": "privatelink.api.ml.azure.us",
        "notebooks": "privatelink.notebooks.usgovcloudapi.net", "kusto": "privatelink.{region}.kusto.usgovcloudapi.net",
    },
    "AzureChinaCloud": {
        "key_vault": "privatelink.vaultcore.azure.cn", "container_registry": "privatelink.azurecr.cn",
        "blob": "privatelink.blob.{storage}", "dfs": "privatelink.dfs.{storage}", "app_configuration": "privatelink.azconfig.azure.cn",
        "cognitive_services": "privatelink.cognitiveservices.azure.cn", "openai": "privatelink.openai.azure.cn",
        "search": "privatelink.search.azure.cn", "cosmos_sql": "privatelink.documents.azure.cn",
        "service_bus": "privatelink.servicebus.chinacloudapi.cn", "event_grid": "privatelink.eventgrid.azure.cn",
        "web_apps": "privatelink.chinacloudsites.cn", "container_apps": "privatelink.{region}.azurecontainerapps.cn",
        "azure_ml": "privatelink.api.ml.azure.cn", "azure_ml_api": "privatelink.api.ml.azure.cn",
        "notebooks": "privatelink.notebooks.chinacloudapi.cn", "kusto": "privatelink.{region}.kusto.chinacloudapi.cn",
    },
}


def dlz_dns_zones(cloud: str, region: str, storage_suffix: str) -> list[tuple[str, str | None]]:
    """``(service, zone name or None when this cloud does not publish it)`` for the 17 services,
    without duplicates (Government and China share one Azure ML API zone)."""
    table = _ZONES.get(cloud)
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for key in _KEYS:
        if table is None:
            tmpl = {"blob": "privatelink.blob.{storage}", "dfs": "privatelink.dfs.{storage}"}.get(key)
        else:
            tmpl = table[key]
        name = tmpl.format(region=region, storage=storage_suffix) if tmpl else None
        if name is not None and name in seen:
            continue
        if name is not None:
            seen.add(name)
        out.append((key, name))
    return out


# The keys of the platform's ``adminPlanePrivateDnsZoneIds`` object (what the landing-zone
# module's sub-modules read: storage.bicep blob/dfs, cosmos, eventhubs/servicebus, synapse dev,
# databricks, eventgrid) and its scalar zone parameters, with each zone's name per cloud family
# (admin-plane/network.bicep's list at the pinned commit).
_PLATFORM_KEYS: dict[str, tuple[str, str]] = {  # key -> (public name, US Government name); {storage} substituted
    "blob": ("privatelink.blob.{storage}", "privatelink.blob.{storage}"),
    "dfs": ("privatelink.dfs.{storage}", "privatelink.dfs.{storage}"),
    "cosmos": ("privatelink.documents.azure.com", "privatelink.documents.azure.us"),
    "cosmosGremlin": ("privatelink.gremlin.cosmos.azure.com", "privatelink.gremlin.cosmos.azure.us"),
    "servicebus": ("privatelink.servicebus.windows.net", "privatelink.servicebus.usgovcloudapi.net"),
    "synapseDev": ("privatelink.dev.azuresynapse.net", "privatelink.dev.azuresynapse.usgovcloudapi.net"),
    "databricks": ("privatelink.azuredatabricks.net", "privatelink.databricks.azure.us"),
    "eventgrid": ("privatelink.eventgrid.azure.net", "privatelink.eventgrid.azure.us"),
}
PLATFORM_SCALAR_ZONES = {  # template parameter -> (public name, US Government name)
    "synapseSqlPrivateDnsZoneId": ("privatelink.sql.azuresynapse.net", "privatelink.sql.azuresynapse.usgovcloudapi.net"),
    "adfPrivateDnsZoneId": ("privatelink.adf.azure.com", "privatelink.datafactory.azure.us"),
}


def platform_zone_names(cloud: str, storage_suffix: str) -> dict[str, str]:
    """``adminPlanePrivateDnsZoneIds`` key -> the zone's name in ``cloud`` (only the storage zones
    for a cloud whose names are not published)."""
    if cloud not in ("AzureCloud", "AzureUSGovernment"):
        return {k: v[0].format(storage=storage_suffix) for k, v in _PLATFORM_KEYS.items() if k in ("blob", "dfs")}
    i = 0 if cloud == "AzureCloud" else 1
    return {k: v[i].format(storage=storage_suffix) for k, v in _PLATFORM_KEYS.items()}


def platform_scalar_zone(param: str, cloud: str) -> str | None:
    names = PLATFORM_SCALAR_ZONES.get(param)
    if names is None or cloud not in ("AzureCloud", "AzureUSGovernment"):
        return None
    return names[0 if cloud == "AzureCloud" else 1]
