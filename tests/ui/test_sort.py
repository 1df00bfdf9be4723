"""Issue 13: sort by any column with one key (a picker listing the columns; the same column again
reverses), the sort column marked ▲ / ▼ in the table header and spelled out in the status line —
on Workspaces, Items and Members (Capacity: tests/ui/test_capacity.py)."""

from __future__ import annotations

import pytest

from loom_tui.app import LoomApp
from loom_tui.screens.workspaces.members import ROLE_ORDER
from loom_tui.screens.modals.sort_picker import picked
from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import pick_sort, screen_text, until_idle, wait_for, wait_ready


def rows(table: VirtualTable) -> list[dict]:
    return [table.row(i) for i in range(table.row_count)]


def test_picking_the_same_column_reverses_another_starts_in_its_natural_direction():
    assert picked("name", False, "name") == ("name", True)
    assert picked("name", True, "name") == ("name", False)
    assert picked("name", False, "updatedAt", ("updatedAt",)) == ("updatedAt", True)
    assert picked("updatedAt", True, "name", ("updatedAt",)) == ("name", False)


async def test_workspaces_sort_by_domain_both_ways_shown_in_the_header():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        table = app.screen.query_one(VirtualTable)
        await pick_sort(pilot, "domain")
        await wait_for(pilot, lambda: "sort: domain ▲ ascending" in screen_text(app) and all(rows(table)))
        domains = [r.get("domain") or "" for r in rows(table)]
        assert domains == sorted(domains) and len(set(domains)) > 2
        assert "Domain ▲" in screen_text(app)
        await pick_sort(pilot, "domain")
        await wait_for(pilot, lambda: "sort: domain ▼ descending" in screen_text(app) and all(rows(table)))
        assert [r.get("domain") or "" for r in rows(table)] == sorted(domains, reverse=True)
        assert "Domain ▼" in screen_text(app)
        await pick_sort(pilot, "state")  # a column the old cycle never offered
        await wait_for(pilot, lambda: "sort: state ▲ ascending" in screen_text(app))


async def test_items_and_members_sort_by_any_column():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen) and app.screen.role_known)
        items = app.screen.query_one("#items-table", VirtualTable)
        await wait_for(pilot, lambda: items.row_count > 5 and items.row(0) is not None)
        await pick_sort(pilot, "type")
        await wait_for(pilot, lambda: "sort: type ▲ ascending" in screen_text(app) and items.row(0) is not None)
        await wait_for(pilot, lambda: all(items.row(i) for i in range(min(items.row_count, 20))))
        first = [(items.row(i)["itemType"], items.row(i)["displayName"]) for i in range(min(items.row_count, 20))]
        assert first == sorted(first)
        assert "Type ▲" in screen_text(app)

        await pilot.press("m")
        members = app.screen.query_one("#members-table", VirtualTable)
        await wait_for(pilot, lambda: members.row_count > 1 and members.row(0) is not None)
        await pick_sort(pilot, "role")
        await wait_for(pilot, lambda: "sort: role ▲ ascending" in screen_text(app))
        ranks = [ROLE_ORDER[r["role"]] for r in rows(members)]
        assert ranks == sorted(ranks)
        await pick_sort(pilot, "role")
        await wait_for(pilot, lambda: "sort: role ▼ descending" in screen_text(app) and "Role ▼" in screen_text(app))
        assert [ROLE_ORDER[r["role"]] for r in rows(members)] == sorted(ranks, reverse=True)


@pytest.mark.demo_today("2026-11-26")
def test_snapshot_sort_picker(snap_compare, monkeypatch):

    async def ready(pilot):
        await wait_ready(pilot)
        pilot.app.clear_notifications()
        await pilot.press("s")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "SortPicker" and pilot.app.screen.is_mounted)
        await until_idle(pilot)

    assert snap_compare(LoomApp(), terminal_size=(80, 24), run_before=ready)
