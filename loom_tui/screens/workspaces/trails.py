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
from loom_tui.widgets.virtual_table import Column, VirtualTable
from loom_tui.domain.text import visible

from loom_tui.services.audit_filter import AuditFilter

from loom_tui.screens.workspaces.pane import Pane



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
    """A pane showing an in-memory list (at most a few hundred rows) in a virtual table;
    ``enter`` describes the row under the cursor (every field in full, the raw JSON)."""

    TABLE_ID = ""
    WHAT = "record"  # what a row is, for the describe view's title
    BINDINGS = [Binding("enter", "describe", "Describe", show=False, id="trail.describe", tooltip="every field and the raw JSON")]

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
        self.query_one(".pane-status", Static).update(Text(visible(status)))

    def on_virtual_table_columns_changed(self) -> None:
        self.query_one(TableHeader).refresh_header()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_describe()

    def action_describe(self) -> None:
        from loom_tui.screens.modals.describe import DescribeScreen

        row = self.table.current
        if row is None:
            self.detail.flash(f"no {self.WHAT} selected", "warning")
            return
        when = row.get("at") or row.get("createdAt") or ""
        self.app.push_screen(DescribeScreen(f"{self.WHAT} {row.get('action') or ''} {when}".replace("  ", " "), row))

    def activate(self) -> None:
        self.table.focus()
        self.reload()


class AuditPane(ListPane):
    """The trail, read page by page as the cursor goes down (no limit at 500), filtered by user
    (``u``) and action (``f``); ``t`` switches between the workspace and the selected item."""

    TABLE_ID = "audit-table"
    WHAT = "audit event"
    PAGE = 200
    BINDINGS = [
        Binding("t", "toggle_scope", "Workspace/item", id="audit.scope"),
        Binding("u", "filter_user", "By user", id="audit.user"),
        Binding("f", "filter_action", "By action", id="audit.action"),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.item_scope = False
        self.filter = AuditFilter()
        self.continuation: str | None = None
        self.total = 0
        self._source = None  # the page reader of the current scope and filter

    FAILURES = {"reload": "could not read the audit trail"}

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane-status", markup=False)
        yield TableHeader(self.TABLE_ID)
        yield VirtualTable(AUDIT_COLUMNS, self._fetch, id=self.TABLE_ID, empty_text="No audit events.",
                           failure="could not read the audit trail")

    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        """Rows as the table asks for them: further pages are read while the cursor goes on."""
        source = self._source
        while source is not None and self.continuation and len(self.rows) < offset + limit:
            page = await source(self.continuation)
            if source is not self._source:
                break  # the scope or filter changed meanwhile
            self.rows += page.items
            self.continuation = page.continuation
        return self.rows[offset : offset + limit]

    def action_toggle_scope(self) -> None:
        self.item_scope = not self.item_scope
        self.reload()

    @work(exclusive=True, exit_on_error=False, group="audit-filter")
    async def action_filter_user(self) -> None:
        await self._ask_filter("user", "Audit events by user", "Part of the user principal name (empty: everyone)")

    @work(exclusive=True, exit_on_error=False, group="audit-filter")
    async def action_filter_action(self) -> None:
        await self._ask_filter("action", "Audit events by action", "An action or its start: item.update, item, member (empty: all)")

    async def _ask_filter(self, field: str, title: str, label: str) -> None:
        from dataclasses import replace

        from loom_tui.screens.modals.prompt import TextPrompt

        async def accept(text: str) -> tuple[str]:
            return (text.strip(),)

        answer = await self.app.push_screen_wait(TextPrompt(title, label, accept, value=getattr(self.filter, field)))
        if answer is None:
            return
        self.filter = replace(self.filter, **{field: answer[0]})
        self.reload()

    @work(exclusive=True, exit_on_error=False, group="audit")
    async def reload(self) -> None:
        audit = self.ctx.audit
        item = self.detail.selected_item
        wid, flt = self.detail.workspace_id, self.filter
        if self.item_scope and item is not None:
            async def source(token, item_id=item["id"]):
                return await audit.item_page(wid, item_id, flt, max_items=self.PAGE, continuation=token)

            what = f"item {item.get('displayName')} · t: whole workspace"
            first = await source(None)
            rows, token = list(first.items), first.continuation
            while token:  # an item's trail has no count query: read it all to know its length
                page = await source(token)
                rows += page.items
                token = page.continuation
            first, total = type(first)(rows, None), len(rows)
        else:
            async def source(token):
                return await audit.workspace_page(wid, flt, max_items=self.PAGE, continuation=token)

            hint = "t: the selected item" if item is not None else "select an item in Items for its trail"
            what = f"this workspace · {hint}"
            first = await source(None)
            total = await audit.workspace_count(wid, flt)
        first_items, count = list(first.items), total
        self._source, self.continuation = source, first.continuation
        shown = f" · {flt.describe()}" if flt.active else ""
        self.total = count
        self.show(first_items, f"{count} event{'s' if count != 1 else ''} of {what}{shown} · u user · f action", total=count)

    def show(self, rows: list[dict], status: str, total: int | None = None) -> None:
        self.rows = list(rows)
        self.table.reset(len(rows) if total is None else total)
        self.query_one(TableHeader).refresh_header()
        self.query_one(".pane-status", Static).update(Text(visible(status)))


class CommentsPane(ListPane):
    TABLE_ID = "comments-table"
    WHAT = "comment"
    BINDINGS = [Binding("n", "comment_add", "Comment", id="comments.add")]
    FAILURES = {"reload": "could not read comments", "post": "comment not posted"}

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
        page = await self.ctx.comments.list(self.detail.workspace_id, item["id"])
        self.show([c.doc for c in page.items], f"{len(page.items)} comment{'s' if len(page.items) != 1 else ''} on {item.get('displayName')}")

    @on(Input.Submitted, "#comment-input")
    def _post(self, event: Input.Submitted) -> None:
        self.post(event.value)

    @work(exclusive=True, exit_on_error=False, group="comments-write")
    async def post(self, body: str) -> None:
        item = self.detail.selected_item
        if item is None or not self.detail.permits("comment_add"):
            return
        result = await self.ctx.comments.add(self.detail.workspace_id, item["id"], body)  # kept in the field if it fails
        self.query_one("#comment-input", Input).value = ""
        message = "comment posted"
        if result.notified:
            message += "; notified " + ", ".join(result.notified)
        if result.unresolved:
            message += "; not a member, not notified: " + ", ".join(result.unresolved)
        self.detail.flash(visible(message), "ok" if not result.unresolved else "warning")
        self.table.focus()
        self.reload()
