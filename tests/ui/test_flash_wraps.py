"""Issue 24 item 11: a flash message longer than the line is not cut where its meaning is — it
wraps to a second line at 80 columns."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.widgets.flash import FlashLine

from .helpers import screen_text, wait_for, wait_ready

LONG = ("error: the creator's membership and the workspace's last admin cannot be changed here and so "
        "they cannot be removed")


async def test_a_long_flash_wraps_to_a_second_line_at_80_columns():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        flash = app.screen.query_one(FlashLine)
        assert flash.size.height == 1
        flash.flash(LONG.removeprefix("error: "), "error")
        await wait_for(pilot, lambda: flash.size.height == 2)
        text = " ".join(screen_text(app).split())
        assert "they cannot be removed" in text
