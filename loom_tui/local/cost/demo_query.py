"""Answer a Cost Management query body from the demo estate's daily cost (what the demo Azure's
``.../providers/Microsoft.CostManagement/query`` route serves), from the same rows as the
generated FOCUS export, so both sources show the same totals.

Supported as Azure answers them: ActualCost / AmortizedCost (the demo has no reservations: equal),
Custom time periods (and MonthToDate / TheLastMonth), granularity Daily (``UsageDate`` as a number)
or None, groupings by Dimension ResourceId / ResourceType / ResourceGroup(Name) / ServiceName /
SubscriptionId / ResourceLocation / MeterCategory and by TagKey (adds ``TagKey`` and ``TagValue``
columns), paged with ``nextLink`` (``$skiptoken``).  Scopes: a subscription, a resource group, or
anything else (the whole estate).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Iterable

from .demo_data import DemoResource

DIMENSIONS = {
    "resourceid": lambda r: r.id,
    "resourcetype": lambda r: r.rtype,
    "resourcegroup": lambda r: r.rg,
    "resourcegroupname": lambda r: r.rg,
    "servicename": lambda r: r.service,
    "metercategory": lambda r: r.service,
    "subscriptionid": lambda r: r.sub,
    "resourcelocation": lambda r: r.region,
}


class QueryError(ValueError):
    """A body the API would refuse (400 BadRequest with this message)."""


def in_scope(r: DemoResource, scope: str) -> bool:
    s = "/" + scope.strip("/").lower()
    if s.startswith("/subscriptions/"):
        return r.id.lower().startswith(s + "/") or r.id.lower() == s
    return True


def matches(flt: dict | None, r: DemoResource) -> bool:
    """The query API's filter expression: and / or / not, dimensions and tags with operator In."""
    if not flt:
        return True
    if "and" in flt:
        return all(matches(f, r) for f in flt["and"])
    if "or" in flt:
        return any(matches(f, r) for f in flt["or"])
    if "not" in flt:
        return not matches(flt["not"], r)
    for kind in ("dimensions", "tags"):
        if kind in flt:
            cond = flt[kind]
            name = str(cond.get("name", ""))
            if str(cond.get("operator", "In")).lower() != "in":
                raise QueryError(f"operator {cond.get('operator')!r} is not supported (In is)")
            if kind == "dimensions":
                if name.lower() not in DIMENSIONS:
                    raise QueryError(f"filter dimension {name!r} is not supported by the demo Azure")
                value = DIMENSIONS[name.lower()](r)
            else:
                value = next((v for k, v in r.tags.items() if k.lower() == name.lower()), None)
            wanted = {str(v).lower() for v in cond.get("values") or []}
            return value is not None and str(value).lower() in wanted
    raise QueryError("filter must hold and, or, not, dimensions or tags")


def _period(body: dict, today: date) -> tuple[date, date]:
    tf = str(body.get("timeframe", "")).lower()
    if tf == "custom":
        tp = body.get("timePeriod") or {}
        try:
            start = datetime.fromisoformat(str(tp["from"]).replace("Z", "+00:00")).date()
            last = datetime.fromisoformat(str(tp["to"]).replace("Z", "+00:00")).date()
        except (KeyError, ValueError):
            raise QueryError("timePeriod needs 'from' and 'to' dates for a Custom timeframe") from None
        return start, last + timedelta(days=1)
    if tf in ("monthtodate", "billingmonthtodate"):
        return today.replace(day=1), today + timedelta(days=1)
    if tf in ("thelastmonth", "thelastbillingmonth"):
        first = today.replace(day=1)
        return (first - timedelta(days=1)).replace(day=1), first
    raise QueryError(f"timeframe {body.get('timeframe')!r} is not supported by the demo Azure")


def answer(body: dict, scope: str, rows: Iterable[tuple[date, DemoResource, Decimal]], today: date) -> tuple[list[dict], list[list[Any]]]:
    """(columns, rows) of the full answer (paging is the route's)."""
    if str(body.get("type", "")).lower() not in ("actualcost", "amortizedcost", "usage"):
        raise QueryError(f"type {body.get('type')!r} is not one of ActualCost, AmortizedCost, Usage")
    ds = body.get("dataset") or {}
    start, end = _period(body, today)
    agg = next(iter((ds.get("aggregation") or {"totalCost": {"name": "Cost"}}).values()))
    cost_name = agg.get("name") or "Cost"
    daily = str(ds.get("granularity", "None")).lower() == "daily"
    groups = ds.get("grouping") or []
    if len(groups) > 2:
        raise QueryError("at most two groupings are allowed")
    keys: list[tuple[str, str]] = []
    for g in groups:
        kind, name = str(g.get("type", "")).lower(), str(g.get("name", ""))
        if kind == "dimension" and name.lower() not in DIMENSIONS:
            raise QueryError(f"grouping dimension {name!r} is not supported by the demo Azure")
        keys.append((kind, name))
    flt = ds.get("filter")
    sums: dict[tuple, Decimal] = {}
    ok: dict[str, bool] = {}
    for day, r, cost in rows:
        if not (start <= day < end) or not in_scope(r, scope):
            continue
        if r.id not in ok:
            ok[r.id] = matches(flt, r)
        if not ok[r.id]:
            continue
        parts: list[Any] = []
        for kind, name in keys:
            if kind == "tagkey":
                value = next((v for k, v in r.tags.items() if k.lower() == name.lower()), "")
                parts += [name, value]
            else:
                parts.append(DIMENSIONS[name.lower()](r))
        k = (int(day.strftime("%Y%m%d")) if daily else None, *parts)
        sums[k] = sums.get(k, Decimal(0)) + cost
    columns = [{"name": cost_name, "type": "Number"}]
    if daily:
        columns.append({"name": "UsageDate", "type": "Number"})
    for kind, name in keys:
        columns += [{"name": "TagKey", "type": "String"}, {"name": "TagValue", "type": "String"}] if kind == "tagkey" else [{"name": name, "type": "String"}]
    columns.append({"name": "Currency", "type": "String"})
    out = []
    for k in sorted(sums, key=lambda x: tuple("" if v is None else str(v) for v in x)):
        row: list[Any] = [float(sums[k])]
        if daily:
            row.append(k[0])
        row += list(k[1:])
        row.append("USD")
        out.append(row)
    return columns, out
