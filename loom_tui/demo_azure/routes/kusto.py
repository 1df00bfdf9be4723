"""Microsoft.Kusto/clusters (ADX): get/list, stop, start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..router import Router
from ._arm import conflict, item_pattern, register_type, state_action

if TYPE_CHECKING:
    from ..state import State

TYPE = "Microsoft.Kusto/clusters"


def register(router: Router, state: "State") -> None:
    register_type(router, state, "kusto.clusters", TYPE)

    def action(name: str, need: str, during: str, after: str):
        return state_action(state, f"kusto.{name}", "state", need, during, after, busy="Running", point=f"kusto.{name}",
                            refuse=lambda body, current: conflict(f"Cluster '{body['name']}' is in state {current}; it must be {need} to {name}."))

    item = item_pattern(TYPE)
    router.add("kusto.stop", "POST", item + r"/stop", action("stop", "Running", "Stopping", "Stopped"))
    router.add("kusto.start", "POST", item + r"/start", action("start", "Stopped", "Starting", "Running"))
