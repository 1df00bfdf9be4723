"""Ids go to the clipboard with OSC 52 (the only clipboard over SSH)."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import screen_text, wait_for, wait_ready


async def test_y_copies_the_workspace_id_with_osc52():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        row = app.screen.query_one(VirtualTable).current
        await pilot.press("y")
        await wait_for(pilot, lambda: "copied id" in screen_text(app))
        assert app.clipboard == row["id"]
