"""``loom store init``: create the store's database and containers through Azure Resource Manager.

The platform deploys Cosmos DB with ``disableLocalAuth: true``: the Entra data-plane roles (Cosmos
DB Built-in Data Contributor) cannot create a database or a container, so a writable open creates
nothing (:meth:`loom_tui.store.cosmos.CosmosStore.open`).  The control plane can:
``PUT .../databaseAccounts/{account}/sqlDatabases/{db}/containers/{name}`` (``SqlResources_
CreateUpdateSqlContainer``), a long-running operation followed by the one poller
(:mod:`loom_tui.azure.lro`) at the api-version the cloud offers (:mod:`loom_tui.azure.api_versions`).
It needs ``Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/write`` on the account:
the built-in role *DocumentDB Account Contributor* (or Contributor).

Only what is missing is created (loom's own containers on an account the console's bicep
provisioned, or everything on a new database), each with its partition key and, where loom reads
by keyset, its composite indexes (:func:`loom_tui.domain.containers.indexing_policy`).  An existing
container is never changed: ARM refuses a new partition key, and the console owns its containers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable
from urllib.parse import urlparse

from loom_tui.azure import api_versions, lro
from loom_tui.azure.errors import ArmError
from loom_tui.domain.containers import CONTAINERS, indexing_policy
from loom_tui.domain.pace import REAL_TIME, Pace
from loom_tui.errors import LoomError, NOT_FOUND

if TYPE_CHECKING:
    from loom_tui.azure.clients import AzureClients

ACCOUNTS = "Microsoft.DocumentDB/databaseAccounts"
DATABASES = ACCOUNTS + "/sqlDatabases"
SQL_CONTAINERS = DATABASES + "/containers"
ROLE = "DocumentDB Account Contributor"


class AccountNotFound(LoomError):
    code = "not-found"
    exit_code = NOT_FOUND


@dataclass
class InitResult:
    account_id: str
    database: str
    created: list[str] = field(default_factory=list)  # "database" first when it was made
    existing: list[str] = field(default_factory=list)


def container_body(name: str) -> dict[str, Any]:
    """The ARM body that creates container ``name`` as loom (and the console) partition it."""
    c = CONTAINERS[name]
    resource: dict[str, Any] = {"id": name, "partitionKey": {"paths": [c.partition_path], "kind": "Hash", "version": 2}}
    policy = indexing_policy(name)
    if policy:
        resource["indexingPolicy"] = policy
    return {"properties": {"resource": resource, "options": {}}}


def _host(url: str) -> str:
    return (urlparse(url).hostname or "").lower()


async def find_account(clients: "AzureClients", endpoint: str, subscriptions: list[str]) -> str:
    """The ARM id of the account whose ``documentEndpoint`` is ``endpoint`` (its host), looked for
    in ``subscriptions``."""
    want = _host(endpoint)
    for sub in subscriptions:
        path = f"/subscriptions/{sub}/providers/{ACCOUNTS}"
        version = await api_versions.pick(clients, ACCOUNTS, path=path)
        url: str | None = path
        while url:
            try:
                body = (await clients.send("GET", url, version if url == path else None)).body or {}
            except ArmError as exc:
                if exc.status in (403, 404):
                    break
                raise
            for acct in body.get("value") or []:
                ep = (acct.get("properties") or {}).get("documentEndpoint") or ""
                if _host(ep) == want:
                    return str(acct["id"])
            url = body.get("nextLink")
    raise AccountNotFound(f"no Cosmos DB account with the endpoint {want} in the subscriptions {', '.join(subscriptions) or '(none)'}; "
                          "name it with --account-id /subscriptions/…/providers/Microsoft.DocumentDB/databaseAccounts/<name>")


async def _exists(clients: "AzureClients", path: str, rtype: str) -> bool:
    version = await api_versions.pick(clients, rtype, path=path)
    try:
        await clients.send("GET", path, version)
        return True
    except ArmError as exc:
        if exc.status == 404:
            return False
        raise


async def _put(clients: "AzureClients", path: str, rtype: str, body: dict[str, Any], pace: Pace) -> None:
    version = await api_versions.pick(clients, rtype, path=path)
    _, target = await lro.begin(clients, "PUT", path, version, body, pace=pace, kind="arm")
    if target is None:
        return
    state = await lro.poll(clients, target, pace=pace)
    if state.outcome == "failed":
        raise state.error or ArmError(0, "Failed", f"creating {path.rsplit('/', 1)[-1]} failed")
    if state.outcome != "succeeded":
        raise ArmError(0, "Unknown", f"creating {path.rsplit('/', 1)[-1]}: {state.note or 'Azure did not say how it ended'}")


async def existing_containers(clients: "AzureClients", db_path: str) -> set[str]:
    path = f"{db_path}/containers"
    version = await api_versions.pick(clients, SQL_CONTAINERS, path=path)
    names: set[str] = set()
    url: str | None = path
    while url:
        body = (await clients.send("GET", url, version if url == path else None)).body or {}
        names.update(str(c.get("name")) for c in body.get("value") or [])
        url = body.get("nextLink")
    return names


async def init_through_arm(clients: "AzureClients", account_id: str, database: str, *, pace: Pace = REAL_TIME,
                           on_step: Callable[[str], Awaitable[None]] | None = None) -> InitResult:
    """Create ``database`` if missing, then every container loom knows that it lacks."""
    result = InitResult(account_id, database)
    db_path = f"{account_id.rstrip('/')}/sqlDatabases/{database}"
    if not await _exists(clients, db_path, DATABASES):
        if on_step:
            await on_step(f"creating the database {database}")
        await _put(clients, db_path, DATABASES, {"properties": {"resource": {"id": database}, "options": {}}}, pace)
        result.created.append("database")
    have = await existing_containers(clients, db_path)
    for name in CONTAINERS:
        if name in have:
            result.existing.append(name)
            continue
        if on_step:
            await on_step(f"creating the container {name} (partition key {CONTAINERS[name].partition_path})")
        await _put(clients, f"{db_path}/containers/{name}", SQL_CONTAINERS, container_body(name), pace)
        result.created.append(name)
    return result
