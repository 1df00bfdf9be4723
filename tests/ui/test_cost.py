"""The Cost area: the table equals the service's chargeback, views switch, drill-down goes
workspace → resources → days and back, export writes the view, errors go to the flash line,
names are never markup, no colour is needed; snapshots at 80x24 and 120x40."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from loom_tui.app import LoomApp
from loom_tui.screens.cost.screen import CostScreen
from loom_tui.services.cost.model import Query
from loom_tui.services.cost.periods import resolve
from loom_tui.widgets.cost_charts import forecast_gauge, money_columns
from loom_tui.widgets.flash import FlashLine
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import screen_text, until_idle, wait_for, wait_ready

TODAY = "2026-11-20"


@pytest.fixture(autouse=True)
def _pinned_day(monkeypatch):
    monkeypatch.setenv("LOOM_DEMO_TODAY", TODAY)


async def open_cost(pilot) -> CostScreen:
    app = pilot.app
    await wait_ready(pilot)
    await pilot.press("4")
    await wait_for(pilot, lambda: isinstance(app.screen, CostScreen))
    screen = app.screen
    await wait_for(pilot, lambda: screen.page is not None and not screen.busy, 60)
    await until_idle(pilot)
    return screen


async def settle(pilot, screen: CostScreen) -> None:
    await until_idle(pilot)
    await wait_for(pilot, lambda: not screen.busy, 60)
    await until_idle(pilot)


async def test_table_is_the_chargeback_and_views_switch():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cost(pilot)
        from datetime import date

        [cb] = await app.ctx.cost.chargeback(Query("workspace", resolve("mtd", date.fromisoformat(TODAY))))
        rows = screen.page.rows
        assert [r["name"] for r in rows[:-2]] == [r.name for r in cb.rows]
        assert rows[-2]["name"] == "(unallocated)" and rows[-2]["cost"] == cb.unallocated
        assert rows[-1]["cost"] == cb.total
        assert cb.rows[0].name in screen_text(app)
        await pilot.press("v")
        await settle(pilot, screen)
        assert screen.page.state.by == "domain" and "Finance" in screen_text(app) and "by domain" in screen_text(app)
        await pilot.press("t")
        await settle(pilot, screen)
        assert screen.page.state.timeframe == "last-month"
        await pilot.press("a")
        await settle(pilot, screen)
        assert screen.page.query.kind == "amortized"


async def test_drill_down_and_back():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cost(pilot)
        top = screen.page.rows[0]
        await pilot.press("enter")
        await settle(pilot, screen)
        assert screen.page.columns == "resources"
        assert sum(r["cost"] for r in screen.page.rows) == top["cost"]
        resource = screen.page.rows[0]
        await pilot.press("enter")
        await settle(pilot, screen)
        assert screen.page.columns == "days" and sum(r["cost"] for r in screen.page.rows) == resource["cost"]
        assert f"Days › {top['name']}" in screen_text(app)
        # issue 24 item 19: a day after the data's last is "no data yet", not a 0.00 day
        through = screen.page.through
        pending = [r for r in screen.page.rows if r.get("pending")]
        assert through is not None and pending and all(r["key"] > through.isoformat() for r in pending)
        assert all(not r.get("pending") for r in screen.page.rows if r["key"] <= through.isoformat())
        await pilot.press("end")
        await wait_for(pilot, lambda: "no data yet" in screen_text(app))
        await pilot.press("escape")
        await settle(pilot, screen)
        assert screen.page.columns == "resources"
        await pilot.press("escape")
        await settle(pilot, screen)
        assert screen.page.columns == "chargeback"


async def test_unallocated_drills_to_the_untagged_resources():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cost(pilot)
        table = screen.query_one("#cost-table", VirtualTable)
        table.cursor_row = len(screen.page.rows) - 2
        unallocated = screen.page.rows[-2]["cost"]
        await pilot.press("enter")
        await settle(pilot, screen)
        assert screen.page.columns == "resources"
        assert sum(r["cost"] for r in screen.page.rows) == unallocated
        assert any(r["name"] == "disk-jumpbox-os" for r in screen.page.rows)


async def test_export_writes_the_view(tmp_path):
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cost(pilot)
        await pilot.press("x")  # export ("e" is edit on every screen)
        await until_idle(pilot)
        await pilot.press("down", "enter")  # JSON
        flash = screen.query_one(FlashLine)
        await wait_for(pilot, lambda: "exported to" in screen_text(app), 20)
        files = list((app.ctx.cost.db_path.parent / "exports").glob("*.json"))
        assert len(files) == 1
        body = json.loads(files[0].read_text())
        assert body["currency"] == "USD" and body["rows"][0]["name"] == screen.page.rows[0]["name"]
        assert flash is not None


async def test_live_source_reads_cost_management_and_agrees_with_exports():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cost(pilot)
        exports_total = screen.page.rows[-1]["cost"]
        await pilot.press("l")  # live / exports ("s" is sort on every screen)
        await settle(pilot, screen)
        assert screen.page.state.source == "live" and "live" in screen_text(app)
        assert screen.page.rows[-1]["cost"].quantize(Decimal("0.01")) == exports_total.quantize(Decimal("0.01"))
        assert screen.page.as_of is not None


async def test_names_are_literal_text(monkeypatch):
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        doc = (await app.ctx.workspaces.window(__import__("loom_tui.domain.workspace", fromlist=["WorkspaceView"]).WorkspaceView(), 0, 1))[0]
        # the top-cost workspace gets a name full of markup and an escape sequence
        screen_first = None
        await pilot.press("4")
        await wait_for(pilot, lambda: isinstance(app.screen, CostScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.page is not None and not screen.busy, 60)
        screen_first = screen.page.rows[0]
        current = await app.ctx.workspaces.find(screen_first["key"])
        await app.ctx.workspaces.update(current.id, {"name": "[bold red]x[/] \\[y"}, etag=current.etag)
        await pilot.press("r")
        await settle(pilot, screen)
        assert "[bold red]x[/] \\[y" in screen_text(app)
        assert doc is not None


async def test_no_color_prints_every_number(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cost(pilot)
        text = screen_text(app)
        assert "MTD " in text and "forecast " in text and "%" in text


def test_chart_lines_print_their_numbers():
    from datetime import date, timedelta
    from decimal import Decimal

    days = [(date(2026, 11, 1) + timedelta(days=i), Decimal(i * 10)) for i in range(20)]
    lines = [ln.plain for ln in money_columns(days, 80, "USD")]
    assert lines[0].lstrip().startswith("190") and lines[3].lstrip().startswith("0")
    assert "11-01" in lines[4] and "11-20" in lines[4]
    assert lines[5].startswith("total 1,900.00 USD · peak 190.00 on 11-20")
    assert all(len(ln) <= 80 for ln in lines)
    # days after the data's last are no zero-cost days: left out of the columns, named in the summary
    cut = [ln.plain for ln in money_columns(days, 80, "USD", through=date(2026, 11, 18))]
    assert "11-18" in cut[4] and "11-20" not in cut[4] and cut[5].startswith("total 1,530.00 USD · no data yet for 11-19–11-20 · peak")
    assert [ln.plain for ln in money_columns(days[:1], 80, "USD", through=date(2026, 10, 31))] == ["no data yet for 11-01"]
    g = [ln.plain for ln in forecast_gauge(Decimal(50), Decimal(100), 60, "EUR", "note")]
    assert g[0].startswith("MTD 50.00 ▕") and g[0].endswith("forecast 100.00 EUR") and g[1] == "note"
    assert g[0].count("█") == g[0].count("░")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_cost(snap_compare, size):
    async def ready(pilot):
        app = pilot.app
        await wait_for(pilot, lambda: app.context_is_ready)
        app.clear_notifications()
        screen = await open_cost(pilot)
        screen.page.as_of = __import__("datetime").datetime(2026, 11, 20, 6, 0)
        screen._status()  # noqa: SLF001 - the import time is the run's: pin it for the picture
        await until_idle(pilot)

    assert snap_compare(LoomApp(), terminal_size=size, run_before=ready)


async def test_opens_on_the_currency_with_the_most_cost_and_names_the_others(tmp_path):
    # a little EUR cost beside the demo's USD: "EUR" sorts first, but the money is in USD
    eur = tmp_path / "eur.csv"
    eur.write_text("ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency\n2026-11-03,1.5,1.5,EUR\n")
    app = LoomApp()
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot)
        await app.ctx.cost.ensure_seeded()
        await app.ctx.cost.import_paths([str(eur)])
        screen = await open_cost(pilot)
        assert screen.page.currencies == ["USD", "EUR"] and screen.page.currency == "USD"
        assert "USD (also EUR: c switches)" in screen_text(app)
        await pilot.press("c")
        await settle(pilot, screen)
        assert screen.page.currency == "EUR" and screen.page.rows[-1]["cost"] == Decimal("1.5")
