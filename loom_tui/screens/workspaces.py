"""Workspaces: the tenant's workspaces as a virtual table — search, sort, filter, create, edit, delete.

All reads and writes go through ``ctx.workspaces`` in workers; the table asks the store only for
the page it shows.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input, Static

from loom_tui.domain.workspace import CapacityKind, SortKey, WorkspaceView
from loom_tui.widgets.confirm import TypeToConfirm
from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable

from .base import AreaScreen

SORT_CYCLE = [SortKey.LAST_ACCESSED, SortKey.NAME, SortKey.CREATED, SortKey.ITEMS]
SORT_LABEL = {SortKey.LAST_ACCESSED: "last accessed", SortKey.NAME: "name", SortKey.CREATED: "created", SortKey.ITEMS: "items"}
CAPACITY_CYCLE = [None, CapacityKind.NONE, CapacityKind.SHARED, CapacityKind.DEDICATED]
DEBOUNCE_S = 0.15


def _date(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


COLUMNS = [
    Column("name", "Name", 0, min_width=16),
    Column("domain", "Domain", 12),
    Column("capacity", "Capacity", 10),
    Column("itemCount", "Items", 6, align="right"),
    Column("state", "State", 11, render=lambda r: r.get("state") or "Active"),
    Column("lastAccessedAt", "Last accessed", 16, render=lambda r: _date(r.get("lastAccessedAt"))),
]


class WorkspacesScreen(AreaScreen):
    AREA = "Workspaces"
    WRITES = frozenset({"new", "edit", "delete"})
    BINDINGS = [
        Binding("slash", "search", "Search", id="ws.search"),
        Binding("s", "sort", "Sort", id="ws.sort"),
        Binding("r", "reverse", "Reverse", show=False, id="ws.reverse"),
        Binding("f", "filter_capacity", "Capacity", id="ws.filter_capacity"),
        Binding("m", "mine", "Mine/all", show=False, id="ws.mine"),
        Binding("n", "new", "New", id="ws.new"),
        Binding("e", "edit", "Edit", id="ws.edit"),
        Binding("d", "delete", "Delete", id="ws.delete"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="ws.reload"),
        Binding("escape", "back", "Back", show=False, id="ws.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = WorkspaceView()
        self._debounce: Timer | None = None

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="/ search name or description", id="search")
        yield Static("", id="status", markup=False)
        yield TableHeader("ws-table")
        yield VirtualTable(COLUMNS, self._fetch, id="ws-table", empty_text="No workspaces match.")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(VirtualTable).focus()
        self.reload()

    # -- data ------------------------------------------------------------------------------
    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return await self.ctx.workspaces.window(self.view, offset, limit)

    @work(exclusive=True, exit_on_error=False, group="ws-count")
    async def reload(self, keep_cursor: bool = False) -> None:
        try:
            total = await self.ctx.workspaces.count(self.view)
        except Exception as exc:
            self.flash(f"could not read workspaces: {exc}", "error")
            return
        table = self.query_one(VirtualTable)
        table.reset(total, keep_cursor=keep_cursor)
        self.query_one(TableHeader).refresh_header()
        self._status(total)

    def _status(self, total: int) -> None:
        v = self.view
        parts = [f"{total:,} workspace{'s' if total != 1 else ''}", f"sort: {SORT_LABEL[v.sort]} {'↓' if v.descending else '↑'}"]
        if v.capacity:
            parts.append(f"capacity: {v.capacity.value}")
        parts.append("owner: me" if v.mine else "owner: all")
        if v.search.strip():
            parts.append(f"search: {v.search.strip()}")
        self.query_one("#status", Static).update(Text(" · ".join(parts)))

    def _set_view(self, **changes) -> None:
        from dataclasses import replace

        self.view = replace(self.view, **changes)
        self.reload()

    # -- search ----------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value
        self._debounce = self.set_timer(DEBOUNCE_S, lambda: self._set_view(search=value))

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.query_one(VirtualTable).focus()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus or search.value:
            search.value = ""
            self.query_one(VirtualTable).focus()

    # -- sort and filter -------------------------------------------------------------------
    def action_sort(self) -> None:
        nxt = SORT_CYCLE[(SORT_CYCLE.index(self.view.sort) + 1) % len(SORT_CYCLE)]
        self._set_view(sort=nxt, descending=nxt is not SortKey.NAME)

    def action_reverse(self) -> None:
        self._set_view(descending=not self.view.descending)

    def action_filter_capacity(self) -> None:
        nxt = CAPACITY_CYCLE[(CAPACITY_CYCLE.index(self.view.capacity) + 1) % len(CAPACITY_CYCLE)]
        self._set_view(capacity=nxt)

    def action_mine(self) -> None:
        self._set_view(mine=not self.view.mine)

    def action_reload(self) -> None:
        self.reload(keep_cursor=True)

    # -- writes ----------------------------------------------------------------------------
    @work(exit_on_error=False, group="ws-write")
    async def action_new(self) -> None:
        from .workspace_form import WorkspaceForm

        domains = await self.ctx.workspaces.domains()
        doc = await self.app.push_screen_wait(WorkspaceForm(self.ctx.workspaces, None, domains))
        if doc:
            self.flash(f"created workspace {doc['name']}", "ok")
            self.reload()

    @work(exit_on_error=False, group="ws-write")
    async def action_edit(self) -> None:
        from .workspace_form import WorkspaceForm

        row = self.query_one(VirtualTable).current
        if row is None:
            self.flash("no workspace selected", "warning")
            return
        current = await self.ctx.workspaces.get(row["id"])
        domains = await self.ctx.workspaces.domains()
        doc = await self.app.push_screen_wait(WorkspaceForm(self.ctx.workspaces, current, domains))
        if doc:
            self.flash(f"saved workspace {doc['name']}", "ok")
            self.reload(keep_cursor=True)

    @work(exit_on_error=False, group="ws-write")
    async def action_delete(self) -> None:
        row = self.query_one(VirtualTable).current
        if row is None:
            self.flash("no workspace selected", "warning")
            return
        ok = await self.app.push_screen_wait(
            TypeToConfirm("Delete workspace", row["name"], f"This deletes the workspace and its {row.get('itemCount', 0)} items, folders, members and git config.")
        )
        if not ok:
            self.flash("nothing was deleted")
            return
        try:
            removed = await self.ctx.workspaces.delete(row["id"])
        except Exception as exc:
            self.show_error("delete failed (run it again to finish)", exc)
            return
        self.flash(f"deleted workspace {row['name']} ({removed} documents)", "ok")
        self.reload(keep_cursor=True)

    @on(VirtualTable.ColumnsChanged)
    def _columns_changed(self) -> None:
        self.query_one(TableHeader).refresh_header()

    @on(VirtualTable.FetchFailed)
    def _fetch_failed(self, event: VirtualTable.FetchFailed) -> None:
        self.flash(f"could not read workspaces: {event.error}", "error")
