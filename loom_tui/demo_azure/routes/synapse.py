"""Microsoft.Synapse: workspaces, dedicated SQL pools (get/list, pause, resume) and Spark pools."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..router import Router
from ._arm import conflict, item_pattern, register_type, state_action

if TYPE_CHECKING:
    from ..state import State

POOLS = "Microsoft.Synapse/workspaces/sqlPools"


def register(router: Router, state: "State") -> None:
    register_type(router, state, "synapse.workspaces", "Microsoft.Synapse/workspaces")
    register_type(router, state, "synapse.sql_pools", POOLS)
    register_type(router, state, "synapse.spark_pools", "Microsoft.Synapse/workspaces/bigDataPools")

    def action(name: str, need: str, during: str, after: str):
        return state_action(state, f"synapse.{name}", "status", need, during, after, result="resource", answer_transient=True, point=f"synapse.{name}",
                            refuse=lambda body, current: conflict(f"The SQL pool '{body['name']}' is {current}; it must be {need} to {name}."))

    item = item_pattern(POOLS)
    router.add("synapse.pause", "POST", item + r"/pause", action("pause", "Online", "Pausing", "Paused"))
    router.add("synapse.resume", "POST", item + r"/resume", action("resume", "Paused", "Resuming", "Online"))
