"""ARM paths and API versions the Capacity area calls (one place; every call goes through the
run's shared ``AzureClients``)."""

from __future__ import annotations

from loom_tui.domain.capacity import COSMOS, FABRIC, KEY_VAULT, KUSTO, RUNTIMES, STORAGE, SYNAPSE_POOL

RESOURCES_API = "2021-04-01"  # resource groups and their resources
# a provider GET per type we read beyond the listing (the listing carries no ``properties``)
GET_API: dict[str, str] = {
    FABRIC: RUNTIMES[FABRIC].api_version,
    SYNAPSE_POOL: RUNTIMES[SYNAPSE_POOL].api_version,
    KUSTO: RUNTIMES[KUSTO].api_version,
    COSMOS: "2025-04-15",
    STORAGE: "2025-06-01",
    KEY_VAULT: "2025-05-01",
    "microsoft.synapse/workspaces": "2021-06-01",
}


def resource_groups(sub: str) -> str:
    return f"/subscriptions/{sub}/resourcegroups"


def resources_in(sub: str, rg: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}/resources?$expand=provisioningState,createdTime,changedTime&api-version={RESOURCES_API}"


def resources_in_subscription(sub: str) -> str:
    """Every resource of a subscription (ARM's Resources_List), the same expansion."""
    return f"/subscriptions/{sub}/resources?$expand=provisioningState,createdTime,changedTime&api-version={RESOURCES_API}"


def provider_list(sub: str, type_key: str) -> str:
    """A provider's own list of one type across a subscription (``FabricCapacities_ListBySubscription``,
    ``Clusters_List``, ``Workspaces_List``): documents with ``properties``, unlike the listing."""
    ns, kind = _TYPES[type_key].split("/")
    return f"/subscriptions/{sub}/providers/{ns}/{kind}"


_TYPES = {FABRIC: "Microsoft.Fabric/capacities", KUSTO: "Microsoft.Kusto/clusters",
          "microsoft.synapse/workspaces": "Microsoft.Synapse/workspaces"}


def blob_service(account_id: str) -> str:
    return f"{account_id}/blobServices/default"
