"""Issue 13: the command palette holds every action of the current screen (the footer's and those
only in ``?``) and every area, on every area screen and in a workspace's panes."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from loom_tui.app import LoomApp
from loom_tui.areas import AREAS
from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen

from .helpers import until_idle, wait_for, wait_ready


def help_keys(screen) -> set[str]:
    """The descriptions ``?`` lists for ``screen`` (enabled, described, not an area switch)."""
    out = set()
    for active in screen.active_bindings.values():
        b = active.binding
        if b.description and active.enabled and not b.action.startswith("area(") and b.action != "command_palette":
            out.add(b.description)
    return out


def palette_labels(app) -> list[str]:
    options = app.screen.query_one(CommandList)
    return [str(getattr(options.get_option_at_index(i).prompt, "plain", options.get_option_at_index(i).prompt))
            for i in range(options.option_count)]


async def palette_for(pilot, query: str = "") -> list[str]:
    """Open the palette, type ``query``, and the labels it lists once the list settles."""
    app = pilot.app
    await pilot.press("colon")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    for ch in query:
        await pilot.press(ch)
    last: list[str] = []
    stable = 0
    while stable < 4:  # the providers answer asynchronously: wait for the list to stop changing
        await until_idle(pilot)
        now = palette_labels(app)
        stable = stable + 1 if now == last and now else 0
        last = now
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))
    return last


def missing(labels: list[str], wanted: set[str]) -> set[str]:
    return {w for w in wanted if not any(label.startswith(w) for label in labels)}


async def test_every_area_screen_has_every_key_and_every_area_in_the_palette():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        for area in AREAS:
            await pilot.press(area.key)
            await wait_for(pilot, lambda: getattr(app.screen, "AREA", "") == area.label and app.screen.is_mounted)
            screen = app.screen
            await until_idle(pilot)
            wanted = help_keys(screen)
            assert len(wanted) >= 3, (area.label, wanted)
            labels = await palette_for(pilot)
            assert missing(labels, wanted) == set(), area.label
            assert missing(labels, {f"Go to {a.label}" for a in AREAS}) == set(), area.label


async def test_palette_finds_new_notif_sort_delete_on_workspaces():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        for query, label in (("new", "New"), ("notif", "Bell"), ("sort", "Sort"), ("delete", "Delete")):
            labels = await palette_for(pilot, query)
            assert any(label in x for x in labels), (query, labels)


async def test_the_panes_of_a_workspace_are_in_the_palette():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen) and app.screen.role_known)
        detail = app.screen
        for pane in ("i", "m"):
            await pilot.press(pane)
            await until_idle(pilot)
            wanted = help_keys(detail)
            labels = await palette_for(pilot)
            assert missing(labels, wanted) == set(), pane
            assert wanted & {"New item", "Add member"}
