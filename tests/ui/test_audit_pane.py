"""The Audit pane reads on past 500 events as the cursor goes down and filters by user and action."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.screens.modals.prompt import TextPrompt
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import screen_text, wait_for, wait_ready
from .test_workspace_detail import fresh_workspace, open_detail, type_into

N = 650


async def test_audit_pane_pages_past_500_and_filters_by_user_and_action():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app, "Audit heavy")
        ref = await app.ctx.scoped.workspace(ws.id)
        audit = app.ctx.audit
        for i in range(N):
            await audit.write(ref, f"item-{i % 5}", audit.event(item_type="notebook", action="item.run" if i % 2 else "item.share",
                                                                summary=f"event {i:04d}"))
        screen = await open_detail(pilot, ws.id)
        await pilot.press("a")
        table = screen.query_one("#audit-table", VirtualTable)
        await wait_for(pilot, lambda: table.row_count == N + 1 and table.row(0) is not None)
        assert f"{N + 1} events of this workspace" in screen_text(app)
        await pilot.press("end")  # the last event, the workspace's creation, read through pages past 500
        await wait_for(pilot, lambda: table.row(N) is not None)
        assert table.row(N)["action"] == "workspace.create" and table.current["action"] == "workspace.create"
        # by action
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await type_into(pilot, "item.share")
        await wait_for(pilot, lambda: table.row_count == (N + 1) // 2 and "action item.share*" in screen_text(app))
        assert all(table.row(i)["action"] == "item.share" for i in range(5))
        # by user, on top of it: nobody by that name
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await type_into(pilot, "dana")
        await wait_for(pilot, lambda: table.row_count == 0 and "user ~ dana" in screen_text(app))
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await type_into(pilot, "OPS.ADMIN")
        await wait_for(pilot, lambda: table.row_count == (N + 1) // 2)
