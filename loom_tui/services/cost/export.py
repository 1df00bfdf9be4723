"""Any cost view as CSV, JSON or Markdown (plain text: no colour, no markup, control characters
made visible in CSV and Markdown cells)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

from .model import UNALLOCATED, Anomaly, Chargeback, Daily, Forecast, IdleFinding, Mover, ResourceCost

FORMATS = ("csv", "json", "markdown")
CENT = Decimal("0.01")


def money(value: Decimal | None) -> float | None:
    return None if value is None else float(Decimal(value).quantize(CENT))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def chargeback_json(cb: Chargeback) -> dict:
    """The issue's shape: {currency, from, to, total, unallocated, rows: [{key, name, cost}]}
    (``to`` is the last day included)."""
    return {
        "currency": cb.currency, "from": cb.period.start.isoformat(), "to": cb.period.last.isoformat(), "by": cb.by,
        "type": cb.kind, "total": money(cb.total), "unallocated": money(cb.unallocated),
        "rows": [{"key": r.key, "name": r.name, "cost": money(r.cost)} for r in cb.rows],
        "unallocatedTop": [{"resourceId": r.resource_id, "name": r.name, "type": r.resource_type, "resourceGroup": r.resource_group,
                            "cost": money(r.cost)} for r in cb.unallocated_top],
    }


def table(view: Any) -> tuple[list[str], list[list[Any]]]:
    """(columns, rows) of a view: a list of Chargeback / Daily / Anomaly / Mover / Forecast /
    IdleFinding / ResourceCost (mixed lists are not a view)."""
    items = list(view) if isinstance(view, (list, tuple)) else [view]
    if not items:
        return ["(empty)"], []
    first = items[0]
    if isinstance(first, Chargeback):
        rows = []
        for cb in items:
            rows += [[cb.currency, r.key or "", r.name, money(r.cost)] for r in cb.rows]
            rows.append([cb.currency, "", UNALLOCATED, money(cb.unallocated)])
            rows.append([cb.currency, "", "(total)", money(cb.total)])
        return ["currency", "key", "name", "cost"], rows
    if isinstance(first, Daily):
        return ["currency", "day", "cost"], [[d.currency, x.day.isoformat(), money(x.cost)] for d in items for x in d.days]
    if isinstance(first, Anomaly):
        return ["day", "kind", "currency", "key", "amount", "detail"], [[a.day.isoformat(), a.kind, a.currency, a.key, money(a.amount), a.detail] for a in items]
    if isinstance(first, Mover):
        return ["currency", "key", "name", "before", "after", "change"], [[m.currency, m.key or "", m.name, money(m.before), money(m.after), money(m.change)] for m in items]
    if isinstance(first, Forecast):
        return (["currency", "month", "through", "mtd", "daily_rate", "forecast", "method"],
                [[f.currency, f.month_start.isoformat()[:7], f.through.isoformat(), money(f.mtd), money(f.daily_rate), money(f.forecast), f.method] for f in items])
    if isinstance(first, IdleFinding):
        return (["kind", "name", "target", "reason", "monthly_saving", "currency", "action"],
                [[f.kind, f.name, f.target, f.reason, money(f.monthly_saving), f.currency, f.action] for f in items])
    if isinstance(first, ResourceCost):
        return ["name", "type", "resource_group", "cost", "resource_id"], [[r.name, r.resource_type, r.resource_group, money(r.cost), r.resource_id or ""] for r in items]
    raise TypeError(f"not a cost view: {type(first).__name__}")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def render(view: Any, fmt: str) -> str:
    if fmt == "json":
        items = list(view) if isinstance(view, (list, tuple)) else [view]
        if items and isinstance(items[0], Chargeback):
            body: Any = [chargeback_json(cb) for cb in items]
            body = body[0] if len(body) == 1 else body
        else:
            body = _plain(items)
        return json.dumps(body, ensure_ascii=False, indent=2)
    cols, rows = table(view)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        w.writerows([[_cell(c) for c in r] for r in rows])
        return buf.getvalue()
    if fmt == "markdown":
        def esc(c: Any) -> str:
            return _cell(c).replace("|", "\\|")
        out = ["| " + " | ".join(cols) + " |", "|" + "|".join(" --- " for _ in cols) + "|"]
        out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
        return "\n".join(out) + "\n"
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def plain(items: Iterable[Any]) -> Any:
    return _plain(list(items))
