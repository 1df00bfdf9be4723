"""The api-versions the demo Azure's cloud offers, per resource type (its provider registry), and
the gate that refuses any other as Azure Resource Manager does (issue 21).

Two clouds: ``public`` (the default: the versions the public cloud offers, newer ones than loom
knows included) and ``lagging`` (a sovereign or custom cloud a release or more behind: what a
profile on Azure Stack Hub or an air-gapped region meets).  ``LOOM_DEMO_API_VERSIONS`` or
``loom demo-azure serve --api-versions`` picks one.  ``GET /subscriptions/{id}/providers/{ns}``
(and ``/providers/{ns}``) answers the registry in ``Providers_Get``'s shape.
"""

from __future__ import annotations

import re
from typing import Any

VERSIONS_ENV = "LOOM_DEMO_API_VERSIONS"
CLOUDS = ("public", "lagging")

# namespace -> resource type (as the provider names it) -> (public cloud, lagging cloud), newest first
REGISTRY: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "Microsoft.Resources": {
        "subscriptions": (("2022-12-01", "2021-01-01", "2020-01-01", "2016-06-01"), ("2021-01-01", "2020-01-01", "2016-06-01")),
        "tenants": (("2022-12-01", "2021-01-01", "2020-01-01"), ("2021-01-01", "2020-01-01")),
        "subscriptions/locations": (("2022-12-01", "2021-01-01", "2020-01-01"), ("2021-01-01", "2020-01-01")),
        "resourceGroups": (("2025-04-01", "2024-11-01", "2022-09-01", "2021-04-01", "2020-06-01", "2019-10-01"), ("2020-06-01", "2019-10-01")),
        "resources": (("2025-04-01", "2024-11-01", "2022-09-01", "2021-04-01", "2020-06-01", "2019-10-01"), ("2020-06-01", "2019-10-01")),
        "deployments": (("2026-06-01", "2025-04-01", "2024-03-01", "2021-04-01"), ("2025-04-01", "2024-03-01", "2021-04-01")),
        "templateSpecs": (("2022-02-01", "2021-05-01", "2021-03-01-preview"), ("2021-05-01", "2021-03-01-preview")),
        "templateSpecs/versions": (("2022-02-01", "2021-05-01", "2021-03-01-preview"), ("2021-05-01", "2021-03-01-preview")),
    },
    "Microsoft.OperationalInsights": {"workspaces": (("2025-02-01", "2023-09-01", "2022-10-01", "2021-06-01"), ("2021-06-01", "2020-08-01"))},
    "Microsoft.ManagedIdentity": {"userAssignedIdentities": (("2024-11-30", "2023-01-31", "2018-11-30"), ("2018-11-30",))},
    "Microsoft.Fabric": {"capacities": (("2026-09-01-preview", "2026-08-01", "2025-01-15-preview", "2023-11-01"), ("2023-11-01",))},
    "Microsoft.Kusto": {"clusters": (("2025-02-14", "2024-04-13", "2023-08-15", "2022-12-29"), ("2023-08-15", "2022-12-29"))},
    "Microsoft.Synapse": {
        "workspaces": (("2021-06-01", "2021-06-01-preview", "2021-05-01"), ("2021-06-01", "2021-05-01")),
        "workspaces/sqlPools": (("2021-06-01", "2021-06-01-preview", "2021-05-01"), ("2021-06-01", "2021-05-01")),
        "workspaces/bigDataPools": (("2021-06-01", "2021-06-01-preview", "2021-05-01"), ("2021-06-01", "2021-05-01")),
    },
    "Microsoft.Insights": {"metrics": (("2024-02-01", "2023-10-01", "2021-05-01", "2018-01-01"), ("2023-10-01", "2021-05-01", "2018-01-01"))},
    "Microsoft.Consumption": {"budgets": (("2024-08-01", "2023-11-01", "2023-05-01", "2021-10-01"), ("2023-05-01", "2021-10-01"))},
    "Microsoft.CostManagement": {"query": (("2025-03-01", "2024-08-01", "2023-11-01", "2023-03-01"), ("2023-11-01", "2023-03-01"))},
    "Microsoft.Network": {
        "virtualNetworks": (("2025-03-01", "2024-07-01", "2023-11-01", "2023-09-01"), ("2023-09-01",)),
        "virtualNetworks/virtualNetworkPeerings": (("2025-03-01", "2024-07-01", "2023-11-01", "2023-09-01"), ("2023-09-01",)),
        "privateDnsZones": (("2024-06-01", "2020-06-01", "2018-09-01"), ("2020-06-01", "2018-09-01")),
        "privateDnsZones/virtualNetworkLinks": (("2024-06-01", "2020-06-01", "2018-09-01"), ("2020-06-01", "2018-09-01")),
    },
    "Microsoft.Authorization": {"roleAssignments": (("2022-04-01", "2020-04-01-preview"), ("2022-04-01", "2020-04-01-preview"))},
    "Microsoft.DocumentDB": {
        "databaseAccounts": (("2025-04-15", "2024-11-15", "2024-08-15"), ("2024-11-15", "2024-08-15")),
        "databaseAccounts/sqlDatabases": (("2025-04-15", "2024-11-15", "2024-08-15"), ("2024-11-15", "2024-08-15")),
        "databaseAccounts/sqlDatabases/containers": (("2025-04-15", "2024-11-15", "2024-08-15"), ("2024-11-15", "2024-08-15")),
    },
    "Microsoft.Storage": {
        "storageAccounts": (("2025-06-01", "2025-01-01", "2024-01-01"), ("2025-01-01", "2024-01-01")),
        "storageAccounts/blobServices": (("2025-06-01", "2025-01-01", "2024-01-01"), ("2025-01-01", "2024-01-01")),
    },
    "Microsoft.KeyVault": {"vaults": (("2025-05-01", "2024-11-01", "2023-07-01"), ("2024-11-01", "2023-07-01"))},
}
LOCATIONS = ["East US 2", "Central US", "West US 3", "East US", "West Europe"]


def offered(cloud: str, namespace: str) -> dict[str, tuple[str, ...]] | None:
    table = next((t for ns, t in REGISTRY.items() if ns.lower() == namespace.lower()), None)
    if table is None:
        return None
    i = CLOUDS.index(cloud) if cloud in CLOUDS else 0
    return {rtype: versions[i] for rtype, versions in table.items()}


def provider_body(cloud: str, namespace: str, sub: str | None) -> dict[str, Any] | None:
    types = offered(cloud, namespace)
    if types is None:
        return None
    ns = next(n for n in REGISTRY if n.lower() == namespace.lower())
    return {"id": f"/subscriptions/{sub}/providers/{ns}" if sub else f"/providers/{ns}", "namespace": ns,
            "registrationState": "Registered", "registrationPolicy": "RegistrationRequired",
            "resourceTypes": [{"resourceType": t, "locations": list(LOCATIONS), "apiVersions": list(v), "capabilities": "None"}
                              for t, v in types.items()]}


_TOP = [  # Microsoft.Resources paths without /providers/
    (re.compile(r"^/subscriptions/?$", re.I), "subscriptions"),
    (re.compile(r"^/tenants/?$", re.I), "tenants"),
    (re.compile(r"^/subscriptions/[^/]+/?$", re.I), "subscriptions"),
    (re.compile(r"^/subscriptions/[^/]+/locations/?$", re.I), "subscriptions/locations"),
    (re.compile(r"^/subscriptions/[^/]+/resourcegroups(/[^/]+)?/?$", re.I), "resourceGroups"),
    (re.compile(r"^/subscriptions/[^/]+(/resourcegroups/[^/]+)?/resources/?$", re.I), "resources"),
]


def type_of(path: str) -> tuple[str, str] | None:
    """(namespace, resource type) a request path addresses, as the registry names them; None for
    what the registry does not gate (status URLs, providers themselves)."""
    for pattern, rtype in _TOP:
        if pattern.match(path):
            return "Microsoft.Resources", rtype
    low = path.lower()
    if "/providers/" not in low:
        return None
    tail = path[low.rindex("/providers/") + len("/providers/"):].strip("/").split("/")
    if len(tail) < 2:
        return None
    namespace, segs = tail[0], tail[1:]
    types = offered("public", namespace)
    if types is None:
        return None
    kinds = segs[0::2]  # type, name, child type, name, ... (an action verb lands on a type slot)
    for n in range(len(kinds), 0, -1):
        candidate = "/".join(kinds[:n])
        found = next((t for t in types if t.lower() == candidate.lower()), None)
        if found:
            return next(ns for ns in REGISTRY if ns.lower() == namespace.lower()), found
    return None


def refusal(cloud: str, path: str, api_version: str | None) -> tuple[int, str, str] | None:
    """ARM's answer to an api-version the cloud does not offer for the type: (status, code, message)."""
    found = type_of(path)
    if found is None:
        return None
    namespace, rtype = found
    versions = (offered(cloud, namespace) or {}).get(rtype) or ()
    if api_version in versions:
        return None
    if not api_version:
        return 400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."
    return 400, "NoRegisteredProviderFound", (
        f"No registered resource provider found for location 'eastus2' and API version '{api_version}' for type "
        f"'{rtype}'. The supported api-versions are '{', '.join(versions)}'. The supported locations are "
        f"'{', '.join(LOCATIONS).lower()}'.")
