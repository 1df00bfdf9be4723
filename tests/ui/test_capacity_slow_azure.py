"""Slow Azure is never silent (issue 24 item 13): while Capacity reads, the status line counts the
seconds and the retries Azure made it wait (with the last one in words); when retries gave up on
a part, the inventory says PARTIAL and `w` lists it, instead of "the inventory is complete"."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.demo_azure.faults import Fault
from loom_tui.screens.capacity.screen import CapacityScreen

from .helpers import screen_text, until_idle, wait_for, wait_ready
from .test_capacity import demo_handle, shown


async def test_retries_and_elapsed_time_show_and_a_part_given_up_is_a_warning():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await app.ctx.azure()
        # every Azure Monitor read loses its connection, retry after retry, until the retries give up
        demo_handle(app).server.inject("metrics.list", Fault("reset"), times=500)
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, CapacityScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.busy and screen.load.retries > 0, timeout=60)
        # the status line (it wraps to a second line rather than cut the reason)
        await wait_for(pilot, lambda: "(last: connection lost from Azure Monitor, retry" in shown(app, "#cap-status"))
        assert "reading state, metrics, cost… " in shown(app, "#cap-status")
        assert " s · " in shown(app, "#cap-status")  # the elapsed seconds, then the retries
        await wait_for(pilot, lambda: screen.inventory is not None and screen.inventory.enriched, timeout=120)
        await until_idle(pilot)
        text = screen_text(app)
        assert "PARTIAL: 1 failed" in text and "reading state" not in text
        failure = screen.inventory.failures[0]
        assert failure.scope == "Azure Monitor metrics" and "utilization not read for" in failure.reason
        await pilot.press("w")
        await wait_for(pilot, lambda: "utilization not read for" in screen_text(app))
        assert "the inventory is complete" not in screen_text(app)
