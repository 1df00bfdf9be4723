"""The notifications panel: opened with b from any area, mark one / all read, the bell follows."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.screens.notifications import NotificationsPanel
from loom_tui.widgets.header import LoomHeader
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import create_demo_store, screen_text, until_idle, wait_for, wait_ready


def bell(app) -> int:
    return app.screen.query_one(LoomHeader).unread


async def test_panel_marks_one_then_all_read_and_the_bell_drops():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        unread = await app.ctx.notifications.unread_count()
        assert unread == 5  # the demo tenant's seed
        await wait_for(pilot, lambda: bell(app) == 5)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, NotificationsPanel))
        panel = app.screen
        table = panel.query_one(VirtualTable)
        await wait_for(pilot, lambda: "5 unread" in screen_text(app) and table.row(0) is not None)
        assert table.row(0)["read"] is False and "unread" in screen_text(app)
        await pilot.press("m")  # mark read (r refreshes, as on every screen)
        await wait_for(pilot, lambda: "4 unread" in screen_text(app))
        assert await app.ctx.notifications.unread_count() == 4
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, NotificationsPanel))
        await wait_for(pilot, lambda: bell(app) == 4)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, NotificationsPanel))
        await pilot.press("a")
        await wait_for(pilot, lambda: "0 unread" in screen_text(app))
        await pilot.press("b")  # b closes it again
        await wait_for(pilot, lambda: not isinstance(app.screen, NotificationsPanel))
        await wait_for(pilot, lambda: bell(app) == 0)


async def test_bell_key_works_from_another_area_and_read_only_cannot_mark():
    await create_demo_store()
    app = LoomApp(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("3")  # Usage
        await until_idle(pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, NotificationsPanel))
        await wait_for(pilot, lambda: "5 unread" in screen_text(app))
        assert not app.screen.check_action("mark_read", ()) and not app.screen.check_action("mark_all", ())
        await pilot.press("a", "m")
        await until_idle(pilot)
        assert await app.ctx.notifications.unread_count() == 5


async def test_notification_text_is_literal():
    app = LoomApp()
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_ready(pilot)
        await app.ctx.scoped.notify(app.ctx.session.user_oid, {
            "id": "evil", "title": "[bold]x[/] \x1b]52;c;aGk=\x07", "body": "\u202e数据🚀 [link=http://e]y[/link]",
            "severity": "info", "read": False, "createdAt": "2099-01-01T00:00:00.000Z",
        })
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, NotificationsPanel))
        await wait_for(pilot, lambda: "[bold]x[/]" in screen_text(app))
        text = screen_text(app)
        assert "\x1b" not in text and "\\x1b" in text and "[link=http://e]y[/link]" in text


async def test_enter_opens_what_the_notification_is_about_and_marks_it_read():
    from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen
    from loom_tui.services.workspaces.items import ItemInput
    from loom_tui.services.workspaces.service import WorkspaceInput

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        ws = await app.ctx.workspaces.create(WorkspaceInput(name="Mentioned here"))
        item = await app.ctx.items.create(ws.id, ItemInput("notebook", "talked_about"))
        await app.ctx.scoped.notify(app.ctx.session.user_oid, {
            "id": "note-about-item", "title": "You were mentioned", "body": "on talked_about", "severity": "info",
            "link": f"/workspaces/{ws.id}/items/{item.id}", "read": False, "createdAt": "2999-01-01T00:00:00.000Z"})
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, NotificationsPanel))
        table = app.screen.query_one(VirtualTable)
        await wait_for(pilot, lambda: table.row(0) is not None and table.row(0)["id"] == "note-about-item")
        assert "enter open (and mark read)" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen) and app.screen.pane == "comments")
        detail = app.screen
        assert detail.workspace_id == ws.id
        await wait_for(pilot, lambda: detail.selected_item is not None and detail.selected_item["id"] == item.id)
        note = await app.ctx.scoped.user_get("notifications", "note-about-item")
        assert note["read"] is True
        # a demo notification points to its workspace: enter opens it
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, WorkspaceDetailScreen))
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, NotificationsPanel))
        table = app.screen.query_one(VirtualTable)
        await wait_for(pilot, lambda: table.row(1) is not None)
        demo_note = next(table.row(i) for i in range(table.row_count) if (table.row(i).get("link") or "").startswith("/workspaces/"))
        table.cursor_row = next(i for i in range(table.row_count) if table.row(i)["id"] == demo_note["id"])
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen))
        assert app.screen.workspace_id == demo_note["link"].split("/")[2]


def test_links_name_places_loom_can_open():
    from loom_tui.domain.links import Target, target_of

    assert target_of("/workspaces/w1") == Target("workspaces", "w1")
    assert target_of("/workspaces/w1/items/i9") == Target("workspaces", "w1", "i9")
    assert target_of("/admin/capacity") == Target("capacity")
    assert target_of("/cost/budgets") == Target("cost")
    assert target_of(None) is None and target_of("https://evil.example/") is None and target_of("/nowhere") is None
