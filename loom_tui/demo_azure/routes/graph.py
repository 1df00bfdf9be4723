"""Microsoft Graph (v1.0) for the demo tenant: the lookups loom makes to resolve a workspace member
(``loom_tui/azure/graph.py``), served on the demo Azure's endpoint (the local profile's
``graph_endpoint``).  Not ARM: no api-version, Graph's own error shape
``{"error": {"code": "Request_ResourceNotFound", "message"}}``.

Users, groups and service principals are the demo tenant's (``loom_tui/local/demo.py``:
``DEMO_USERS``, ``DEMO_GROUPS``, ``DEMO_SERVICE_PRINCIPALS``); memberships follow ``DEMO_GROUPS``.

- ``GET /v1.0/users/{id | userPrincipalName}``
- ``GET /v1.0/directoryObjects/{id}`` (with ``@odata.type``)
- ``GET /v1.0/groups?$filter=displayName eq '...'`` and ``/v1.0/servicePrincipals?$filter=...``
  (only that filter; any other is ``400 Request_UnsupportedQuery``)
- ``GET /v1.0/groups/{id}/members`` and ``/v1.0/users/{id}/transitiveMemberOf``

``state.graph_denied`` (tests) answers every call ``403 Authorization_RequestDenied``, as Graph
answers a token without the directory read permissions.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import web

from loom_tui.local.demo import DEMO_DOMAIN, DEMO_GROUPS, DEMO_SERVICE_PRINCIPALS, DEMO_USERS

from ..responses import arm_error, arm_json
from ..router import ArmRequest, Router

if TYPE_CHECKING:
    from ..state import State

_FILTER = re.compile(r"^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$")
_BASE = "https://graph.microsoft.com/v1.0/$metadata"


def _user(oid: str, alias: str, name: str) -> dict[str, Any]:
    return {"@odata.type": "#microsoft.graph.user", "id": oid, "displayName": name,
            "userPrincipalName": f"{alias}@{DEMO_DOMAIN}", "mail": f"{alias}@{DEMO_DOMAIN}"}


def _group(oid: str, name: str) -> dict[str, Any]:
    return {"@odata.type": "#microsoft.graph.group", "id": oid, "displayName": name, "securityEnabled": True, "mailEnabled": False}


def _sp(oid: str, name: str) -> dict[str, Any]:
    return {"@odata.type": "#microsoft.graph.servicePrincipal", "id": oid, "displayName": name}


USERS = [_user(*u) for u in DEMO_USERS]
GROUPS = [_group(oid, name) for oid, name, _ in DEMO_GROUPS]
SERVICE_PRINCIPALS = [_sp(*s) for s in DEMO_SERVICE_PRINCIPALS]
_ALIAS_OID = {alias: oid for oid, alias, _ in DEMO_USERS}
MEMBERS = {oid: [_ALIAS_OID[a] for a in aliases] for oid, _, aliases in DEMO_GROUPS}


def _not_found(what: str) -> web.Response:
    return arm_error(404, "Request_ResourceNotFound", f"Resource '{what}' does not exist or one of its queried reference-property "
                     "objects are not present.")


def _collection(items: list[dict[str, Any]], context: str) -> web.Response:
    return arm_json({"@odata.context": f"{_BASE}#{context}", "@odata.count": len(items), "value": items})


def register(router: Router, state: "State") -> None:
    def denied() -> web.Response | None:
        if getattr(state, "graph_denied", False):
            return arm_error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
        return None

    async def user(req: ArmRequest) -> web.Response:
        key = unquote(req.params["key"]).lower()
        found = next((u for u in USERS if key in (u["id"], u["userPrincipalName"].lower())), None)
        return denied() or (arm_json(found) if found else _not_found(key))

    async def directory_object(req: ArmRequest) -> web.Response:
        key = req.params["id"].lower()
        found = next((o for o in USERS + GROUPS + SERVICE_PRINCIPALS if o["id"] == key), None)
        return denied() or (arm_json(found) if found else _not_found(key))

    def by_name(items: list[dict[str, Any]], context: str):
        async def handler(req: ArmRequest) -> web.Response:
            if (refused := denied()) is not None:
                return refused
            flt = req.query.get("$filter")
            if flt is None:
                return _collection(items, context)
            m = _FILTER.match(flt)
            if m is None:
                return arm_error(400, "Request_UnsupportedQuery", f"Unsupported query: the demo Graph filters on displayName eq only ({flt!r}).")
            name = m.group(1).replace("''", "'")
            return _collection([o for o in items if o["displayName"] == name], context)
        return handler

    async def group_members(req: ArmRequest) -> web.Response:
        gid = req.params["id"].lower()
        if gid not in MEMBERS:
            return denied() or _not_found(gid)
        return denied() or _collection([u for u in USERS if u["id"] in MEMBERS[gid]], "directoryObjects")

    async def member_of(req: ArmRequest) -> web.Response:
        key = unquote(req.params["key"]).lower()
        found = next((u for u in USERS if key in (u["id"], u["userPrincipalName"].lower())), None)
        if found is None:
            return denied() or _not_found(key)
        return denied() or _collection([g for g in GROUPS if found["id"] in MEMBERS[g["id"]]], "directoryObjects")

    router.add("graph.user_member_of", "GET", r"/v1\.0/users/(?P<key>[^/]+)/transitiveMemberOf", member_of)
    router.add("graph.user", "GET", r"/v1\.0/users/(?P<key>[^/]+)", user)
    router.add("graph.directory_object", "GET", r"/v1\.0/directoryObjects/(?P<id>[^/]+)", directory_object)
    router.add("graph.group_members", "GET", r"/v1\.0/groups/(?P<id>[^/]+)/members", group_members)
    router.add("graph.groups", "GET", r"/v1\.0/groups", by_name(GROUPS, "groups"))
    router.add("graph.service_principals", "GET", r"/v1\.0/servicePrincipals", by_name(SERVICE_PRINCIPALS, "servicePrincipals"))
