"""Microsoft.Kusto/clusters (ADX): get/list, stop, start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from ..router import ArmRequest, Router
from ._arm import accept, conflict, item_pattern, not_found, register_type, resource_id

if TYPE_CHECKING:
    from ..state import State

TYPE = "Microsoft.Kusto/clusters"


def register(router: Router, state: "State") -> None:
    register_type(router, state, "kusto.clusters", TYPE)

    def action(name: str, need: str, during: str, after: str):
        async def handler(req: ArmRequest) -> web.Response:
            rid = resource_id(req, drop_last=1)
            body = state.get(rid)
            if body is None:
                return not_found(rid)
            current = body["properties"].get("state")
            if current != need:
                return conflict(f"Cluster '{body['name']}' is in state {current}; it must be {need} to {name}.")
            return accept(req, state, f"kusto.{name}", rid, body,
                          transient={"properties": {"state": during, "provisioningState": "Running"}},
                          final={"properties": {"state": after, "provisioningState": "Succeeded"}},
                          on_error={"properties": {"state": need, "provisioningState": "Failed"}})

        return handler

    item = item_pattern(TYPE)
    router.add("kusto.stop", "POST", item + r"/stop", action("stop", "Running", "Stopping", "Stopped"))
    router.add("kusto.start", "POST", item + r"/start", action("start", "Stopped", "Starting", "Running"))
