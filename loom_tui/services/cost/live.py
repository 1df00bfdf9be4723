"""The live source: Cost Management answers, cached in the cost table (source ``live``).

A refresh asks, per scope, for the days of ``LIVE_DAYS`` (enough for mtd, last month, 7/30 days
and the anomalies' look-back) of one cost type:

* daily cost grouped by ResourceId and ServiceName (resource group, type and name come from the
  resource id, lower-cased as at import);
* for each loom tag key (workspace, domain in both spellings, tenant), the cost grouped by
  ResourceId and that TagKey without daily granularity: which value each resource carries.

Scopes: the profile's subscriptions, filtered to the Admin Plane and DLZ resource groups when the
profile names them (one query per subscription instead of one per group), or resource groups
given as full ids.  The answer replaces the cached live rows of that type and range in one
transaction, and its fetch time is the "as of" the screen shows; Cost Management data refreshes
about every 4 hours, so answers are read from the cache until the operator refreshes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from loom_tui.services.errors import ServiceError

LIVE_DAYS = 90


@dataclass(frozen=True)
class Scope:
    path: str  # /subscriptions/<id>[/resourceGroups/<rg>]
    resource_groups: tuple[str, ...] = ()  # a filter on ResourceGroupName (empty: the whole scope)


@dataclass
class LiveResult:
    rows: int = 0
    queries: int = 0
    pages: int = 0
    no_data: int = 0
    waited_s: float = 0.0
    scopes: list[str] = field(default_factory=list)


def scopes_for(profile: Any) -> list[Scope]:
    groups = [g for g in [profile.admin_plane_rg, *profile.dlz_rgs] if g]
    full = [g for g in groups if g.lower().startswith("/subscriptions/")]
    names = tuple(g for g in groups if not g.lower().startswith("/subscriptions/"))
    out = [Scope(g) for g in full]
    if profile.subscriptions:
        out += [Scope(f"/subscriptions/{s}", names) for s in profile.subscriptions]
    elif names:
        raise ServiceError("the profile names resource groups but no subscription: add `subscriptions` (or give the "
                           "groups as /subscriptions/<id>/resourceGroups/<name>) to query Cost Management")
    if not out:
        raise ServiceError("the profile names no subscription or resource group to query Cost Management for")
    return out


def _filter(scope: Scope) -> dict | None:
    if not scope.resource_groups:
        return None
    return {"dimensions": {"name": "ResourceGroupName", "operator": "In", "values": list(scope.resource_groups)}}


async def fetch(clients: Any, limiter: Any, scopes: list[Scope], kind: str, start: date, end: date, tag_keys: list[str],
                progress: Callable[[str], None] | None = None) -> tuple[list[tuple], LiveResult]:
    """Rows ``(day, resource_id, service, currency, cost, tags)`` for [start, end)."""
    from loom_tui.azure.cost_query import CostQuery, QueryStats, run_query

    stats = QueryStats()
    result = LiveResult(scopes=[s.path for s in scopes])
    out: list[tuple] = []
    for scope in scopes:
        say = progress or (lambda _t: None)
        say(f"querying Cost Management at {scope.path}")
        flt = _filter(scope)
        q = CostQuery(scope.path, kind, start, end, (("Dimension", "ResourceId"), ("Dimension", "ServiceName")), "Daily", flt)
        daily = [r async for r in run_query(clients, q, limiter, stats)]
        tags: dict[str, dict[str, str]] = {}
        for key in tag_keys:
            tq = CostQuery(scope.path, kind, start, end, (("Dimension", "ResourceId"), ("TagKey", key)), "None", flt)
            async for r in run_query(clients, tq, limiter, stats):
                rid = str(r.values.get("resourceid") or "").lower()
                value = r.values.get("tagvalue")
                if rid and value not in (None, ""):
                    tags.setdefault(rid, {})[key] = str(value)
        for r in daily:
            resource = str(r.values.get("resourceid") or "").lower()
            out.append((r.day, resource or None, r.values.get("servicename") or None, r.currency, r.cost, tags.get(resource, {})))
    result.rows, result.queries, result.pages, result.no_data = len(out), stats.queries, stats.pages, stats.no_data
    result.waited_s = getattr(limiter, "waited", 0.0)
    return out, result


def store(db_path: Path, rows: list[tuple], kind: str, start: date, end: date, scopes: list[str]) -> int:
    """Replace the cached live rows of ``kind`` in [start, end) with ``rows``, in one transaction."""
    from loom_tui.local.cost import db
    from loom_tui.local.cost.sqlexpr import TABLE_FIELDS

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with db.connect(db_path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"DELETE FROM cost WHERE source = 'live' AND date >= ? AND date < ? AND {kind} IS NOT NULL", [start, end])
            file_id = con.execute("SELECT nextval('cost_file_ids')").fetchone()[0]
            records = []
            for day, rid, service, currency, cost, tags in rows:
                if day is None or not (start <= day < end):
                    continue
                rg = _segment(rid, "resourcegroups")
                sub = _segment(rid, "subscriptions")
                rtype = _rtype(rid)
                name = rid.rsplit("/", 1)[-1] if rid else None
                amount = Decimal(cost)
                values = {"date": day, "actual": amount if kind == "actual" else None, "amortized": amount if kind == "amortized" else None,
                          "currency": currency or "USD", "subscription": sub, "resource_group": rg, "resource_id": rid, "resource_name": name,
                          "resource_type": rtype, "service": service, "region": None, "tags": json.dumps(tags) if tags else None,
                          "charge_category": "Usage", "provider": "Microsoft", "quantity": None, "unit": None}
                records.append([values[f] for f in TABLE_FIELDS] + ["live", file_id])
            db.insert_rows(con, "cost", [*TABLE_FIELDS, "source", "file_id"], records)
            con.execute("INSERT INTO cost_files (id, sha256, path, format, kind, rows, source, imported_at, fingerprint) "
                        "VALUES (?, ?, ?, 'Cost Management query', ?, ?, 'live', ?, NULL)",
                        [file_id, f"live:{file_id}", ", ".join(scopes), kind, len(records), now])
            con.execute("INSERT INTO cost_tag_keys SELECT DISTINCT ?, unnest(json_keys(tags)) FROM cost WHERE file_id = ? AND tags IS NOT NULL",
                        [file_id, file_id])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return len(records)


def _segment(rid: str | None, name: str) -> str | None:
    if not rid:
        return None
    parts = rid.split("/")
    for i, p in enumerate(parts[:-1]):
        if p == name:
            return parts[i + 1]
    return None


def _rtype(rid: str | None) -> str | None:
    """As ``sqlexpr.type_from_id_sql``: the namespace and every type segment (child types too)."""
    if not rid or "/providers/" not in rid:
        return None
    tail = rid.split("/providers/", 1)[1].split("/")
    if len(tail) < 2:
        return None
    return "/".join([tail[0]] + tail[1::2][:3])


def window(today: date) -> tuple[date, date]:
    return today - timedelta(days=LIVE_DAYS), today + timedelta(days=1)
