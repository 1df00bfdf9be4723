"""Every cost view as records: dicts with stable keys whose money is the ``Decimal`` the view
computed (never rounded here).  The one formatter (``loom_tui.formats``) prints them in
each format: two decimals in a table, every digit in JSON, YAML, CSV and TSV, so the rows of a
chargeback sum exactly to its ``total``.  ``loom cost`` and the Cost screen's export both use this.
"""

from __future__ import annotations

from typing import Any

from .model import UNALLOCATED, Anomaly, Chargeback, Daily, Forecast, IdleFinding, Mover, ResourceCost


def chargeback_record(cb: Chargeback) -> dict[str, Any]:
    """The JSON shape of a chargeback: ``{currency, from, to, by, type, total, unallocated,
    rows: [{key, name, cost}], unallocatedTop: [...]}`` (``to`` is the last day included)."""
    return {
        "currency": cb.currency, "from": cb.period.start.isoformat(), "to": cb.period.last.isoformat(), "by": cb.by,
        "type": cb.kind, "total": cb.total, "unallocated": cb.unallocated,
        "rows": [{"key": r.key, "name": r.name, "cost": r.cost} for r in cb.rows],
        "unallocatedTop": [{"resourceId": r.resource_id, "name": r.name, "type": r.resource_type, "resourceGroup": r.resource_group,
                            "cost": r.cost} for r in cb.unallocated_top],
    }


def document(view: Any) -> Any:
    """What ``-o json`` prints for a view: a chargeback object (a list of them when there are
    several currencies: amounts in two currencies are never added), else a bare array."""
    items = list(view) if isinstance(view, (list, tuple)) else [view]
    if items and isinstance(items[0], Chargeback):
        body = [chargeback_record(cb) for cb in items]
        return body[0] if len(body) == 1 else body
    return items


def _chargeback_rows(items: list[Chargeback]) -> list[dict]:
    rows: list[dict] = []
    for cb in items:
        rows += [{"currency": cb.currency, "key": r.key or "", "name": r.name, "cost": r.cost} for r in cb.rows]
        rows.append({"currency": cb.currency, "key": "", "name": UNALLOCATED, "cost": cb.unallocated})
        rows.append({"currency": cb.currency, "key": "", "name": "(total)", "cost": cb.total})
    return rows


def rows_of(view: Any) -> tuple[list[str], list[dict]]:
    """(columns, rows) of a view: a list of Chargeback / Daily / Anomaly / Mover / Forecast /
    IdleFinding / ResourceCost (mixed lists are not a view)."""
    items = list(view) if isinstance(view, (list, tuple)) else [view]
    if not items:
        return [], []
    first = items[0]
    if isinstance(first, Chargeback):
        return ["currency", "key", "name", "cost"], _chargeback_rows(items)
    if isinstance(first, Daily):
        return ["currency", "day", "cost"], [{"currency": d.currency, "day": x.day, "cost": x.cost} for d in items for x in d.days]
    if isinstance(first, Anomaly):
        return (["day", "kind", "currency", "key", "amount", "detail"],
                [{"day": a.day, "kind": a.kind, "currency": a.currency, "key": a.key, "amount": a.amount, "detail": a.detail} for a in items])
    if isinstance(first, Mover):
        return (["currency", "key", "name", "before", "after", "change"],
                [{"currency": m.currency, "key": m.key or "", "name": m.name, "before": m.before, "after": m.after, "change": m.change}
                 for m in items])
    if isinstance(first, Forecast):
        return (["currency", "month", "through", "mtd", "daily_rate", "forecast", "method"],
                [{"currency": f.currency, "month": f.month_start.isoformat()[:7], "through": f.through, "mtd": f.mtd,
                  "daily_rate": f.daily_rate, "forecast": f.forecast, "method": f.method} for f in items])
    if isinstance(first, IdleFinding):
        return (["kind", "name", "target", "reason", "monthly_saving", "currency", "action"],
                [{"kind": f.kind, "name": f.name, "target": f.target, "reason": f.reason, "monthly_saving": f.monthly_saving,
                  "currency": f.currency, "action": f.action} for f in items])
    if isinstance(first, ResourceCost):
        return (["name", "type", "resource_group", "cost", "resource_id"],
                [{"name": r.name, "type": r.resource_type, "resource_group": r.resource_group, "cost": r.cost,
                  "resource_id": r.resource_id or ""} for r in items])
    raise TypeError(f"not a cost view: {type(first).__name__}")
