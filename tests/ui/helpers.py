"""Helpers for driving the app with Pilot."""

from __future__ import annotations

import asyncio

from loom_tui.widgets.virtual_table import VirtualTable


async def wait_for(pilot, predicate, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


async def wait_ready(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: getattr(app, "context_is_ready", False) and app.screen.query(VirtualTable))
    table = app.screen.query_one(VirtualTable)
    await wait_for(pilot, lambda: table.row_count > 0 and table.row(0) is not None)


def screen_text(app) -> str:
    """What the screen shows, as plain text (the compositor's strips)."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def run_palette(pilot, command: str) -> None:
    """Open the command palette with ``:``, type ``command`` and run the top match."""
    await pilot.press("colon")
    await pilot.pause(0.2)
    for ch in command:
        await pilot.press("space" if ch == " " else ch)
    await pilot.pause(0.4)
    await pilot.press("enter")


async def create_demo_store() -> None:
    """Open the local profile once, writable: read-only mode never creates the demo store."""
    from loom_tui.config import Profile
    from loom_tui.services.context import open_context

    ctx = await open_context(Profile())
    await ctx.close()


async def pick_sort(pilot, label: str) -> None:
    """``s``, then the sort picker's option that starts with ``label`` (the current one again reverses)."""
    from textual.widgets import OptionList

    from loom_tui.screens.sort_picker import SortPicker

    app = pilot.app
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(app.screen, SortPicker) and app.screen.is_mounted)
    picker = app.screen
    index = next(i for i, (text, _) in enumerate(picker.choices) if text.startswith(label))
    picker.query_one(OptionList).highlighted = index
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen is not picker)
