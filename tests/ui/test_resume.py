"""After an SSH drop: the place and the unsaved form input are saved, and offered back on start."""

from __future__ import annotations

from loom_tui.shell import resume
from loom_tui.app import LoomApp
from loom_tui.shell.field_ready import ResumeOffer
from loom_tui.screens.workspaces.form import WorkspaceForm

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


async def _open_first_workspace(pilot):
    from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen
    from loom_tui.widgets.virtual_table import VirtualTable

    app = pilot.app
    await wait_ready(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen))
    detail = app.screen
    table = detail.query_one("#items-table", VirtualTable)
    await wait_for(pilot, lambda: table.row_count > 0 and table.row(0) is not None and detail.role_known)
    return detail, table


async def test_a_rename_prompt_and_what_was_typed_in_it_survive_a_drop():
    from loom_tui.screens.modals.prompt import TextPrompt

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        detail, table = await _open_first_workspace(pilot)
        item = table.current
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt) and app.screen.is_mounted)
        prompt = app.screen
        prompt.query_one("#prompt-input").value = "half renamed"
        app.save_resume_state()  # what the terminal guard does on SIGHUP
    saved = resume.load()
    assert saved.form["prompt"] == "item.rename" and saved.form["item_id"] == item["id"]
    assert saved.form["text"] == "half renamed" and saved.form["workspace_id"] == detail.workspace_id
    assert "the Rename item form in Workspaces" in resume.describe(saved, "Workspaces")
    assert "1 field filled" in resume.describe(saved, "Workspaces")  # what was typed, not the prompt's bookkeeping

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeOffer))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt) and app.screen.is_mounted, timeout=15)
        assert app.screen.query_one("#prompt-input").value == "half renamed"
        assert app.screen.title_text == "Rename item"
        await pilot.press("enter")  # and it still renames that item
        await wait_for(pilot, lambda: not isinstance(app.screen, TextPrompt))
        renamed = await app.ctx.items.get(saved.form["workspace_id"], item["id"])
        assert renamed.display_name == "half renamed"
    assert resume.load() is None


async def test_an_add_member_prompt_and_a_comment_draft_survive_a_drop():
    from loom_tui.screens.modals.prompt import ChoicePrompt, TextPrompt

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        detail, _ = await _open_first_workspace(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: detail.pane == "members")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt) and app.screen.is_mounted)
        await pilot.press("enter")  # the first role
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt) and app.screen.is_mounted)
        role_title = app.screen.title_text
        app.screen.query_one("#prompt-input").value = "new.person@contoso"
        app.save_resume_state()
    assert resume.load().form["prompt"] == "member.add"

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeOffer))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt) and app.screen.is_mounted, timeout=15)
        assert app.screen.title_text == role_title and app.screen.query_one("#prompt-input").value == "new.person@contoso"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TextPrompt))
        detail = app.screen
        assert detail.pane == "members"
        # a comment being typed on the comments pane
        detail.query_one("#comment-input").value = "half a comment"
        app.save_resume_state()
    saved = resume.load()
    assert saved.form["form"] == "detail" and saved.form["text"] == "half a comment"
    assert "a comment being typed" in resume.describe(saved, "Workspaces")

    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeOffer))
        await pilot.press("y")
        from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen

        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen) and app.screen.is_mounted, timeout=15)
        assert app.screen.query_one("#comment-input").value == "half a comment"
