"""Cost Management on the demo Azure: ``POST {scope}/providers/Microsoft.CostManagement/query``
answered from the demo estate's daily cost (``loom_tui.local.cost.demo_data``: the same rows as
the generated FOCUS export), shaped like the official examples (columns + rows, ``UsageDate`` a
number), paged by ``nextLink`` (``$skiptoken``; ``PAGE_ROWS`` per page, as Azure's 5,000),
``204`` when nothing matches, ``400`` for what the API would refuse.  Throttling is injected with
the server's faults (every retry-after header variant)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from aiohttp import web

from loom_tui.local.cost import demo_data, demo_query

from ..responses import arm_error, arm_json
from ..router import SCOPE, ArmRequest, Router

if TYPE_CHECKING:
    from ..state import State

PAGE_ROWS = 5000
_CACHE: dict[date, list] = {}


def cost_rows(today: date) -> list:
    if today not in _CACHE:
        from loom_tui.local.demo import demo_workspaces

        from ..estate_all import build_estate

        _CACHE.clear()
        resources = demo_data.demo_resources(demo_workspaces(), build_estate().resources)
        _CACHE[today] = list(demo_data.daily_rows(resources, today))
    return _CACHE[today]


def register(router: Router, state: "State") -> None:
    async def query(req: ArmRequest) -> web.Response:
        today = demo_data.today()
        body = req.body if isinstance(req.body, dict) else {}
        try:
            columns, rows = demo_query.answer(body, req["scope"], cost_rows(today), today)
        except demo_query.QueryError as exc:
            return arm_error(400, "BadRequest", str(exc))
        if not rows:
            return web.Response(status=204)
        page = int(getattr(req.server, "cost_page_rows", PAGE_ROWS) or PAGE_ROWS)
        skip = int(req.query.get("$skiptoken", "0") or 0)
        chunk = rows[skip: skip + page]
        next_link = req.server.next_link(req.request, skip + page) if skip + page < len(rows) else None
        scope = req["scope"].strip("/")
        return arm_json({"id": f"{scope}/providers/Microsoft.CostManagement/query/demo", "name": "demo",
                         "type": "Microsoft.CostManagement/query",
                         "properties": {"nextLink": next_link, "columns": columns, "rows": chunk}})

    router.add("cost.query", "POST", SCOPE + r"/providers/Microsoft\.CostManagement/query", query)
