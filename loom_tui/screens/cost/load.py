"""The Cost screen's worker body: ask the cost service for the page the view state names."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from loom_tui.services.cost.model import Query
from loom_tui.services.cost.periods import resolve

from .model import CostPage, ViewState, copy_state

if TYPE_CHECKING:
    from loom_tui.services.cost.service import CostService


def _share(part: Decimal, total: Decimal) -> str:
    return f"{part / total * 100:.1f}%" if total else "-"


def by_cost(totals: dict[str, Decimal]) -> list[str]:
    """Currencies, the one with the most cost first (ties alphabetically): the screen opens on
    where the money is, not on whichever code sorts first."""
    return sorted(totals, key=lambda c: (-totals[c], c))


def pick(state: ViewState, currencies: list[str]) -> str | None:
    return state.currency if state.currency in currencies else (currencies[0] if currencies else None)


def query_for(state: ViewState, today) -> Query:
    start, end = state.custom if state.custom else (None, None)
    period = resolve(None if state.custom else state.timeframe, today, start, end)
    if not state.path:
        return Query(state.by, period, state.kind, state.source)
    dim, key, _ = state.path[-1]
    return Query(state.by, period, state.kind, state.source, dim, key, True)


async def load_page(cost: "CostService", state: ViewState, *, with_idle: bool = True, refresh: bool = False) -> CostPage:
    """``refresh``: ask Cost Management again first (live source; exports are read as imported)."""
    state = copy_state(state)
    await cost.ensure_seeded()
    if refresh and state.source == "live":
        await cost.refresh_live(state.kind)
    q = query_for(state, cost.today())
    level = state.level
    rows: list[dict] = []
    currencies: list[str] = []
    notes: list[str] = []
    if level == "chargeback":
        results = await cost.chargeback(q)
        currencies = by_cost({cb.currency: cb.total for cb in results})
        cur = pick(state, currencies)
        for cb in results:
            if cb.currency != cur:
                continue
            rows = [{"name": r.name, "cost": r.cost, "share": _share(r.cost, cb.total), "key": r.key, "dim": cb.by} for r in cb.rows]
            rows.append({"name": "(unallocated)", "cost": cb.unallocated, "share": _share(cb.unallocated, cb.total), "key": None,
                         "dim": cb.by, "unallocated": True})
            rows.append({"name": "(total)", "cost": cb.total, "share": "100%" if cb.total else "-", "key": "", "dim": "", "total": True})
            if cb.unallocated_top:
                top = ", ".join(f"{r.name} {r.cost:,.2f}" for r in cb.unallocated_top[:3])
                notes.append(f"unallocated (no {cb.by} value): top resources {top}")
        title = f"Cost by {state.by}"
    elif level == "resources":
        per = await cost.resources(q)
        currencies = by_cost({c: sum((r.cost for r in rs), Decimal(0)) for c, rs in per.items()})
        cur = pick(state, currencies)
        rows = [{"name": r.name, "type": r.resource_type, "rg": r.resource_group, "cost": r.cost, "key": r.resource_id, "dim": "resource"}
                for r in per.get(cur, [])] if cur else []
        title = f"Resources of {state.path[-1][2]}"
    else:
        dq = Query("resource", q.period, q.kind, q.source, "resource", state.path[-1][1], True)
        dailies = await cost.daily(dq)
        currencies = by_cost({d.currency: d.total for d in dailies})
        cur = pick(state, currencies)
        rows = [{"name": x.day.isoformat(), "cost": x.cost, "key": x.day.isoformat(), "dim": "day"}
                for d in dailies if d.currency == cur for x in d.days]
        title = f"Days of {state.path[-1][2]}"
    daily_q = q if level != "days" else Query("resource", q.period, q.kind, q.source, "resource", state.path[-1][1], True)
    dailies = await cost.daily(daily_q)
    daily = next(([(x.day, x.cost) for x in d.days] for d in dailies if d.currency == cur), [])
    forecast = next((f for f in await cost.forecast(q) if f.currency == cur), None) if not state.path else None
    anomalies = [a for a in await cost.anomalies(q) if a.currency == cur] if not state.path else []
    idle = await cost.idle(q) if with_idle and not state.path else None
    state.currency = cur
    status = await cost.status(state.source)  # after the views: the first live view fetches (and dates) the data
    through = status.last
    for r in rows:  # a day after the data's last is not a zero-cost day: nothing is known of it yet
        if r.get("dim") == "day" and (through is None or r["key"] > through.isoformat()):
            r["pending"] = True
    return CostPage(state, q, title, level, rows, currencies, cur, daily, forecast, anomalies, idle, status.as_of, status.rows, notes,
                    through)
