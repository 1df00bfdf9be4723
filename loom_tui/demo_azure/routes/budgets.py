"""Budgets on the demo Azure: ``{scope}/providers/Microsoft.Consumption/budgets[/{name}]`` list,
get, PUT (create; update only with the current ``eTag``, else 412), DELETE — shaped like the
Budgets_* / CreateOrUpdateBudget examples.  ``currentSpend`` and ``forecastSpend`` come from the
demo estate's daily cost in the budget's scope for the current period (month to date, and month
to date + the last 7 days' average x the days left), so ``loom cost budgets check`` has numbers
to compare."""

from __future__ import annotations

import re
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
        refused = azure_rules(props, req["scope"], demo_data.today(), creating=stored(key(req, req["name"])) is None)
        if refused:
            return arm_error(400, "BadRequest", refused)
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


def _first(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def azure_rules(props: dict[str, Any], scope: str, today: date, *, creating: bool) -> str:
    """What the Consumption API refuses in a budget (its spec's BudgetProperties, BudgetTimePeriod
    and Notification rules), as its message; "" when it is accepted."""
    period = props.get("timePeriod") if isinstance(props.get("timePeriod"), dict) else {}
    try:
        start = date.fromisoformat(str(period.get("startDate") or "")[:10])
    except ValueError:
        return "timePeriod.startDate is required and must be a date."
    end_raw = period.get("endDate")
    if start.day != 1:
        return "The start date must be the first day of a month."
    if start < date(2017, 6, 1):
        return "The budget start date must be on or after June 1, 2017."
    if creating and start > _first(today, 12):
        return "The budget start date cannot be more than twelve months in the future."
    grain = props.get("timeGrain", "Monthly")
    current = today.replace(day=1) if grain == "Monthly" else today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1) \
        if grain == "Quarterly" else today.replace(month=1, day=1)
    if creating and start < current:
        return "A start date in the past must be within the current time grain period."
    if end_raw:
        try:
            if date.fromisoformat(str(end_raw)[:10]) <= start:
                return "The end date must be after the start date."
        except ValueError:
            return "timePeriod.endDate is not a date."
    notes = props.get("notifications") or {}
    if not isinstance(notes, dict):
        return "notifications must be an object."
    if len(notes) > 5:
        return f"A budget can have at most 5 notifications; {len(notes)} were given."
    wide = re.fullmatch(r"/?subscriptions/[^/]+(/resourcegroups/[^/]+)?/?", scope.strip(), re.IGNORECASE) is not None
    for name, n in notes.items():
        n = n if isinstance(n, dict) else {}
        emails, groups = n.get("contactEmails") or [], n.get("contactGroups") or []
        if groups and not wide:
            return f"Notification '{name}': contact groups are supported only at subscription and resource group scopes."
        if not emails and not groups:
            return f"Notification '{name}' must have at least one contact email or contact group."
        if len(emails) > 50 or len(groups) > 50:
            return f"Notification '{name}' has more than 50 contact emails or contact groups."
        threshold = n.get("threshold")
        if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 < threshold <= 1000:
            return f"Notification '{name}': the threshold must be a percentage between 0 and 1000."
    return ""
