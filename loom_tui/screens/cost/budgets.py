"""The budgets view (``B`` in Cost): every budget of the profile's subscriptions and resource
groups, spend and forecast against the amount, the thresholds (a crossed one marked), and the
Azure rules a budget read from Azure breaks.  ``n`` creates one (name, amount and a contact: the
thresholds are 80 % actual and 100 % forecasted), ``e`` changes the amount (with the ETag read),
``d`` deletes (the name typed), ``c`` runs the alert check (``loom cost budgets check`` does it
from cron).  Tenant admins only, as the service says."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from loom_tui.widgets.cost_charts import money
from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable
from loom_tui.domain.text import visible

from ..base import AreaScreen


def _b(row: dict):
    return row["b"]


def _pct(part, whole) -> str:
    if part is None or not whole:
        return ""
    return f" {part / whole * 100:.0f}%"


def crossed(b) -> list[str]:
    """The thresholds spend (Actual) or forecast (Forecasted) has reached."""
    out = []
    for t in b.thresholds:
        value = b.current_spend if t.threshold_type.lower() == "actual" else b.forecast_spend
        if value is not None and b.amount and value >= b.amount * t.threshold / 100:
            out.append(f"{t.threshold.normalize():f}% {t.threshold_type.lower()}")
    return out


def _notes(b) -> str:
    from loom_tui.services.cost.budgets import broken_rules

    parts = [f"CROSSED {', '.join(crossed(b))}"] if crossed(b) else []
    broken = broken_rules(b, datetime.now(timezone.utc).date())
    if broken:
        parts.append("breaks: " + ", ".join(broken))
    return " · ".join(parts)


COLUMNS = [  # fits 80 columns: the grain, the period and the contacts are in the line under the table
    Column("name", "Name", 0, min_width=10, render=lambda r: _b(r).name),
    Column("scope", "Scope", 12, render=lambda r: _b(r).scope.rstrip("/").rsplit("/", 1)[-1], cut="middle"),
    Column("amount", "Amount", 10, align="right", render=lambda r: money(_b(r).amount)),
    Column("spent", "Spent", 14, align="right",
           render=lambda r: (money(_b(r).current_spend) + _pct(_b(r).current_spend, _b(r).amount)) if _b(r).current_spend is not None else "-"),
    Column("forecast", "Forecast", 14, align="right",
           render=lambda r: (money(_b(r).forecast_spend) + _pct(_b(r).forecast_spend, _b(r).amount)) if _b(r).forecast_spend is not None else "-"),
    Column("notes", "Thresholds / notes", 0, min_width=8, render=lambda r: _notes(_b(r)) or ", ".join(
        f"{t.threshold.normalize():f}% {t.threshold_type.lower()}" for t in _b(r).thresholds)),
]


class BudgetsScreen(AreaScreen):
    AREA = "Cost"
    WRITES = frozenset({"new", "edit", "delete", "check"})
    DEFAULT_CSS = "BudgetsScreen VirtualTable { overflow-x: hidden; } BudgetsScreen .bud-line { height: auto; max-height: 3; padding: 0 1; }"
    BINDINGS = [
        Binding("escape", "close", "Back", id="budgets.back"),
        Binding("n", "new", "New", id="budgets.new"),
        Binding("e", "edit", "Edit amount", id="budgets.edit"),
        Binding("d", "delete", "Delete", id="budgets.delete"),
        Binding("c", "check", "Check alerts", id="budgets.check", tooltip="write a notification per crossed threshold"),
        Binding("ctrl+r,r", "reload", "Refresh", id="budgets.reload"),
    ]

    class Loaded(Message):
        def __init__(self, budgets) -> None:
            super().__init__()
            self.budgets = budgets

    FAILURES = {"action_reload": "could not read the budgets",
                "action_check": "could not check the budgets"}

    def worker_failed(self, worker, error: BaseException) -> bool:
        """The list failed: said on its status line (an unforeseen error also opens the dialog)."""
        from loom_tui.errors import LoomError

        if worker.name != "action_reload":
            return False
        self.reading = False
        self.query_one("#bud-status", Static).update(Text(visible(f"could not read the budgets: {error}")))
        return isinstance(error, LoomError)

    def __init__(self) -> None:
        super().__init__()
        self.budgets: list = []
        self.reading = True

    def compose_body(self) -> ComposeResult:
        yield Static(Text("reading budgets…"), id="bud-status", classes="bud-line", markup=False)
        yield TableHeader("bud-table")
        yield VirtualTable(COLUMNS, self._fetch, id="bud-table", empty_text="No budget at the profile's scopes. n creates one.")
        yield Static("", id="bud-detail", classes="bud-line", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(VirtualTable).focus()
        self.action_reload()

    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return [{"id": b.id, "b": b} for b in self.budgets[offset:offset + limit]]

    @property
    def current(self):
        row = self.query_one(VirtualTable).current
        return row["b"] if row else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action in ("edit", "delete"):
            return self.current is not None or None
        return True

    @work(exclusive=True, exit_on_error=False, group="budgets")
    async def action_reload(self) -> None:
        self.reading = True
        self.post_message(self.Loaded(await self.ctx.budgets.list()))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.reading = False
        status = self.query_one("#bud-status", Static)
        self.budgets = sorted(event.budgets, key=lambda b: (not crossed(b), b.name.lower()))
        self.query_one(VirtualTable).reset(len(self.budgets))
        self.query_one(TableHeader).refresh_header()
        n = sum(1 for b in self.budgets if crossed(b))
        status.update(Text(f"{len(self.budgets)} budget(s) · {n} with a threshold crossed · spend and forecast as Azure reports them"))
        self.refresh_bindings()
        self.call_after_refresh(self._detail)

    @on(VirtualTable.CursorMoved)
    def _detail(self, event=None) -> None:
        """The cursor budget whole: its scope, period and every threshold with its contacts."""
        b = self.current
        if b is None:
            self.query_one("#bud-detail", Static).update("")
            return
        ts = "; ".join(f"{t.threshold.normalize():f}% {t.threshold_type.lower()} → "
                       f"{', '.join(t.contact_emails + t.contact_groups) or 'nobody'}" for t in b.thresholds)
        period = f"{b.time_grain.lower()}, {b.start or '?'} – {b.end or 'open'}"
        self.query_one("#bud-detail", Static).update(
            Text(visible(f"{b.name} at {b.scope} · {period} · {ts or 'no thresholds'}"
                           + (f" · {_notes(b)}" if _notes(b) else "")), style="italic"))

    @on(VirtualTable.ColumnsChanged)
    def _columns(self) -> None:
        self.query_one(TableHeader).refresh_header()

    # -- changes ---------------------------------------------------------------------------
    def action_new(self) -> None:
        from loom_tui.screens.modals.prompt import TextPrompt
        from loom_tui.services.cost.budgets import parse_thresholds
        from loom_tui.services.errors import ValidationError

        scopes = self.ctx.budgets.scopes()

        async def submit(text: str):
            parts = text.split()
            if len(parts) not in (3, 4):
                raise ValidationError("budget", "give NAME AMOUNT CONTACT-EMAIL [SCOPE]")
            name, amount, email = parts[:3]
            try:
                value = Decimal(amount)
            except InvalidOperation:
                raise ValidationError("amount", f"{amount!r} is not a number") from None
            scope = parts[3] if len(parts) == 4 else (scopes[0] if scopes else "")
            return await self.ctx.budgets.create(scope, name, value, thresholds=parse_thresholds(["80", "100:forecasted"], [email], []))

        where = scopes[0].rsplit("/", 1)[-1] if scopes else "no scope"
        self.app.push_screen(TextPrompt("New budget", f"NAME AMOUNT CONTACT-EMAIL [SCOPE] (default scope {where}):", submit,
                                        hint="monthly from this month; alerts at 80 % spent and 100 % forecasted"), self._changed)

    def action_edit(self) -> None:
        from loom_tui.screens.modals.prompt import TextPrompt
        from loom_tui.services.errors import ValidationError

        b = self.current
        if b is None:
            return

        async def submit(text: str):
            try:
                value = Decimal(text.strip())
            except InvalidOperation:
                raise ValidationError("amount", f"{text.strip()!r} is not a number") from None
            return await self.ctx.budgets.update(b.scope, b.name, etag=b.etag, amount=value)

        self.app.push_screen(TextPrompt(f"Amount of {visible(b.name)}", "New amount:", submit, value=f"{b.amount.normalize():f}",
                                        hint="sent with the ETag read: a change made meanwhile is refused"), self._changed)

    def action_delete(self) -> None:
        from loom_tui.widgets.confirm import TypeToConfirm

        b = self.current
        if b is None:
            return

        def answered(yes) -> None:
            if yes:
                self._delete(b)

        self.app.push_screen(TypeToConfirm("Delete budget", b.name, f"Deletes the budget {b.name} at {b.scope} and its alerts."),
                             answered)

    def _delete(self, b) -> None:
        async def delete() -> None:
            await self.ctx.budgets.delete(b.scope, b.name)
            self.flash(f"deleted budget {b.name}", "ok")
            self.action_reload()

        # a worker named with a sentence: that is the headline of its error
        self.run_worker(delete, name=f"could not delete {b.name}", group="budgets-write", exclusive=True, exit_on_error=False)

    @work(exclusive=True, exit_on_error=False, group="budgets-write")
    async def action_check(self) -> None:
        self.flash("checking every budget's thresholds…")
        res = await self.ctx.budgets.check()
        self.flash(f"{res.budgets} budget(s) checked · {len(res.crossings)} threshold(s) crossed · "
                   f"{res.written} notification(s) written now", "ok")

    def _changed(self, result) -> None:
        if result and result is not True:
            self.flash(f"saved budget {result.name} ({money(result.amount)})", "ok")
            self.action_reload()

    def action_close(self) -> None:
        self.app.pop_screen()
