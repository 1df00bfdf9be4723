"""The Capacity area on the demo Azure (started by the wiring, as for an operator): the table and
summary, filter as you type, provider/state filters, sort, the warning line of a partial
inventory, copy id / link, the detail view, pause with its confirmation, read-only hiding,
auto-pause candidates, DR posture; snapshots at 80x24 and 120x40."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from loom_tui.app import LoomApp
from loom_tui.screens.capacity.screen import CapacityScreen
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import create_demo_store, pick_sort, screen_text, until_idle, wait_for, wait_ready

FIXED_DAY = "2026-11-26"
FIXED_NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def demo_handle(app):
    return next(o.handle for o in app.ctx._owned if hasattr(o, "handle"))


async def open_capacity(pilot, *, enriched: bool = True) -> CapacityScreen:
    app = pilot.app
    await wait_ready(pilot)
    await pilot.press("2")
    await wait_for(pilot, lambda: isinstance(app.screen, CapacityScreen))
    screen = app.screen
    await wait_for(pilot, lambda: screen.inventory is not None and (screen.inventory.enriched or not enriched), timeout=30)
    await until_idle(pilot)
    return screen


def shown(app, selector: str) -> str:
    """The text of one widget of the current screen (scrolled out of view or not)."""
    from textual.widgets import Static

    widget = app.screen.query_one(selector, Static)
    rendered = widget.render()
    return getattr(rendered, "plain", str(rendered))


def names(screen: CapacityScreen) -> list[str]:
    return [r.name for r in screen.rows]


async def test_table_summary_filters_and_sort():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        text = screen_text(app)
        assert "58 resources · 7 RGs" in text and "as of" in text  # the Admin Plane: + Log Analytics, 2 identities, ADX, template spec
        assert "fccsaloomfinance" in text and "Fabric cap." in text
        assert "by DLZ (CU-eq. 24 h)" in text and "finance" in text
        # filter as you type
        await pilot.press("slash", *"sqlpool")
        await wait_for(pilot, lambda: names(screen) == ["sqlpool_experiments", "sqlpool_gl", "sqlpool_inventory"])
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(screen.rows) == 58)
        # provider filter cycles through the providers present
        await pilot.press("f")
        assert screen.view.provider == "Microsoft.DocumentDB" and names(screen) == ["cosmos-csa-loom-admin"]
        while screen.view.provider != "Microsoft.Fabric":
            await pilot.press("f")
        assert len(screen.rows) == 6
        # state filter
        while screen.view.state != "Paused":
            await pilot.press("t")
        assert names(screen) == ["fccsaloommarketing", "fccsaloomresearch"]
        assert "state: Paused" in screen_text(app)
        # sort by utilization (descending), then reversed — over every provider: Fabric has no
        # Azure Monitor metric (issue 21), so its rows have none and sort last
        while screen.view.state is not None:
            await pilot.press("t")
        while screen.view.provider is not None:
            await pilot.press("f")
        await pick_sort(pilot, "utilization")
        assert screen.view.sort == "utilization"
        known = [r.utilization_24h for r in screen.rows if r.utilization_24h is not None]
        assert screen.view.descending and len(known) >= 3 and known == sorted(known, reverse=True)
        assert screen.rows[0].utilization_24h == max(known)
        assert "Util ▼" in screen_text(app) and "sort: utilization 24 h ▼ descending" in screen_text(app)
        await pick_sort(pilot, "utilization")  # the same column again: reversed
        assert "Util ▲" in screen_text(app)
        known = [r.utilization_24h for r in screen.rows if r.utilization_24h is not None]
        assert not screen.view.descending and known == sorted(known)


async def test_partial_inventory_shows_a_warning_line_and_lists_failures():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        from tests.capacity.conftest import deny

        await app.ctx.azure()
        handle = demo_handle(app)
        sub = handle.subscriptions[1]
        deny(handle.server, f"/subscriptions/{sub}/resources")  # a role on some groups only: each group read alone
        deny(handle.server, f"/subscriptions/{sub}/resourceGroups/rg-csa-loom-dlz-finance-eastus2/resources")
        await open_capacity(pilot)
        text = screen_text(app)
        assert "PARTIAL: 1 failed" in text
        assert "warning: partial results: resource group rg-csa-loom-dlz-finance-eastus2" in text
        await pilot.press("w")
        await wait_for(pilot, lambda: "does not have authorization" in screen_text(app))
        assert "403 AuthorizationFailed" in screen_text(app)


async def test_copy_detail_and_pause_with_confirmation():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        copied = []
        app.copy_to_clipboard = copied.append  # the OSC 52 write itself is the terminal's
        await pilot.press("slash", *"fccsaloomhr", "enter")
        await wait_for(pilot, lambda: names(screen) == ["fccsaloomhr"])
        await pilot.press("y")
        assert copied[-1].endswith("/providers/Microsoft.Fabric/capacities/fccsaloomhr")
        await pilot.press("Y")  # the demo Azure publishes no portal: said so, nothing copied
        assert len(copied) == 1 and "no portal for this cloud" in screen_text(app)
        # a cloud with a portal: the name cell is an OSC 8 hyperlink to the resource, Y copies it
        screen.portal = "https://portal.azure.us"
        table = screen.query_one(VirtualTable)
        table.refresh()
        links = {seg.style.link for seg in table.render_line(0) if seg.style and seg.style.link}
        assert links == {f"https://portal.azure.us/#@{app.ctx.session.tenant_id}/resource{screen.current.id}/overview"}
        await pilot.press("Y")
        assert copied[-1] == links.pop()
        await pilot.press("enter")
        await wait_for(pilot, lambda: '"state": "Active"' in shown(app, "#detail-arm"), timeout=15)
        # Fabric has no Azure Monitor metric (issue 21): the chart says so instead of inventing one
        await wait_for(pilot, lambda: "Azure Monitor has no metric for Fabric capacities" in shown(app, "#detail-chart"), timeout=15)
        await wait_for(pilot, lambda: "this month" in shown(app, "#detail-cost"), timeout=15)
        assert "-01 " in shown(app, "#detail-cost")  # one line per day, from the 1st
        assert "loomDomain = hr" in shown(app, "#detail-tags") and "USD: " in shown(app, "#detail-cost")
        assert "fccsaloomhr" in screen_text(app) and "Fabric cap." in screen_text(app)
        await pilot.press("w")
        await wait_for(pilot, lambda: "last 7d" in shown(app, "#detail-chart-title")
                       and "Azure Monitor has no metric for Fabric capacities" in shown(app, "#detail-chart"), timeout=15)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("p")
        await wait_for(pilot, lambda: "Pause Fabric capacity fccsaloomhr?" in screen_text(app))
        await pilot.press("enter")  # Cancel is first and focused
        await until_idle(pilot)
        assert screen.current.state == "Active" and app.screen is screen
        await pilot.press("p")
        await wait_for(pilot, lambda: "Pause Fabric capacity fccsaloomhr?" in screen_text(app))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: screen.inventory is not None and screen.inventory.find("fccsaloomhr").state == "Paused"
                       and screen.inventory.enriched, timeout=40)
        assert "fccsaloomhr is Paused" in screen_text(app) or screen.current.state == "Paused"
        await pilot.press("p")  # a paused capacity cannot be paused again: the key is disabled
        await until_idle(pilot)
        assert app.screen is screen


async def test_actions_are_in_the_command_palette():
    from .helpers import run_palette

    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        await run_palette(pilot, "DR")
        await wait_for(pilot, lambda: "checked live" in screen_text(app), timeout=20)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await run_palette(pilot, "Auto-pause")
        await wait_for(pilot, lambda: "auto-pause would pick" in screen_text(app), timeout=20)


async def test_read_only_hides_and_refuses_the_actions():
    await create_demo_store()  # read-only mode creates nothing: the store exists first
    app = LoomApp(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_capacity(pilot)
        shown = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert not shown & {"pause", "resume", "scale", "pause_dlz"}
        await pilot.press("p")
        await until_idle(pilot)
        assert app.screen is screen  # no dialog


async def test_auto_pause_candidates_and_dr_posture_views():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: "auto-pause would pick" in screen_text(app), timeout=20)
        text = screen_text(app)
        assert "PAUSE" in text and "fccsaloomsales" in text and "idle: peak" in text and "KEEP" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("h")  # DR posture ("d" is delete on every screen)
        await wait_for(pilot, lambda: "checked live" in screen_text(app), timeout=20)
        text = screen_text(app)
        assert "4 FAIL" in text and "FAIL" in text and "kv-loom-sales-dlz" in text
        assert "fix: az " in text


@pytest.mark.demo_today(FIXED_DAY)
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_capacity(snap_compare, monkeypatch, size):
    """Deterministic: the demo's day and the service's clock are pinned, so the metrics, the
    utilization and the "as of" time never change."""

    async def ready(pilot):
        app = pilot.app
        await wait_for(pilot, lambda: app.context_is_ready)
        app.clear_notifications()
        app.ctx.capacity.clock = lambda: FIXED_NOW
        await open_capacity(pilot)
        app.clear_notifications()  # the first-run toast ("created the local store ...") can land after the first clear
        app.screen.query_one(VirtualTable).focus()
        await until_idle(pilot)

    assert snap_compare(LoomApp(), terminal_size=size, run_before=ready)


async def test_a_failed_pause_shows_arms_error_in_full_and_literally():
    from loom_tui.screens.modals.error import ErrorDialog

    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        r = screen.inventory.find("fccsaloomsales")
        # (not "is busy": ARM's busy conflicts are sent again inside the deadline, issue 22 item 14)
        message = "Capacity [bold]fccsaloomsales[/bold] cannot be suspended: 2 jobs\nare running. Retry later."
        demo_handle(app).state.fail_action("fabric.suspend", target=r.id, status=409, code="CapacityBusy", message=message)
        await pilot.press("slash", *"fccsaloomsales", "enter")
        await wait_for(pilot, lambda: names(screen) == ["fccsaloomsales"])
        await pilot.press("p")
        await wait_for(pilot, lambda: "Pause Fabric capacity fccsaloomsales?" in screen_text(app))
        await pilot.press("down", "enter")
        # the dialog is pushed before it is drawn: wait for its text, not only for the screen
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog) and "CapacityBusy" in screen_text(app), timeout=30)
        text = screen_text(app)
        assert "could not pause fccsaloomsales" in text and "CapacityBusy" in text
        assert "[bold]fccsaloomsales[/bold]" in text and "are running. Retry later." in text  # literal, never markup


async def test_esc_clears_every_filter_and_no_resources_names_them():
    """Issue 24 item 12: filters that exclude everything are named on the empty table, and one esc
    clears them all (text, provider, state)."""
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        while screen.view.provider != "Microsoft.Fabric":
            await pilot.press("f")
        while screen.view.state != "Paused":
            await pilot.press("t")
        await pilot.press("slash", *"nothing-like-this", "enter")
        await wait_for(pilot, lambda: screen.view.text == "nothing-like-this" and not screen.rows)
        text = screen_text(app)
        assert "No resources match provider: Microsoft.Fabric · state: Paused · filter: nothing-like-this (of 58)" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(screen.rows) == 58)
        assert (screen.view.provider, screen.view.state, screen.view.text) == (None, None, "")
