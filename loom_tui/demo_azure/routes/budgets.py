"""Budgets on the demo Azure: ``{scope}/providers/Microsoft.Consumption/budgets[/{name}]`` list,
get, PUT (create; update only with the current ``eTag``, else 412), DELETE — shaped like the
Budgets_* / CreateOrUpdateBudget examples.  ``currentSpend`` and ``forecastSpend`` come from the
demo estate's daily cost in the budget's scope for the current period (month to date, and month
to date + the last 7 days' average x the days left), so ``loom cost budgets check`` has numbers
to compare."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aiohttp import web

from loom_tui.local.cost import demo_data, demo_query

from ..responses import arm_error, arm_json
from ..router import SCOPE, ArmRequest, Router
from .cost import cost_rows

if TYPE_CHECKING:
    from ..state import State

KIND = "consumption.budget"
BASE = SCOPE + r"/providers/Microsoft\.Consumption/budgets"


def _period(grain: str, today: date) -> date:
    if grain == "Quarterly":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    if grain == "Annually":
        return today.replace(month=1, day=1)
    return today.replace(day=1)


def spend(scope: str, grain: str, today: date) -> tuple[Decimal, Decimal]:
    start = _period(grain, today)
    days: dict[date, Decimal] = {}
    lookback = start - timedelta(days=8)
    for d, r, c in cost_rows(today):
        if lookback <= d <= today and demo_query.in_scope(r, scope):
            days[d] = days.get(d, Decimal(0)) + c
    mtd = sum((c for d, c in days.items() if d >= start), Decimal(0))
    recent = sorted(d for d, c in days.items() if c)[-7:]
    rate = sum((days[d] for d in recent), Decimal(0)) / len(recent) if recent else Decimal(0)
    nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1) if grain == "Monthly" else None
    left = (nxt - today).days - 1 if nxt else 0
    through = max((d for d in days if d >= start and days[d]), default=today)
    left = max(0, (nxt - through).days - 1) if nxt else 0
    return mtd.quantize(Decimal("0.01")), (mtd + rate * left).quantize(Decimal("0.01"))


def register(router: Router, state: "State") -> None:
    def key(req: ArmRequest, name: str) -> str:
        return f"/{req['scope'].strip('/')}/providers/Microsoft.Consumption/budgets/{name}".lower()

    def shown(req: ArmRequest, body: dict) -> dict:
        p = body["properties"]
        current, forecast = spend(req["scope"], p.get("timeGrain", "Monthly"), demo_data.today())
        return {**body, "properties": {**p, "currentSpend": {"amount": float(current), "unit": "USD"},
                                        "forecastSpend": {"amount": float(forecast), "unit": "USD"}}}

    def stored(k: str) -> dict | None:
        doc = state.doc(KIND, k)
        return doc if doc and not doc.get("deleted") else None

    async def list_(req: ArmRequest) -> web.Response:
        prefix = f"/{req['scope'].strip('/')}/providers/microsoft.consumption/budgets/".lower()
        items = [shown(req, d) for d in state.docs(KIND) if d and not d.get("deleted") and d["id"].lower().startswith(prefix)]
        return arm_json({"value": sorted(items, key=lambda d: d["name"])})

    async def get(req: ArmRequest) -> web.Response:
        doc = stored(key(req, req["name"]))
        if doc is None:
            return arm_error(404, "NotFound", f"Budget '{req['name']}' was not found.")
        return arm_json(shown(req, doc))

    async def put(req: ArmRequest) -> web.Response:
        body = req.body if isinstance(req.body, dict) else {}
        props = body.get("properties") or {}
        if props.get("category", "Cost") != "Cost" or not isinstance(props.get("amount"), (int, float)) or props["amount"] <= 0:
            return arm_error(400, "BadRequest", "properties.amount must be a positive number and category 'Cost'.")
        if props.get("timeGrain", "Monthly") not in ("Monthly", "Quarterly", "Annually"):
            return arm_error(400, "BadRequest", f"timeGrain '{props.get('timeGrain')}' is not supported.")
        k = key(req, req["name"])
        current = stored(k)
        if current is not None and body.get("eTag") != current["eTag"]:
            return arm_error(412, "PreconditionFailed", "The eTag is missing or does not match the budget's current eTag; read it again.")
        doc = {"id": f"/{req['scope'].strip('/')}/providers/Microsoft.Consumption/budgets/{req['name']}", "name": req["name"],
               "type": "Microsoft.Consumption/budgets", "eTag": f'"{uuid.uuid4().hex[:15]}"',
               "properties": {k2: v for k2, v in props.items() if k2 not in ("currentSpend", "forecastSpend")}}
        state.put_doc(KIND, k, doc)
        return arm_json(shown(req, doc), 200 if current is not None else 201)

    async def delete(req: ArmRequest) -> web.Response:
        k = key(req, req["name"])
        if stored(k) is None:
            return web.Response(status=204)
        state.put_doc(KIND, k, {"deleted": True})
        return web.Response(status=200)

    router.add("budgets.list", "GET", BASE, list_)
    router.add("budgets.get", "GET", BASE + r"/(?P<name>[^/]+)", get)
    router.add("budgets.put", "PUT", BASE + r"/(?P<name>[^/]+)", put)
    router.add("budgets.delete", "DELETE", BASE + r"/(?P<name>[^/]+)", delete)
