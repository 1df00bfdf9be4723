"""What the Admin Plane holds for a DLZ deployment: Log Analytics workspaces
(``Microsoft.OperationalInsights/workspaces``), user-assigned managed identities
(``Microsoft.ManagedIdentity/userAssignedIdentities``), and template specs with their versions
(``Microsoft.Resources/templateSpecs``; ``$expand=versions`` fills ``properties.versions``, a
version listed carries no ``mainTemplate``, a version read does), as the 2022-02-01 spec says."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..router import ArmRequest, Router
from ._arm import collection_pattern, item_pattern, not_found, page, register_type, resource_id, rg_missing

if TYPE_CHECKING:
    from ..state import State

SPECS = "Microsoft.Resources/templateSpecs"
VERSIONS = "Microsoft.Resources/templateSpecs/versions"


def register(router: Router, state: "State") -> None:
    register_type(router, state, "loganalytics.workspaces", "Microsoft.OperationalInsights/workspaces")
    register_type(router, state, "identities.user_assigned", "Microsoft.ManagedIdentity/userAssignedIdentities")

    def spec_view(body: dict[str, Any], expand: bool) -> dict[str, Any]:
        out = dict(body)
        props = {k: v for k, v in (body.get("properties") or {}).items() if k != "versions"}
        if expand:
            props["versions"] = {v["name"]: {"description": (v.get("properties") or {}).get("description"),
                                             "timeCreated": (v.get("systemData") or {}).get("createdAt"),
                                             "timeModified": (v.get("systemData") or {}).get("lastModifiedAt")}
                                 for v in state.list(parent=body["id"], type=VERSIONS)}
        out["properties"] = props
        return out

    def listed_version(body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "properties": {k: v for k, v in (body.get("properties") or {}).items() if k not in ("mainTemplate", "linkedTemplates")}}

    async def spec_get(req: ArmRequest) -> web.Response:
        body = state.get(resource_id(req))
        if body is None:
            return not_found(resource_id(req))
        return web.json_response(spec_view(body, req.query.get("$expand", "").lower() == "versions"))

    async def spec_list(req: ArmRequest) -> web.Response:
        missing = rg_missing(state, req["sub"], req["rg"])
        if missing:
            return missing
        expand = req.query.get("$expand", "").lower() == "versions"
        return page(req, [spec_view(b, expand) for b in state.list(sub=req["sub"], rg=req["rg"], type=SPECS)])

    async def version_get(req: ArmRequest) -> web.Response:
        body = state.get(resource_id(req))
        return web.json_response(body) if body is not None else not_found(resource_id(req))

    async def version_list(req: ArmRequest) -> web.Response:
        parent = resource_id(req, drop_last=1)
        if state.get(parent) is None:
            return not_found(parent)
        return page(req, [listed_version(b) for b in state.list(parent=parent, type=VERSIONS)])

    router.add("templatespecs.get", "GET", item_pattern(SPECS), spec_get)
    router.add("templatespecs.list", "GET", collection_pattern(SPECS) + "/?", spec_list)
    router.add("templatespecs.versions.get", "GET", item_pattern(VERSIONS), version_get)
    router.add("templatespecs.versions.list", "GET", collection_pattern(VERSIONS), version_list)
