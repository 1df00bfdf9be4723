"""Marks and bulk actions (issue 24, beyond the anchors; k9s's space): space marks rows, p / u then
pause or resume every marked one that can be, after one confirmation that lists them; esc clears
the marks."""

from __future__ import annotations

from loom_tui.app import LoomApp

from .helpers import screen_text, until_idle, wait_for
from .test_capacity import names, open_capacity


async def test_space_marks_and_p_pauses_every_marked_running_capacity():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        await pilot.press("slash", *"fccsaloom", "enter")
        await wait_for(pilot, lambda: names(screen) and all(n.startswith("fccsaloom") for n in names(screen)))
        running = [r.name for r in screen.rows if r.is_running]
        assert len(running) >= 2
        # mark the first two running ones (space moves the cursor down, as in k9s)
        table = screen.query_one("VirtualTable")
        for name in running[:2]:
            table.cursor_row = names(screen).index(name)
            await wait_for(pilot, lambda: screen.current is not None and screen.current.name == name)
            await pilot.press("space")
        await wait_for(pilot, lambda: "2 marked" in screen_text(app))
        assert "✓ " + running[0] in screen_text(app)
        await pilot.press("p")
        await wait_for(pilot, lambda: "Pause 2 marked resource(s)?" in screen_text(app))
        assert running[0] in screen_text(app) and running[1] in screen_text(app)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: "paused 2 marked resource(s)" in screen_text(app), timeout=60)
        inv = await app.ctx.capacity.inventory()
        assert inv.find(running[0]).is_paused and inv.find(running[1]).is_paused
        assert not screen.marked


async def test_esc_clears_the_marks_and_nothing_is_acted_on():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        await pilot.press("space", "space")
        await wait_for(pilot, lambda: "2 marked" in screen_text(app))
        await pilot.press("escape")
        await until_idle(pilot)
        assert not screen.marked and "marked" not in screen_text(app)
