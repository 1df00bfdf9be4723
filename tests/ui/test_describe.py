"""Issue 13: the describe view — ``i`` on a workspace, ``enter`` on an item or a member: every
field in full, the raw document as JSON, literal text (markup-looking names, bidi characters
escaped), scrollable, esc closes; a snapshot at 80x24."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Static

from loom_tui.app import LoomApp
from loom_tui.screens.modals.describe import DescribeScreen
from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import pick_sort, until_idle, wait_for, wait_ready

LONG = "a description long enough to be cut in any table: " + " ".join(f"word{i}" for i in range(60)) + " THE END"


def static_text(screen, selector: str) -> str:
    rendered = screen.query_one(selector, Static).render()
    return getattr(rendered, "plain", str(rendered))


def fields_text(screen) -> str:
    table = screen.query_one("#describe-fields", Static).content  # a rich Table of Text cells
    return "\n".join(cell.plain for column in table.columns for cell in column._cells)


async def test_i_on_a_workspace_shows_every_field_in_full_and_the_json_literally():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        ws = await app.ctx.workspaces.create(WorkspaceInput(name="[red]x[/red] space", description=LONG))
        await pick_sort(pilot, "name")
        await pick_sort(pilot, "name")  # z-a: "[" sorts after the demo's capitals
        table = app.screen.query_one(VirtualTable)
        await wait_for(pilot, lambda: table.current is not None and table.current["id"] == ws.id)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and app.screen.is_mounted)
        screen = app.screen
        assert LONG in fields_text(screen)  # in full, not cut
        assert "[red]x[/red] space" in fields_text(screen)  # literal, never markup
        doc = static_text(screen, "#describe-json")
        assert f'"id": "{ws.id}"' in doc and '"name": "[red]x[/red] space"' in doc and "THE END" in doc
        body = screen.query_one("#describe-body", VerticalScroll)
        await wait_for(pilot, lambda: body.max_scroll_y > 0)  # more than 24 lines: it scrolls
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: body.scroll_y > 0)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, DescribeScreen))


async def test_enter_describes_an_item_and_a_member():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen) and app.screen.role_known)
        detail = app.screen
        items = detail.query_one("#items-table", VirtualTable)
        await wait_for(pilot, lambda: items.current is not None)
        item = items.current
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and app.screen.is_mounted)
        assert f'"id": "{item["id"]}"' in static_text(app.screen, "#describe-json")
        assert item["displayName"] in static_text(app.screen, "#describe-title")
        assert "folder (path)" in fields_text(app.screen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is detail)
        await pilot.press("m")
        members = detail.query_one("#members-table", VirtualTable)
        await wait_for(pilot, lambda: members.current is not None and members.has_focus)
        member = members.current
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and app.screen.is_mounted)
        # a legacy binding is named by its UPN, a console grant by its principal's display name
        assert (member.get("upn") or member["name"]) in static_text(app.screen, "#describe-title")
        assert f'"role": "{member["role"]}"' in static_text(app.screen, "#describe-json")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is detail)


async def test_hostile_characters_show_as_escapes():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await app.push_screen(DescribeScreen("x", {"name": "a\u202eb\x1b]52;c;QUFB\x07", "note": "[link=http://e]y"}))
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and app.screen.is_mounted)
        assert "a\\u202eb\\x1b]52;c;QUFB\\x07" in fields_text(app.screen)
        doc = static_text(app.screen, "#describe-json")
        assert "\x1b" not in doc and "\u202e" not in doc and "a\\u202eb" in doc and "[link=http://e]y" in doc


@pytest.mark.demo_today("2026-11-26")
@pytest.mark.parametrize("size", [(80, 24)])
def test_snapshot_describe(snap_compare, monkeypatch, size):
    doc = {"id": "3f0c2a9e-0000-4000-8000-000000000001", "type": "lakehouse", "displayName": "[bold]sales[/] \u202egold",
           "description": LONG, "folderId": None, "state": {"sqlEndpointFor": None}, "tags": ["a", "b"], "_etag": "\"00-11\""}

    async def ready(pilot):
        await wait_ready(pilot)
        pilot.app.clear_notifications()
        await pilot.app.push_screen(DescribeScreen("lakehouse [bold]sales[/]", doc))
        await until_idle(pilot)

    assert snap_compare(LoomApp(), terminal_size=size, run_before=ready)


async def test_enter_describes_an_audit_event_in_full():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen) and app.screen.role_known)
        detail = app.screen
        await pilot.press("a")
        audit = detail.query_one("#audit-table", VirtualTable)
        await wait_for(pilot, lambda: audit.current is not None and audit.has_focus)
        event = audit.current
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and app.screen.is_mounted)
        assert "audit event" in static_text(app.screen, "#describe-title")
        assert f'"id": "{event["id"]}"' in static_text(app.screen, "#describe-json")
        assert (event.get("summary") or "") in fields_text(app.screen)  # the summary in full, not cut
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is detail)


async def test_copied_json_escapes_c1_bidi_zero_width_and_del():
    """``y`` copies the document as JSON: the same JSON, with C1, DEL, bidi and zero-width characters
    written as \\uXXXX as ``-o json`` writes them (json.dumps leaves them raw without ensure_ascii)."""
    import json

    doc = {"name": "a\x85b\u202ec\u200bd\x7fe", "note": "é ok"}
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await app.push_screen(DescribeScreen("x", doc))
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and app.screen.is_mounted)
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(app.clipboard))
        copied = app.clipboard
        assert not any(ch in copied for ch in "\x85\u202e\u200b\x7f")
        assert "a\\u0085b\\u202ec\\u200bd\\u007fe" in copied and "é ok" in copied
        assert json.loads(copied) == doc
