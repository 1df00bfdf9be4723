"""DR posture, checked live: one line per check, OK or FAIL in words, and the ``az`` fix of the
selected line (``y`` copies it)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable
from loom_tui.domain.text import visible


from ..base import AreaScreen

COLUMNS = [
    Column("status", "Status", 6, render=lambda row: row["c"].status),
    Column("kind", "Kind", 10, render=lambda row: row["c"].kind),
    Column("resource", "Resource", 0, min_width=12, render=lambda row: row["c"].resource),
    Column("check", "Check", 21, render=lambda row: row["c"].check),
    Column("found", "Found", 0, min_width=10, render=lambda row: row["c"].detail),
]


class PostureScreen(AreaScreen):
    AREA = "Capacity"
    DEFAULT_CSS = """
    PostureScreen VirtualTable { overflow-x: hidden; }
    PostureScreen .dr-line { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back", id="capdr.back"),
        Binding("y", "copy_fix", "Copy fix", id="capdr.copy_fix"),
        Binding("ctrl+r", "reload", "Recheck", id="capdr.reload"),
    ]

    class Loaded(Message):
        def __init__(self, checks) -> None:
            super().__init__()
            self.checks = checks

    FAILURES = {"action_reload": "DR posture could not be checked"}

    def worker_failed(self, worker, error: BaseException) -> bool:
        """The check failed: said on the status line (an unforeseen error also opens the dialog)."""
        from loom_tui.errors import LoomError

        self.query_one("#dr-status", Static).update(Text(visible(f"DR posture could not be checked: {error}")))
        return isinstance(error, LoomError)

    def __init__(self, rows) -> None:
        super().__init__()
        self.rows = rows
        self.checks = []

    def compose_body(self) -> ComposeResult:
        yield Static(Text("DR posture: checking live…"), id="dr-status", classes="dr-line", markup=False)
        yield TableHeader("dr-table")
        yield VirtualTable(COLUMNS, self._fetch, id="dr-table", empty_text="No Cosmos DB account, storage account or Key Vault found.")
        yield Static("", id="dr-fix", classes="dr-line", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(VirtualTable).focus()
        self.action_reload()

    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return [{"id": f"{c.resource_id}:{c.check}", "c": c} for c in self.checks[offset:offset + limit]]

    @work(exclusive=True, exit_on_error=False, group="capdr")
    async def action_reload(self) -> None:
        self.post_message(self.Loaded(await self.ctx.capacity.dr(self.rows)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.checks = sorted(event.checks, key=lambda c: (c.ok, c.kind, c.resource.lower(), c.check))
        red = sum(1 for c in self.checks if not c.ok)
        verdict = f"{red} FAIL" if red else "all OK"
        self.query_one("#dr-status", Static).update(Text(f"DR posture, checked live: {len(self.checks)} checks · {verdict}"))
        self.query_one(VirtualTable).reset(len(self.checks))
        self.query_one(TableHeader).refresh_header()

    @on(VirtualTable.CursorMoved)
    def _moved(self, event: VirtualTable.CursorMoved) -> None:
        c = event.row["c"] if event.row else None
        text = "" if c is None else (f"fix: {c.fix}" if c.fix else f"{c.resource}: {c.check} is fine ({c.detail})")
        self.query_one("#dr-fix", Static).update(Text(visible(text)))

    @on(VirtualTable.ColumnsChanged)
    def _columns(self) -> None:
        self.query_one(TableHeader).refresh_header()

    def action_copy_fix(self) -> None:
        row = self.query_one(VirtualTable).current
        if row is None or not row["c"].fix:
            self.flash("nothing to fix on this line", "warning")
            return
        self.app.copy_to_clipboard(row["c"].fix)
        self.flash("copied the az command", "ok")

    def action_close(self) -> None:
        self.app.pop_screen()
