"""The Usage area: the numbers on screen equal a direct computation over the store, refresh shows
"loading…" then the time, non-admins see Forbidden instead of numbers, errors go to the flash
line, data is never markup; bar/activity lines print their numbers (no colour needed); snapshots.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timezone

import pytest

from loom_tui.app import LoomApp
from loom_tui.config import Profile
from loom_tui.domain.clock import iso, parse_iso
from loom_tui.domain.session import Session
from loom_tui.local.demo import DEMO_TENANT
from loom_tui.screens.usage import ActiveItems, Card, UsageScreen
from loom_tui.wiring import open_context
from loom_tui.services.usage import UsageService, window
from loom_tui.widgets.bars import ActivityColumns, BarList, activity_lines, bar_lines
from loom_tui.widgets.flash import FlashLine

from .helpers import screen_text, until_idle, wait_for, wait_ready

FIXED_NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
NON_ADMIN = Session(tenant_id=DEMO_TENANT, user_oid="aa000001-0000-4000-8000-000000000003",
                    upn="lee.engineer@contoso-demo.example", display_name="Lee Engineer", is_tenant_admin=False, source="test")


@pytest.fixture(autouse=True)
def _pinned_demo_day(monkeypatch):
    """The demo seed is anchored on "today": pin it to the day of FIXED_NOW."""
    monkeypatch.setenv("LOOM_DEMO_TODAY", FIXED_NOW.date().isoformat())


class GatedUsage(UsageService):
    """The real service, held at a gate so the test can look at the screen while it loads."""

    def __init__(self, scoped, gate: asyncio.Event, clock) -> None:
        super().__init__(scoped, clock)
        self.gate = gate

    async def report(self, progress=None, on_part=None):
        await self.gate.wait()
        return await super().report(progress, on_part)


async def open_usage(pilot) -> UsageScreen:
    app = pilot.app
    await wait_ready(pilot)  # the Workspaces area is up (and has the focus), so "3" is a key, not typing
    await pilot.press("3")
    await wait_for(pilot, lambda: isinstance(app.screen, UsageScreen))
    screen = app.screen
    await wait_for(pilot, lambda: screen.report is not None or screen.forbidden)
    await until_idle(pilot)
    return screen


def rendered(widget) -> str:
    return widget.render().plain


async def oracle(store, now: datetime) -> dict:
    since, until = window(now)
    wss = [d async for d in store.iterate_cross_partition("workspaces") if DEMO_TENANT in (d.get("tid"), d.get("tenantId"))]
    items = [d async for d in store.iterate_cross_partition("items") if DEMO_TENANT in (d.get("tid"), d.get("tenantId"))]
    events = [e async for e in store.iterate_cross_partition("audit-log")
              if e.get("tenantId") == DEMO_TENANT and since <= parse_iso(e["at"]) < until]
    active = {e.get("workspaceId") for e in events}
    idle = [d for d in wss if d["id"] not in active and (d.get("lastAccessedAt") or "") < iso(since)]
    return {"workspaces": len(wss), "items": len(items), "types": Counter(d["itemType"] for d in items), "events": len(events),
            "idle": idle,
            "top_ws": max(wss, key=lambda d: d["itemCount"])["itemCount"],
            "top_item": Counter(e["itemId"] for e in events).most_common(1)[0][1]}


async def test_screen_shows_the_numbers_of_the_store():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.context_is_ready)
        app.ctx.usage = UsageService(app.ctx.scoped, lambda: FIXED_NOW)
        screen = await open_usage(pilot)
        want = await oracle(app.ctx.store, FIXED_NOW)

        cards = {c.id: c.value_text for c in screen.query(Card)}
        assert cards == {"card-workspaces": f"{want['workspaces']:,}", "card-items": f"{want['items']:,}",
                         "card-types": f"{len(want['types']):,}", "card-events": f"{want['events']:,}",
                         "card-idle": f"{len(want['idle']):,}"}
        idle_list = screen.query_one("#idle-list").render().plain
        assert all(d["name"][:30] in idle_list for d in want["idle"][:20])
        text = screen_text(app)
        assert f"{want['items']:,}" in text and f"{want['events']:,}" in text  # on screen at 80x24, not only in widgets
        assert "refreshed 2026-11-26 12:00:00 UTC" in text
        top_type, top_n = sorted(want["types"].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        first_bar = rendered(screen.query_one("#by-type", BarList)).splitlines()[0]
        assert first_bar.split()[:2] == [top_type, str(top_n)]
        assert f"Items by type ({len(want['types'])} types)" in text
        assert str(want["top_ws"]) in rendered(screen.query_one("#by-workspace", BarList)).splitlines()[0]
        activity = rendered(screen.query_one("#activity", ActivityColumns))
        assert f"total {want['events']:,}" in activity
        table = rendered(screen.query_one("#most-active", ActiveItems)).splitlines()
        assert table[0].split() == ["Item", "Type", "Workspace", "Events"]
        assert table[1].split()[-1] == str(want["top_item"])
        # "a" shows every type, and again the top ones only
        by_type = screen.query_one("#by-type", BarList)
        assert rendered(by_type).splitlines()[-1].startswith(f"… {len(want['types']) - 12} more")
        await pilot.press("a")
        assert len(rendered(by_type).splitlines()) == len(want["types"])
        await pilot.press("a")
        assert len(rendered(by_type).splitlines()) == 13
        # the body scrolls: the last section is reachable at 80x24
        await pilot.press("end")
        await until_idle(pilot)
        assert "Idle workspaces (no activity in 30 days)" in screen_text(app)


async def test_refresh_shows_loading_then_the_new_time_and_new_numbers():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.context_is_ready)
        app.ctx.usage = UsageService(app.ctx.scoped, lambda: FIXED_NOW)
        screen = await open_usage(pilot)
        before = screen.report.cards.workspaces
        gate = asyncio.Event()
        later = datetime(2026, 11, 26, 12, 5, 7, tzinfo=timezone.utc)
        app.ctx.usage = GatedUsage(app.ctx.scoped, gate, lambda: later)
        from loom_tui.services.workspaces.service import WorkspaceInput

        await app.ctx.workspaces.create(WorkspaceInput(name="Fresh space"))
        await pilot.press("r")
        await wait_for(pilot, lambda: "loading…" in screen_text(app))  # the new report is held back by the gate
        text = screen_text(app)
        assert "loading…" in text and "showing numbers from 12:00:00 UTC" in text
        assert screen.query_one("#card-workspaces", Card).value_text == f"{before:,}"  # old numbers stay meanwhile
        gate.set()
        await wait_for(pilot, lambda: screen.report.computed_at == later)
        await until_idle(pilot)
        assert "refreshed 2026-11-26 12:05:07 UTC" in screen_text(app)
        assert screen.query_one("#card-workspaces", Card).value_text == f"{before + 1:,}"
        await pilot.press("ctrl+r")  # the other key refreshes too
        await wait_for(pilot, lambda: not screen.busy)


async def test_non_admin_sees_forbidden_not_numbers(monkeypatch):
    seeded = await open_context(Profile())  # seeds the demo store in this test's data dir
    await seeded.close()
    ctx = await open_context(Profile(), session=NON_ADMIN)
    app = LoomApp(context=ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_usage(pilot)
        assert screen.forbidden and screen.report is None
        text = screen_text(app)
        assert "Forbidden: usage metrics are tenant-wide aggregates" in text
        assert "lee.engineer@contoso-demo.example" in text
        assert not screen.query_one("#cards").display
        # the flash line clears itself after 6 s, which a slow start may have spent already: refresh,
        # and the refusal is said again
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "forbidden" in app.screen.query_one(FlashLine).last)


async def test_a_failed_refresh_goes_to_the_flash_line_and_keeps_the_numbers():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_usage(pilot)
        shown = screen.query_one("#card-items", Card).value_text
        await app.ctx.store.close()  # the store goes away (a real failure, not a mock)
        await pilot.press("r")
        await wait_for(pilot, lambda: not screen.busy)
        flash = screen.query_one(FlashLine).last
        assert flash.startswith("error: could not read usage:") and "not open" in flash
        assert screen.query_one("#card-items", Card).value_text == shown
        assert "refreshed" in screen_text(app)


async def test_names_are_shown_literally_never_as_markup():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.context_is_ready)
        top = (await app.ctx.usage.report()).items_by_workspace[0]
        ws = await app.ctx.workspaces.get(top.key)
        # written by another client straight into the store (the service itself refuses control characters)
        await app.ctx.store.upsert("workspaces", {**ws.doc, "name": "[bold]Loud[/bold] \x1b[31m"})
        screen = await open_usage(pilot)
        bars = rendered(screen.query_one("#by-workspace", BarList))
        assert "[bold]Loud[/bold]" in bars and "\x1b" not in bars


async def test_no_color_still_prints_every_number(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        screen = await open_usage(pilot)
        r = screen.report
        text = screen_text(app)
        for n in (r.cards.workspaces, r.cards.items, r.cards.item_types, r.cards.audit_events):
            assert f"{n:,}" in text


def test_bar_lines_print_counts_and_fit_the_width():
    rows = [("warehouse", 1234), ("[red]x[/red]", 7), ("zero", 0), ("数据湖 lakehouse", 600)]
    for width in (80, 40, 24):
        lines = bar_lines(rows, width)
        assert [line.cell_len for line in lines] == [width] * 4
        for (label, n), line in zip(rows, lines):
            assert f"{n:,}" in line.plain
        assert "█" in lines[0].plain and "█" not in lines[2].plain
    assert "[red]x[/red]" in bar_lines(rows, 80)[1].plain
    # a bar is proportional: half the peak is half the length (within an eighth of a cell)
    half = bar_lines([("a", 100), ("b", 50)], 50)
    full, part = (line.plain.count("█") for line in half)
    assert abs(full / 2 - part) <= 1


def test_activity_lines_print_scale_dates_and_summary():
    from datetime import date, timedelta

    days = [(date(2026, 10, 28) + timedelta(days=i), i % 5) for i in range(30)]
    lines = activity_lines(days, 76, height=4)
    assert len(lines) == 6 and all(line.cell_len <= 76 for line in lines)
    assert lines[0].plain.lstrip().startswith("4│") and lines[3].plain.lstrip().startswith("0│")
    assert "10-28" in lines[4].plain and "11-26" in lines[4].plain
    assert lines[5].plain == f"total {sum(c for _, c in days)} · peak 4 on 11-26 · today 4"
    narrow = activity_lines(days, 20, height=4)  # too narrow for 30 days: the most recent ones
    assert narrow[4].plain.rstrip().endswith("11-26") and all(line.cell_len <= 20 for line in narrow)
    many = [(date(2026, 1, 1) + timedelta(days=i), 1) for i in range(100)]
    assert activity_lines(many, 80)[-1].plain.endswith("chart: last 78 days")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_usage(snap_compare, monkeypatch, size):
    """Deterministic: the demo seed is pinned to a day (fixture above) and the service's clock to a
    time on that day, so the numbers and the "refreshed" time never change."""

    async def ready(pilot):
        app = pilot.app
        await wait_for(pilot, lambda: app.context_is_ready)
        app.clear_notifications()
        app.ctx.usage = UsageService(app.ctx.scoped, lambda: FIXED_NOW)
        await open_usage(pilot)
        await until_idle(pilot)

    assert snap_compare(LoomApp(), terminal_size=size, run_before=ready)
