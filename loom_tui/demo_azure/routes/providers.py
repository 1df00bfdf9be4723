"""Resource providers: ``GET /subscriptions/{id}/providers/{namespace}`` and ``GET
/providers/{namespace}`` (Providers_Get / Providers_GetAtTenantScope), answering the demo cloud's
registry (``versions.py``): each resource type with the api-versions this cloud offers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from ..responses import arm_error, arm_json
from ..router import SUB, ArmRequest, Router
from ..versions import provider_body

if TYPE_CHECKING:
    from ..state import State

ORDER = 6


def register(router: Router, state: "State") -> None:
    async def get(req: ArmRequest) -> web.Response:
        sub = req.params.get("sub")
        if sub is not None and state.subscription(sub) is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
        body = provider_body(getattr(state, "cloud_versions", "public"), req["ns"], sub)
        if body is None:
            return arm_error(404, "InvalidResourceNamespace", f"The resource namespace '{req['ns']}' is invalid.")
        return arm_json(body)

    router.add("providers.get", "GET", SUB + r"/providers/(?P<ns>[^/]+)", get)
    router.add("providers.get_at_tenant", "GET", r"/providers/(?P<ns>[^/]+)", get)
