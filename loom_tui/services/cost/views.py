"""The cost views as SQL over the cost table (``loom_tui.local.cost``); synchronous, run in a
thread by the service.  Every result is per currency: amounts in two currencies are never added.

Dimension keys: tag dimensions take the first of the configured tag keys present on a row (in
any spelling: Azure tag names are case-insensitive); ``resource-group`` / ``subscription`` /
``resource`` are lower-cased at import.  A row without a value is *unallocated*, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from loom_tui.local.cost.db import tag_spellings, tag_value_sql

from .model import TAG_PREFIX, DayCost, Daily, Line, Period, Query, ResourceCost

ZERO = Decimal(0)
TOP_UNALLOCATED = 5


@dataclass(frozen=True)
class TagKeys:
    workspace: tuple[str, ...] = ("loomWorkspaceId",)
    domain: tuple[str, ...] = ("loomDomain", "loom-domain")
    tenant: tuple[str, ...] = ("loomTenantId",)


def key_sql(con: Any, by: str, tags: TagKeys, source: str) -> str:
    plain = {"resource-group": "resource_group", "service": "service", "resource-type": "resource_type",
             "subscription": "subscription", "resource": "resource_id"}
    if by in plain:
        return plain[by]
    keys: tuple[str, ...] = {"workspace": tags.workspace, "domain": tags.domain, "tenant": tags.tenant}.get(by, ())
    if by.startswith(TAG_PREFIX):
        keys = (by[len(TAG_PREFIX):],)
    return tag_value_sql(tag_spellings(con, keys, source))


def where(con: Any, q: Query, tags: TagKeys, period: Period) -> tuple[str, list[Any]]:
    col = q.kind
    clauses = ["source = ?", "date >= ?", "date < ?", f"{col} IS NOT NULL"]
    params: list[Any] = [q.source, period.start, period.end]
    if q.filtered and q.filter_by:
        k = key_sql(con, q.filter_by, tags, q.source)
        if q.filter_key is None:
            clauses.append(f"({k}) IS NULL")
        else:
            clauses.append(f"({k}) = ?")
            params.append(q.filter_key)
    return " AND ".join(clauses), params


def grouped(con: Any, q: Query, tags: TagKeys, period: Period | None = None) -> dict[str, dict[str | None, Decimal]]:
    """currency -> key -> cost."""
    period = period or q.period
    assert period is not None
    w, params = where(con, q, tags, period)
    k = key_sql(con, q.by, tags, q.source)
    rows = con.execute(f"SELECT currency, ({k}) AS key, sum({q.kind}) FROM cost WHERE {w} GROUP BY ALL", params).fetchall()
    out: dict[str, dict[str | None, Decimal]] = {}
    for cur, key, cost in rows:
        out.setdefault(cur, {})[key] = Decimal(cost)
    return out


def unallocated_top(con: Any, q: Query, tags: TagKeys, n: int = TOP_UNALLOCATED) -> dict[str, list[ResourceCost]]:
    assert q.period is not None
    w, params = where(con, q, tags, q.period)
    k = key_sql(con, q.by, tags, q.source)
    rows = con.execute(
        f"SELECT currency, resource_id, any_value(resource_name), any_value(resource_type), any_value(resource_group), sum({q.kind}) AS c "
        f"FROM cost WHERE {w} AND ({k}) IS NULL GROUP BY currency, resource_id "
        f"QUALIFY row_number() OVER (PARTITION BY currency ORDER BY c DESC, resource_id) <= {int(n)} ORDER BY currency, c DESC", params).fetchall()
    out: dict[str, list[ResourceCost]] = {}
    for cur, rid, name, rtype, rg, cost in rows:
        out.setdefault(cur, []).append(ResourceCost(rid, name or rid or "(no resource)", rtype or "", rg or "", Decimal(cost)))
    return out


RESOURCES_PAGE = 500  # resources a drill-down shows


def resources(con: Any, q: Query, tags: TagKeys, limit: int | None = RESOURCES_PAGE) -> dict[str, list[ResourceCost]]:
    """The resources behind a (filtered) query, largest first, per currency (``limit=None``: all)."""
    assert q.period is not None
    w, params = where(con, q, tags, q.period)
    cap = f" LIMIT {int(limit)}" if limit is not None else ""
    rows = con.execute(
        f"SELECT currency, resource_id, any_value(resource_name), any_value(resource_type), any_value(resource_group), sum({q.kind}) AS c "
        f"FROM cost WHERE {w} GROUP BY currency, resource_id ORDER BY currency, c DESC, resource_id{cap}", params).fetchall()
    out: dict[str, list[ResourceCost]] = {}
    for cur, rid, name, rtype, rg, cost in rows:
        out.setdefault(cur, []).append(ResourceCost(rid, name or rid or "(no resource)", rtype or "", rg or "", Decimal(cost)))
    return out


def daily(con: Any, q: Query, tags: TagKeys, period: Period | None = None) -> list[Daily]:
    period = period or q.period
    assert period is not None
    w, params = where(con, q, tags, period)
    rows = con.execute(f"SELECT currency, date, sum({q.kind}) FROM cost WHERE {w} GROUP BY ALL ORDER BY 1, 2", params).fetchall()
    per: dict[str, dict[date, Decimal]] = {}
    for cur, day, cost in rows:
        per.setdefault(cur, {})[day] = Decimal(cost)
    return [Daily(cur, period, fill(period, days)) for cur, days in sorted(per.items())]


def daily_by(con: Any, q: Query, tags: TagKeys, period: Period) -> dict[str, dict[str | None, dict[date, Decimal]]]:
    """currency -> key -> day -> cost (for anomalies)."""
    w, params = where(con, q, tags, period)
    k = key_sql(con, q.by, tags, q.source)
    rows = con.execute(f"SELECT currency, ({k}), date, sum({q.kind}) FROM cost WHERE {w} GROUP BY ALL", params).fetchall()
    out: dict[str, dict[str | None, dict[date, Decimal]]] = {}
    for cur, key, day, cost in rows:
        out.setdefault(cur, {}).setdefault(key, {})[day] = Decimal(cost)
    return out


def fill(period: Period, days: dict[date, Decimal]) -> list[DayCost]:
    return [DayCost(period.start + timedelta(days=i), days.get(period.start + timedelta(days=i), ZERO)) for i in range(period.days)]


def lines(costs: dict[str | None, Decimal], names: dict[str, str]) -> list[Line]:
    return sorted((Line(k, names.get(k, k), c) for k, c in costs.items() if k is not None), key=lambda r: (-r.cost, r.name))


def data_range(con: Any, source: str) -> tuple[int, int, date | None, date | None, Any]:
    rows, first, last = con.execute("SELECT count(*), min(date), max(date) FROM cost WHERE source = ?", [source]).fetchone()
    files, as_of = con.execute("SELECT count(*), max(imported_at) FROM cost_files WHERE source = ?", [source]).fetchone()
    return rows, files, first, last, as_of
