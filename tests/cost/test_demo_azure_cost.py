"""The demo Azure's Cost Management and budgets routes over https, as Azure answers them: the
query's rows equal the generated FOCUS export's, nextLink pages, 204 for no data; budgets with
ETags (a stale one is refused), spend filled in."""

from __future__ import annotations

import ssl
from datetime import date, timedelta
from decimal import Decimal

import aiohttp
import pytest

from loom_tui.azure.cost_query import CostQuery, map_rows
from loom_tui.demo_azure.launcher import start_demo_azure
from loom_tui.demo_azure.estate_all import build_estate
from loom_tui.local.cost import demo_data
from loom_tui.local.demo import demo_workspaces

TODAY = date(2026, 11, 20)
SUB = "de700000-0000-4000-8000-0000000000d1"


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.setenv("LOOM_DEMO_TODAY", TODAY.isoformat())
    handle = start_demo_azure(tmp_path)
    try:
        yield handle
    finally:
        handle.stop()


async def call(demo, method: str, path: str, body=None, params=None):
    ctx = ssl.create_default_context(cafile=demo.ca_bundle)
    url = path if path.startswith("https://") else demo.arm_endpoint.rstrip("/") + path
    params = params if params is not None else ({} if "api-version=" in url else {"api-version": "2024-08-01"})
    async with aiohttp.ClientSession() as s:
        async with s.request(method, url, json=body, params=params, ssl=ctx,
                             headers={"Authorization": f"Bearer {demo.secret}"}) as r:
            return r.status, (await r.json() if r.status not in (204,) and r.content_length != 0 else None)


async def test_query_pages_and_equals_the_export(demo):
    demo.server.cost_page_rows = 300
    start = TODAY - timedelta(days=30)
    q = CostQuery(f"/subscriptions/{SUB}", "actual", start, TODAY, (("Dimension", "ResourceId"), ("Dimension", "ServiceName")))
    status, body = await call(demo, "POST", q.path, q.body())
    assert status == 200
    rows, pages = [], 1
    while True:
        props = body["properties"]
        rows += map_rows(props["columns"], props["rows"])
        if not props.get("nextLink"):
            break
        status, body = await call(demo, "POST", props["nextLink"], q.body())
        pages += 1
    assert pages > 3
    export = [(d, r, c) for d, r, c in demo_data.daily_rows(demo_data.demo_resources(demo_workspaces(), build_estate().resources), TODAY)
              if start <= d < TODAY and r.sub == SUB]
    assert len(rows) == len(export)
    assert abs(sum((r.cost for r in rows), Decimal(0)) - sum((c for _, _, c in export), Decimal(0))) < Decimal("0.01")
    status, _ = await call(demo, "POST", "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.CostManagement/query",
                           q.body())
    assert status == 204
    status, err = await call(demo, "POST", q.path, {"type": "ActualCost", "timeframe": "Sometime"})
    assert status == 400 and err["error"]["code"] == "BadRequest"


async def test_budgets_with_etags(demo):
    scope = f"/subscriptions/{SUB}/resourceGroups/{demo_data.dlz_rg('finance')}"
    path = f"{scope}/providers/Microsoft.Consumption/budgets/finance-monthly"
    body = {"properties": {"category": "Cost", "amount": 100, "timeGrain": "Monthly", "timePeriod": {"startDate": "2026-11-01T00:00:00Z"},
                           "notifications": {"Actual_GreaterThanOrEqualTo_80_Percent": {
                               "enabled": True, "operator": "GreaterThanOrEqualTo", "threshold": 80,
                               "contactEmails": ["ops.admin@contoso-demo.example"], "thresholdType": "Actual"}}}}
    status, created = await call(demo, "PUT", path, body)
    assert status == 201 and created["eTag"]
    assert created["properties"]["currentSpend"]["amount"] > 100  # the finance DLZ spends more than 100 a month
    status, _ = await call(demo, "PUT", path, body)  # no eTag: refused
    assert status == 412
    status, updated = await call(demo, "PUT", path, {**body, "eTag": created["eTag"], "properties": {**body["properties"], "amount": 500}})
    assert status == 200 and updated["eTag"] != created["eTag"] and updated["properties"]["amount"] == 500
    status, listed = await call(demo, "GET", f"{scope}/providers/Microsoft.Consumption/budgets")
    assert [b["name"] for b in listed["value"]] == ["finance-monthly"]
    status, _ = await call(demo, "DELETE", path)
    assert status == 200
    status, _ = await call(demo, "GET", path)
    assert status == 404
