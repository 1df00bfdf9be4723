"""How capacity rows read in a table cell: words, never colour alone (shared by the screens)."""

from __future__ import annotations

from loom_tui.domain.capacity import Resource

SHORT_TYPES = {
    "microsoft.fabric/capacities": "Fabric cap.",
    "microsoft.synapse/workspaces/sqlpools": "SQL pool",
    "microsoft.synapse/workspaces": "Synapse ws",
    "microsoft.synapse/workspaces/bigdatapools": "Spark pool",
    "microsoft.kusto/clusters": "ADX cluster",
    "microsoft.documentdb/databaseaccounts": "Cosmos DB",
    "microsoft.storage/storageaccounts": "Storage",
    "microsoft.keyvault/vaults": "Key Vault",
    "microsoft.network/virtualnetworks": "VNet",
    "microsoft.network/privatednszones": "DNS zone",
    "microsoft.network/privateendpoints": "Endpoint",
}


def short_type(r: Resource) -> str:
    return SHORT_TYPES.get(r.type_key) or r.type.rsplit("/", 1)[-1]


def state(r: Resource) -> str:
    """Runtime state where there is one, else provisioning state; a running/paused resource whose
    provisioning is not Succeeded says both."""
    if r.runtime is not None:
        if r.state is None:
            return "unknown"
        if r.provisioning_state and r.provisioning_state != "Succeeded":
            return f"{r.state}/{r.provisioning_state}"
        return r.state
    return r.provisioning_state or ""


def cost(r: Resource, column_currency: str | None = None) -> str:
    """The amount; its currency code too unless the column's title names the one currency."""
    if r.cost_mtd is None:
        return "—"
    return f"{r.cost_mtd:,.2f}" + (f" {r.currency}" if r.currency and r.currency != column_currency else "")


def util(r: Resource) -> str:
    if r.utilization_24h is None:
        if r.utilization_absent:
            return "none"  # no such metric in this cloud (the detail says why)
        return "n/a" if r.utilization_note else ""
    return f"{r.utilization_24h:.1f}%"
