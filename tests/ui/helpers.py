"""Helpers for driving the app with Pilot."""

from __future__ import annotations

import asyncio

from loom_tui.widgets.virtual_table import VirtualTable


async def wait_for(pilot, predicate, timeout: float = 30.0) -> None:
    """Wait until ``predicate()`` holds.  A widget it queries that is not mounted yet (a screen
    pushed but not composed) is "not yet", not a failure: the state waited for includes it."""
    from textual.css.query import NoMatches

    def holds() -> bool:
        try:
            return bool(predicate())
        except NoMatches:
            return False

    deadline = asyncio.get_running_loop().time() + timeout
    while not holds():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


async def wait_ready(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: getattr(app, "context_is_ready", False) and app.screen.query(VirtualTable))
    table = app.screen.query_one(VirtualTable)
    await wait_for(pilot, lambda: table.row_count > 0 and table.row(0) is not None)


async def until_idle(pilot, timeout: float = 60.0) -> None:
    """Wait until the app is idle — every worker finished (or waiting on a dialog the user must
    answer), every message handled, no animation left — so what a key led to has happened (or,
    for a refused key, never will)."""
    from textual.screen import ModalScreen

    app = pilot.app
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        await pilot.pause()
        busy = [w for w in app.workers if not w.is_finished]
        if not busy or isinstance(app.screen, ModalScreen):
            break
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"the app is still busy: {[w.name for w in busy]}")
        await pilot.pause(0.02)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def screen_text(app) -> str:
    """What the screen shows, as plain text (the compositor's strips)."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def run_palette(pilot, command: str) -> None:
    """Open the command palette with ``:``, type ``command`` and run the top match."""
    from textual.command import CommandPalette

    app = pilot.app
    await pilot.press("colon")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen.is_mounted)
    palette = app.screen
    for ch in command:
        await pilot.press("space" if ch == " " else ch)
    await wait_for(pilot, lambda: _palette_shows(palette, command))
    await pilot.press("enter")


def _palette_shows(palette, command: str) -> bool:
    """The palette has searched for exactly ``command`` (its search is a worker) and lists a match."""
    from textual.command import CommandInput, CommandList

    if palette.query_one(CommandInput).value != command:
        return False
    if any(w.group == palette._GATHER_COMMANDS_GROUP and not w.is_finished for w in palette.app.workers):  # noqa: SLF001
        return False
    return palette.query_one(CommandList).option_count > 0


async def create_demo_store() -> None:
    """Open the local profile once, writable: read-only mode never creates the demo store."""
    from loom_tui.config import Profile
    from loom_tui.wiring import open_context

    ctx = await open_context(Profile())
    await ctx.close()


async def pick_sort(pilot, label: str) -> None:
    """``s``, then the sort picker's option that starts with ``label`` (the current one again reverses)."""
    from textual.widgets import OptionList

    from loom_tui.screens.modals.sort_picker import SortPicker

    app = pilot.app
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(app.screen, SortPicker) and app.screen.is_mounted)
    picker = app.screen
    index = next(i for i, (text, _) in enumerate(picker.choices) if text.startswith(label))
    picker.query_one(OptionList).highlighted = index
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen is not picker)
