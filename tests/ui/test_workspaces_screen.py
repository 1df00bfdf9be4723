"""The Workspaces area driven with Pilot, as an operator would with a keyboard."""

from __future__ import annotations

import pytest

from loom_tui.app import LoomApp
from loom_tui.screens.modals.edit_conflict import EditConflictDialog
from loom_tui.screens.workspaces.form import WorkspaceForm
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.widgets.confirm import TypeToConfirm
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import pick_sort, screen_text, until_idle, wait_for, wait_ready


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch.isalnum() else {" ": "space", "[": "left_square_bracket", "]": "right_square_bracket", "/": "slash", "-": "minus"}.get(ch, ch))


def table(app) -> VirtualTable:
    return app.screen.query_one(VirtualTable)


async def test_search_narrows_the_list_as_you_type():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "risk")
        await wait_for(pilot, lambda: "search: risk" in screen_text(app))
        await wait_for(pilot, lambda: table(app).row(0) is not None)
        n = table(app).row_count
        assert 0 < n < 40
        assert all("risk" in (table(app).row(i)["name"] + table(app).row(i)["description"]).lower() for i in range(n))
        await pilot.press("escape")
        await wait_for(pilot, lambda: table(app).row_count == 40)


async def test_sort_and_filter_keys_change_the_query():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await pick_sort(pilot, "name")  # name a-z
        await wait_for(pilot, lambda: "sort: name ▲ ascending" in screen_text(app) and table(app).row(0) is not None)
        names = [table(app).row(i)["name"].lower() for i in range(10)]
        assert names == sorted(names)
        await pilot.press("f")  # capacity: none
        await wait_for(pilot, lambda: "capacity: none" in screen_text(app) and table(app).row(0) is not None)
        assert all(not table(app).row(i).get("capacity") for i in range(table(app).row_count))
        await pilot.press("m")
        await wait_for(pilot, lambda: "owner: me" in screen_text(app))


async def test_create_with_bad_then_good_input():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        await pilot.press("ctrl+s")  # empty name
        await wait_for(pilot, lambda: "is required" in screen_text(app))
        assert await app.ctx.workspaces.count() == 40
        await type_text(pilot, "[bold]Ops[/] space")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, WorkspaceForm))
        await wait_for(pilot, lambda: table(app).row_count == 41)
        page = await app.ctx.workspaces.page()
        assert any(w.name == "[bold]Ops[/] space" for w in page.items)


async def test_markup_and_escapes_in_names_render_literally_at_80x24():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await app.ctx.workspaces.create(WorkspaceInput(name="[red]x[/red] [link=http://e]y 数据🚀", description="\u202eevil [/]"))
        await pilot.press("ctrl+r")
        await pick_sort(pilot, "name")  # sort by name (binary, as Cosmos DB sorts strings): "[" comes after every capital
        await pick_sort(pilot, "name")  # again: z-a; the demo names all start with a capital, so "[" comes first
        await wait_for(pilot, lambda: table(app).row(0) is not None and table(app).row(0)["name"].startswith("[red]"))
        await wait_for(pilot, lambda: "› [red]x[/r…y 数据🚀" in screen_text(app))  # literal, cut in the middle at 80 columns


async def test_delete_needs_the_typed_name_and_enter_on_empty_cancels():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        victim = table(app).row(0)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, TypeToConfirm))
        assert app.focused.id == "typed"  # focus starts in the name field (issue 24 item 15)
        await pilot.press("enter")  # on an empty field: Cancel
        await wait_for(pilot, lambda: not isinstance(app.screen, TypeToConfirm))
        assert await app.ctx.workspaces.count() == 40
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, TypeToConfirm))
        app.screen.query_one("#typed").value = victim["name"]
        app.screen.query_one("#typed").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: table(app).row_count == 39)
        assert "deleted workspace" in screen_text(app)


async def test_concurrent_edit_shows_both_versions_and_reload_keeps_theirs():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        row = table(app).row(0)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        # someone else saves first
        current = await app.ctx.workspaces.get(row["id"])
        await app.ctx.workspaces.update(row["id"], {"description": "theirs"}, etag=current.etag)
        form = app.screen
        form.query_one("#f-description").value = "mine"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, EditConflictDialog))
        text = screen_text(app)
        assert "mine" in text and "theirs" in text
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        assert app.screen.query_one("#f-description").value == "theirs"
        assert (await app.ctx.workspaces.get(row["id"])).description == "theirs"


@pytest.mark.demo_today("2026-11-26")
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_workspaces(snap_compare, monkeypatch, size):

    async def ready(pilot):
        await wait_ready(pilot)
        pilot.app.clear_notifications()  # the one-time "seeded the demo tenant" toast
        await until_idle(pilot)

    assert snap_compare(LoomApp(), terminal_size=size, run_before=ready)


async def test_form_checks_capacity_and_domain_and_offers_a_new_domain():
    """Capacity a real SKU, domain one of the tenant's unless 'New domain' is ticked; each message
    under its field names it as the form does and goes when the field is typed in again."""
    from textual.widgets import Checkbox, Input, Static

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm) and app.screen.is_mounted)
        form = app.screen
        form.query_one("#f-name", Input).value = "Checked space"
        form.query_one("#f-capacity", Input).value = "lol"
        form.query_one("#f-domain", Input).value = "Bad Domain!!"
        await pilot.press("ctrl+s")
        error = lambda key: str(form.query_one(f"#e-{key}", Static).render())  # noqa: E731
        await wait_for(pilot, lambda: error("capacity").startswith("Capacity 'lol' is not a capacity SKU"))
        form.query_one("#f-capacity", Input).value = "f64"
        await wait_for(pilot, lambda: error("capacity") == "")  # cleared as the field is corrected
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: error("domain").startswith("Domain 'Bad Domain!!' is not one of this tenant's domains"))
        form.query_one("#f-domain", Input).value = "logistics"
        form.query_one("#f-new-domain", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, WorkspaceForm))
        page = await app.ctx.workspaces.page()
        made = next(w for w in page.items if w.name == "Checked space")
        assert made.capacity == "F64" and made.domain == "logistics"
        assert "logistics" in await app.ctx.workspaces.domains()


async def test_the_cursor_goes_to_the_workspace_just_created():
    """Issue 24 item 19: after n, the new workspace is the current row wherever the sort put it."""
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pick_sort(pilot, "name")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        await type_text(pilot, "Mmm new one")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, WorkspaceForm))
        await wait_for(pilot, lambda: (table(app).current or {}).get("name") == "Mmm new one")
        assert table(app).cursor_row > 0
