"""Microsoft.Synapse: workspaces, dedicated SQL pools (get/list, pause, resume) and Spark pools."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from ..router import ArmRequest, Router
from ._arm import accept, conflict, item_pattern, not_found, register_type, resource_id, with_transient

if TYPE_CHECKING:
    from ..state import State

POOLS = "Microsoft.Synapse/workspaces/sqlPools"


def register(router: Router, state: "State") -> None:
    register_type(router, state, "synapse.workspaces", "Microsoft.Synapse/workspaces")
    register_type(router, state, "synapse.sql_pools", POOLS)
    register_type(router, state, "synapse.spark_pools", "Microsoft.Synapse/workspaces/bigDataPools")

    def action(name: str, need: str, during: str, after: str):
        async def handler(req: ArmRequest) -> web.Response:
            rid = resource_id(req, drop_last=1)
            body = state.get(rid)
            if body is None:
                return not_found(rid)
            status = body["properties"].get("status")
            if status != need:
                return conflict(f"The SQL pool '{body['name']}' is {status}; it must be {need} to {name}.")
            transient = {"properties": {"status": during}}
            return accept(req, state, f"synapse.{name}", rid, body, transient=transient,
                          final={"properties": {"status": after, "provisioningState": "Succeeded"}},
                          on_error={"properties": {"status": need}}, result="resource",
                          answer=with_transient(body, transient))

        return handler

    item = item_pattern(POOLS)
    router.add("synapse.pause", "POST", item + r"/pause", action("pause", "Online", "Pausing", "Paused"))
    router.add("synapse.resume", "POST", item + r"/resume", action("resume", "Paused", "Resuming", "Online"))
