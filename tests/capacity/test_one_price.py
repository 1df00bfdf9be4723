"""Issue 24 defect 3: one price estimator for Setup's capacity step and Capacity's scale, whose basis
is a capacity's billed cost per CU-hour while active (shown), and demo cost rows that follow the
estate's states and SKUs.  On the local profile and its demo Azure (the real wiring)."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest

from loom_tui.config import Profile
from loom_tui.domain.capacity import Resource
from loom_tui.wiring import open_context
from loom_tui.services.dlz.prices import sku_prices

TODAY = "2026-11-20"
# a subscription the demo tenant's own cost export does not cover: the file imported here would
# otherwise overlap it and be refused (each day's cost is counted once)
SUB = "de700000-0000-4000-8000-0000000000f1"
CAP = f"/subscriptions/{SUB}/resourceGroups/rg-x/providers/Microsoft.Fabric/capacities/fcx"


@pytest.fixture
async def open_ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("LOOM_DEMO_TODAY", TODAY)
    opened = []

    async def make(**kw):
        ctx = await open_context(Profile(), data_dir=str(tmp_path / "data"), **kw)
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        await ctx.close()


async def test_setup_and_the_scale_dialog_price_every_sku_alike(open_ctx):
    """Setup priced F64 at ~33,506 USD/month while the scale dialog priced F64 -> F128 at +1,976."""
    ctx = await open_ctx()
    setup = await sku_prices(ctx)
    assert setup.prices, setup.why_not
    fabric = [r for r in (await ctx.capacity.inventory()).rows if r.type_key == "microsoft.fabric/capacities"]
    assert len(fabric) == 6
    billed = 0
    for r in fabric:
        prices, currency, basis = await ctx.capacity.monthly_prices(r)
        if not prices:  # paused all of the window: nothing billed, said so
            assert basis
            continue
        billed += 1
        assert currency == setup.currency
        for sku in ("F2", "F64", "F128"):  # one estimator: the same price whichever capacity it learnt from
            assert prices[sku] == pytest.approx(float(setup.prices[sku]), rel=1e-6), (r.name, sku, basis)
    assert billed >= 4


async def test_the_basis_is_billed_cost_per_cu_hour_while_active_and_is_shown(open_ctx, tmp_path):
    """An F8 active 10 days and scaled to F64 for one day: per CU-hour is 0.18 whatever the day;
    the dearest day would have priced a CU-day 8 times too high."""
    from loom_tui.services.capacity.prices import estimate

    ctx = await open_ctx()
    lines = ["ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ResourceId,ConsumedQuantity,ConsumedUnit"]
    for day in range(1, 11):
        lines.append(f"2026-11-{day:02d}T00:00:00Z,34.56,34.56,USD,{CAP},192,Hours")  # F8 x 24 h
    lines.append(f"2026-11-11T00:00:00Z,276.48,276.48,USD,{CAP},1536,Hours")  # F64 for a day
    lines.append(f"2026-11-12T00:00:00Z,0.40,0.40,USD,{CAP},20,1 GB/Month")  # OneLake storage: not hours
    f = tmp_path / "fabric.csv"
    f.write_text("\n".join(lines) + "\n")
    await ctx.cost.import_paths([str(f)])
    r = Resource(id=CAP, name="fcx", type="Microsoft.Fabric/capacities", location="eastus2", resource_group="rg-x",
                 subscription_id=SUB, sku="F8")
    p = await estimate(ctx.cost, r)
    assert p.per_cu_hour == Decimal("0.18")
    assert p.prices["F64"] == Decimal("8409.60") and p.prices["F2"] == Decimal("262.80")  # 730 hours a month
    assert "0.18 USD per CU-hour active" in p.basis and "3,456 CU-hours" in p.basis and "dearest" not in p.basis
    assert p.headline.startswith("Monthly prices estimated at 0.18 USD per CU-hour active")
    assert p.change("F8", "F16").startswith("F8 -> F16: about +1,051 USD/month")


async def test_without_usage_hours_the_basis_says_how_it_was_reckoned(open_ctx, tmp_path):
    from loom_tui.services.capacity.prices import estimate

    ctx = await open_ctx()
    f = tmp_path / "nohours.csv"
    f.write_text("ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ResourceId\n"
                 + "".join(f"2026-11-{d:02d}T00:00:00Z,34.56,34.56,USD,{CAP}\n" for d in (1, 2, 3)))
    await ctx.cost.import_paths([str(f)])
    r = Resource(id=CAP, name="fcx", type="Microsoft.Fabric/capacities", location="", resource_group="rg-x",
                 subscription_id=SUB, sku="F8")
    p = await estimate(ctx.cost, r)
    assert p.per_cu_hour == Decimal("0.18")
    assert "3 billed days" in p.basis and "whole day at F8" in p.basis


async def test_demo_cost_follows_the_estates_states_and_skus(open_ctx):
    """A paused F8 billed more this month than an active F128; cost rows named fccsaloomsupplychai."""
    ctx = await open_ctx()
    inv = await ctx.capacity.inventory()
    fabric = [r for r in inv.rows if r.type_key == "microsoft.fabric/capacities"]
    by_name = {r.name: r for r in fabric}
    assert by_name["fccsaloomsupplychain"].cost_mtd  # its cost rows carry the estate's name and id
    active = [r for r in fabric if r.state == "Active"]
    paused = [r for r in fabric if r.state == "Paused"]
    assert active and paused
    for p in paused:
        for a in active:
            if int(p.sku[1:]) <= int(a.sku[1:]):
                assert (p.cost_mtd or 0) < (a.cost_mtd or 0), (p.name, p.sku, p.cost_mtd, a.name, a.sku, a.cost_mtd)
    # active capacities bill in proportion to their CUs (the same price per CU-hour)
    rates = {round(a.cost_mtd / int(a.sku[1:]), 6) for a in active}
    assert len(rates) == 1, rates
    # every capacity, SQL pool and cluster the cost data names is one the inventory knows (Spark
    # pools bill too, but the inventory does not list a Synapse workspace's Spark pools)
    known = {r.id.lower() for r in inv.rows}
    billed = await ctx.capacity.cost_source()[0].month_to_date([])
    runtime = ("/microsoft.fabric/capacities/", "/sqlpools/", "/microsoft.kusto/clusters/")
    stray = [rid for rid in billed if any(t in rid.lower() for t in runtime) and rid.lower() not in known]
    assert stray == []


def test_scale_to_a_sku_that_does_not_exist_says_one_thing():
    env = {**os.environ, "LOOM_DEMO_TODAY": TODAY}
    r = subprocess.run([sys.executable, "-m", "loom_tui.cli", "capacity", "scale", "fccsaloomhr", "--sku", "F3"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == ["loom: sku: 'F3' is not a Fabric SKU (one of F2, F4, F8, F16, F32, F64, F128, F256, "
                                             "F512, F1024, F2048)"]
