"""The pieces of the live source that need no server: the query body, columns mapped by name,
the 12-per-10-s limiter, and the demo Azure's answers (same totals as the FOCUS export)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import pytest

from loom_tui.azure.cost_query import CostQuery, Limiter, map_rows, parse_day
from loom_tui.demo_azure.estate_all import build_estate
from loom_tui.local.cost import demo_data, demo_query

TODAY = date(2026, 11, 20)
WS = [{"id": f"{i:08d}-aaaa-4000-8000-000000000000", "domain": d} for i, d in enumerate(["finance", "hr", "research", "sales"] * 3)]


def test_body_is_custom_daily_with_at_most_two_groupings():
    q = CostQuery("/subscriptions/s", "amortized", date(2026, 10, 1), date(2026, 11, 1), (("Dimension", "ResourceId"), ("TagKey", "loomDomain")))
    body = q.body()
    assert body["type"] == "AmortizedCost" and body["timeframe"] == "Custom"
    assert body["timePeriod"] == {"from": "2026-10-01T00:00:00+00:00", "to": "2026-10-31T23:59:59+00:00"}
    assert body["dataset"]["grouping"][1] == {"type": "TagKey", "name": "loomDomain"}
    assert q.path == "/subscriptions/s/providers/Microsoft.CostManagement/query"
    with pytest.raises(ValueError):
        CostQuery("/s", "actual", TODAY, TODAY, (("Dimension", "a"),) * 3).body()


@pytest.mark.parametrize("columns, row, cost, cur, day", [
    (["PreTaxCost", "ResourceType", "UsageDate", "Currency"], [2.5, "Microsoft.Sql", 20180417, "USD"], "2.5", "USD", date(2018, 4, 17)),
    (["UsageDate", "Currency", "Cost", "ResourceId"], ["2024-10-01T00:00:00", "eur", 1, "/x"], "1", "EUR", date(2024, 10, 1)),
    (["CostUSD", "ServiceName"], [3.25, "Storage"], "3.25", "USD", None),
])
def test_columns_are_mapped_by_name(columns, row, cost, cur, day):
    [r] = map_rows([{"name": c} for c in columns], [row])
    assert (r.cost, r.currency, r.day) == (Decimal(cost), cur, day)
    assert "usagedate" not in r.values and len(r.values) == len(columns) - sum(1 for c in columns if c.lower() in ("pretaxcost", "cost", "costusd", "currency", "usagedate"))
    assert parse_day(20241001) == date(2024, 10, 1)


async def test_limiter_keeps_twelve_per_ten_seconds():
    now = [0.0]
    slept: list[float] = []

    async def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    lim = Limiter(12, 10.0, clock=lambda: now[0], sleep=sleep)
    stamps = []
    for _ in range(30):
        await lim.acquire()
        stamps.append(now[0])
        now[0] += 0.1
    for i in range(len(stamps)):
        assert sum(1 for t in stamps if stamps[i] <= t < stamps[i] + 10.0) <= 12
    assert lim.waited > 0 and len(slept) >= 2


def _rows():
    return list(demo_data.daily_rows(demo_data.demo_resources(WS, build_estate().resources), TODAY))


def test_demo_answer_equals_the_export_rows():
    rows = _rows()
    start = TODAY - timedelta(days=30)
    body = CostQuery("/subscriptions/de700000-0000-4000-8000-0000000000d1", "actual", start, TODAY,
                     (("Dimension", "ResourceId"), ("Dimension", "ServiceName"))).body()
    cols, out = demo_query.answer(body, "/subscriptions/de700000-0000-4000-8000-0000000000d1", rows, TODAY)
    mapped = map_rows(cols, out)
    want = sum((c for d, r, c in rows if start <= d < TODAY and r.sub.endswith("d1")), Decimal(0))
    got = sum((Decimal(str(r.cost)) for r in mapped), Decimal(0))
    assert abs(got - want) < Decimal("0.01") and all(r.day and r.currency == "USD" for r in mapped)
    # tag grouping: TagKey + TagValue columns; a filter on resource groups narrows it
    rg = demo_data.dlz_rg("finance")
    tbody = CostQuery("/subscriptions/de700000-0000-4000-8000-0000000000d1", "actual", start, TODAY,
                      (("Dimension", "ResourceId"), ("TagKey", "loomDomain")), "None",
                      {"dimensions": {"name": "ResourceGroupName", "operator": "In", "values": [rg.upper()]}}).body()
    cols, out = demo_query.answer(tbody, "/subscriptions/de700000-0000-4000-8000-0000000000d1", rows, TODAY)
    names = [c["name"] for c in cols]
    assert names == ["Cost", "ResourceId", "TagKey", "TagValue", "Currency"]
    assert out and all(f"/resourceGroups/{rg}/" in r[1] for r in out)
    with pytest.raises(demo_query.QueryError):
        demo_query.answer({"type": "ActualCost", "timeframe": "Custom", "timePeriod": {"from": "x"}}, "/", rows, TODAY)
