"""Issue 13: the resume offer survives a second drop and says what it brings back; the "too small"
message follows each resize; esc on a half-filled form asks first."""

from __future__ import annotations

from textual.widgets import Static

from loom_tui.shell import resume
from loom_tui.app import LoomApp
from loom_tui.shell.field_ready import ResumeOffer, TooSmall
from loom_tui.screens.modals.prompt import ChoicePrompt
from loom_tui.domain.workspace import Workspace
from loom_tui.screens.workspaces.form import WorkspaceForm

from .helpers import screen_text, until_idle, wait_for, wait_ready


def _saved_form() -> resume.ResumeState:
    return resume.ResumeState(area="workspaces", screen="WorkspaceForm", reason="SIGHUP",
                              form={"form": "workspace", "title": "New workspace", "workspace_id": "",
                                    "name": "Half", "description": "typed", "capacity": "F2", "domain": ""})


async def test_a_second_drop_while_the_offer_is_on_screen_keeps_the_saved_form():
    resume.save(_saved_form())
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeOffer))
        assert resume.load() is not None  # not cleared before it was answered
        app.save_resume_state()  # the terminal goes away again, offer still on screen
    kept = resume.load()
    assert kept is not None and kept.form["name"] == "Half" and kept.screen == "WorkspaceForm"

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeOffer))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm) and app.screen.is_mounted)
        assert app.screen.values()["name"] == "Half"
    assert resume.load() is None  # restored: now it is gone


async def test_the_offer_says_what_and_from_when():
    resume.save(_saved_form())
    saved_at = resume.load().saved_at
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        import time

        hhmm = time.strftime("%H:%M", time.localtime(saved_at))
        want = f"New workspace form in Workspaces, {hhmm}, 3 fields filled"

        def shown() -> str:  # the offer's text, as the dialog holds it (wrapping aside)
            return " ".join(str(app.screen.query_one("#offer", Static).content).split())

        await wait_for(pilot, lambda: isinstance(app.screen, ResumeOffer) and app.screen.is_mounted and want in shown(),
                       timeout=30)


def test_describe_counts_only_filled_fields():
    state = _saved_form()
    state.saved_at = 0
    assert resume.describe(state, "Workspaces") == "the New workspace form in Workspaces, 3 fields filled"
    assert resume.describe(resume.ResumeState(area="usage"), "Usage") == "Usage"


async def test_too_small_follows_each_resize():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.resize_terminal(70, 20)
        await wait_for(pilot, lambda: isinstance(app.screen, TooSmall) and "70×20" in screen_text(app))
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not isinstance(app.screen, TooSmall))
        await until_idle(pilot)
        assert not isinstance(app.screen, TooSmall)


async def _open_half_filled_form(pilot):
    app = pilot.app
    await wait_ready(pilot)
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm) and app.screen.is_mounted)
    await pilot.press("H", "a", "l", "f")
    await wait_for(pilot, lambda: app.screen.values()["name"] == "Half")
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))


async def test_esc_on_a_half_filled_form_asks_and_cancel_keeps_it():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_half_filled_form(pilot)
        assert "Discard your changes?" in screen_text(app)
        await pilot.press("enter")  # the focused first choice is Cancel
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        assert app.screen.values()["name"] == "Half"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("down", "enter")  # Discard
        await wait_for(pilot, lambda: not isinstance(app.screen, (ChoicePrompt, WorkspaceForm)))
        assert await app.ctx.workspaces.count() == 40


async def test_esc_on_a_form_that_opened_with_escaped_text_closes_without_asking():
    """Stored text with a control character opens escaped in the field (the field shows it
    literally); nothing typed, so esc closes at once — the comparison is with what the form showed."""
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        current = {"id": "w-escaped", "name": "Bell\x07 and \u202eevil", "description": "line\nbreak\x1b[2J"}
        app.push_screen(WorkspaceForm(app.ctx.workspaces, Workspace.from_doc(current)))
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm) and app.screen.is_mounted)
        assert app.screen.values()["name"] != current["name"]  # shown escaped, not as it is stored
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, (ChoicePrompt, WorkspaceForm)))
