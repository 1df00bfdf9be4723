"""Per-user workspace list preferences driven with Pilot: pins, list/cards view, search history,
domain filter, and role-gated edit/delete on the list."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.config import Profile
from loom_tui.domain.session import Session
from loom_tui.local.demo import DEMO_DOMAIN, DEMO_TENANT, DEMO_USERS
from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen
from loom_tui.screens.workspaces.screen import CARD_COLUMNS, COLUMNS
from loom_tui.wiring import open_context
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import pick_sort, screen_text, until_idle, wait_for, wait_ready


def table(app) -> VirtualTable:
    return app.screen.query_one(VirtualTable)


def rows(app, n: int) -> list[dict]:
    return [table(app).row(i) for i in range(n)]


async def test_pins_float_to_the_top_and_persist_across_restarts():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("end")
        await wait_for(pilot, lambda: table(app).current is not None)
        last = table(app).current
        await pilot.press("p")
        await wait_for(pilot, lambda: table(app).row(0) is not None and table(app).row(0)["id"] == last["id"])
        assert table(app).row_count == 40  # pinned rows are not counted twice
        ids = [r["id"] for r in rows(app, 20)]
        assert ids.count(last["id"]) == 1
        await wait_for(pilot, lambda: "* " + last["name"] in screen_text(app) and "1 pinned" in screen_text(app))
    app = LoomApp()  # a new run of the app, same user and store
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await wait_for(pilot, lambda: table(app).row(0)["id"] == last["id"])
        # pinned rows follow the search: a search that excludes it drops it from the top
        app.screen.query_one("#search").value = "zzz-no-match"
        await wait_for(pilot, lambda: table(app).row_count == 0)
        app.screen.query_one("#search").value = ""
        await wait_for(pilot, lambda: table(app).row_count == 40 and table(app).row(0) is not None)
        assert table(app).row(0)["id"] == last["id"]
        table(app).cursor_row = 0
        await pilot.press("p")  # unpin
        await wait_for(pilot, lambda: "unpinned" in screen_text(app))
        assert (await app.ctx.prefs.get()).pinned == ()


async def test_view_mode_toggles_and_persists():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        assert table(app).columns is COLUMNS
        await pilot.press("t")
        await wait_for(pilot, lambda: table(app).columns is CARD_COLUMNS and "Workspace" in screen_text(app))
        await wait_for(pilot, lambda: " items · " in screen_text(app))
        await wait_for(pilot, lambda: app.ctx is not None)
        for _ in range(40):
            if (await app.ctx.prefs.get()).view_mode == "tile":
                break
            await pilot.pause(0.05)
        assert (await app.ctx.prefs.get()).view_mode == "tile"
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await wait_for(pilot, lambda: table(app).columns is CARD_COLUMNS)


async def test_search_history_is_offered_with_up_and_down():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash")
        for ch in "risk":
            await pilot.press(ch)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "search: risk" in screen_text(app))
        for _ in range(40):
            if await app.ctx.prefs.recent_searches("workspaces"):
                break
            await pilot.pause(0.05)
        await pilot.press("slash")
        app.screen.query_one("#search").value = ""
        await wait_for(pilot, lambda: app.screen.query_one("#search").history == ["risk"])
        assert "↑/↓ recent" in screen_text(app)  # the box says history is there
        await pilot.press("up")
        assert app.screen.query_one("#search").value == "risk"
        await pilot.press("down")
        assert app.screen.query_one("#search").value == ""


async def test_domain_filter_cycles_the_tenant_domains():
    """The cycle follows the registry (the console's ``default`` first, which no demo workspace
    uses); the status line and the rows show the domain's name, the filter matches its id."""
    app = LoomApp()
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_ready(pilot)
        choices = await app.ctx.workspaces.domain_choices()
        assert choices[0] == ("default", "Default")
        await pilot.press("D")
        await wait_for(pilot, lambda: "domain: Default" in screen_text(app) and "0 workspaces" in screen_text(app))
        await pilot.press("D")
        fid, fname = choices[1]
        await wait_for(pilot, lambda: f"domain: {fname}" in screen_text(app) and table(app).row(0) is not None)
        assert all(table(app).row(i)["domain"] == fid for i in range(table(app).row_count))
        assert all(table(app).row(i)["domainName"] == fname for i in range(table(app).row_count))
        for _ in choices[1:]:
            await pilot.press("D")
        await wait_for(pilot, lambda: "domain:" not in screen_text(app) and table(app).row_count == 40)


def session_of(alias: str) -> Session:
    oid, name = {a: (o, n) for o, a, n in DEMO_USERS}[alias]
    return Session(tenant_id=DEMO_TENANT, user_oid=oid, upn=f"{alias}@{DEMO_DOMAIN}", display_name=name, source="test")


async def test_viewer_sees_no_edit_or_delete_on_the_list_and_enter_opens():
    admin = await open_context(Profile())
    ws = await admin.workspaces.create(WorkspaceInput(name="AAA viewer space"))  # the name sort is binary: capitals first
    await admin.members.add(ws.id, f"ravi.viewer@{DEMO_DOMAIN}", "viewer")
    await admin.close()
    app = LoomApp(context=await open_context(Profile(), session=session_of("ravi.viewer")))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pick_sort(pilot, "name")  # by name: ours first
        await wait_for(pilot, lambda: table(app).row(0) is not None and table(app).row(0)["id"] == ws.id)
        await wait_for(pilot, lambda: ws.id in app.screen.row_allowed)
        assert not app.screen.check_action("edit", ()) and not app.screen.check_action("delete", ())
        await wait_for(pilot, lambda: "Edit" not in screen_text(app) and "Delete" not in screen_text(app))
        await pilot.press("d")
        await until_idle(pilot)
        assert await app.ctx.workspaces.get(ws.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen) and app.screen.role == "viewer")
