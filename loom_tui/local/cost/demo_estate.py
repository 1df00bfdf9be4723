"""The demo estate's billable resources as cost lines (:mod:`.demo_data`): each bills as its SKU and
state in the estate say, so the cost data and the Capacity area tell the same story.

The estate is handed in as ARM documents (``loom_tui.demo_azure.estate``: the caller builds it;
this module reads only the documents).  Rates are list prices of the public cloud's US regions,
rounded (Fabric pay-as-you-go: an F2 is 0.36 USD an hour, so 0.18 per CU-hour; a Synapse DW100c
1.20 an hour); the demo has one currency, USD.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Any, Iterable

STOPPED_AGO = 20  # the Stopped Data Explorer cluster stopped this many days ago

FABRIC_PER_CU_HOUR = Decimal("0.18")
SQL_PER_DW100_HOUR = Decimal("1.20")
SPARK_PER_VCORE_HOUR = Decimal("0.143")
SPARK_VCORES = 24  # three Medium nodes of 8 vCores
SPARK_HOURS_WITH_AUTOPAUSE = 6  # a working day's jobs, then it pauses itself
ADX_PER_INSTANCE_HOUR = Decimal("1.00")
# a usual day's cost of what bills without a runtime state
FLAT = {"microsoft.storage/storageaccounts": Decimal("6.40"), "microsoft.keyvault/vaults": Decimal("0.90"),
        "microsoft.network/virtualnetworks": Decimal("1.10"), "microsoft.documentdb/databaseaccounts": Decimal("38.40")}
SERVICES = {
    "microsoft.fabric/capacities": ("Microsoft Fabric", "Analytics"),
    "microsoft.synapse/workspaces/sqlpools": ("Azure Synapse Analytics", "Analytics"),
    "microsoft.synapse/workspaces/bigdatapools": ("Azure Synapse Analytics", "Analytics"),
    "microsoft.kusto/clusters": ("Azure Data Explorer", "Analytics"),
    "microsoft.storage/storageaccounts": ("Storage", "Storage"),
    "microsoft.keyvault/vaults": ("Key Vault", "Security"),
    "microsoft.network/virtualnetworks": ("Virtual Network", "Networking"),
    "microsoft.documentdb/databaseaccounts": ("Azure Cosmos DB", "Databases"),
}
# the SQL pool that is never paused (the idle finder's "billed every day"); the others pause at weekends
ALWAYS_ON_POOL_DOMAIN = "supply-chain"


def _h(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def paused_days(resource_id: str) -> int:
    """How long ago a resource Paused in the estate was paused (5 to 44 days, stable per id)."""
    return 5 + _h(resource_id.lower(), "paused") % 40


def _parts(doc: dict) -> tuple[str, str, str]:
    m = re.match(r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/", doc["id"], re.IGNORECASE)
    return (m.group(1), m.group(2), doc["type"]) if m else ("", "", doc["type"])


def _fabric(doc: dict) -> dict[str, Any]:
    sku = str((doc.get("sku") or {}).get("name") or "F2")
    cus = int(sku[1:]) if sku[1:].isdigit() else 2
    paused = (doc.get("properties") or {}).get("state") == "Paused"
    return {"base": FABRIC_PER_CU_HOUR * cus * 24, "hourly": Decimal(cus), "unit": "Hours",
            "last_ago": paused_days(doc["id"]) if paused else None}


def _sql_pool(doc: dict) -> dict[str, Any]:
    sku = str((doc.get("sku") or {}).get("name") or "DW100c")
    dw = Decimal(int(re.sub(r"\D", "", sku) or 100)) / 100
    paused = (doc.get("properties") or {}).get("status") == "Paused"
    always_on = (doc.get("tags") or {}).get("loomDomain") == ALWAYS_ON_POOL_DOMAIN
    return {"base": SQL_PER_DW100_HOUR * dw * 24, "hourly": dw, "unit": "Hours", "weekends_off": not always_on,
            "last_ago": paused_days(doc["id"]) if paused else None}


def _spark(doc: dict) -> dict[str, Any]:
    autopause = ((doc.get("properties") or {}).get("autoPause") or {}).get("enabled", True)
    hours = SPARK_HOURS_WITH_AUTOPAUSE if autopause else 24
    return {"base": SPARK_PER_VCORE_HOUR * SPARK_VCORES * hours, "hourly": Decimal(SPARK_VCORES), "hours": hours, "unit": "Hours",
            "weekends_off": bool(autopause)}


def _kusto(doc: dict) -> dict[str, Any]:
    n = int((doc.get("sku") or {}).get("capacity") or 2)
    stopped = (doc.get("properties") or {}).get("state") == "Stopped"
    return {"base": ADX_PER_INSTANCE_HOUR * n * 24, "hourly": Decimal(n), "unit": "Hours",
            "last_ago": STOPPED_AGO + 1 if stopped else None}


RUNTIME = {"microsoft.fabric/capacities": _fabric, "microsoft.synapse/workspaces/sqlpools": _sql_pool,
           "microsoft.synapse/workspaces/bigdatapools": _spark, "microsoft.kusto/clusters": _kusto}


def billable(estate: Iterable[dict]) -> Iterable[tuple[dict, str, str, str, str, str, dict[str, Any]]]:
    """(document, subscription, group, type, service, category, how it bills) for each resource of
    the estate that bills by the day."""
    for doc in estate:
        sub, rg, rtype = _parts(doc)
        key = rtype.lower()
        if key not in SERVICES or not sub:
            continue
        service, category = SERVICES[key]
        if key in RUNTIME:
            how = RUNTIME[key](doc)
        else:
            flat = FLAT[key] * (Decimal("3.7") if doc["name"].startswith("vnet-csa-loom-hub") else 1)
            how = {"base": flat}
        yield doc, sub, rg, rtype, service, category, how
