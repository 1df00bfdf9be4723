"""Microsoft.DocumentDB/databaseAccounts (the account loom's store lives in), and its SQL databases
and containers as the resource provider serves them (``SqlResources_*``): GET, list, and PUT as a
long-running operation (202 with ``Azure-AsyncOperation`` and ``Location``), which is how
``loom store init`` creates containers on an account with local auth disabled."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..responses import arm_error
from ..router import Router
from ._arm import ArmRequest, accept, item_pattern, not_found, register_type, resource_id

if TYPE_CHECKING:
    from ..state import State

ACCOUNTS = "Microsoft.DocumentDB/databaseAccounts"
DATABASES = ACCOUNTS + "/sqlDatabases"
CONTAINERS = DATABASES + "/containers"


def _resource_of(req: ArmRequest) -> dict[str, Any] | web.Response:
    body = req.body if isinstance(req.body, dict) else {}
    resource = (body.get("properties") or {}).get("resource")
    name = resource_id(req).rstrip("/").split("/")[-1]
    if not isinstance(resource, dict) or resource.get("id") != name:
        return arm_error(400, "BadRequest", f"properties.resource.id must be '{name}', the name in the request URL.")
    return resource


def sql_database(account: dict[str, Any], name: str) -> dict[str, Any]:
    return {"id": f"{account['id']}/sqlDatabases/{name}", "name": name, "type": DATABASES, "location": account.get("location", ""),
            "tags": {}, "properties": {"resource": {"id": name, "_rid": name[:8], "_ts": 1760000000, "_etag": f'"{name}"',
                                                    "_colls": "colls/", "_users": "users/"}}}


def sql_container(database: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    name = resource["id"]
    stored = {k: v for k, v in resource.items()}
    stored.setdefault("indexingPolicy", {"indexingMode": "consistent", "automatic": True, "includedPaths": [{"path": "/*"}],
                                         "excludedPaths": [{"path": '/"_etag"/?'}]})
    pk = dict(stored.get("partitionKey") or {})
    pk.setdefault("kind", "Hash")
    pk.setdefault("version", 2)
    stored["partitionKey"] = pk
    stored.update({"_rid": name[:8], "_ts": 1760000000, "_etag": f'"{name}"'})
    return {"id": f"{database['id']}/containers/{name}", "name": name, "type": CONTAINERS, "location": database.get("location", ""),
            "tags": {}, "properties": {"resource": stored}}


def register(router: Router, state: "State") -> None:
    register_type(router, state, "cosmos.accounts", ACCOUNTS)
    register_type(router, state, "cosmos.sql_databases", DATABASES)
    register_type(router, state, "cosmos.sql_containers", CONTAINERS)

    async def put_database(req: ArmRequest) -> web.Response:
        parent = resource_id(req, drop_last=2)
        account = state.get(parent)
        if account is None:
            return not_found(parent)
        resource = _resource_of(req)
        if isinstance(resource, web.Response):
            return resource
        new = sql_database(account, resource["id"])
        resp = accept(req, state, "cosmos.sql_databases.put", new["id"], account, transient={}, final={}, result="resource")
        if resp.status < 300:
            state.put(new)
        return resp

    async def put_container(req: ArmRequest) -> web.Response:
        parent = resource_id(req, drop_last=2)
        database = state.get(parent)
        if database is None:
            return not_found(parent)
        resource = _resource_of(req)
        if isinstance(resource, web.Response):
            return resource
        paths = (resource.get("partitionKey") or {}).get("paths")
        if not (isinstance(paths, list) and len(paths) == 1 and isinstance(paths[0], str) and paths[0].startswith("/")):
            return arm_error(400, "BadRequest", "properties.resource.partitionKey.paths must name one path starting with '/'.")
        rid = f"{parent}/containers/{resource['id']}"
        old = state.get(rid)
        if old is not None and old["properties"]["resource"]["partitionKey"]["paths"] != paths:
            return arm_error(400, "BadRequest", "Document collection partition key cannot be changed.")
        new = sql_container(database, resource)
        resp = accept(req, state, "cosmos.sql_containers.put", rid, database, transient={}, final={}, result="resource")
        if resp.status < 300:
            state.put(new)
        return resp

    router.add("cosmos.sql_databases.put", "PUT", item_pattern(DATABASES), put_database)
    router.add("cosmos.sql_containers.put", "PUT", item_pattern(CONTAINERS), put_container)
