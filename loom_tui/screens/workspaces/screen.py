"""Workspaces: the tenant's workspaces as a virtual table — search, sort, filter, pin, create,
edit, delete, open.

All reads and writes go through ``ctx.workspaces`` in workers; the table asks the store only for
the page it shows.  Pinned workspaces (per user, ``ctx.prefs``) come first — the pinned ones that
match the current search and filters, read in one query — then the window of the rest, which
the store reads with the pinned ids excluded, so offsets stay exact at any size.  The list/card
view choice and the search history are per user too.  Edit and delete are offered only where the
operator's role in the selected workspace allows them (``services.roles``), and never in
read-only mode (``LoomApp.allows`` is asked first).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input, Static

from loom_tui.domain.workspace import CapacityKind, SortKey, Workspace, WorkspaceView, workspace_link
from loom_tui.domain.words import count
from loom_tui.services.roles import Action
from loom_tui.widgets.confirm import TypeToConfirm
from loom_tui.widgets.search_box import SearchBox
from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable
from loom_tui.domain.text import visible

from loom_tui.screens.base import AreaScreen
from loom_tui.screens.modals.sort_picker import SortPicker, picked, sort_words

# the sort picker's columns, in the table's order (created is not a column but sorts too)
SORT_LABEL = {SortKey.NAME: "name", SortKey.DOMAIN: "domain", SortKey.CAPACITY: "capacity", SortKey.ITEMS: "items",
              SortKey.STATE: "state", SortKey.LAST_ACCESSED: "last accessed", SortKey.CREATED: "created"}
NEWEST_FIRST = (SortKey.LAST_ACCESSED, SortKey.CREATED, SortKey.ITEMS)
CAPACITY_CYCLE = [None, CapacityKind.NONE, CapacityKind.SHARED, CapacityKind.DEDICATED]
DEBOUNCE_S = 0.15


def _date(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


PIN_MARK = "* "  # pinned rows' names start with it (and they come first)
SHOWN_ONLY = ("pin", "domainName")  # what a row adds to the stored document, for display


def _workspace(row: dict) -> Workspace:
    """The workspace a row shows (its stored document, without what the row adds for display)."""
    return Workspace.from_doc({k: v for k, v in row.items() if k not in SHOWN_ONLY}, pinned=bool(row.get("pin")))


def _name(r: dict) -> str:
    return (PIN_MARK if r.get("pin") else "") + (r.get("name") or "")


def _items(r: dict) -> str:
    """"N items", or "items not counted" for a document without ``itemCount`` (the web console's)."""
    items = r.get("itemCount")
    if not isinstance(items, int):
        return "items not counted"
    return f"{items} item{'s' if items != 1 else ''}"


def _domain(r: dict) -> str:
    """The domain's name (the screen adds ``domainName`` from the registry; the stored value is its id)."""
    return str(r.get("domainName") or r.get("domain") or "")


def _card(r: dict) -> str:
    return (f"{_domain(r) or 'no domain'} · {r.get('capacity') or 'no capacity'} · {_items(r)}"
            f" · {r.get('state') or 'Active'} · {r.get('description') or ''}")


# the compact card view: the name, then one line of everything else
CARD_COLUMNS = [
    Column("name", "Name", 28, min_width=16, render=_name, cut="middle"),
    Column("card", "Workspace", 0, min_width=16, render=_card),
]
COLUMNS = [
    Column("name", "Name", 0, min_width=16, render=_name, cut="middle"),
    Column("domain", "Domain", 12, render=_domain),
    Column("capacity", "Capacity", 10),
    Column("itemCount", "Items", 6, align="right"),
    Column("state", "State", 11, render=lambda r: r.get("state") or "Active"),
    Column("lastAccessedAt", "Last accessed", 16, render=lambda r: _date(r.get("lastAccessedAt"))),
]


class WorkspacesScreen(AreaScreen):
    # rows are cut to the width, never scrolled sideways: without this a horizontal scrollbar can
    # appear when the vertical one does, and hide the last row after "end"
    DEFAULT_CSS = "WorkspacesScreen VirtualTable { overflow-x: hidden; }"
    AREA = "Workspaces"
    WRITES = frozenset({"new", "edit", "delete", "pin"})
    ROLE_GATED = {"edit": Action.EDIT_WORKSPACE, "delete": Action.DELETE_WORKSPACE}
    BINDINGS = [
        Binding("slash", "search", "Search", id="ws.search"),
        Binding("s", "sort", "Sort", id="ws.sort", tooltip="pick the column; the same one again reverses"),
        Binding("f", "filter_capacity", "Capacity", id="ws.filter_capacity"),
        Binding("m", "mine", "Mine/all", show=False, id="ws.mine"),
        Binding("n", "new", "New", id="ws.new"),
        Binding("e", "edit", "Edit", id="ws.edit"),
        Binding("d", "delete", "Delete", id="ws.delete"),
        Binding("ctrl+r,r", "reload", "Refresh", show=False, id="ws.reload"),
        Binding("escape", "back", "Back", show=False, id="ws.back"),
        Binding("p", "pin", "Pin", show=False, id="ws.pin"),
        Binding("t", "view_mode", "List/cards", show=False, id="ws.view_mode"),
        Binding("D", "filter_domain", "Domain", show=False, id="ws.filter_domain"),  # "o" opens the operations panel
        Binding("y", "copy_id", "Copy id", show=False, id="ws.copy_id"),
        Binding("Y", "copy_link", "Copy link", show=False, id="ws.copy_link"),
        Binding("i", "describe", "Info", show=False, id="ws.describe", tooltip="describe: every field and the raw JSON"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = WorkspaceView()
        self._debounce: Timer | None = None
        self.pins: tuple[str, ...] = ()
        self.pinned_rows: list[Workspace] = []
        self.domain_names: dict[str, str] | None = None  # {domain id: name}, read with the first rows
        self.view_mode = "list"
        self.domains: list[tuple[str, str]] = []  # (id, name)
        self.row_allowed: dict[str, set[str]] = {}  # workspace id -> actions the operator's role allows
        self._ready = False
        self._new_view = False  # the search, sort or a filter changed: the next reload starts at the top

    # what the operator reads when a worker fails (see worker_errors)
    FAILURES = {
        "_load_role": "could not read your role in the workspace",
        "reload": "could not read workspaces",
        "_load_domains": "could not read the tenant's domains",
        "action_pin": "pin not saved",
        "action_view_mode": ("view mode not saved", "warning"),
        "restore_form": ("the workspace is not there any more", "warning"),
        "_delete_confirmed": "delete failed (run it again to finish)",
    }

    def worker_failed(self, worker, error: BaseException) -> bool:
        if worker.name == "reload":
            self.holds_keys = False
        return False

    def compose_body(self) -> ComposeResult:
        yield SearchBox(self.ctx.prefs, "workspaces", placeholder="/ search name or description (↑/↓ recent)", id="search")
        yield Static("", id="status", markup=False)
        yield TableHeader("ws-table")
        yield VirtualTable(COLUMNS, self._fetch, id="ws-table", empty_text="No workspaces match.", failure="could not read workspaces")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(VirtualTable).focus()
        self.reload(first=True)

    _follow_id: str | None = None

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._ready:  # back from a workspace or a dialog: counts and access times may have changed
            self.reload(keep_cursor=True)

    # -- gate ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        need = self.ROLE_GATED.get(action)
        if need is None:
            return True
        row = self.query_one(VirtualTable).current if self.is_mounted else None
        if row is None:
            return False
        if row["id"] not in self.row_allowed:
            # the role is still loading: keep the key working (the service refuses what the role
            # does not allow, with a message) rather than silently ignoring a quick keypress
            return True
        return need in self.row_allowed[row["id"]]

    @on(VirtualTable.CursorMoved)
    def _cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        if self.holds_keys:
            self._release_keys()
        if event.row is not None and event.row["id"] not in self.row_allowed:
            self._load_role(event.row["id"])

    @work(exit_on_error=False, group="ws-role")
    async def _load_role(self, workspace_id: str) -> None:
        allowed: set[str] = set()  # a role that could not be read allows nothing
        try:
            allowed = await self.ctx.roles.allowed_actions(workspace_id)
        finally:
            self.row_allowed[workspace_id] = allowed
            self.refresh_bindings()

    # -- data ------------------------------------------------------------------------------
    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return self._named(await self.ctx.workspaces.window(self.view, offset, limit, pinned=self.pinned_rows))

    async def _load_pinned(self) -> list[Workspace]:
        if self.domain_names is None:
            self.domain_names = await self.ctx.workspaces.domain_names()
        return await self.ctx.workspaces.pinned(self.view, self.pins)

    def _named(self, rows: list[Workspace]) -> list[dict]:
        """Rows for display: each workspace's stored document, marked ``pin`` when pinned, with its
        domain's name beside the stored id."""
        names = self.domain_names or {}
        return [{**ws.doc, **({"pin": True} if ws.pinned else {}),
                 "domainName": names.get(ws.doc.get("domain") or "", ws.doc.get("domain"))} for ws in rows]

    @work(exclusive=True, exit_on_error=False, group="ws-count")
    async def reload(self, keep_cursor: bool = False, first: bool = False, follow: str | None = None) -> None:
        if first:
            prefs = await self.ctx.prefs.get()
            self.pins, self.view_mode = prefs.pinned, prefs.view_mode
            self._apply_view_mode()
        self.pinned_rows = await self._load_pinned()
        total = await self.ctx.workspaces.count(self.view)
        self._ready = True
        # a changed view starts at the top even when a refresh (back from a dialog) took its place
        keep_cursor, self._new_view = keep_cursor and not self._new_view, False
        table = self.query_one(VirtualTable)
        table.sorted_by = (self.view.sort.value, self.view.descending)
        # a workspace just created: taken here, at the end, since the reload a dialog's closing
        # starts may replace the one that asked
        follow, self._follow_id = follow or self._follow_id, None
        table.reset(total, keep_cursor=keep_cursor, follow=follow)
        self.query_one(TableHeader).refresh_header()
        self._status(total)
        self._release_keys()

    def _status(self, total: int) -> None:
        v = self.view
        parts = [f"{total:,} workspace{'s' if total != 1 else ''}", "sort: " + sort_words(SORT_LABEL[v.sort], v.descending)]
        if self.pinned_rows:
            parts.append(f"{len(self.pinned_rows)} pinned")
        if v.capacity:
            parts.append(f"capacity: {v.capacity.value}")
        if v.domain:
            parts.append(f"domain: {(self.domain_names or {}).get(v.domain, v.domain)}")
        parts.append("owner: me" if v.mine else "owner: all")
        if v.search.strip():
            parts.append(f"search: {v.search.strip()}")
        self.query_one("#status", Static).update(Text(visible(" · ".join(parts))))

    def _set_view(self, **changes) -> None:
        from dataclasses import replace

        self.view = replace(self.view, **changes)
        self._new_view = True
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
        self.query_one("#search", SearchBox).remember(event.value)
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        # the keys typed after enter were aimed at the filtered rows: they wait for them
        # (key_order.py), as the keys after a form's ctrl+s wait for the save
        self.holds_keys = True
        self._set_view(search=event.value)

    holds_keys = False

    def _release_keys(self) -> None:
        """The filtered rows are there (the cursor's row read, or none match): held keys go on."""
        table = self.query_one(VirtualTable)
        if table.row_count == 0 or table.current is not None:
            self.holds_keys = False

    def action_search(self) -> None:
        # focus now, not after the queued events (Widget.focus defers it): over SSH the keys typed
        # right after "/" arrive together, and must go to the search box, not to list bindings
        self.set_focus(self.query_one("#search", Input))

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus or search.value:
            search.value = ""
            self.query_one(VirtualTable).focus()

    # -- sort and filter -------------------------------------------------------------------
    def action_sort(self) -> None:
        """The sort picker: every column (and created); the current one again reverses."""
        options = [(k.value, label) for k, label in SORT_LABEL.items()]

        def chosen(key: str | None) -> None:
            if key is not None:
                sort, descending = picked(self.view.sort.value, self.view.descending, key, (k.value for k in NEWEST_FIRST))
                self._set_view(sort=SortKey(sort), descending=descending)

        self.app.push_screen(SortPicker(options, self.view.sort.value, self.view.descending), chosen)

    def action_filter_capacity(self) -> None:
        nxt = CAPACITY_CYCLE[(CAPACITY_CYCLE.index(self.view.capacity) + 1) % len(CAPACITY_CYCLE)]
        self._set_view(capacity=nxt)

    def action_filter_domain(self) -> None:
        if not self.domains:
            self._load_domains()
            return
        cycle = [None, *(i for i, _ in self.domains)]
        current = cycle.index(self.view.domain) if self.view.domain in cycle else 0
        self._set_view(domain=cycle[(current + 1) % len(cycle)])

    @work(exclusive=True, exit_on_error=False, group="ws-domains")
    async def _load_domains(self) -> None:
        self.domains = await self.ctx.workspaces.domain_choices()
        self.domain_names = dict(self.domains)
        if not self.domains:
            self.flash("this tenant has no domains document; nothing to filter by", "warning")
            return
        self.action_filter_domain()

    def action_describe(self) -> None:
        """The describe view of the workspace under the cursor (enter opens it)."""
        from loom_tui.screens.modals.describe import DescribeScreen

        row = self.query_one(VirtualTable).current
        if row is None:
            self.flash("no workspace selected", "warning")
            return
        doc = {k: v for k, v in row.items() if k != "pin"}
        self.app.push_screen(DescribeScreen(f"workspace {doc.get('name') or doc.get('id')}", doc))

    def action_copy_id(self) -> None:
        """Copy the workspace id with OSC 52 — the one clipboard that works over SSH."""
        row = self.query_one(VirtualTable).current
        if row is None:
            self.flash("no workspace selected", "warning")
            return
        self.app.copy_to_clipboard(row["id"])
        self.flash(f"copied id {row['id']} (OSC 52: your terminal must allow clipboard writes)", "ok")

    def action_copy_link(self) -> None:
        """Copy the workspace's page in the web console (the profile's ``console_url``)."""
        row = self.query_one(VirtualTable).current
        if row is None:
            self.flash("no workspace selected", "warning")
            return
        link = workspace_link(self.ctx.profile.console_url, row["id"])
        if link is None:
            self.flash("this profile names no web console (console_url in its profile), so there is no link to copy "
                       "(y copies the id)", "warning")
            return
        self.app.copy_to_clipboard(link)
        self.flash(f"copied link {link}", "ok")

    # -- pins and view mode (per user) -----------------------------------------------------
    @work(exclusive=True, exit_on_error=False, group="ws-pin")
    async def action_pin(self) -> None:
        row = self.query_one(VirtualTable).current
        if row is None:
            self.flash("no workspace selected", "warning")
            return
        prefs = await self.ctx.prefs.toggle_pin(row["id"])
        self.pins = prefs.pinned
        pinned = row["id"] in self.pins
        self.flash(("pinned " if pinned else "unpinned ") + visible(row.get("name")), "ok")
        self.reload(keep_cursor=not pinned)

    def _apply_view_mode(self) -> None:
        table = self.query_one(VirtualTable)
        table.columns = CARD_COLUMNS if self.view_mode == "tile" else COLUMNS
        table._widths_for = -1  # noqa: SLF001 - the table re-lays out its columns on the next paint
        table.refresh()
        self.query_one(TableHeader).refresh_header()

    @work(exclusive=True, exit_on_error=False, group="ws-view-mode")
    async def action_view_mode(self) -> None:
        self.view_mode = "tile" if self.view_mode == "list" else "list"
        self._apply_view_mode()
        self.flash("cards view" if self.view_mode == "tile" else "list view")
        if self.ctx.read_only:
            return  # read-only: the choice holds for this run and is not saved
        await self.ctx.prefs.set_view_mode(self.view_mode)

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen

        self.app.push_screen(WorkspaceDetailScreen(event.row["id"], event.row.get("name", "")))

    def action_mine(self) -> None:
        self._set_view(mine=not self.view.mine)

    def action_reload(self) -> None:
        self.reload(keep_cursor=True)

    # -- writes ----------------------------------------------------------------------------
    # The dialogs are pushed at once, inside the key's own handler: over SSH the keys typed right
    # after "n", "e" or "d" arrive together and must land in the dialog, never on list bindings.
    def action_new(self) -> None:
        from loom_tui.screens.workspaces.form import WorkspaceForm

        def done(ws: Workspace | None) -> None:
            if ws:
                self.flash(f"created workspace {ws.name}", "ok")
                self._follow_id = ws.id  # the cursor goes to the new workspace
                self.reload()

        self.app.push_screen(WorkspaceForm(self.ctx.workspaces, None), done)

    @work(exit_on_error=False, group="ws-write")
    async def restore_form(self, saved: dict[str, str]) -> None:
        """Reopen the create/edit form with the input saved when the terminal went away."""
        from loom_tui.screens.workspaces.form import FIELDS, WorkspaceForm

        if saved.get("form") in ("prompt", "detail") and saved.get("workspace_id"):
            await self._restore_in_workspace(saved)
            return
        if saved.get("form") != "workspace":
            return
        current = None
        if saved.get("workspace_id"):
            current = await self.ctx.workspaces.get(saved["workspace_id"])
        initial = {key: saved[key] for key in [*(k for k, _ in FIELDS), "new_domain"] if key in saved}

        def done(ws: Workspace | None) -> None:
            if ws:
                self.flash(f"saved workspace {ws.name}", "ok")
                self.reload(keep_cursor=True)

        self.app.push_screen(WorkspaceForm(self.ctx.workspaces, current, initial=initial), done)

    async def _restore_in_workspace(self, saved: dict[str, str]) -> None:
        """Reopen the workspace a dropped connection closed, and in it the prompt or the comment
        that was being typed."""
        from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen

        ws = await self.ctx.workspaces.get(saved["workspace_id"])
        item = saved.get("item_id") if saved.get("form") == "detail" and saved.get("pane") == "comments" else None
        self.app.push_screen(WorkspaceDetailScreen(ws.id, ws.name, item_id=item or None, restore=saved))

    def action_edit(self) -> None:
        from loom_tui.screens.workspaces.form import WorkspaceForm

        row = self.query_one(VirtualTable).current
        if row is None:
            self.flash("no workspace selected", "warning")
            return

        def done(ws: Workspace | None) -> None:
            if ws:
                self.flash(f"saved workspace {ws.name}", "ok")
                self.reload(keep_cursor=True)

        # the row as the operator sees it is the base of the edit; a newer version is caught as a conflict
        self.app.push_screen(WorkspaceForm(self.ctx.workspaces, _workspace(row)), done)

    def action_delete(self) -> None:
        row = self.query_one(VirtualTable).current
        if row is None:
            self.flash("no workspace selected", "warning")
            return
        dialog = TypeToConfirm("Delete workspace", row["name"], f"This deletes the workspace and its {_items(row).replace('items not counted', 'items')}, folders, members and git config.")
        self.app.push_screen(dialog, lambda ok: self._delete_confirmed(row, bool(ok)))

    @work(exit_on_error=False, group="ws-write")
    async def _delete_confirmed(self, row: dict, ok: bool) -> None:
        if not ok:
            self.flash("nothing was deleted")
            return
        removed = await self.ctx.workspaces.delete(row["id"])
        self.flash(f"deleted workspace {row['name']} ({count(removed, 'document')})", "ok")
        self.reload(keep_cursor=True)

    @on(VirtualTable.ColumnsChanged)
    def _columns_changed(self) -> None:
        self.query_one(TableHeader).refresh_header()

    @on(VirtualTable.FetchFailed)
    def _fetch_failed(self, event: VirtualTable.FetchFailed) -> None:
        self.holds_keys = False  # the error itself: AreaScreen.on_virtual_table_fetch_failed
