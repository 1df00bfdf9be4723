"""ARM paths and API versions the Capacity area calls (one place; every call goes through the
run's shared ``AzureClients``).  The api-version of each type is picked per cloud, once per run
(``loom_tui.azure.api_versions``): the newest that both loom and the cloud support."""

from __future__ import annotations

from typing import Any

from loom_tui.azure import api_versions
from loom_tui.domain.capacity import COSMOS, FABRIC, KEY_VAULT, KUSTO, STORAGE, SYNAPSE_POOL

SYNAPSE_WS = "microsoft.synapse/workspaces"
BLOB_SERVICES = "microsoft.storage/storageaccounts/blobservices"
RESOURCES = "microsoft.resources/resources"
RESOURCE_GROUPS = "microsoft.resources/resourcegroups"
# a provider GET per type we read beyond the listing (the listing carries no ``properties``)
READABLE: dict[str, str] = {
    FABRIC: "Microsoft.Fabric/capacities",
    SYNAPSE_POOL: "Microsoft.Synapse/workspaces/sqlPools",
    KUSTO: "Microsoft.Kusto/clusters",
    COSMOS: "Microsoft.DocumentDB/databaseAccounts",
    STORAGE: "Microsoft.Storage/storageAccounts",
    KEY_VAULT: "Microsoft.KeyVault/vaults",
    SYNAPSE_WS: "Microsoft.Synapse/workspaces",
    BLOB_SERVICES: "Microsoft.Storage/storageAccounts/blobServices",
}


async def version(clients: Any, type_key: str, path: str | None = None) -> str:
    """The api-version for ``type_key`` (a lower-case type, or ``Namespace/type``) on this cloud."""
    return await api_versions.pick(clients, READABLE.get(type_key, type_key), path=path)


def resource_groups(sub: str) -> str:
    return f"/subscriptions/{sub}/resourcegroups"


def resources_in(sub: str, rg: str, api: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}/resources?$expand=provisioningState,createdTime,changedTime&api-version={api}"


def resources_in_subscription(sub: str, api: str) -> str:
    """Every resource of a subscription (ARM's Resources_List), the same expansion."""
    return f"/subscriptions/{sub}/resources?$expand=provisioningState,createdTime,changedTime&api-version={api}"


def provider_list(sub: str, type_key: str) -> str:
    """A provider's own list of one type across a subscription (``FabricCapacities_ListBySubscription``,
    ``Clusters_List``, ``Workspaces_List``): documents with ``properties``, unlike the listing."""
    ns, kind = _TYPES[type_key].split("/")
    return f"/subscriptions/{sub}/providers/{ns}/{kind}"


_TYPES = {FABRIC: "Microsoft.Fabric/capacities", KUSTO: "Microsoft.Kusto/clusters", SYNAPSE_WS: "Microsoft.Synapse/workspaces"}


def blob_service(account_id: str) -> str:
    return f"{account_id}/blobServices/default"
