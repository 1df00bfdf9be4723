"""The doctor's checks inside the console, from the command palette."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.screens.doctor import DoctorScreen

from .helpers import run_palette, screen_text, wait_for, wait_ready


async def test_palette_runs_the_doctor_and_shows_each_check_in_words():
    app = LoomApp()
    async with app.run_test(size=(100, 50)) as pilot:
        await wait_ready(pilot)
        await run_palette(pilot, "Doctor")
        await wait_for(pilot, lambda: isinstance(app.screen, DoctorScreen))
        await wait_for(pilot, lambda: "failure(s) in" in screen_text(app), timeout=20)
        text = screen_text(app)
        assert "OK    config: profile" in text
        assert "files: data dir" in text
        assert "data: workspace tid backfill" in text  # the demo tenant admin: nothing to backfill
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, DoctorScreen))


async def test_inside_the_console_the_doctor_knows_the_terminal_size():
    """Issue 13: the console's doctor must not warn "output is not a terminal" — it runs inside
    one, and reports the console's own size."""
    app = LoomApp()
    async with app.run_test(size=(100, 50)) as pilot:
        await wait_ready(pilot)
        await run_palette(pilot, "Doctor")
        await wait_for(pilot, lambda: isinstance(app.screen, DoctorScreen))
        await wait_for(pilot, lambda: "failure(s) in" in screen_text(app), timeout=20)
        text = screen_text(app)
        assert "not a terminal" not in text
        assert "OK    terminal: size  100x50" in text
