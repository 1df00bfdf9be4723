"""Budgets: ``Microsoft.Consumption/budgets`` (2024-08-01, or the newest version the cloud offers
that loom supports) at a subscription or resource group.

``{scope}/providers/Microsoft.Consumption/budgets[/{name}]``: list (paged), get, PUT (create, or
update with the ``eTag`` read: a stale one is refused with 412 and nothing changes), DELETE.  The
body is ``{eTag, properties{category: Cost, amount, timeGrain, timePeriod{startDate, endDate},
notifications{key: {enabled, operator, threshold (%), contactEmails, thresholdType: Actual |
Forecasted}}, currentSpend{amount, unit}, forecastSpend{amount, unit}}}``.
Calls go through ``AzureClients.send`` / ``pages`` (auth, throttling, the request log).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

TYPE = "Microsoft.Consumption/budgets"  # its api-version is picked per cloud (api_versions.py)
GRAINS = ("Monthly", "Quarterly", "Annually")


@dataclass(frozen=True)
class Threshold:
    key: str
    threshold: Decimal  # percent of the amount
    threshold_type: str = "Actual"  # Actual | Forecasted
    contact_emails: tuple[str, ...] = ()
    enabled: bool = True
    operator: str = "GreaterThanOrEqualTo"
    contact_groups: tuple[str, ...] = ()  # action group resource ids (subscription / resource group scopes only)


@dataclass(frozen=True)
class Budget:
    scope: str
    name: str
    amount: Decimal
    time_grain: str = "Monthly"
    start: date | None = None
    end: date | None = None
    thresholds: tuple[Threshold, ...] = ()
    etag: str | None = None
    current_spend: Decimal | None = None
    forecast_spend: Decimal | None = None
    unit: str = ""

    @property
    def id(self) -> str:
        return budget_path(self.scope, self.name)


def budget_path(scope: str, name: str | None = None) -> str:
    base = "/" + scope.strip("/") + "/providers/Microsoft.Consumption/budgets"
    return base if name is None else f"{base}/{name}"


def to_body(b: Budget) -> dict:
    props: dict[str, Any] = {
        "category": "Cost",
        "amount": float(b.amount),
        "timeGrain": b.time_grain,
        "timePeriod": {"startDate": f"{b.start.isoformat()}T00:00:00Z" if b.start else None},
        "notifications": {t.key: {"enabled": t.enabled, "operator": t.operator, "threshold": float(t.threshold),
                                  "contactEmails": list(t.contact_emails), "thresholdType": t.threshold_type,
                                  **({"contactGroups": list(t.contact_groups)} if t.contact_groups else {})}
                          for t in b.thresholds},
    }
    if b.end:
        props["timePeriod"]["endDate"] = f"{b.end.isoformat()}T00:00:00Z"
    body: dict[str, Any] = {"properties": props}
    if b.etag:
        body["eTag"] = b.etag
    return body


def _day(value: Any) -> date | None:
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])


def _money(obj: Any) -> tuple[Decimal | None, str]:
    if not isinstance(obj, dict) or obj.get("amount") is None:
        return None, ""
    return Decimal(str(obj["amount"])), str(obj.get("unit") or "")


def from_body(scope: str, body: dict) -> Budget:
    p = body.get("properties") or {}
    notes = p.get("notifications") or {}
    thresholds = tuple(
        Threshold(key, Decimal(str(n.get("threshold", 0))), n.get("thresholdType") or "Actual", tuple(n.get("contactEmails") or ()),
                  bool(n.get("enabled", True)), n.get("operator") or "GreaterThanOrEqualTo", tuple(n.get("contactGroups") or ()))
        for key, n in sorted(notes.items()))
    spend, unit = _money(p.get("currentSpend"))
    forecast, unit2 = _money(p.get("forecastSpend"))
    tp = p.get("timePeriod") or {}
    return Budget(scope, body.get("name") or "", Decimal(str(p.get("amount", 0))), p.get("timeGrain") or "Monthly",
                  _day(tp.get("startDate")), _day(tp.get("endDate")), thresholds, body.get("eTag") or body.get("etag"),
                  spend, forecast, unit or unit2)


async def _api(clients: Any, scope: str) -> str:
    from .api_versions import pick

    return await pick(clients, TYPE, path=scope)


async def list_budgets(clients: Any, scope: str) -> list[Budget]:
    api = await _api(clients, scope)
    return [from_body(scope, b) async for b in clients.pages(budget_path(scope), api)]


async def get_budget(clients: Any, scope: str, name: str) -> Budget:
    resp = await clients.send("GET", budget_path(scope, name), await _api(clients, scope))
    return from_body(scope, resp.body)


async def put_budget(clients: Any, budget: Budget) -> Budget:
    resp = await clients.send("PUT", budget.id, await _api(clients, budget.scope), json=to_body(budget))
    return from_body(budget.scope, resp.body)


async def delete_budget(clients: Any, scope: str, name: str) -> None:
    await clients.send("DELETE", budget_path(scope, name), await _api(clients, scope))
