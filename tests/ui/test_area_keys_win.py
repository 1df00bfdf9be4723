"""Issue 24 item 7: an area's keys win over the keys of the widgets in it.  A table's own ``g``
(first row) shadowed Cost's ``g`` (by tag) while the table had focus, which is the default."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.areas import AREAS
from loom_tui.screens.modals.prompt import TextPrompt

from .helpers import until_idle, wait_for, wait_ready
from .test_typeahead import burst


def _single_keys(node) -> set[str]:
    return {key for key in node._bindings.key_to_bindings if len(key) == 1}  # noqa: SLF001


async def test_no_area_key_is_shadowed_by_a_widget_key_on_any_screen():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        shadowed: list[str] = []
        for a in AREAS:
            await pilot.press(a.key)
            await wait_for(pilot, lambda a=a: getattr(app.screen, "AREA", "") == a.label)
            await until_idle(pilot)
            screen = app.screen
            area_keys = _single_keys(screen) | _single_keys(app)
            for widget in screen.query("*"):
                if widget.can_focus:
                    for key in sorted(_single_keys(widget) & area_keys):
                        shadowed.append(f"{a.label}: {type(widget).__name__} binds {key!r}")
        assert shadowed == []


async def test_cost_g_opens_the_tag_prompt_while_the_table_has_focus():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: getattr(app.screen, "AREA", "") == "Cost")
        await until_idle(pilot)
        assert app.focused is not None and type(app.focused).__name__ == "VirtualTable"
        burst(app, "g")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))


async def test_cost_g_offers_the_tag_keys_the_data_has_and_refuses_an_unknown_one():
    from textual.widgets import Input

    from .helpers import screen_text

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: getattr(app.screen, "AREA", "") == "Cost")
        await until_idle(pilot)
        cost = app.screen
        keys = await app.ctx.cost.tag_keys(cost.state.source)
        assert keys, "the demo's cost data carries tags"
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        prompt = app.screen
        await until_idle(pilot)
        assert keys[0] in screen_text(app)  # the keys the data has are offered
        prompt.query_one(Input).value = "noSuchTag"
        await pilot.press("enter")
        await until_idle(pilot)
        assert app.screen is prompt and "noSuchTag" in screen_text(app)  # refused, says so
        assert cost.state.by != "tag:noSuchTag"
