"""Subscriptions, tenants, locations, resource groups and the generic resource lists, from the
estate (``Microsoft.Resources``), and the ``metadata/endpoints`` document."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..metadata import metadata_document
from ..responses import arm_error, arm_json
from ..router import RG, SUB, ArmRequest, Router
from ._arm import not_found, page, rg_missing

if TYPE_CHECKING:
    from ..state import State

ORDER = 10
RG_ITEM = SUB + r"/resource[gG]roups/(?P<rg>[^/]+)"


def register(router: Router, state: "State") -> None:
    async def metadata(req: ArmRequest) -> web.Response:
        tenants = state.tenants()
        return arm_json(metadata_document(req.base, tenants[0]["tenantId"] if tenants else None))

    async def subscriptions(req: ArmRequest) -> web.Response:
        return arm_json(req.server.page(req.request, state.subscriptions()))

    async def subscription(req: ArmRequest) -> web.Response:
        s = state.subscription(req["sub"])
        if s is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{req['sub']}' could not be found.")
        return arm_json(s)

    async def tenants(req: ArmRequest) -> web.Response:
        return arm_json(req.server.page(req.request, state.tenants()))

    async def locations(req: ArmRequest) -> web.Response:
        if state.subscription(req["sub"]) is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{req['sub']}' could not be found.")
        return arm_json({"value": state.doc("locations", req["sub"]) or []})

    async def resource_groups(req: ArmRequest) -> web.Response:
        if state.subscription(req["sub"]) is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{req['sub']}' could not be found.")
        groups = state.list(sub=req["sub"], type="Microsoft.Resources/resourceGroups")
        try:
            groups = [g for g in groups if _matches(g, req.query.get("$filter"))]
        except ValueError as exc:
            return arm_error(400, "InvalidFilterInQueryString", str(exc))
        return page(req, groups)

    async def resource_group(req: ArmRequest) -> web.Response:
        if state.subscription(req["sub"]) is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{req['sub']}' could not be found.")
        rid = f"/subscriptions/{req['sub']}/resourceGroups/{req['rg']}"
        body = state.get(rid)
        return arm_json(body) if body is not None else not_found(rid)

    async def resource_group_put(req: ArmRequest) -> web.Response:
        if state.subscription(req["sub"]) is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{req['sub']}' could not be found.")
        body = req.body if isinstance(req.body, dict) else {}
        if not isinstance(body.get("location"), str) or not body["location"]:
            return arm_error(400, "LocationRequired", "The location property is required for this definition.")
        rid = f"/subscriptions/{req['sub']}/resourceGroups/{req['rg']}"
        old = state.get(rid)
        new = {"id": rid, "name": req["rg"], "type": "Microsoft.Resources/resourceGroups",
               "location": old["location"] if old else body["location"], "managedBy": body.get("managedBy"),
               "tags": body.get("tags") or {}, "properties": {"provisioningState": "Succeeded"}}
        state.put(new)
        return arm_json(new, status=200 if old else 201)

    async def resources_in_rg(req: ArmRequest) -> web.Response:
        missing = rg_missing(state, req["sub"], req["rg"])
        if missing:
            return missing
        return _resources(req, state.list(sub=req["sub"], rg=req["rg"], top_level=True))

    async def resources_in_sub(req: ArmRequest) -> web.Response:
        if state.subscription(req["sub"]) is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{req['sub']}' could not be found.")
        return _resources(req, state.list(sub=req["sub"], top_level=True))

    router.add("metadata", "GET", r"/metadata/endpoints", metadata, auth=False)
    router.add("subscriptions.list", "GET", r"/subscriptions", subscriptions)
    router.add("tenants.list", "GET", r"/tenants", tenants)
    router.add("subscriptions.get", "GET", SUB, subscription)
    router.add("locations.list", "GET", SUB + r"/locations", locations)
    router.add("resource_groups.list", "GET", SUB + r"/resource[gG]roups", resource_groups)
    router.add("resource_groups.get", "GET", RG_ITEM, resource_group)
    router.add("resource_groups.put", "PUT", RG_ITEM, resource_group_put)
    router.add("resources.list_by_rg", "GET", RG + r"/resources", resources_in_rg)
    router.add("resources.list", "GET", SUB + r"/resources", resources_in_sub)


GENERIC_KEYS = ("id", "name", "type", "location", "kind", "sku", "identity", "managedBy", "plan", "tags", "extendedLocation")


def generic(body: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    """A GenericResourceExpanded: the envelope of a resource (no properties), with the ``$expand``ed
    fields (provisioningState, createdTime, changedTime)."""
    out = {k: body[k] for k in GENERIC_KEYS if k in body and body[k] is not None}
    if "provisioningstate" in expand:
        out["provisioningState"] = (body.get("properties") or {}).get("provisioningState", "Succeeded")
    if "createdtime" in expand or "changedtime" in expand:
        sd = body.get("systemData") or {}
        created = sd.get("createdAt", "2025-10-01T09:00:00.0000000Z")
        out["createdTime"] = created
        out["changedTime"] = sd.get("lastModifiedAt", created)
    return out


def _resources(req: ArmRequest, items: list[dict[str, Any]]) -> web.Response:
    expand = {e.strip().lower() for e in (req.query.get("$expand") or "").split(",") if e.strip()}
    try:
        items = [r for r in items if _matches(r, req.query.get("$filter"))]
    except ValueError as exc:
        return arm_error(400, "InvalidFilterInQueryString", str(exc))
    return page(req, [generic(r, expand) for r in items])


_CLAUSE = re.compile(r"^\s*(?:(?P<field>resourceType|name|tagName|tagValue|location)\s+eq\s+'(?P<value>[^']*)'"
                     r"|substringof\(\s*'(?P<sub>[^']*)'\s*,\s*name\s*\))\s*$", re.IGNORECASE)


def _matches(resource: dict[str, Any], flt: str | None) -> bool:
    """The ``$filter`` forms ARM's resource lists accept that the demo Azure understands:
    ``resourceType eq '…'``, ``name eq '…'``, ``location eq '…'``, ``substringof('…', name)``,
    ``tagName eq '…' [and tagValue eq '…']``, joined with ``and``.  Anything else is refused."""
    if not flt:
        return True
    tag_name = tag_value = None
    for clause in re.split(r"\s+and\s+", flt, flags=re.IGNORECASE):
        m = _CLAUSE.match(clause)
        if not m:
            raise ValueError(f"Invalid $filter '{flt}' specified in the query string (the demo Azure understands "
                             "resourceType, name, location, tagName/tagValue eq and substringof(…, name)).")
        if m["sub"] is not None:
            if m["sub"].lower() not in resource.get("name", "").lower():
                return False
            continue
        field, value = m["field"].lower(), m["value"]
        if field == "resourcetype" and resource.get("type", "").lower() != value.lower():
            return False
        if field == "name" and resource.get("name", "").lower() != value.lower():
            return False
        if field == "location" and (resource.get("location") or "").lower() != value.lower():
            return False
        if field == "tagname":
            tag_name = value
        if field == "tagvalue":
            tag_value = value
    if tag_name is not None:
        tags = {k.lower(): v for k, v in (resource.get("tags") or {}).items()}
        if tag_name.lower() not in tags:
            return False
        if tag_value is not None and tags[tag_name.lower()] != tag_value:
            return False
    return True
