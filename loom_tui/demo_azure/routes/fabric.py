"""Microsoft.Fabric/capacities: get/list, SKUs, suspend, resume and PATCH (scale, tags, admins)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..responses import arm_error, arm_json
from ..router import SUB, ArmRequest, Router
from ._arm import accept, conflict, item_pattern, not_found, register_type, resource_id, state_action

if TYPE_CHECKING:
    from ..state import State

TYPE = "Microsoft.Fabric/capacities"
SKUS = ("F2", "F4", "F8", "F16", "F32", "F64", "F128", "F256", "F512", "F1024", "F2048")
REGIONS = ("eastus2", "centralus", "westus3", "eastus", "westeurope")


def register(router: Router, state: "State") -> None:
    register_type(router, state, "fabric.capacities", TYPE)

    def only(state_: str, verb: str):
        return lambda body, current: conflict(f"The capacity '{body['name']}' is {current}; only {state_} capacity can be {verb}.",
                                              code="BadRequest", status=400)

    suspend = state_action(state, "fabric.suspend", "state", "Active", "Pausing", "Paused", busy="Updating",
                           refuse=only("an Active", "suspended"), point="fabric.suspend")
    resume = state_action(state, "fabric.resume", "state", "Paused", "Resuming", "Active", busy="Updating",
                          refuse=only("a Paused", "resumed"), point="fabric.resume")

    async def update(req: ArmRequest) -> web.Response:
        rid = resource_id(req)
        body = state.get(rid)
        if body is None:
            return not_found(rid)
        patch: dict[str, Any] = {}
        given = req.body if isinstance(req.body, dict) else {}
        sku = given.get("sku")
        if sku is not None:
            name = sku.get("name") if isinstance(sku, dict) else None
            if name not in SKUS:
                return arm_error(400, "BadRequest", f"The SKU '{name}' is not a Fabric capacity SKU ({', '.join(SKUS)}).")
            if sku.get("tier", "Fabric") != "Fabric":
                return arm_error(400, "BadRequest", f"The SKU tier '{sku.get('tier')}' is not valid; use 'Fabric'.")
            patch["sku"] = {"name": name, "tier": "Fabric"}
        if "tags" in given:
            if not isinstance(given["tags"], dict):
                return arm_error(400, "InvalidRequestContent", "tags must be an object of strings.")
            patch["tags"] = given["tags"]
        administration = (given.get("properties") or {}).get("administration")
        if administration is not None:
            members = administration.get("members") if isinstance(administration, dict) else None
            if not isinstance(members, list) or not members or not all(isinstance(m, str) for m in members):
                return arm_error(400, "BadRequest", "properties.administration.members must list at least one administrator.")
            patch.setdefault("properties", {})["administration"] = administration
        final: dict[str, Any] = {"properties": {**patch.get("properties", {}), "provisioningState": "Succeeded"}}
        if "sku" in patch:
            final["sku"] = patch["sku"]
        if "tags" in patch:  # PATCH replaces the tags: drop the old keys, then set the new ones
            final["tags"] = {**{k: None for k in body.get("tags") or {}}, **patch["tags"]}
        transient = {"properties": {"provisioningState": "Updating"}}
        if "sku" in patch and body["properties"].get("state") == "Active":
            transient["properties"]["state"] = "Scaling"
        return accept(req, state, "fabric.update", rid, body, transient=transient, final=final,
                      on_error={"properties": {"provisioningState": "Failed"}}, result="resource", point="fabric.update")

    async def skus(req: ArmRequest) -> web.Response:
        if state.subscription(req["sub"]) is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{req['sub']}' could not be found.")
        return arm_json({"value": [{"name": s, "locations": list(REGIONS), "resourceType": "Capacities"} for s in SKUS]})

    async def skus_for(req: ArmRequest) -> web.Response:
        rid = resource_id(req, drop_last=1)
        if state.get(rid) is None:
            return not_found(rid)
        return arm_json({"value": [{"resourceType": TYPE, "sku": {"name": s, "tier": "Fabric"}} for s in SKUS]})

    item = item_pattern(TYPE)
    router.add("fabric.suspend", "POST", item + r"/suspend", suspend)
    router.add("fabric.resume", "POST", item + r"/resume", resume)
    router.add("fabric.update", "PATCH", item, update)
    router.add("fabric.skus", "GET", SUB + r"/providers/Microsoft\.Fabric/skus", skus)
    router.add("fabric.skus_for_capacity", "GET", item + r"/skus", skus_for)
