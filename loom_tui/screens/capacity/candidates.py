"""Which capacities auto-pause would pick now, and why each is kept or picked.  ``w`` changes
the idle window, ``+``/``-`` the threshold; ``p`` pauses what it picked, after one confirmation
that lists each (tenant admins; ``pause-idle`` does the same from cron)."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from loom_tui.services.capacity.autopause import describe
from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable
from loom_tui.domain.text import visible


from ..base import AreaScreen

WINDOWS = (timedelta(minutes=30), timedelta(hours=1), timedelta(hours=2), timedelta(hours=4), timedelta(hours=8), timedelta(days=1))
THRESHOLDS = (1.0, 2.0, 5.0, 10.0, 20.0)

COLUMNS = [
    Column("verdict", "Auto", 5, render=lambda row: row["d"].verdict.upper()),
    Column("name", "Name", 18, render=lambda row: row["d"].resource.name),
    Column("state", "State", 8, render=lambda row: row["d"].resource.state or ""),
    Column("reason", "Why", 0, min_width=20, render=lambda row: row["d"].reason),
]


class CandidatesScreen(AreaScreen):
    AREA = "Capacity"
    WRITES = frozenset({"pause_picked"})
    DEFAULT_CSS = "CandidatesScreen VirtualTable { overflow-x: hidden; } CandidatesScreen .ap-line { height: auto; padding: 0 1; }"
    BINDINGS = [
        Binding("escape", "close", "Back", id="capap.back"),
        Binding("w", "window", "Window", id="capap.window"),
        Binding("plus", "threshold(1)", "Threshold +", id="capap.more"),
        Binding("minus", "threshold(-1)", "Threshold -", id="capap.less"),
        Binding("ctrl+r", "reload", "Recheck", id="capap.reload"),
        Binding("p", "pause_picked", "Pause picked", id="capap.pause"),
    ]

    class Loaded(Message):
        def __init__(self, decisions) -> None:
            super().__init__()
            self.decisions = decisions

    FAILURES = {"action_reload": "could not decide"}

    def worker_failed(self, worker, error: BaseException) -> bool:
        """The decision failed: said on the status line (an unforeseen error also opens the dialog)."""
        from loom_tui.errors import LoomError

        self._status(f"could not decide: {error}")
        return isinstance(error, LoomError)

    def __init__(self, rows) -> None:
        super().__init__()
        self.rows = rows
        self.window = WINDOWS[2]
        self.threshold = 5.0
        self.decisions = []

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ap-status", classes="ap-line", markup=False)
        yield TableHeader("ap-table")
        yield VirtualTable(COLUMNS, self._fetch, id="ap-table", empty_text="No pausable capacity in the inventory.")
        yield Static("", id="ap-why", classes="ap-line", markup=False)  # the cursor row's reason in full
        yield Static(Text("cron: loom capacity pause-idle --idle-for 2h --threshold 5  (see the README)", style="italic"),
                     classes="ap-line", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(VirtualTable).focus()
        self.action_reload()

    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return [{"id": d.resource.id, "d": d} for d in self.decisions[offset:offset + limit]]

    def _status(self, text: str = "") -> None:
        picked = sum(1 for d in self.decisions if d.pause)
        head = f"auto-pause would pick {picked} of {len(self.decisions)}" if self.decisions else "checking metrics…"
        line = f"{head} · idle for {describe(self.window)} (w) · under {self.threshold:g} % (+/-)"
        self.query_one("#ap-status", Static).update(Text(visible(text or line)))

    @work(exclusive=True, exit_on_error=False, group="capap")
    async def action_reload(self) -> None:
        self._status()
        self.post_message(self.Loaded(await self.ctx.capacity.decisions(self.rows, idle_for=self.window, threshold=self.threshold)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.decisions = sorted(event.decisions, key=lambda d: (not d.pause, d.resource.name.lower()))
        self.query_one(VirtualTable).reset(len(self.decisions))
        self.query_one(TableHeader).refresh_header()
        self._status()
        self.refresh_bindings()
        self.call_after_refresh(self._why)

    @on(VirtualTable.CursorMoved)
    def _why(self, event=None) -> None:
        """The Why column is cut at 80 columns: the cursor row's reason, whole, under the table."""
        row = self.query_one(VirtualTable).current
        d = row["d"] if row else None
        self.query_one("#ap-why", Static).update(
            Text(visible(f"{d.resource.name}: {d.verdict} — {d.reason}") if d else "", style="italic"))

    @on(VirtualTable.ColumnsChanged)
    def _columns(self) -> None:
        self.query_one(TableHeader).refresh_header()

    def action_window(self) -> None:
        self.window = WINDOWS[(WINDOWS.index(self.window) + 1) % len(WINDOWS)]
        self.action_reload()

    def action_threshold(self, step: int) -> None:
        i = THRESHOLDS.index(self.threshold) if self.threshold in THRESHOLDS else 2
        self.threshold = THRESHOLDS[max(0, min(len(THRESHOLDS) - 1, i + step))]
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "pause_picked":
            if not self.ctx.session.is_tenant_admin:
                return False  # hidden; the service refuses too
            return any(d.pause for d in self.decisions) or None  # shown disabled until something is picked
        return True

    def action_pause_picked(self) -> None:
        from .actions import pause_picked_flow

        pause_picked_flow(self, self.decisions)

    def action_close(self) -> None:
        self.app.pop_screen()
