"""The Items pane: the folder tree on the left, the workspace's items as a virtual table.

The table asks the store for the page it shows (``ItemService.window``, reading from the end
when the cursor is in the back half), so 100,000 items cost what 100 do.  Search is debounced and
pushed down to the store.  Choosing a folder in the tree narrows the table to it; "All items"
and "(root)" sit above the folders.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Static, Tree

from loom_tui.domain.folder import Folder
from loom_tui.domain.item import Item
from loom_tui.errors import ConflictError, EditConflict
from loom_tui.services.workspaces.folders import FolderNode
from loom_tui.services.workspaces.items import ALL_FOLDERS, ItemInput, ItemSort, ItemView
from loom_tui.widgets.search_box import SearchBox
from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable
from loom_tui.domain.text import visible

from loom_tui.screens.modals.edit_conflict import EditConflictDialog
from loom_tui.screens.modals.prompt import ChoicePrompt, TextPrompt, confirm
from loom_tui.screens.modals.sort_picker import SortPicker, picked, sort_words

ITEM_FIELDS = ("displayName", "itemType", "folderId", "updatedAt")
from loom_tui.screens.workspaces.pane import Pane

DEBOUNCE_S = 0.15
ROOT = "(root)"
SORT_LABEL = {ItemSort.NAME: "name", ItemSort.TYPE: "type", ItemSort.FOLDER: "folder", ItemSort.UPDATED: "updated",
              ItemSort.CREATED: "created"}
NEWEST_FIRST = (ItemSort.UPDATED.value, ItemSort.CREATED.value)


class ItemsPane(Pane):
    DEFAULT_CSS = """
    ItemsPane > Horizontal { height: 1fr; }
    ItemsPane Tree { width: 20; height: 1fr; border-right: solid $panel-lighten-2; }
    ItemsPane #items-right { width: 1fr; height: 1fr; }
    """
    BINDINGS = [
        Binding("slash", "search", "Search", id="items.search"),
        Binding("s", "sort", "Sort", id="items.sort", tooltip="pick the column; the same one again reverses"),
        Binding("enter", "describe", "Describe", show=False, id="items.describe", tooltip="every field and the raw JSON"),
        Binding("n", "item_new", "New item", id="items.new"),
        Binding("e", "item_rename", "Rename", id="items.rename", tooltip="edit the item's name"),
        Binding("v", "item_move", "Move", show=False, id="items.move"),
        Binding("d", "item_delete", "Delete", id="items.delete"),
        Binding("N", "folder_new", "New folder", show=False, id="folders.new"),
        Binding("E", "folder_rename", "Rename folder", show=False, id="folders.rename"),
        Binding("D", "folder_delete", "Delete folder", show=False, id="folders.delete"),
        Binding("tab", "switch_focus", "Tree/table", show=False, id="items.focus"),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.view = ItemView()
        self.total = 0
        self.folders: dict[str, Folder] = {}
        self.folder_paths: dict[str, str] = {}
        self._debounce: Timer | None = None
        self._loaded = False

    FAILURES = {
        "load_items": "could not read items",
        "load_folders": "could not read folders",
        "reopen": ("the item being renamed is gone", "warning"),
        "action_item_move": "item not moved",
        "action_item_delete": "item not deleted",
        "action_folder_delete": "folder not deleted",
    }

    def compose(self) -> ComposeResult:
        folder_of = lambda r: self.folder_paths.get(r.get("folderId") or "", "")  # noqa: E731
        columns = [
            Column("displayName", "Name", 0, min_width=14, cut="middle"),
            Column("itemType", "Type", 14),
            Column("folderId", "Folder", 10, render=folder_of),
            Column("updatedAt", "Updated", 10, render=lambda r: (r.get("updatedAt") or "")[:10]),
        ]
        with Horizontal():
            tree: Tree[str | None] = Tree(Text("Folders"), id="folder-tree")
            tree.show_root = False
            yield tree
            with Vertical(id="items-right"):
                yield SearchBox(self.ctx.prefs, "items", placeholder="/ search item names (↑/↓ recent)", id="items-search")
                yield Static("", id="items-status", markup=False)
                yield TableHeader("items-table")
                yield VirtualTable(columns, self._fetch, id="items-table", empty_text="No items here.", failure="could not read items")

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#items-table", VirtualTable)

    def activate(self) -> None:
        self.table.focus()
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        self.load_folders()
        self.load_items(keep_cursor=True)  # a refresh keeps the cursor on the same item

    # -- data ------------------------------------------------------------------------------
    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        """The table's rows: the items' stored documents (the columns and the describe view read them)."""
        items = await self.ctx.items.window(self.detail.workspace_id, self.view, offset, limit, total=self.total)
        return [item.doc for item in items]

    @work(exclusive=True, exit_on_error=False, group="items-count")
    async def load_items(self, keep_cursor: bool = False) -> None:
        self.total = await self.ctx.items.count(self.detail.workspace_id, self.view)
        self.table.sorted_by = (self.view.sort.value, self.view.descending)
        self.table.reset(self.total, keep_cursor=keep_cursor)
        self.query_one(TableHeader).refresh_header()
        self._status()

    def _status(self) -> None:
        where = {ALL_FOLDERS: "all folders", None: ROOT}.get(self.view.folder, None)  # type: ignore[arg-type]
        if where is None:
            where = "folder " + self.folder_paths.get(self.view.folder or "", "?")
        parts = [f"{self.total:,} item{'s' if self.total != 1 else ''}", where, "sort: " + sort_words(SORT_LABEL[self.view.sort], self.view.descending)]
        if self.view.search.strip():
            parts.append("search: " + self.view.search.strip())
        self.query_one("#items-status", Static).update(Text(visible(" · ".join(parts))))

    @work(exclusive=True, exit_on_error=False, group="items-folders")
    async def load_folders(self) -> None:
        roots = await self.ctx.folders.tree(self.detail.workspace_id)
        self.folders, self.folder_paths = {}, {}
        tree = self.query_one("#folder-tree", Tree)
        tree.clear()
        tree.root.add_leaf(Text("All items"), data=ALL_FOLDERS)
        tree.root.add_leaf(Text(ROOT), data=None)

        def add(parent, nodes: list[FolderNode], prefix: str) -> None:
            for node in nodes:
                self.folders[node.folder.id] = node.folder
                self.folder_paths[node.folder.id] = prefix + node.folder.name
                label = Text(visible(node.folder.name))
                if node.children:
                    branch = parent.add(label, data=node.folder.id, expand=True)
                    add(branch, node.children, prefix + node.folder.name + "/")
                else:
                    parent.add_leaf(label, data=node.folder.id)

        add(tree.root, roots, "")
        self.table.refresh()
        self._status()

    def current_folder(self) -> str | None:
        """The folder chosen in the tree (None for "All items"/root)."""
        node = self.query_one("#folder-tree", Tree).cursor_node
        data = node.data if node is not None else None
        return data if data not in (None, ALL_FOLDERS) else None

    # -- events ----------------------------------------------------------------------------
    @on(Tree.NodeSelected, "#folder-tree")
    @on(Tree.NodeHighlighted, "#folder-tree")
    def _folder_chosen(self, event) -> None:
        if isinstance(event, Tree.NodeHighlighted) and not event.control.has_focus:
            return  # the tree being refilled, not the operator moving in it
        folder = event.node.data
        if folder != self.view.folder:
            self.view = replace(self.view, folder=folder)
            self.load_items()

    @on(VirtualTable.CursorMoved)
    def _cursor(self, event: VirtualTable.CursorMoved) -> None:
        self.detail.item_selected(event.row)

    @on(VirtualTable.RowSelected, "#items-table")
    def _selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_describe()

    def action_describe(self) -> None:
        """The describe view of the item under the cursor: every field in full, the raw JSON."""
        from loom_tui.screens.modals.describe import DescribeScreen

        item = self._row()
        if item is None:
            return
        row = item.doc
        folder = self.folder_paths.get(row.get("folderId") or "", ROOT if not row.get("folderId") else "(unknown folder)")
        fields = [("folder (path)", folder), *((k, v) for k, v in row.items() if not k.startswith("_"))]
        self.app.push_screen(DescribeScreen(f"{row.get('itemType') or 'item'} {row.get('displayName') or row.get('id')}", row, fields))

    @on(VirtualTable.ColumnsChanged)
    def _columns(self) -> None:
        self.query_one(TableHeader).refresh_header()

    @on(Input.Changed, "#items-search")
    def _search(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value

        def apply() -> None:
            self.view = replace(self.view, search=value)
            self.load_items()

        self._debounce = self.set_timer(DEBOUNCE_S, apply)

    @on(Input.Submitted, "#items-search")
    def _search_done(self, event: Input.Submitted) -> None:
        self.query_one("#items-search", SearchBox).remember(event.value)
        self.table.focus()

    def action_search(self) -> None:
        # focus now (Widget.focus defers it): keys typed right after "/" belong to the box
        self.screen.set_focus(self.query_one("#items-search", SearchBox))

    def action_sort(self) -> None:
        """The sort picker: every column (and created); the current one again reverses."""
        options = [(k.value, label) for k, label in SORT_LABEL.items()]

        def chosen(key: str | None) -> None:
            if key is not None:
                sort, descending = picked(self.view.sort.value, self.view.descending, key, NEWEST_FIRST)
                self.view = replace(self.view, sort=ItemSort(sort), descending=descending)
                self.load_items()

        self.app.push_screen(SortPicker(options, self.view.sort.value, self.view.descending), chosen)

    def action_switch_focus(self) -> None:
        tree = self.query_one("#folder-tree", Tree)
        (self.table if tree.has_focus else tree).focus()

    # -- item writes -----------------------------------------------------------------------
    def _row(self) -> Item | None:
        """The item under the cursor (None, said on the flash line, when there is none)."""
        row = self.table.current
        if row is None:
            self.detail.flash("no item selected", "warning")
            return None
        return Item.from_doc(row)

    @work(exit_on_error=False, group="items-write")
    async def action_item_new(self) -> None:
        from loom_tui.screens.workspaces.item_type_picker import ItemTypePicker

        item_type = await self.app.push_screen_wait(ItemTypePicker())
        if not item_type:
            return
        await self._new_item(item_type, self.current_folder())

    async def _new_item(self, item_type: str, folder: str | None, typed: str | None = None) -> None:
        ws = self.detail.workspace_id
        where = f" in {self.folder_paths.get(folder, '')}" if folder else ""

        async def create(name: str) -> Item:
            return await self.ctx.items.create(ws, ItemInput(item_type, name, folder_id=folder))

        made = await self.app.push_screen_wait(TextPrompt(f"New {item_type}{where}", "Name", create,
                                                         hint="a lakehouse also gets its SQL endpoint" if item_type == "lakehouse" else "",
                                                         resume={"prompt": "item.new", "workspace_id": ws, "item_type": item_type,
                                                                 "folder_id": folder or ""}, typed=typed))
        if made:
            extra = " and its SQL endpoint" if item_type == "lakehouse" else ""
            self.detail.flash(f"created {item_type} {visible(made.display_name)}{extra}", "ok")
            self.load_items(keep_cursor=True)

    @work(exit_on_error=False, group="items-write")
    async def action_item_rename(self) -> None:
        row = self._row()
        if row is None:
            return
        await self._rename_item(row)

    @work(exit_on_error=False, group="items-write")
    async def reopen(self, saved: dict[str, str]) -> None:
        """Reopen the prompt a dropped connection closed, with what had been typed in it."""
        ws, typed = self.detail.workspace_id, saved.get("text", "")
        if saved.get("prompt") == "item.new" and saved.get("item_type"):
            await self._new_item(saved["item_type"], saved.get("folder_id") or None, typed)
        elif saved.get("prompt") == "item.rename" and saved.get("item_id"):
            item = await self.ctx.items.get(ws, saved["item_id"])
            await self._rename_item(item, typed)

    async def _rename_item(self, item: Item, typed: str | None = None) -> None:
        ws = self.detail.workspace_id

        async def rename(name: str) -> Item | None:
            try:
                return await self.ctx.items.rename(ws, item.id, name, etag=item.etag)
            except EditConflict as exc:  # both versions shown; the operator decides
                choice = await self.app.push_screen_wait(EditConflictDialog(
                    {**(exc.mine or item.doc), "displayName": name}, exc.theirs, fields=ITEM_FIELDS, what="item", base=item.doc))
                if choice == "overwrite":
                    return await self.ctx.items.rename(ws, item.id, name, force=True)
                if choice == "reload":
                    self.load_items(keep_cursor=True)
                    theirs = visible((exc.theirs or {}).get("displayName", ""))
                    raise ConflictError(f"kept their version ({theirs}); your rename was not saved") from None
                raise ConflictError("cancelled: nothing was saved") from None

        renamed = await self.app.push_screen_wait(TextPrompt("Rename item", "New name", rename, value=item.display_name,
                                                             resume={"prompt": "item.rename", "workspace_id": ws, "item_id": item.id},
                                                             typed=typed))
        if renamed:
            self.detail.flash(f"renamed to {visible(renamed.display_name)}", "ok")
            self.load_items(keep_cursor=True)

    @work(exit_on_error=False, group="items-write")
    async def action_item_move(self) -> None:
        item = self._row()
        if item is None:
            return
        choices: list[tuple[str, object]] = [(ROOT, ROOT)]
        choices += sorted(((path, fid) for fid, path in self.folder_paths.items()), key=lambda c: c[0].lower())
        target = await self.app.push_screen_wait(ChoicePrompt("Move " + item.display_name, "to folder:", choices))
        if target is None:
            return
        await self.ctx.items.move(self.detail.workspace_id, item.id, None if target == ROOT else str(target), etag=item.etag)
        self.detail.flash(f"moved {visible(item.display_name)} to {visible(self.folder_paths.get(str(target), ROOT))}", "ok")
        self.load_items(keep_cursor=True)

    @work(exit_on_error=False, group="items-write")
    async def action_item_delete(self) -> None:
        item = self._row()
        if item is None:
            return
        extra = " and its SQL endpoint" if item.item_type == "lakehouse" else ""
        if not await self.app.push_screen_wait(confirm("Delete item", f"Delete {item.item_type} {item.display_name}{extra}?", "Delete")):
            self.detail.flash("nothing was deleted")
            return
        removed = await self.ctx.items.delete(self.detail.workspace_id, item.id)
        self.detail.flash(f"deleted {visible(item.display_name)} ({removed} item{'s' if removed != 1 else ''})", "ok")
        self.load_items(keep_cursor=True)

    # -- folder writes ---------------------------------------------------------------------
    @work(exit_on_error=False, group="items-write")
    async def action_folder_new(self) -> None:
        ws, parent = self.detail.workspace_id, self.current_folder()

        async def create(name: str) -> Folder:
            return await self.ctx.folders.create(ws, name, parent)

        where = f" in {self.folder_paths.get(parent, '')}" if parent else " at the root"
        made = await self.app.push_screen_wait(TextPrompt("New folder" + where, "Folder name", create))
        if made:
            self.detail.flash(f"created folder {visible(made.name)}", "ok")
            self.load_folders()

    def _folder(self) -> Folder | None:
        folder = self.current_folder()
        if folder is None:
            self.detail.flash("choose a folder in the tree first (tab moves there)", "warning")
            return None
        return self.folders.get(folder)

    @work(exit_on_error=False, group="items-write")
    async def action_folder_rename(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        ws = self.detail.workspace_id

        async def rename(name: str) -> Folder:
            return await self.ctx.folders.rename(ws, folder.id, name, etag=folder.etag)

        renamed = await self.app.push_screen_wait(TextPrompt("Rename folder", "New name", rename, value=folder.name))
        if renamed:
            self.detail.flash(f"renamed folder to {visible(renamed.name)}", "ok")
            self.load_folders()

    @work(exit_on_error=False, group="items-write")
    async def action_folder_delete(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        message = f"Delete folder {folder.name}? Its items and sub-folders move to the root."
        if not await self.app.push_screen_wait(confirm("Delete folder", message, "Delete folder")):
            self.detail.flash("nothing was deleted")
            return
        moved = await self.ctx.folders.delete(self.detail.workspace_id, folder.id)
        self.detail.flash(f"deleted folder {visible(folder.name)}; {moved['items']} items and {moved['folders']} folders moved to the root", "ok")
        self.view = replace(self.view, folder=ALL_FOLDERS)
        self.load_folders()
        self.load_items()
