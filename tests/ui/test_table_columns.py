"""Issue 24 item 11: a table's columns share the width by need.  At 80x24 a name column used to
get 17 cells while State and Last accessed kept spare width; now each column needs the widest of
its title and the values it has seen, the short ones (states, dates, counts) keep exactly that,
and the name-like columns get the rest — cut with … only when the rest is not enough.  Widths
only grow while scrolling (no jitter), and cell text stays literal."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen

from loom_tui.screens.workspaces.screen import COLUMNS
from loom_tui.widgets.column_widths import share
from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable, fit

from .helpers import screen_text, until_idle, wait_for


def _rows(n: int, long_at: int | None = None) -> list[dict]:
    rows = []
    for i in range(n):
        name = f"Claims Analytics {i:03}" if i != long_at else "Northwind Europe Finance Reporting Platform"
        rows.append({"id": str(i), "name": name, "domain": "Sales", "capacity": "F64", "itemCount": i % 40,
                     "state": "Active", "lastAccessedAt": "2026-11-20T09:15:00Z"})
    return rows


class TableScreen(Screen):
    def __init__(self, columns: list[Column], rows: list[dict]) -> None:
        super().__init__()
        self.columns, self.rows = columns, rows

    def compose(self) -> ComposeResult:
        yield TableHeader("t")
        yield VirtualTable(self.columns, self._fetch, id="t")

    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return self.rows[offset: offset + limit]

    def on_mount(self) -> None:
        self.query_one(VirtualTable).reset(len(self.rows))

    def on_virtual_table_columns_changed(self) -> None:  # posted while painting: the screen hears it
        self.query_one(TableHeader).refresh_header()


class TableApp(App):
    def __init__(self, columns: list[Column], rows: list[dict]) -> None:
        super().__init__()
        self.table_screen = TableScreen(columns, rows)

    def on_mount(self) -> None:
        self.push_screen(self.table_screen)


async def _table(pilot) -> VirtualTable:
    await wait_for(pilot, lambda: pilot.app.table_screen.is_mounted)
    return pilot.app.table_screen.query_one(VirtualTable)


async def _shown(pilot, table: VirtualTable) -> list[str]:
    await wait_for(pilot, lambda: table.row(table.scroll_offset.y) is not None)
    await until_idle(pilot)
    return screen_text(pilot.app).splitlines()


async def test_at_80_columns_the_name_gets_the_spare_and_nothing_short_is_cut():
    app = TableApp(COLUMNS, _rows(300))
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _table(pilot)
        lines = await _shown(pilot, table)
        name, domain, capacity, items, state, last = table._widths  # noqa: SLF001
        assert (domain, capacity, items, state, last) == (6, 8, 5, 6, 16)  # title or value, whichever is wider
        # 80 cells less the scrollbar (1), the marker (2) and 5 gaps: 72; the name gets the rest: 31, not 17
        assert name == 72 - (6 + 8 + 5 + 6 + 16) == 31
        assert lines[0].split() == ["Name", "Domain", "Capacity", "Items", "State", "Last", "accessed"]
        assert lines[1].startswith("› Claims Analytics 000 ")
        assert "Active 2026-11-20 09:15" in lines[1]  # nothing short is cut


async def test_widths_only_grow_while_scrolling():
    rows = _rows(300, long_at=250)
    rows[250]["state"] = "Provisioning failed"
    app = TableApp(COLUMNS, rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _table(pilot)
        await _shown(pilot, table)
        assert table._widths[0] == 31 and table._widths[4] == 6  # noqa: SLF001
        table.cursor_row = 250
        lines = await _shown(pilot, table)
        # State declares 11 cells: it grows to them (the longer state cut), the name gives them up
        grown = list(table._widths)  # noqa: SLF001
        assert grown[4] == 11 and grown[0] == 26
        name = fit("Northwind Europe Finance Reporting Platform", 26, cut="middle")
        assert any(line.startswith(f"› {name} ") and "Provisioni…" in line for line in lines), lines
        table.cursor_row = 0
        await _shown(pilot, table)
        assert table._widths == grown  # noqa: SLF001 - scrolling back does not change them


async def test_when_the_names_need_less_than_the_spare_nothing_is_cut():
    columns = [Column("name", "Name", 0, min_width=10), Column("state", "State", 11), Column("note", "Note", 0, min_width=8)]
    rows = [{"id": str(i), "name": f"ws {i}", "state": "Deleting", "note": "[bold]not markup[/bold] " * 2} for i in range(5)]
    app = TableApp(columns, rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _table(pilot)
        lines = await _shown(pilot, table)
        name, state, note = table._widths  # noqa: SLF001
        # no scrollbar: 80 - 2 - 2 gaps = 76; the note's 48, the name's 10, and the rest to the narrower
        assert (name, state, note) == (20, 8, 48)
        assert "[bold]not markup[/bold] [bold]not markup[/bold]" in lines[1]  # literal, whole


async def test_a_new_data_set_measures_again():
    app = TableApp(COLUMNS, [{**r, "state": "Provisioning failed"} for r in _rows(300)])
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _table(pilot)
        await _shown(pilot, table)
        # the names need 20: the state gets the rest, 17 of its 19 (more than the 11 it declares)
        assert table._widths[0] == 20 and table._widths[4] == 17  # noqa: SLF001
        app.table_screen.rows = _rows(300)
        table.reset(len(app.table_screen.rows))
        await wait_for(pilot, lambda: table.row(0) is not None and table.row(0)["state"] == "Active")
        await _shown(pilot, table)
        assert table._widths[4] == 6 and table._widths[0] == 31  # noqa: SLF001


def test_too_narrow_the_free_columns_stop_at_their_minimum_and_the_short_ones_keep_their_need():
    columns = [Column("name", "Name", 0, min_width=16), Column("state", "State", 11), Column("when", "When", 16)]
    assert share(columns, [40, 6, 16], 30) == [16, 6, 16]  # wider than 30: the row is cut at the edge
    assert share(columns, [40, 6, 16], 50) == [28, 6, 16]


def test_two_free_columns_share_evenly_until_one_has_enough():
    columns = [Column("title", "Title", 0, min_width=12), Column("body", "Message", 0, min_width=12)]
    assert share(columns, [20, 80], 60) == [20, 40]
    assert share(columns, [50, 80], 60) == [30, 30]
    assert share([Column("n", "N", 5), Column("s", "S", 5)], [3, 2], 60) == [3, 2]  # no free column: blank after
