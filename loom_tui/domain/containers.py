"""The document containers of CSA Loom and how each is partitioned.

Mirrors the web console's Cosmos DB layout (database ``loom``): every container is created
idempotently on first use with the partition key below.  ``scope`` says which part of a session a
container's partition key is bound to, which is what the tenant-scoped repository enforces.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Scope(str, Enum):
    TENANT = "tenant"  # partition key is the Entra tenant id
    OWNER = "owner"  # partition key is the owner's object id (workspaces, as the web console files them)
    WORKSPACE = "workspace"  # partition key is a workspace id (the workspace belongs to a tenant)
    ITEM = "item"  # partition key is an item id (or a synthetic id like "tenant-settings:<tid>")
    USER = "user"  # partition key is the user's object id
    SESSION = "session"  # partition key is a copilot session id (owned by a user)


@dataclass(frozen=True)
class Container:
    name: str
    partition_key: str  # the document field, without the leading "/"
    scope: Scope
    holds: str
    # document fields that get a secondary index in the embedded store (within a partition)
    indexed: tuple[str, ...] = ()
    # of those, the fields that also get an index across partitions (read by cross-partition queries)
    cross_indexed: tuple[str, ...] = ()
    # multi-field indexes across partitions (embedded store) that cover the admin reports'
    # aggregates (count_by / count_per_day): the report reads the index, never the documents
    covering: tuple[tuple[str, ...], ...] = ()

    @property
    def partition_path(self) -> str:
        return "/" + self.partition_key


CONTAINERS: dict[str, Container] = {
    c.name: c
    for c in (
        Container(
            "workspaces",
            "tenantId",  # the OWNER's object id (the console's name for it); ``tid`` is the tenant
            Scope.OWNER,
            "workspace documents",
            # (the id across partitions — ScopedStore.workspace finds the holders of an id — is
            # the embedded store's own index on its id column, for every container)
            ("name", "description", "createdAt", "lastAccessedAt", "itemCount", "ownerOid", "domain", "capacity", "tid",
             "tenantId"),
            # the list reads across owners' partitions: its sorts, the tenant bound and the owner's partition
            ("name", "createdAt", "lastAccessedAt", "itemCount", "tid", "domain", "capacity", "tenantId"),
            # Usage and the idle finder: what they read of every workspace of the tenant
            covering=(("id", "name", "lastAccessedAt", "createdAt", "tenantId", "tid", "state"),),
        ),
        Container(
            "items",
            "workspaceId",
            Scope.WORKSPACE,
            "items of a workspace",
            ("displayName", "folderId", "itemType", "createdAt", "updatedAt"),
            covering=(("tenantId", "itemType", "workspaceId"),),  # Usage: items by type and by workspace
        ),
        Container("folders", "workspaceId", Scope.WORKSPACE, "folder tree of a workspace", ("parent",)),
        Container("workspace-permissions", "workspaceId", Scope.WORKSPACE, "member role bindings", ("upn",), ("upn",)),
        # the console's system of record for sharing (lib/azure/workspace-roles-client.ts): one
        # grant per principal, id "<workspaceId>:<principalId>", role Admin|Member|Contributor|Viewer
        Container("workspace-roles", "workspaceId", Scope.WORKSPACE, "role grants by principal (the console's sharing)",
                  ("principalId",), ("principalId",)),
        Container("workspace-git", "workspaceId", Scope.WORKSPACE, "per-workspace Git connection config"),
        Container("apps-catalog", "tenantId", Scope.TENANT, "installable apps"),
        Container("workloads-catalog", "tenantId", Scope.TENANT, "enabled workloads"),
        Container("tenant-themes", "tenantId", Scope.TENANT, "branding"),
        Container("tenant-settings", "tenantId", Scope.TENANT, "tenant toggles; also the domains document"),
        Container("marketplace-listings", "tenantId", Scope.TENANT, "published data products"),
        # loom's own (the web console does not use them): one document per workspace name (unique
        # under concurrency) and the intents of writes that span partitions (see services/journal.py)
        Container("workspace-names", "tenantId", Scope.TENANT, "workspace name reservations (loom)"),
        Container("pending-writes", "tenantId", Scope.TENANT, "intents of multi-document writes (loom)"),
        # the console's logical landing zones (LandingZone, lib/azure/landing-zones-store.ts): loom
        # writes one per DLZ it deployed; loom's records were here once (kind dlz/draft) and are
        # read from here until they are saved again (then they move to loom-dlz)
        Container("landing-zones", "tenantId", Scope.TENANT, "logical landing zones (the console's LandingZone)", ("kind",)),
        # loom-tui's own: Data Landing Zones it deployed (kind "dlz") and wizard drafts (kind "draft")
        Container("loom-dlz", "tenantId", Scope.TENANT, "DLZ records and DLZ-wizard drafts (loom)", ("kind",)),
        Container("audit-log", "itemId", Scope.ITEM, "audit events", ("at", "seq", "tenantId", "workspaceId"),
                  # Usage, of one tenant: events per day (a range of the first), per workspace and
                  # item in the window (the second: grouped in its order, no sort)
                  covering=(("tenantId", "at"), ("tenantId", "workspaceId", "itemId", "at"))),
        Container("comments", "itemId", Scope.ITEM, "item comments", ("createdAt",)),
        Container("shares", "itemId", Scope.ITEM, "share-link tokens"),
        Container("notifications", "userId", Scope.USER, "per-user notifications", ("createdAt", "read")),
        Container("user-prefs", "userId", Scope.USER, "UI preferences"),
        Container("tabs-state", "userId", Scope.USER, "open tabs / recent places"),
        Container("search-history", "userId", Scope.USER, "search history", ("at",)),
        Container("downloads", "userId", Scope.USER, "download history"),
        Container("copilot-sessions", "sessionId", Scope.SESSION, "copilot conversations"),
        Container("copilot-help-sessions", "userId", Scope.USER, "help-widget conversations"),
        # loom-tui's own: long-running Azure operations (pause a capacity, deploy a landing zone)
        Container("operations", "tenantId", Scope.TENANT, "long-running Azure operations", ("startedAt", "state")),
    )
}


# loom's own containers: the web console neither creates nor reads them (``loom store init`` makes
# them on an account the console's bicep provisioned)
LOOM_OWN: tuple[str, ...] = ("workspace-names", "pending-writes", "operations", "loom-dlz")


def container(name: str) -> Container:
    try:
        return CONTAINERS[name]
    except KeyError:
        raise KeyError(f"unknown container {name!r}") from None


# Sorts that are read by keyset and backwards (the item list: a field, then id): Cosmos serves a
# two-field ORDER BY only from a composite index, so loom creates these when IT creates the
# container (the web console's bicep does not; loom then orders by the first field only).
SORTED_WITH_ID: dict[str, tuple[str, ...]] = {
    "items": ("displayNameLower", "createdAt", "updatedAt", "itemType"),
}


def indexing_policy(name: str) -> dict | None:
    """The Cosmos DB indexing policy loom creates a container with (None: the default)."""
    fields = SORTED_WITH_ID.get(name)
    if not fields:
        return None
    composite = []
    for f in fields:
        for a, b in (("ascending", "ascending"), ("descending", "descending"), ("ascending", "descending"), ("descending", "ascending")):
            composite.append([{"path": f"/{f}", "order": a}, {"path": "/id", "order": b}])
    return {"indexingMode": "consistent", "automatic": True, "includedPaths": [{"path": "/*"}],
            "excludedPaths": [{"path": '/"_etag"/?'}], "compositeIndexes": composite}
