"""Microsoft.Authorization/roleAssignments: list for a scope (at, above and below it; ``$filter``
``atScope()``, ``principalId eq '…'``, ``assignedTo('…')`` — which, as ARM's, includes the
assignments of the groups the principal is a member of), get, and PUT (a second assignment of
the same role to the same principal at the same scope is ``RoleAssignmentExists``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..responses import arm_error, arm_json
from ..router import SCOPE, ArmRequest, Router
from ._arm import not_found, page, resource_id

if TYPE_CHECKING:
    from ..state import State

TYPE = "Microsoft.Authorization/roleAssignments"
BASE = SCOPE + r"/providers/Microsoft\.Authorization/roleAssignments"
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_PRINCIPAL = re.compile(r"^\s*(?:principalId\s+eq\s+'(?P<p>[^']+)'|assignedTo\('(?P<a>[^']+)'\))\s*$", re.IGNORECASE)


def _norm(scope: str) -> str:
    return "/" + scope.strip("/").lower()


def register(router: Router, state: "State") -> None:
    def all_assignments() -> list[dict[str, Any]]:
        return state.list(type=TYPE)

    def _groups_of(principal: str) -> set[str]:
        """The groups ``principal`` is a member of, directly or through other groups."""
        members = {str(g).lower(): {str(m).lower() for m in (body or [])} for g, body in (state.docs_with_ids("group-members") or [])}
        out: set[str] = set()
        frontier = {principal}
        while frontier:
            nxt = {g for g, ms in members.items() if ms & frontier and g not in out}
            out |= nxt
            frontier = nxt
        return out

    async def list_for_scope(req: ArmRequest) -> web.Response:
        scope = _norm(req["scope"])
        flt = (req.query.get("$filter") or "").strip()
        at_scope = False
        principal = None
        assigned_to = False
        for clause in [c for c in re.split(r"\s+and\s+", flt, flags=re.IGNORECASE) if c]:
            if clause.strip().lower() == "atscope()":
                at_scope = True
                continue
            m = _PRINCIPAL.match(clause)
            if not m:
                return arm_error(400, "InvalidFilter", f"The filter '{flt}' is not supported.")
            principal = (m["p"] or m["a"]).lower()
            assigned_to = bool(m["a"])
        principals = {principal} if principal else set()
        if principal and assigned_to:  # assignedTo(): the principal's own assignments and its groups' (transitively)
            principals |= _groups_of(principal)
        out = []
        for ra in all_assignments():
            s = _norm(ra["properties"]["scope"])
            above_or_at = scope == s or scope.startswith(s + "/")
            below = s.startswith(scope + "/")
            if not (above_or_at or (below and not at_scope)):
                continue
            if principal and ra["properties"]["principalId"].lower() not in principals:
                continue
            out.append(ra)
        return page(req, out)

    async def get(req: ArmRequest) -> web.Response:
        rid = resource_id(req)
        body = state.get(rid)
        return arm_json(body) if body is not None else arm_error(404, "RoleAssignmentNotFound", "The role assignment '"
                                                                 f"{req['name']}' is not found.")

    async def put(req: ArmRequest) -> web.Response:
        name = req["name"]
        if not GUID.match(name):
            return arm_error(400, "InvalidRoleAssignmentId", f"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.")
        props = (req.body or {}).get("properties") if isinstance(req.body, dict) else None
        role = (props or {}).get("roleDefinitionId")
        principal = (props or {}).get("principalId")
        if not isinstance(role, str) or not GUID.search(role) or not isinstance(principal, str) or not principal:
            return arm_error(400, "InvalidRequestContent", "properties.roleDefinitionId and properties.principalId are required.")
        scope = "/" + req["scope"].strip("/")
        if scope.lower().startswith("/subscriptions/") and state.subscription(scope.split("/")[2]) is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{scope.split('/')[2]}' could not be found.")
        if "/resourcegroups/" in scope.lower() and state.get("/".join(scope.split("/")[:5])) is None:
            return not_found("/".join(scope.split("/")[:5]))
        role_guid = GUID.search(role).group(0).lower()  # type: ignore[union-attr]
        rid = f"{scope}/providers/{TYPE}/{name}"
        for ra in all_assignments():
            same = (_norm(ra["properties"]["scope"]) == _norm(scope) and ra["properties"]["principalId"].lower() == principal.lower()
                    and ra["properties"]["roleDefinitionId"].lower().endswith(role_guid))
            if same and ra["name"].lower() != name.lower():
                return arm_error(409, "RoleAssignmentExists", "The role assignment already exists.")
            if ra["name"].lower() == name.lower() and _norm(ra["properties"]["scope"]) == _norm(scope):
                if same:
                    return arm_json(ra, status=200)
                return arm_error(409, "RoleAssignmentUpdateNotPermitted",
                                 "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.")
        stamp = state.clock()
        import datetime as dt

        when = dt.datetime.fromtimestamp(stamp, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        body = {"id": rid, "name": name, "type": TYPE,
                "properties": {"roleDefinitionId": role, "principalId": principal,
                               "principalType": props.get("principalType") or "User", "scope": scope,
                               "condition": props.get("condition"), "conditionVersion": props.get("conditionVersion"),
                               "description": props.get("description"), "createdOn": when, "updatedOn": when,
                               "createdBy": None, "updatedBy": None, "delegatedManagedIdentityResourceId": None}}
        state.put(body)
        return arm_json(body, status=201)

    router.add("role_assignments.list", "GET", BASE, list_for_scope)
    router.add("role_assignments.get", "GET", BASE + r"/(?P<name>[^/]+)", get)
    router.add("role_assignments.put", "PUT", BASE + r"/(?P<name>[^/]+)", put)
