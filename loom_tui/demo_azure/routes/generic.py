"""Any estate resource by id (``resources.get_by_id`` with any api-version): the catch-all GET,
registered last."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from ..responses import arm_json
from ..router import ArmRequest, Router
from ._arm import not_found, resource_id

if TYPE_CHECKING:
    from ..state import State

ORDER = 200


def register(router: Router, state: "State") -> None:
    async def get_by_id(req: ArmRequest) -> web.Response:
        rid = resource_id(req)
        body = state.get(rid)
        return arm_json(body) if body is not None else not_found(rid)

    router.add("resources.get_by_id", "GET", r"/subscriptions/[^/]+/.+", get_by_id)
