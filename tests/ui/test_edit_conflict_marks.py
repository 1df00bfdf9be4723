"""Issue 13: the edit-conflict dialog marks which fields the other person changed (against the
version the operator opened), in words — not by colour alone."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from loom_tui.app import LoomApp
from loom_tui.screens.modals.edit_conflict import EditConflictDialog, changed_by
from loom_tui.screens.workspaces.form import WorkspaceForm
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import screen_text, until_idle, wait_for, wait_ready

BASE = {"name": "Sales", "description": "old", "capacity": "F8", "domain": "sales", "updatedAt": "2026-11-01T00:00:00Z"}
MINE = {**BASE, "description": "mine"}
THEIRS = {**BASE, "domain": "finance", "capacity": "F16", "updatedAt": "2026-11-26T10:00:00Z"}


def test_who_changed_what():
    assert changed_by("domain", BASE, MINE, THEIRS) == "them"
    assert changed_by("description", BASE, MINE, THEIRS) == "you"
    assert changed_by("name", BASE, MINE, THEIRS) == ""
    assert changed_by("x", {"x": 1}, {"x": 2}, {"x": 3}) == "both"
    assert changed_by("x", {"x": 1}, {"x": 2}, {"x": 2}) == "both, same value"
    assert changed_by("domain", None, MINE, THEIRS) == "differs"


async def test_the_dialog_names_the_fields_the_other_person_changed():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        row = app.screen.query_one(VirtualTable).current
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm) and app.screen.is_mounted)
        current = await app.ctx.workspaces.get(row["id"])
        await app.ctx.workspaces.update(row["id"], {"capacity": "F16"}, etag=current.etag)  # someone else
        app.screen.query_one("#f-description", Input).value = "mine now"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, EditConflictDialog) and app.screen.is_mounted)
        marks = app.screen.marks
        assert marks["capacity"] == "them" and marks["description"] == "you" and marks["name"] == ""
        text = screen_text(app)
        assert "changed by" in text and "they changed it since you opened it" in text
        await pilot.press("escape")


@pytest.mark.demo_today("2026-11-26")
@pytest.mark.parametrize("size", [(80, 24)])
def test_snapshot_edit_conflict(snap_compare, monkeypatch, size):

    async def ready(pilot):
        await wait_ready(pilot)
        pilot.app.clear_notifications()
        await pilot.app.push_screen(EditConflictDialog(MINE, THEIRS, base=BASE))
        await until_idle(pilot)

    assert snap_compare(LoomApp(), terminal_size=size, run_before=ready)
