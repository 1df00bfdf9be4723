"""The notifications panel: the signed-in user's newest 50, open one, mark one or all read.

``enter`` opens what a notification is about (its ``link``: a workspace, an item's comments, the
Capacity or Cost area) and marks it read, as the footer says; ``m`` only marks it read; ``r`` /
ctrl+r read the list again (the key vocabulary: ``r`` refreshes everywhere).

Opened with ``b`` (the bell) from every area.  Titles and bodies come from other people's
comments and from alerts, so they are rendered as plain text with control characters made
visible.  Unread rows say "unread" in words, not only in colour.  In read-only mode marking is
hidden (it is a write).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable
from loom_tui.domain.text import visible

from loom_tui.screens.worker_errors import ReportsWorkerErrors, log_failure, show_failure

COLUMNS = [
    Column("read", "State", 7, render=lambda r: "read" if r.get("read") else "unread"),
    Column("createdAt", "When", 16, render=lambda r: (r.get("createdAt") or "")[:16].replace("T", " ")),
    Column("title", "Title", 0, min_width=12),
    Column("body", "Message", 0, min_width=12),
]


class NotificationsPanel(ReportsWorkerErrors, ModalScreen[None]):
    DEFAULT_CSS = """
    NotificationsPanel { align: center middle; }
    NotificationsPanel > Vertical { width: 110; max-width: 98%; height: 90%; border: round $accent; background: $surface; }
    NotificationsPanel #n-status { height: 1; padding: 0 1; }
    NotificationsPanel #n-detail { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    """
    WRITES = frozenset({"mark_read", "mark_all"})
    BINDINGS = [
        Binding("escape,q,b", "close", "Close", id="notes.close"),
        Binding("enter", "open", "Open", id="notes.open"),
        Binding("m", "mark_read", "Mark read", id="notes.read"),
        Binding("ctrl+r,r", "refresh", "Refresh", show=False, id="notes.refresh"),
        Binding("a", "mark_all", "Mark all read", id="notes.all"),
    ]

    FAILURES = {"reload": "could not read notifications", "action_mark_read": "could not mark read",
                "action_open": "could not open the notification", "action_mark_all": "could not mark read"}

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []

    def flash(self, message: str, severity: str = "info") -> None:
        """The panel's status line is its flash line."""
        self.query_one("#n-status", Static).update(Text(visible(message)))

    @property
    def ctx(self):
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Notifications — newest 50", style="bold"), id="n-title")
            yield Static("", id="n-status", markup=False)
            yield TableHeader("n-table")
            yield VirtualTable(COLUMNS, self._fetch, id="n-table", empty_text="No notifications.")
            yield Static("", id="n-detail", markup=False)
            yield Static(Text("enter open (and mark read) · m mark read · a mark all read · r refresh · esc close", style="italic"))

    def on_mount(self) -> None:
        self.query_one(VirtualTable).focus()
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.app.allows(self, action)  # type: ignore[attr-defined]

    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return self.rows[offset : offset + limit]

    def action_refresh(self) -> None:
        self.reload(keep_cursor=True)

    @work(exclusive=True, exit_on_error=False, group="notes")
    async def reload(self, keep_cursor: bool = False) -> None:
        self.rows = await self.ctx.notifications.newest()
        unread = await self.ctx.notifications.unread_count()
        self.query_one(VirtualTable).reset(len(self.rows), keep_cursor=keep_cursor)
        self.query_one(TableHeader).refresh_header()
        self.query_one("#n-status", Static).update(Text(f"{unread} unread · showing {len(self.rows)}"))

    def on_virtual_table_cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        row = event.row
        text = "" if row is None else visible(row.get("title", "")) + ": " + visible(row.get("body", ""))
        self.query_one("#n-detail", Static).update(Text(text[:400]))

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        """enter on a row (the table takes the key first): open it, as the footer says."""
        event.stop()
        self.action_open()

    def on_virtual_table_columns_changed(self) -> None:
        self.query_one(TableHeader).refresh_header()

    @work(exclusive=True, exit_on_error=False, group="notes-write")
    async def action_mark_read(self) -> None:
        row = self.query_one(VirtualTable).current
        if row is None or row.get("read"):
            return
        await self.ctx.notifications.mark_read(row["id"])
        self.reload(keep_cursor=True)

    @work(exclusive=True, exit_on_error=False, group="notes-open")
    async def action_open(self) -> None:
        from loom_tui.domain.links import target_of

        row = self.query_one(VirtualTable).current
        if row is None:
            return
        marked = "marked read · "
        if not row.get("read") and self.app.allows(self, "mark_read"):  # type: ignore[attr-defined]
            try:
                await self.ctx.notifications.mark_read(row["id"])
            except Exception as exc:  # not an error path: opening goes on, unread (logged and shown)
                log_failure("could not mark read", exc)
                show_failure(self, "could not mark read", exc)
                marked = ""
        target = target_of(row.get("link"))
        if target is None:
            if marked:
                self.query_one("#n-status", Static).update(Text(marked + "this notification points to nothing loom can open"))
            self.reload(keep_cursor=True)
            return
        self.dismiss(None)
        self.app.call_later(self.app.open_target, target)  # type: ignore[attr-defined]

    @work(exclusive=True, exit_on_error=False, group="notes-write")
    async def action_mark_all(self) -> None:
        await self.ctx.notifications.mark_all_read()
        self.reload(keep_cursor=True)

    def action_close(self) -> None:
        self.dismiss(None)
