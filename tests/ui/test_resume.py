"""After an SSH drop: the place and the unsaved form input are saved, and offered back on start."""

from __future__ import annotations

from loom_tui import resume
from loom_tui.app import LoomApp
from loom_tui.field_ready import ResumeOffer
from loom_tui.screens.workspace_form import WorkspaceForm

from .helpers import wait_for, wait_ready


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_unsaved_new_workspace_input_survives_a_drop():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        await type_text(pilot, "half typed")
        app.save_resume_state()  # what the terminal guard does on SIGHUP
    saved = resume.load()
    assert saved.area == "workspaces" and saved.screen == "WorkspaceForm"
    assert saved.form["name"] == "half typed"

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeOffer))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        assert app.screen.query_one("#f-name").value == "half typed"
        assert app.screen.current is None  # a new workspace, not an edit
    assert resume.load() is None  # offered once


async def test_saying_no_starts_fresh_and_forgets_the_state():
    resume.save(resume.ResumeState(area="usage", screen="UsageScreen", reason="SIGHUP"))
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeOffer))
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ResumeOffer))
        assert app.current_mode == "workspaces"
    assert resume.load() is None
