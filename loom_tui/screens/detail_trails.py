"""The Audit and Comments panes of a workspace: what happened, and what people said about an item.

Audit shows the workspace's trail (newest first) or, with ``t``, the trail of the item selected in
the Items pane.  Comments shows the selected item's thread and a field to add one; ``@upn``
mentions notify that member (the pane says who was notified and who could not be).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from loom_tui.widgets.safe_input import SafeInput
from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable, safe_text

from .workspace_detail import Pane

AUDIT_MAX = 500


def _when(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


AUDIT_COLUMNS = [
    Column("at", "When", 16, render=lambda r: _when(r.get("at"))),
    Column("upn", "Who", 18),
    Column("action", "Action", 13),
    Column("summary", "Summary", 0, min_width=16),
]
COMMENT_COLUMNS = [
    Column("createdAt", "When", 16, render=lambda r: _when(r.get("createdAt"))),
    Column("upn", "Who", 18),
    Column("body", "Comment", 0, min_width=16),
]


class ListPane(Pane):
    """A pane showing an in-memory list (at most a few hundred rows) in a virtual table."""

    TABLE_ID = ""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.rows: list[dict] = []

    @property
    def table(self) -> VirtualTable:
        return self.query_one(f"#{self.TABLE_ID}", VirtualTable)

    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return self.rows[offset : offset + limit]

    def show(self, rows: list[dict], status: str) -> None:
        self.rows = rows
        self.table.reset(len(rows))
        self.query_one(TableHeader).refresh_header()
        self.query_one(".pane-status", Static).update(Text(safe_text(status)))

    def on_virtual_table_columns_changed(self) -> None:
        self.query_one(TableHeader).refresh_header()

    def activate(self) -> None:
        self.table.focus()
        self.reload()


class AuditPane(ListPane):
    TABLE_ID = "audit-table"
    BINDINGS = [Binding("t", "toggle_scope", "Workspace/item", id="audit.scope")]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.item_scope = False

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane-status", markup=False)
        yield TableHeader(self.TABLE_ID)
        yield VirtualTable(AUDIT_COLUMNS, self._fetch, id=self.TABLE_ID, empty_text="No audit events.")

    def action_toggle_scope(self) -> None:
        self.item_scope = not self.item_scope
        self.reload()

    @work(exclusive=True, exit_on_error=False, group="audit")
    async def reload(self) -> None:
        audit = self.ctx.audit
        item = self.detail.selected_item
        wid = self.detail.workspace_id
        try:
            if self.item_scope and item is not None:
                page = await audit.item_trail(wid, item["id"], max_items=AUDIT_MAX)
                status = f"{len(page.items)} events of item {item.get('displayName')} · t: whole workspace"
            else:
                page = await audit.workspace_trail(wid, max_items=AUDIT_MAX)
                hint = "t: the selected item" if item is not None else "select an item in Items for its trail"
                status = f"{len(page.items)} newest events of this workspace · {hint}"
        except Exception as exc:
            self.detail.flash(f"could not read the audit trail: {exc}", "error")
            return
        self.show(page.items, status)


class CommentsPane(ListPane):
    TABLE_ID = "comments-table"
    BINDINGS = [Binding("n", "comment_add", "Comment", id="comments.add")]

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane-status", markup=False)
        yield TableHeader(self.TABLE_ID)
        yield VirtualTable(COMMENT_COLUMNS, self._fetch, id=self.TABLE_ID, empty_text="No comments on this item.")
        yield SafeInput(placeholder="n: write a comment; @name@contoso.com mentions a member; enter posts", id="comment-input")

    def refresh_writable(self) -> None:
        """The comment field exists only for those who may comment (and never read-only)."""
        self.query_one("#comment-input", Input).display = self.detail.permits("comment_add")

    def action_comment_add(self) -> None:
        if self.detail.selected_item is None:
            self.detail.flash("select an item in the Items pane (i) first", "warning")
            return
        self.query_one("#comment-input", Input).focus()

    @work(exclusive=True, exit_on_error=False, group="comments")
    async def reload(self) -> None:
        self.refresh_writable()
        item = self.detail.selected_item
        if item is None:
            self.show([], "no item selected: choose one in the Items pane (i)")
            return
        try:
            page = await self.ctx.comments.list(self.detail.workspace_id, item["id"])
        except Exception as exc:
            self.detail.flash(f"could not read comments: {exc}", "error")
            return
        self.show(page.items, f"{len(page.items)} comment{'s' if len(page.items) != 1 else ''} on {item.get('displayName')}")

    @on(Input.Submitted, "#comment-input")
    def _post(self, event: Input.Submitted) -> None:
        self.post(event.value)

    @work(exclusive=True, exit_on_error=False, group="comments-write")
    async def post(self, body: str) -> None:
        item = self.detail.selected_item
        if item is None or not self.detail.permits("comment_add"):
            return
        try:
            result = await self.ctx.comments.add(self.detail.workspace_id, item["id"], body)
        except Exception as exc:
            self.detail.flash(f"comment not posted: {exc}", "error")
            return
        self.query_one("#comment-input", Input).value = ""
        message = "comment posted"
        if result.notified:
            message += "; notified " + ", ".join(result.notified)
        if result.unresolved:
            message += "; not a member, not notified: " + ", ".join(result.unresolved)
        self.detail.flash(safe_text(message), "ok" if not result.unresolved else "warning")
        self.table.focus()
        self.reload()
