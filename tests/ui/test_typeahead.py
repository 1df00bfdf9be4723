"""Keys delivered in one burst (a slow SSH link) land where they were aimed, in order: across Tab,
and across a dialog that is still opening or closing."""

from __future__ import annotations

from textual import events

from loom_tui.app import LoomApp
from loom_tui.screens.workspaces.form import WorkspaceForm
from loom_tui.screens.workspaces.screen import WorkspacesScreen

from .helpers import wait_for, wait_ready


def burst(app, *keys: str) -> None:
    """Queue every key at once, as a terminal does when a burst arrives: no waiting between them."""
    for key in keys:
        char = key if len(key) == 1 else {"space": " "}.get(key)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)  # noqa: SLF001 - what the terminal driver does


def chars(text: str) -> list[str]:
    return [{" ": "space"}.get(c, c) for c in text]


async def test_a_burst_across_tab_lands_in_each_field_in_order():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        burst(app, "n", *chars("Burst"), "tab", *chars("descr"), "tab", *chars("F2"), "tab", *chars("hr"))
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        form = app.screen
        await wait_for(pilot, lambda: form.is_mounted and form.values()["domain"] == "hr")
        assert form.values() == {"name": "Burst", "description": "descr", "capacity": "F2", "domain": "hr"}


async def test_keys_typed_while_the_form_closes_reach_the_list():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        # esc on an empty form closes it at once; the "/" and the search text that follow must
        # reach the list's search box, enter keeps the search, and a second form gets its own keys
        burst(app, "escape", "slash", *chars("risk"), "enter", "n", *chars("Next"))
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm) and app.screen.is_mounted
                       and app.screen.values()["name"] == "Next")
        lists = [s for s in app.screen_stack if isinstance(s, WorkspacesScreen)]
        assert lists and "risk" in screen_text_of(lists[0])


def screen_text_of(screen) -> str:
    strips = screen._compositor.render_strips()  # noqa: SLF001
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def test_a_row_key_right_after_a_save_acts_on_the_row_while_the_list_refreshes():
    """Keys typed after ctrl+s wait for the save (they were aimed at the list, not at the form's
    fields), and a key that lands while the list refreshes ("p" to pin) finds the row the cursor is
    on — the table keeps the rows it had until the new ones are read."""
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        screen = app.screen
        target = screen.query_one("VirtualTable").current["id"]
        burst(app, "e", "tab", *chars("x"), "ctrl+s", "p")
        await wait_for(pilot, lambda: target in getattr(screen, "pins", ()), timeout=10)
        assert "no workspace selected" not in screen_text_of(screen)


async def test_keys_after_a_search_act_on_the_filtered_rows():
    """Issue 24 item 1: ``/risk`` Enter Down Down Enter in one burst opens a row of the filtered
    list — the keys after the search's Enter wait for the filtered rows (``holds_keys``)."""
    from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        burst(app, "slash", *chars("risk"), "enter", "down", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen))
        assert "risk" in app.screen.workspace_name.lower()


async def test_delete_right_after_a_search_offers_a_filtered_row():
    from loom_tui.widgets.confirm import TypeToConfirm

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        burst(app, "slash", *chars("risk"), "enter", "d")
        await wait_for(pilot, lambda: isinstance(app.screen, TypeToConfirm))
        assert "risk" in app.screen.target.lower()


async def test_the_delete_dialog_takes_the_name_typed_in_one_burst_and_enter_on_empty_cancels():
    """Issue 24 item 15: focus starts in the name field (typing the name is not swallowed), the
    placeholder is a hint rather than the name, and enter on an empty field is Cancel."""
    from textual.widgets import Input

    from loom_tui.widgets.confirm import TypeToConfirm

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        table = app.screen.query_one("VirtualTable")
        row = table.current
        await wait_for(pilot, lambda: row["id"] in app.screen.row_allowed)
        burst(app, "d", *chars(row["name"]))
        await wait_for(pilot, lambda: isinstance(app.screen, TypeToConfirm)
                       and app.screen.query_one("#typed", Input).value == row["name"])
        field = app.screen.query_one("#typed", Input)
        assert row["name"] not in field.placeholder
        field.value = ""
        burst(app, "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, TypeToConfirm))
        assert await app.ctx.workspaces.get(row["id"])  # cancelled: nothing deleted
