"""Issue 13, text at 80 columns: names are cut in the middle (the distinguishing tail kept) and two
rows never look identical because both were cut; the form's title stays visible at 80x24."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from loom_tui.app import LoomApp
from loom_tui.screens.workspaces.form import WorkspaceForm
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.widgets.virtual_table import VirtualTable, distinct_cuts, fit

from .helpers import pick_sort, screen_text, until_idle, wait_for, wait_ready


def test_middle_cut_keeps_the_tail():
    assert fit("Claims Analytics 12", 17, cut="middle") == "Claims A…ytics 12"
    assert fit("Claims Analytics 12", 17) == "Claims Analytics…"
    assert fit("short", 17, cut="middle") == "short" + " " * 12


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab -1", min_size=1, max_size=40).map(str.strip).filter(bool), min_size=2, max_size=12,
                unique=True),  # names are stripped when saved: trailing blanks never tell two apart
       st.integers(min_value=5, max_value=30))
def test_different_names_never_show_the_same(texts, width):
    shown = distinct_cuts(texts, width)
    assert all(len(s) == width for s in shown)
    assert len(set(shown)) == len(texts), list(zip(texts, shown))


async def test_no_two_rows_look_the_same_at_80_columns():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        for n in (1, 2, 3):  # names that differ only in the middle: a head-and-tail cut alone is not enough
            await app.ctx.workspaces.create(WorkspaceInput(name=f"Claims Analytics Platform {n} Northwind Europe"))
        await pick_sort(pilot, "name")
        table = app.screen.query_one(VirtualTable)
        await wait_for(pilot, lambda: table.sorted_by == ("name", False) and table.row(0) is not None)
        # scroll to the Claims rows
        index = next(i for i in range(table.row_count) if table.row(i)["name"].startswith("Claims Analytics Platform"))
        table.cursor_row = index
        await until_idle(pilot)
        lines = [line for line in screen_text(app).splitlines() if line[:2] in ("  ", "› ")][1:]  # rows (header dropped)
        width = table._widths[0]  # noqa: SLF001
        shown = [line[2:2 + width] for line in lines if line[2:2 + width].strip()]
        assert sum("Northw" in s for s in shown) == 3, shown
        assert len(shown) == len(set(shown)), shown


async def test_the_form_title_stays_visible_at_80x24():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm) and app.screen.is_mounted)
        app.screen.query_one("#f-capacity", Input).value = "lol"
        await pilot.press("ctrl+s")  # every field gets its message
        await wait_for(pilot, lambda: "is required" in screen_text(app))
        app.screen.set_focus(app.screen.query_one("#f-domain", Input))
        await until_idle(pilot)
        assert "New workspace" in screen_text(app)
