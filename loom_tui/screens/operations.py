"""The operations panel (``o`` from any area): running and recent long-running operations with
their progress and elapsed time, ARM's error text in full; ``enter`` opens one (its steps), ``c``
cancels a running one (a write: hidden in read-only mode).

The panel reads the store (``ctx.operations``) once a second while it is open, so it shows the
operations of every ``loom`` process of the tenant, not only this one's.  Kinds, targets and
error texts come from Azure and the store: rendered as plain text, control characters visible;
states are words, not colours.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from loom_tui.domain.operation import Operation, format_duration, format_percent
from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable
from loom_tui.domain.text import visible

from loom_tui.screens.worker_errors import ReportsWorkerErrors

REFRESH = 1.0  # seconds between reads while a panel is open

COLUMNS = [
    Column("state", "State", 10, render=lambda o: "unreadable" if o.problems else o.state),
    Column("progress", "Done", 5, render=lambda o: format_percent(o.progress), align="right"),
    Column("elapsed", "Elapsed", 7, render=lambda o: format_duration(o.elapsed()), align="right"),
    Column("kind", "Kind", 18, render=lambda o: o.kind),
    Column("target", "Target", 0, min_width=12, render=lambda o: o.target.rsplit("/", 1)[-1] or o.target),
    Column("started", "Started", 16, render=lambda o: o.started_at[:16].replace("T", " ")),
]


def error_text(op: Operation) -> Text:
    """ARM's error, in full, one safe line per line of the message."""
    if op.error is None:
        return Text("")
    head = f"{op.error.code}" + (f" (HTTP {op.error.status})" if op.error.status else "")
    lines = [visible(line) for line in op.error.message.splitlines()] or [""]
    return Text("error: " + visible(head) + "\n" + "\n".join(lines))


class _ReadEverySecond(ReportsWorkerErrors):
    """A panel whose worker ``reload`` reads the operations every second: a failed read shows in
    the panel (``READ_FAILS_IN``: the widget and what could not be read) until one succeeds — a
    dialog would come back every second; the log has the traceback."""

    READ_FAILS_IN: tuple[str, str]

    def worker_failed(self, worker, error: BaseException) -> bool:
        if worker.name == "reload":
            where, what = self.READ_FAILS_IN
            self.query_one(where, Static).update(Text(f"could not read {what}: {visible(error)}"))  # type: ignore[attr-defined]
            return True
        return False

    @property
    def ctx(self):
        return self.app.ctx  # type: ignore[attr-defined]


class OperationsPanel(_ReadEverySecond, ModalScreen[None]):
    DEFAULT_CSS = """
    OperationsPanel { align: center middle; }
    OperationsPanel > Vertical { width: 120; max-width: 98%; height: 90%; border: round $accent; background: $surface; }
    OperationsPanel #o-status { height: 1; padding: 0 1; }
    OperationsPanel #o-detail { height: auto; max-height: 6; padding: 0 1; }
    """
    WRITES = frozenset({"cancel"})
    BINDINGS = [
        Binding("escape,q,o", "close", "Close", id="ops.close"),
        Binding("enter", "open", "Open", id="ops.open"),
        Binding("c", "cancel", "Cancel operation", id="ops.cancel"),
    ]

    FAILURES = {"reload": "could not read operations", "_cancel": "could not cancel"}

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Operation] = []
        self.note = ""

    def flash(self, message: str, severity: str = "info") -> None:
        """The panel's status line is its flash line: what it says stays in front of the counts
        the refresh each second rewrites."""
        self.note = visible(message)
        self.query_one("#o-status", Static).update(Text(self.note))

    READ_FAILS_IN = ("#o-status", "operations")  # the status line, under the counts

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Operations — running and recent", style="bold"), id="o-title")
            yield Static("", id="o-status", markup=False)
            yield TableHeader("o-table")
            yield VirtualTable(COLUMNS, self._fetch, id="o-table", empty_text="No operations yet.")
            yield Static("", id="o-detail", markup=False)
            yield Static(Text("enter open · c cancel · esc close", style="italic"))

    def on_mount(self) -> None:
        self.query_one(VirtualTable).focus()
        self.reload()
        self.set_interval(REFRESH, lambda: self.reload(keep_cursor=True))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.app.allows(self, action)  # type: ignore[attr-defined]

    async def _fetch(self, offset: int, limit: int) -> list[Operation]:
        return self.rows[offset : offset + limit]

    @work(exclusive=True, exit_on_error=False, group="ops")
    async def reload(self, keep_cursor: bool = False) -> None:
        rows = await self.ctx.operations.recent()
        self.rows = rows
        table = self.query_one(VirtualTable)
        table.reset(len(rows), keep_cursor=keep_cursor)
        self.query_one(TableHeader).refresh_header()
        running = sum(1 for o in rows if o.running)
        counts = f"{running} running · showing {len(rows)}"
        # the last cancel asked for stays in front of the counts the refresh each second rewrites
        self.query_one("#o-status", Static).update(Text(f"{self.note} · {counts}" if self.note else counts))
        self._show_detail(table.current if rows else None)

    def _show_detail(self, op: Operation | None) -> None:
        text = Text("")
        if op is not None:
            text = Text(visible(op.target))
            if op.problems:  # a corrupt record: what could not be read, never acted on
                text.append("\n" + visible(op.unreadable))
            if op.error is not None:
                text.append("\n")
                text.append_text(error_text(op))
        self.query_one("#o-detail", Static).update(text)

    def on_virtual_table_cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        self._show_detail(event.row)  # type: ignore[arg-type]

    def on_virtual_table_columns_changed(self) -> None:
        self.query_one(TableHeader).refresh_header()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        op = self.query_one(VirtualTable).current
        if op is not None:
            self.app.push_screen(OperationScreen(op.id))

    def action_cancel(self) -> None:
        ask_cancel(self, self.query_one(VirtualTable).current, self.flash, self._cancel)

    @work(exclusive=True, exit_on_error=False, group="ops-write")
    async def _cancel(self, op: Operation) -> None:
        await self.ctx.operations.cancel(op.id)
        self.flash(f"cancel requested: {op.target}")
        self.reload(keep_cursor=True)

    def action_close(self) -> None:
        self.dismiss(None)


class OperationScreen(_ReadEverySecond, ModalScreen[None]):
    """One operation: what, who, when, each step with its progress, the result or ARM's error in full."""

    DEFAULT_CSS = """
    OperationScreen { align: center middle; }
    OperationScreen > Vertical { width: 110; max-width: 98%; height: 90%; border: round $accent; background: $surface; }
    OperationScreen VerticalScroll { height: 1fr; padding: 0 1; }
    """
    WRITES = frozenset({"cancel"})
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="op.close"),
        Binding("c", "cancel", "Cancel operation", id="op.cancel"),
    ]

    FAILURES = {"reload": "could not read the operation", "_cancel": "could not cancel"}

    def __init__(self, op_id: str) -> None:
        super().__init__()
        self.op_id = op_id
        self.op: Operation | None = None

    def flash(self, message: str, severity: str = "info") -> None:
        self.app.notify(visible(message), severity="error" if severity == "error" else "information", markup=False)

    READ_FAILS_IN = ("#op-body", "the operation")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Operation", style="bold"), id="op-title")
            with VerticalScroll():
                yield Static("reading…", id="op-body", markup=False)
            yield Static(Text("c cancel · esc back", style="italic"))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        self.reload()
        self.set_interval(REFRESH, self.reload)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.app.allows(self, action)  # type: ignore[attr-defined]

    @work(exclusive=True, exit_on_error=False, group="op")
    async def reload(self) -> None:
        op = await self.ctx.operations.require(self.op_id)
        self.op = op
        self.query_one("#op-body", Static).update(render_operation(op))

    def action_cancel(self) -> None:
        ask_cancel(self, self.op, lambda line: self.app.notify(line, markup=False), self._cancel)

    @work(exclusive=True, exit_on_error=False, group="op-write")
    async def _cancel(self, op: Operation) -> None:
        try:
            await self.ctx.operations.cancel(op.id)
            self.app.notify(f"cancel requested: {visible(op.target)}", markup=False)
        finally:
            self.reload()

    def action_close(self) -> None:
        self.dismiss(None)


def render_operation(op: Operation) -> Text:
    t = Text()
    rows = [("kind", op.kind), ("target", op.target), ("state", op.unreadable or op.state), ("done", format_percent(op.progress)),
            ("elapsed", format_duration(op.elapsed())), ("started", op.started_at), ("by", op.started_by)]
    if op.finished_at:
        rows.append(("finished", op.finished_at))
    if op.running and op.poll_url:
        rows.append(("polling", op.poll_url))
    for label, value in rows:
        t.append(f"{label:<9}", style="bold")
        t.append(visible(value) + "\n")
    t.append("\nsteps\n", style="bold")
    for i, s in enumerate(op.steps, 1):
        t.append(f" {i}. {visible(s.name)} — {s.state}")
        if s.progress is not None and s.state == "running":
            t.append(f" {format_percent(s.progress)}")
        if s.message:
            t.append(f" ({visible(s.message)})")
        t.append("\n")
    if op.error is not None:
        t.append("\n")
        t.append_text(error_text(op))
    elif op.result is not None and op.state == "succeeded":
        t.append("\nresult ", style="bold")
        t.append(visible(op.result))
    return t


def ask_cancel(screen, op: Operation | None, say, cancel) -> None:
    """``c`` on an operation: say why nothing happens (none, unreadable, already ended), else ask
    first — cancelling stops loom following it, and Azure may finish the change anyway."""
    if op is None:
        say("no operation selected")
        return
    if op.problems:
        say(f"not cancelled: the record is {visible(op.unreadable)}")
        return
    if not op.running:
        say(f"not cancelled: it is already {op.state}")
        return
    from loom_tui.screens.modals.prompt import confirm

    def answered(yes: bool | None) -> None:
        if yes:
            say(f"cancelling {visible(op.target)}…")
            cancel(op)

    screen.app.push_screen(confirm("Cancel this operation?", f"{visible(op.kind)} on {visible(op.target)}, started by "
                                   f"{visible(op.started_by)}. Azure may still finish what it accepted.", "Cancel operation"),
                           answered)
