"""The live source against the demo Azure through the shared AzureClients (real SDK pipeline,
https on loopback): the same totals as the generated FOCUS export on every view, a nextLink chain
followed, every throttling header waited out; budgets created, checked, notified once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from loom_tui.azure.clients import AzureClients
from loom_tui.azure.cost_query import CostQuery, Limiter, QueryStats, run_query
from loom_tui.demo_azure.faults import RETRY_AFTER_VARIANTS, Fault
from loom_tui.demo_azure.launcher import start_demo_azure
from loom_tui.services.cost.model import Query
from loom_tui.services.cost.periods import resolve
from loom_tui.wiring import StaticBearer, demo_cloud

TODAY = date(2026, 11, 20)
P30 = resolve("30d", TODAY)
CENT = Decimal("0.01")
SUB = "de700000-0000-4000-8000-0000000000d2"


def _by_key(results):
    out = {(cb.currency, r.key): r.cost.quantize(CENT) for cb in results for r in cb.rows}
    out.update({(cb.currency, None): cb.unallocated.quantize(CENT) for cb in results})
    return out


async def test_live_and_exports_show_the_same_totals(ctx):
    await ctx.cost.ensure_seeded()
    result = await ctx.cost.refresh_live("actual")
    assert result.rows > 0 and result.queries >= 5
    # the estate's empty DLZ subscription (…d3, for multi-sub rehearsal) answers 204 / no data;
    # every other scope answers with rows
    assert any(s.endswith("0000000000d3") for s in result.scopes)
    assert 0 < result.no_data < result.queries
    for by in ("workspace", "domain", "tenant", "resource-group", "resource-type", "service"):
        exports = await ctx.cost.chargeback(Query(by, P30, source="exports"))
        online = await ctx.cost.chargeback(Query(by, P30, source="live"))
        assert [cb.total.quantize(CENT) for cb in online] == [cb.total.quantize(CENT) for cb in exports], by
        assert _by_key(online) == _by_key(exports), by
    status = await ctx.cost.status("live")
    assert status.as_of is not None and status.rows == result.rows
    [idle_live, idle_exports] = [await ctx.cost.idle(Query(source=s)) for s in ("live", "exports")]
    assert {(f.kind, f.target) for f in idle_live.findings} == {(f.kind, f.target) for f in idle_exports.findings}


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.setenv("LOOM_DEMO_TODAY", TODAY.isoformat())
    handle = start_demo_azure(tmp_path / "demo")
    try:
        yield handle
    finally:
        handle.stop()


async def test_every_throttling_header_and_a_next_link_chain(demo):
    demo.server.cost_page_rows = 10
    clients = AzureClients(StaticBearer(demo.secret), demo_cloud(demo.arm_endpoint), extra_ca=demo.ca_bundle, max_wait=2.0)
    throttled = []
    clients.listeners.append(throttled.append)
    q = CostQuery(f"/subscriptions/{SUB}", "actual", TODAY - timedelta(days=30), TODAY, (("Dimension", "ResourceId"),), "None")
    try:
        stats = QueryStats()
        baseline = [r async for r in run_query(clients, q, Limiter(), stats)]
        assert stats.pages >= 3 and len(baseline) > 20  # a nextLink chain
        total = sum((r.cost for r in baseline), Decimal(0))
        for variant in RETRY_AFTER_VARIANTS:
            before = len(demo.server.calls_to("cost.query"))
            demo.server.inject("cost.query", Fault("429", variant, seconds=0.2))
            stats = QueryStats()
            rows = [r async for r in run_query(clients, q, Limiter(), stats)]
            assert sum((r.cost for r in rows), Decimal(0)) == total, variant
            assert len(demo.server.calls_to("cost.query")) - before == stats.pages + 1, variant
        assert len(throttled) >= len(RETRY_AFTER_VARIANTS) - 1  # every wait reported (a header-less 429 too)
    finally:
        await clients.close()


async def test_budgets_create_check_notify_once(ctx):
    from loom_tui.services.cost.budgets import parse_thresholds
    from loom_tui.services.errors import ConflictError

    await ctx.azure()
    scope = next(s for s in ctx.budgets.scopes() if "/resourceGroups/" not in s)
    b = await ctx.budgets.create(scope, "loom-demo", Decimal(1000), thresholds=parse_thresholds(["50", "90", "1000:forecasted"], [ctx.session.upn]))
    assert b.etag and b.current_spend and b.current_spend > 900
    assert [x.name for x in await ctx.budgets.list(scope)] == ["loom-demo"]
    with pytest.raises(ConflictError):
        await ctx.budgets.update(scope, "loom-demo", etag='"stale"', amount=Decimal(200))
    unread = await ctx.notifications.unread_count()
    first = await ctx.budgets.check()
    assert {c.key.split("_")[-2] for c in first.crossings} == {"50", "90"} and first.written == 2
    again = await ctx.budgets.check()
    assert len(again.crossings) == 2 and again.written == 0
    assert await ctx.notifications.unread_count() == unread + 2
    titles = [n["title"] for n in await ctx.notifications.newest()]
    assert "Budget loom-demo at 50%" in titles and "Budget loom-demo at 90%" in titles
    await ctx.budgets.delete(scope, "loom-demo")
    assert await ctx.budgets.list(scope) == []
