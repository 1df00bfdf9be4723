"""The demo estate: what the demo Azure holds after ``loom seed`` (deterministic, no clock, no
randomness beyond the demo tenant's seeded workspaces).

It matches the demo tenant of ``loom_tui/local/demo.py``: its tenant id, users and domains, and
the ``loomTenantId`` / ``loomDomain`` / ``loomWorkspaceId`` tags of its workspaces.

* Admin Plane subscription, RG ``rg-csa-loom-admin-eastus2``: hub VNet 10.0.0.0/16, the 17
  private DNS zones of the admin-plane network template (each linked to the hub, ``link-hub``),
  the Cosmos DB account loom's store lives in (continuous backup), a Key Vault.
* Two DLZ subscriptions, one RG per demo domain ``rg-csa-loom-dlz-<domain>-<region>``: a spoke
  VNet peered with the hub both ways, a Fabric capacity (some Paused), an ADLS Gen2 account (one
  without blob soft delete), a Key Vault (one without purge protection); Synapse workspaces with
  SQL and Spark pools (one Spark pool without auto-pause) and ADX clusters (one Stopped) where a
  domain runs them.
* Role assignments at the subscriptions and DLZ resource groups.

This module builds the core (:func:`build_core`); an area adds its data with a builder in its own
``estate_<area>.py`` (``build(estate) -> None`` adds to ``estate.resources`` / ``estate.docs``),
listed in :data:`loom_tui.demo_azure.estate_all.BUILDERS`, whose ``build_estate`` makes the whole.
Bump ``state.ESTATE_VERSION`` when the estate changes, so existing data dirs reseed.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

from loom_tui.local.demo import DEMO_ADMIN_GROUP, DEMO_DOMAIN, DEMO_TENANT, DEMO_USERS, DOMAINS, demo_workspaces

ADMIN_SUB = "de700000-0000-4000-8000-0000000000a1"
DLZ_SUBS = ("de700000-0000-4000-8000-0000000000d1", "de700000-0000-4000-8000-0000000000d2")
HUB_REGION = "eastus2"
ADMIN_RG = f"rg-csa-loom-admin-{HUB_REGION}"
HUB_VNET = f"vnet-csa-loom-hub-{HUB_REGION}"
HUB_CIDR = "10.0.0.0/16"
# which DLZ subscription and region each demo domain lives in
DOMAIN_PLACEMENT = {
    "finance": (DLZ_SUBS[0], "eastus2"), "marketing": (DLZ_SUBS[0], "eastus2"), "sales": (DLZ_SUBS[0], "eastus2"),
    "supply-chain": (DLZ_SUBS[1], "centralus"), "hr": (DLZ_SUBS[1], "centralus"), "research": (DLZ_SUBS[1], "centralus"),
}
PAUSED_CAPACITIES = ("marketing", "research")
NO_SOFT_DELETE_STORAGE = "research"
NO_PURGE_PROTECTION_VAULT = "sales"
SYNAPSE_DOMAINS = ("finance", "supply-chain", "research")
NO_AUTOPAUSE_SPARK = "supply-chain"
ADX = {"marketing": "Running", "research": "Stopped"}

# The "17 zones" of platform/fiab/bicep/modules/admin-plane/network.bicep (csa-loom-facts.json),
# <location> filled with the hub's region.
ZONES_TEMPLATE = (
    "privatelink.vaultcore.azure.net", "privatelink.azurecr.io", "privatelink.blob.core.windows.net",
    "privatelink.dfs.core.windows.net", "privatelink.azconfig.io", "privatelink.cognitiveservices.azure.com",
    "privatelink.openai.azure.com", "privatelink.search.windows.net", "privatelink.documents.azure.com",
    "privatelink.servicebus.windows.net", "privatelink.eventgrid.azure.net", "privatelink.azurewebsites.net",
    "privatelink.<location>.azurecontainerapps.io", "privatelink.azureml.ms", "privatelink.api.azureml.ms",
    "privatelink.notebooks.azure.net", "privatelink.<location>.kusto.windows.net",
)
PRIVATE_DNS_ZONES = tuple(z.replace("<location>", HUB_REGION) for z in ZONES_TEMPLATE)

ROLE_IDS = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
}
REGIONS = {
    "eastus2": ("East US 2", "Virginia", "36.6681", "-78.3889", "centralus"),
    "centralus": ("Central US", "Iowa", "41.5908", "-93.6208", "eastus2"),
    "westus3": ("West US 3", "Phoenix", "33.448376", "-112.074036", "eastus"),
}
CREATED = "2025-10-01T09:00:00.0000000Z"
OPS_ADMIN = f"{DEMO_USERS[0][1]}@{DEMO_DOMAIN}"


@dataclass
class Estate:
    tenants: list[dict[str, Any]] = field(default_factory=list)
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    docs: list[tuple[str, str, Any]] = field(default_factory=list)  # (kind, id, body): locations, ...

    def add(self, resource: dict[str, Any]) -> dict[str, Any]:
        self.resources.append(resource)
        return resource


def stable_uuid(*parts: str) -> str:
    return str(uuid.UUID(hashlib.sha256("/".join(parts).encode()).hexdigest()[:32], version=4))


def rg_id(sub: str, rg: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}"


def dlz_rg(domain: str) -> str:
    return f"rg-csa-loom-dlz-{domain}-{DOMAIN_PLACEMENT[domain][1]}"


def _system_data() -> dict[str, str]:
    return {"createdBy": OPS_ADMIN, "createdByType": "User", "createdAt": CREATED,
            "lastModifiedBy": OPS_ADMIN, "lastModifiedByType": "User", "lastModifiedAt": CREATED}


def _res(sub: str, rg: str, rtype: str, name: str, location: str, tags: dict[str, str], properties: dict[str, Any],
         **extra: Any) -> dict[str, Any]:
    return {"id": f"{rg_id(sub, rg)}/providers/{rtype}/{name}", "name": name, "type": rtype, "location": location,
            "tags": dict(tags), **extra, "properties": properties}


def _child(parent: dict[str, Any], ctype: str, name: str, properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": f"{parent['id']}/{ctype}/{name}", "name": name, "type": f"{parent['type']}/{ctype}", **extra,
            "properties": properties}


def build_core() -> Estate:
    """The estate without the areas' parts (``estate_all.build_estate`` adds them)."""
    e = Estate()
    e.tenants.append({"id": f"/tenants/{DEMO_TENANT}", "tenantId": DEMO_TENANT, "tenantCategory": "Home",
                      "country": "United States", "countryCode": "US", "displayName": "Contoso (demo)",
                      "domains": [DEMO_DOMAIN], "defaultDomain": DEMO_DOMAIN, "tenantType": "AAD"})
    names = {ADMIN_SUB: "CSA Loom Admin Plane (demo)", DLZ_SUBS[0]: "CSA Loom DLZ East (demo)", DLZ_SUBS[1]: "CSA Loom DLZ Central (demo)"}
    for sub, name in names.items():
        e.subscriptions.append({
            "id": f"/subscriptions/{sub}", "subscriptionId": sub, "tenantId": DEMO_TENANT, "displayName": name,
            "state": "Enabled", "authorizationSource": "RoleBased", "managedByTenants": [],
            "tags": {"loomTenantId": DEMO_TENANT},
            "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "EnterpriseAgreement_2014-09-01",
                                     "spendingLimit": "Off"},
        })
        e.docs.append(("locations", sub, [_location(sub, r) for r in REGIONS]))
    workspaces = demo_workspaces()
    _admin_plane(e)
    for domain, *_ in DOMAINS:
        _dlz(e, domain, [w for w in workspaces if w["domain"] == domain])
    return e


def _location(sub: str, region: str) -> dict[str, Any]:
    display, city, lat, lon, pair = REGIONS[region]
    return {"id": f"/subscriptions/{sub}/locations/{region}", "name": region, "type": "Region", "displayName": display,
            "regionalDisplayName": f"(US) {display}",
            "availabilityZoneMappings": [{"logicalZone": str(i), "physicalZone": f"{region}-az{i}"} for i in (1, 2, 3)],
            "metadata": {"regionType": "Physical", "regionCategory": "Recommended", "geography": "United States",
                         "geographyGroup": "US", "longitude": lon, "latitude": lat, "physicalLocation": city,
                         "pairedRegion": [{"name": pair, "id": f"/subscriptions/{sub}/locations/{pair}"}]}}


def _rg(e: Estate, sub: str, name: str, location: str, tags: dict[str, str]) -> None:
    e.add({"id": rg_id(sub, name), "name": name, "type": "Microsoft.Resources/resourceGroups", "location": location,
           "tags": dict(tags), "properties": {"provisioningState": "Succeeded"}})


def _vnet(sub: str, rg: str, name: str, location: str, cidr: str, tags: dict[str, str], subnets: list[tuple[str, str]]) -> dict[str, Any]:
    vid = f"{rg_id(sub, rg)}/providers/Microsoft.Network/virtualNetworks/{name}"
    return _res(sub, rg, "Microsoft.Network/virtualNetworks", name, location, tags, {
        "addressSpace": {"addressPrefixes": [cidr]},
        "provisioningState": "Succeeded", "resourceGuid": stable_uuid(vid), "enableDdosProtection": False,
        "subnets": [{"name": sn, "id": f"{vid}/subnets/{sn}", "type": "Microsoft.Network/virtualNetworks/subnets",
                     "properties": {"addressPrefix": pfx, "ipConfigurations": [], "provisioningState": "Succeeded",
                                    "privateEndpointNetworkPolicies": "Disabled"}} for sn, pfx in subnets],
        "virtualNetworkPeerings": [],
    }, etag=f'W/"{stable_uuid(vid, "etag")}"')


def _peering(vnet: dict[str, Any], name: str, remote: dict[str, Any]) -> dict[str, Any]:
    space = remote["properties"]["addressSpace"]
    return _child(vnet, "virtualNetworkPeerings", name, {
        "allowVirtualNetworkAccess": True, "allowForwardedTraffic": True, "allowGatewayTransit": False,
        "useRemoteGateways": False, "remoteVirtualNetwork": {"id": remote["id"]},
        "remoteAddressSpace": dict(space), "remoteVirtualNetworkAddressSpace": dict(space),
        "remoteBgpCommunities": {"virtualNetworkCommunity": "12076:20002", "regionalCommunity": "12076:50004"},
        "peeringState": "Connected", "peeringSyncLevel": "FullyInSync", "provisioningState": "Succeeded",
        "resourceGuid": stable_uuid(vnet["id"], name),
    }, etag=f'W/"{stable_uuid(vnet["id"], name, "etag")}"')


def peer_both_ways(e: Estate, a: dict[str, Any], a_name: str, b: dict[str, Any], b_name: str) -> None:
    e.add(_peering(a, a_name, b))
    e.add(_peering(b, b_name, a))


def dns_link(zone: dict[str, Any], name: str, vnet_id: str, tags: dict[str, str]) -> dict[str, Any]:
    return _child(zone, "virtualNetworkLinks", name, {
        "virtualNetwork": {"id": vnet_id}, "registrationEnabled": False, "resolutionPolicy": "Default",
        "virtualNetworkLinkState": "Completed", "provisioningState": "Succeeded",
    }, location="global", etag=stable_uuid(zone["id"], name), tags=dict(tags))


def _vault(sub: str, rg: str, name: str, location: str, tags: dict[str, str], *, purge_protection: bool) -> dict[str, Any]:
    props: dict[str, Any] = {
        "sku": {"family": "A", "name": "standard"}, "tenantId": DEMO_TENANT,
        "accessPolicies": [{"tenantId": DEMO_TENANT, "objectId": DEMO_ADMIN_GROUP,
                            "permissions": {"keys": ["get", "list"], "secrets": ["get", "list", "set"], "certificates": ["get", "list"]}}],
        "enabledForDeployment": False, "enabledForDiskEncryption": False, "enabledForTemplateDeployment": True,
        "enableSoftDelete": True, "softDeleteRetentionInDays": 90, "enableRbacAuthorization": True,
        "vaultUri": f"https://{name}.vault.azure.net/", "provisioningState": "Succeeded", "publicNetworkAccess": "Disabled",
        "networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": []},
    }
    if purge_protection:  # ARM omits the property when purge protection was never enabled
        props["enablePurgeProtection"] = True
    return _res(sub, rg, "Microsoft.KeyVault/vaults", name, location, tags, props, systemData=_system_data())


def _admin_plane(e: Estate) -> None:
    sub, rg, loc = ADMIN_SUB, ADMIN_RG, HUB_REGION
    tags = {"loomTenantId": DEMO_TENANT, "loomRole": "admin-plane"}
    _rg(e, sub, rg, loc, tags)
    hub = e.add(_vnet(sub, rg, HUB_VNET, loc, HUB_CIDR, tags, [("snet-private-endpoints", "10.0.1.0/24"),
                                                                  ("snet-apps", "10.0.2.0/24"), ("AzureBastionSubnet", "10.0.254.0/26")]))
    for zone_name in PRIVATE_DNS_ZONES:
        zone = e.add(_res(sub, rg, "Microsoft.Network/privateDnsZones", zone_name, "global", tags, {
            "maxNumberOfRecordSets": 25000, "numberOfRecordSets": 1, "maxNumberOfVirtualNetworkLinks": 1000,
            "numberOfVirtualNetworkLinks": 1, "maxNumberOfVirtualNetworkLinksWithRegistration": 100,
            "numberOfVirtualNetworkLinksWithRegistration": 0, "provisioningState": "Succeeded",
            "internalId": stable_uuid(zone_name)}, etag=stable_uuid(zone_name, "etag")))
        e.add(dns_link(zone, "link-hub", hub["id"], tags))
    e.add(_vault(sub, rg, "kv-csa-loom-admin", loc, tags, purge_protection=True))
    e.add(_cosmos(sub, rg, "cosmos-csa-loom-admin", loc, tags))
    e.add(_storage(sub, rg, "stcsaloomadmin", loc, tags, soft_delete=True))
    e.add(_blob_services(e.resources[-1], soft_delete=True))
    _assign(e, f"/subscriptions/{sub}", "Owner", DEMO_USERS[0][0], "User")
    _assign(e, f"/subscriptions/{sub}", "Contributor", DEMO_ADMIN_GROUP, "Group")
    _assign(e, f"/subscriptions/{sub}", "Reader", DEMO_USERS[5][0], "User")


def _cosmos(sub: str, rg: str, name: str, loc: str, tags: dict[str, str]) -> dict[str, Any]:
    display = REGIONS[loc][0]
    ep = f"https://{name}.documents.azure.com:443/"
    where = {"id": f"{name}-{loc}", "locationName": display, "documentEndpoint": f"https://{name}-{loc}.documents.azure.com:443/",
             "provisioningState": "Succeeded", "failoverPriority": 0, "isZoneRedundant": False}
    acct_id = f"{rg_id(sub, rg)}/providers/Microsoft.DocumentDB/databaseAccounts/{name}"
    pe = f"{rg_id(sub, rg)}/providers/Microsoft.Network/privateEndpoints/pe-{name}"
    return _res(sub, rg, "Microsoft.DocumentDB/databaseAccounts", name, display, tags, {
        "provisioningState": "Succeeded", "documentEndpoint": ep, "ipRules": [], "isVirtualNetworkFilterEnabled": False,
        "virtualNetworkRules": [], "databaseAccountOfferType": "Standard", "disableKeyBasedMetadataWriteAccess": True,
        "disableLocalAuth": True, "defaultIdentity": "FirstPartyIdentity",
        "consistencyPolicy": {"defaultConsistencyLevel": "Session", "maxIntervalInSeconds": 5, "maxStalenessPrefix": 100},
        "writeLocations": [dict(where)], "readLocations": [dict(where)], "locations": [dict(where)],
        "failoverPolicies": [{"id": where["id"], "locationName": display, "failoverPriority": 0}],
        "privateEndpointConnections": [{"id": f"{acct_id}/privateEndpointConnections/pe-{name}",
                                        "properties": {"privateEndpoint": {"id": pe},
                                                       "privateLinkServiceConnectionState": {"status": "Approved", "actionsRequired": "None"}}}],
        "cors": [], "enableFreeTier": False, "apiProperties": {}, "enableAnalyticalStorage": False,
        "enableBurstCapacity": False, "enablePerRegionPerPartitionAutoscale": False,
        "analyticalStorageConfiguration": {"schemaType": "WellDefined"}, "instanceId": stable_uuid(acct_id),
        "createMode": "Default", "publicNetworkAccess": "Disabled",
        "backupPolicy": {"type": "Continuous", "continuousModeProperties": {"tier": "Continuous30Days"}},
        "networkAclBypass": "None", "networkAclBypassResourceIds": [],
        "keysMetadata": {k: {"generationTime": "2025-10-01T09:00:00Z"} for k in
                         ("primaryMasterKey", "secondaryMasterKey", "primaryReadonlyMasterKey", "secondaryReadonlyMasterKey")},
        "enablePartitionMerge": False, "minimalTlsVersion": "Tls12",
    }, kind="GlobalDocumentDB", identity={"type": "SystemAssigned", "principalId": stable_uuid(acct_id, "mi"), "tenantId": DEMO_TENANT},
        systemData=_system_data())


def _storage(sub: str, rg: str, name: str, loc: str, tags: dict[str, str], *, soft_delete: bool) -> dict[str, Any]:
    ep = {svc: f"https://{name}.{svc}.core.windows.net/" for svc in ("blob", "dfs", "file", "queue", "table", "web")}
    return _res(sub, rg, "Microsoft.Storage/storageAccounts", name, loc, tags, {
        "provisioningState": "Succeeded", "isHnsEnabled": True, "accessTier": "Hot", "creationTime": CREATED,
        "primaryEndpoints": ep, "primaryLocation": loc, "statusOfPrimary": "available",
        "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False, "allowSharedKeyAccess": False,
        "supportsHttpsTrafficOnly": True, "publicNetworkAccess": "Disabled",
        "networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": []},
        "encryption": {"keySource": "Microsoft.Storage", "services": {"blob": {"enabled": True, "keyType": "Account"},
                                                                      "file": {"enabled": True, "keyType": "Account"}}},
    }, kind="StorageV2", sku={"name": "Standard_ZRS" if soft_delete else "Standard_LRS", "tier": "Standard"})


def _blob_services(account: dict[str, Any], *, soft_delete: bool) -> dict[str, Any]:
    return _child(account, "blobServices", "default", {
        "cors": {"corsRules": []}, "defaultServiceVersion": "2023-11-03",
        "deleteRetentionPolicy": {"enabled": True, "days": 14, "allowPermanentDelete": False} if soft_delete
        else {"enabled": False, "allowPermanentDelete": False},
        "containerDeleteRetentionPolicy": {"enabled": True, "days": 14} if soft_delete else {"enabled": False},
        # every estate account is ADLS Gen2 (hierarchical namespace), where Azure has no blob versioning
        "isVersioningEnabled": False if account["properties"].get("isHnsEnabled") else soft_delete,
        "changeFeed": {"enabled": soft_delete, "retentionInDays": 7},
    }, sku=dict(account["sku"]))


def _assign(e: Estate, scope: str, role: str, principal: str, principal_type: str) -> None:
    name = stable_uuid(scope, role, principal)
    e.add({"id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "name": name,
           "type": "Microsoft.Authorization/roleAssignments",
           "properties": {"roleDefinitionId": f"{scope.split('/resourceGroups/')[0]}/providers/Microsoft.Authorization/roleDefinitions/{ROLE_IDS[role]}",
                          "principalId": principal, "principalType": principal_type, "scope": scope,
                          "condition": None, "conditionVersion": None, "createdOn": CREATED, "updatedOn": CREATED,
                          "createdBy": DEMO_USERS[0][0], "updatedBy": DEMO_USERS[0][0], "delegatedManagedIdentityResourceId": None,
                          "description": f"{role} for the demo tenant"}})


def _dlz(e: Estate, domain: str, workspaces: list[dict[str, Any]]) -> None:
    sub, loc = DOMAIN_PLACEMENT[domain]
    rg = dlz_rg(domain)
    index = [d[0] for d in DOMAINS].index(domain)
    tags = {"loomTenantId": DEMO_TENANT, "loomDomain": domain}
    short = domain.replace("-", "")
    _rg(e, sub, rg, loc, tags)
    spoke = e.add(_vnet(sub, rg, f"vnet-csa-loom-dlz-{domain}-{loc}", loc, f"10.{10 + index}.0.0/16", tags,
                        [("snet-private-endpoints", f"10.{10 + index}.1.0/24"), ("snet-compute", f"10.{10 + index}.2.0/23")]))
    hub_id = f"{rg_id(ADMIN_SUB, ADMIN_RG)}/providers/Microsoft.Network/virtualNetworks/{HUB_VNET}"
    hub = next(r for r in e.resources if r["id"] == hub_id)
    peer_both_ways(e, hub, f"peer-to-dlz-{domain}", spoke, "peer-to-admin-hub")  # the platform's names
    first_ws = workspaces[0]["id"] if workspaces else None
    skus = sorted({w["capacity"] for w in workspaces if (w["capacity"] or "").startswith("F")}, key=lambda s: int(s[1:]))
    sku = skus[-1] if skus else "F2"
    paused = domain in PAUSED_CAPACITIES
    e.add(_res(sub, rg, "Microsoft.Fabric/capacities", f"fccsaloom{short}", loc, tags, {
        "provisioningState": "Succeeded", "state": "Paused" if paused else "Active",
        "administration": {"members": [OPS_ADMIN, f"{DEMO_USERS[1][1]}@{DEMO_DOMAIN}"]}}, sku={"name": sku, "tier": "Fabric"}))
    account = e.add(_storage(sub, rg, f"stloom{short}dlz"[:24], loc, tags, soft_delete=domain != NO_SOFT_DELETE_STORAGE))
    e.add(_blob_services(account, soft_delete=domain != NO_SOFT_DELETE_STORAGE))
    e.add(_vault(sub, rg, f"kv-loom-{domain}-dlz"[:24], loc, tags, purge_protection=domain != NO_PURGE_PROTECTION_VAULT))
    ws_tags = {**tags, **({"loomWorkspaceId": first_ws} if first_ws else {})}
    if domain in SYNAPSE_DOMAINS:
        _synapse(e, sub, rg, domain, loc, ws_tags, account)
    if domain in ADX:
        _kusto(e, sub, rg, f"adxloom{short}", loc, ws_tags, ADX[domain])
    _assign(e, rg_id(sub, rg), "Contributor", DEMO_USERS[2][0], "User")
    _assign(e, rg_id(sub, rg), "Storage Blob Data Contributor", DEMO_USERS[1][0], "User")
    if index == 0 or domain == "supply-chain":  # the subscription scope, once per DLZ subscription
        _assign(e, f"/subscriptions/{sub}", "Owner", DEMO_USERS[0][0], "User")
        _assign(e, f"/subscriptions/{sub}", "Reader", DEMO_USERS[5][0], "User")


def _synapse(e: Estate, sub: str, rg: str, domain: str, loc: str, tags: dict[str, str], account: dict[str, Any]) -> None:
    name = f"syn-loom-{domain}"
    ws = e.add(_res(sub, rg, "Microsoft.Synapse/workspaces", name, loc, tags, {
        "provisioningState": "Succeeded", "workspaceUID": stable_uuid(name),
        "defaultDataLakeStorage": {"accountUrl": account["properties"]["primaryEndpoints"]["dfs"], "filesystem": "synapse",
                                   "resourceId": account["id"]},
        "connectivityEndpoints": {"web": f"https://web.azuresynapse.net?workspace=%2fsubscriptions%2f{sub}%2fresourceGroups%2f{rg}%2fproviders%2fMicrosoft.Synapse%2fworkspaces%2f{name}",
                                  "dev": f"https://{name}.dev.azuresynapse.net", "sqlOnDemand": f"{name}-ondemand.sql.azuresynapse.net",
                                  "sql": f"{name}.sql.azuresynapse.net"},
        "managedResourceGroupName": f"synapseworkspace-managedrg-{stable_uuid(name, 'mrg')}",
        "managedVirtualNetwork": "default", "sqlAdministratorLogin": "sqladminuser", "publicNetworkAccess": "Disabled",
        "trustedServiceBypassEnabled": True, "azureADOnlyAuthentication": True,
    }, identity={"type": "SystemAssigned", "principalId": stable_uuid(name, "mi"), "tenantId": DEMO_TENANT}))
    pools = {"finance": [("sqlpool_gl", "DW200c", "Online")], "supply-chain": [("sqlpool_inventory", "DW500c", "Online")],
             "research": [("sqlpool_experiments", "DW100c", "Paused")]}[domain]
    for pool, sku, status in pools:
        e.add(_child(ws, "sqlPools", pool, {
            "status": status, "collation": "SQL_Latin1_General_CP1_CI_AS", "maxSizeBytes": 263882790666240,
            "creationDate": "2025-10-01T09:30:00Z", "provisioningState": "Succeeded", "restorePointInTime": "0001-01-01T00:00:00Z",
            "storageAccountType": "GRS"}, location=loc, tags=dict(tags), sku={"name": sku, "tier": ""}))
    autopause = domain != NO_AUTOPAUSE_SPARK
    e.add(_child(ws, "bigDataPools", f"spark{domain.replace('-', '')}"[:15], {
        "provisioningState": "Succeeded", "autoScale": {"enabled": True, "minNodeCount": 3, "maxNodeCount": 10},
        "autoPause": {"enabled": autopause, "delayInMinutes": 15 if autopause else 0}, "sparkVersion": "3.4",
        "nodeCount": 3, "nodeSize": "Medium", "nodeSizeFamily": "MemoryOptimized", "isComputeIsolationEnabled": False,
        "sessionLevelPackagesEnabled": True, "creationDate": "2025-10-01T09:40:00Z"}, location=loc, tags=dict(tags)))


def _kusto(e: Estate, sub: str, rg: str, name: str, loc: str, tags: dict[str, str], state: str) -> None:
    cid = f"{rg_id(sub, rg)}/providers/Microsoft.Kusto/Clusters/{name}"
    e.add({"id": cid, "name": name, "type": "Microsoft.Kusto/Clusters", "location": loc, "tags": dict(tags),
           "etag": f'"{stable_uuid(cid, "etag")}"',
           "identity": {"type": "SystemAssigned", "principalId": stable_uuid(cid, "mi"), "tenantId": DEMO_TENANT, "userAssignedIdentities": {}},
           "sku": {"name": "Standard_E8ads_v5", "capacity": 2, "tier": "Standard"}, "systemData": _system_data(),
           "properties": {"state": state, "provisioningState": "Succeeded", "uri": f"https://{name}.{loc}.kusto.windows.net",
                          "dataIngestionUri": f"https://ingest-{name}.{loc}.kusto.windows.net", "allowedFqdnList": [],
                          "allowedIpRangeList": [], "enableAutoStop": True, "enableDiskEncryption": True, "enablePurge": False,
                          "enableStreamingIngest": False, "engineType": "V3", "privateEndpointConnections": [],
                          "publicIPType": "IPv4", "publicNetworkAccess": "Disabled", "restrictOutboundNetworkAccess": "Disabled",
                          "zoneStatus": "NonZonal", "trustedExternalTenants": [], "optimizedAutoscale": {"version": 1, "isEnabled": False, "minimum": 2, "maximum": 2}}})

