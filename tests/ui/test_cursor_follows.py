"""Issue 13: after a rename or any refresh the cursor stays on the same item (by id), not on the
same row position."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.screens.modals.prompt import TextPrompt
from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import pick_sort, until_idle, wait_for, wait_ready


async def test_a_renamed_workspace_keeps_the_cursor_after_a_refresh():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        table = app.screen.query_one(VirtualTable)
        await pick_sort(pilot, "name")
        await wait_for(pilot, lambda: table.sorted_by == ("name", False) and table.row(3) is not None)
        await pilot.press("down", "down", "down")
        await wait_for(pilot, lambda: table.cursor_row == 3)
        row = table.current
        doc = await app.ctx.workspaces.get(row["id"])
        await app.ctx.workspaces.update(row["id"], {"name": "Zz renamed elsewhere"}, etag=doc.etag)  # sorts last now
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: table.current is not None and table.current["id"] == row["id"])
        assert table.cursor_row == table.row_count - 1
        assert table.current["name"] == "Zz renamed elsewhere"


async def test_an_item_renamed_in_the_console_keeps_the_cursor():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen) and app.screen.role_known)
        items = app.screen.query_one("#items-table", VirtualTable)
        await wait_for(pilot, lambda: items.row_count > 5 and items.row(1) is not None)
        await pilot.press("down")
        await wait_for(pilot, lambda: items.cursor_row == 1)
        row = items.current
        app.screen.query_one("#items").action_item_rename()
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt) and app.screen.is_mounted)
        app.screen.query_one("#prompt-input").value = "zzz_moved_to_the_end"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen))
        await wait_for(pilot, lambda: items.current is not None and items.current["displayName"] == "zzz_moved_to_the_end")
        assert items.current["id"] == row["id"] and items.cursor_row == items.row_count - 1
        # ctrl+r (refresh) keeps it too
        await pilot.press("ctrl+r")
        await until_idle(pilot)
        await wait_for(pilot, lambda: items.current is not None and items.current["id"] == row["id"])
