"""The capacity step's prices: what the Cost service knows (a Fabric capacity of the estate billed
per CU-hour while active, Fabric prices linear in CUs), on the local profile and its demo Azure; no prices and
why for a user who may not see cost — never a guessed number."""

from __future__ import annotations

import pytest

from loom_tui.config import Profile
from loom_tui.domain.fabric_skus import FABRIC_SKUS
from loom_tui.wiring import open_context
from loom_tui.services.dlz.prices import SkuPrices, sku_prices
from tests.services.conftest import session_of


@pytest.fixture
async def open_ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("LOOM_DEMO_TODAY", "2026-11-20")  # a day with billed days before it this month
    opened = []

    async def make(**kw):
        ctx = await open_context(Profile(), data_dir=str(tmp_path / "data"), **kw)
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        await ctx.close()


async def test_every_f_sku_priced_from_a_billed_capacity(open_ctx):
    ctx = await open_ctx()
    p = await sku_prices(ctx)
    assert p.why_not == "" and p.currency == "USD"
    assert set(p.prices) == {s.name for s in FABRIC_SKUS}
    for s in FABRIC_SKUS:  # linear in capacity units
        assert p.prices[s.name] == pytest.approx(p.prices["F2"] * s.capacity_units / 2, rel=1e-3)
    assert "billed" in p.basis and "per CU-hour active" in p.basis
    assert p.label("F8").startswith("≈ ") and p.label("F8").endswith(" USD/month")
    assert p.headline.startswith("Monthly prices estimated at ")
    # the same estimate the Capacity area's scale shows for that capacity
    name = p.basis.split("what ", 1)[1].split(" ", 1)[0]
    r = (await ctx.capacity.inventory()).find(name)
    same, currency, _ = await ctx.capacity.monthly_prices(r)
    assert same == {k: float(v) for k, v in p.prices.items()} and currency == p.currency


async def test_no_prices_and_why_for_who_may_not_see_cost(open_ctx):
    await open_ctx()  # the demo store exists
    viewer = await open_ctx(session=session_of("ravi.viewer"))
    p = await sku_prices(viewer)
    assert p.prices == {} and p.label("F8") == ""
    assert p.headline == "Monthly prices not shown: cost is tenant-wide: only tenant admins see it."


def test_no_prices_says_so_plainly():
    p = SkuPrices(why_not="no Fabric capacity of the estate was billed this month, so the Cost service knows no price")
    assert p.headline.startswith("Monthly prices not shown: no Fabric capacity") and p.label("F2") == ""
