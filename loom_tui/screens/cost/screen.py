"""Cost (key 4): who pays for what.

One worker (``_load``) asks the cost service for the page the view state names and posts it; the
handlers own the widgets.  The chargeback table switches view (``v``: workspace, domain, tenant,
resource group, service, type; ``g``: any tag), drills down with enter (workspace → its
resources → a resource's days) and back with esc.  Daily bars and the month-to-date gauge print
their numbers, so they read without colour at 80x24.  Names (workspaces, resources, tags) are
data: plain ``Text`` only, control characters made visible.  Importing and exporting touch only
local files (the cost cache, an export file), never Azure or the shared store.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from loom_tui.domain.text import is_hostile, visible
from loom_tui.widgets.cost_charts import MoneyColumns, forecast_gauge, money
from loom_tui.widgets.virtual_table import Column, VirtualTable

from ..base import AreaScreen
from .model import CostPage, ViewState, copy_state


def _money_cell(row: dict) -> str:
    return "no data yet" if row.get("pending") else money(row["cost"])


COLUMNS = {
    "chargeback": [Column("name", "Name"), Column("cost", "Cost", 14, _money_cell, "right"), Column("share", "Share", 7, align="right"),
                   Column("key", "Key", 0, lambda r: r.get("key") or "")],
    "resources": [Column("name", "Resource"), Column("type", "Type"), Column("rg", "Resource group"),
                  Column("cost", "Cost", 14, _money_cell, "right")],
    "days": [Column("name", "Day", 12), Column("cost", "Cost", 14, _money_cell, "right")],
}


class TableHead(Static):
    """The column titles above the table (plain text, cut to the table's widths)."""


class CostScreen(AreaScreen):
    AREA = "Cost"
    DEFAULT_CSS = """
    CostScreen #cost-status { height: auto; padding: 0 1; }
    CostScreen #cost-body { padding: 0 1; }
    CostScreen #cost-title { height: 1; text-style: bold; }
    CostScreen TableHead { height: 1; text-style: bold; }
    CostScreen #cost-table { height: 9; }
    CostScreen .cost-section { margin-top: 1; height: auto; text-style: bold; }
    CostScreen #cost-gauge, CostScreen #cost-anomalies, CostScreen #cost-idle, CostScreen #cost-notes { height: auto; }
    CostScreen #cost-anomalies, CostScreen #cost-idle, CostScreen #cost-notes { text-wrap: nowrap; text-overflow: ellipsis; }
    CostScreen #cost-notes { color: $text-muted; }
    """
    BINDINGS = [
        Binding("v", "next_view", "View", id="cost.view"),
        Binding("g", "tag_view", "By tag", id="cost.tag"),
        Binding("t", "next_timeframe", "Timeframe", id="cost.timeframe"),
        Binding("f", "custom_range", "From–to", show=False, id="cost.range"),
        Binding("l", "toggle_source", "Source", id="cost.source", tooltip="live Cost Management or imported exports"),
        Binding("a", "toggle_kind", "Actual/amortized", id="cost.kind"),
        Binding("c", "next_currency", "Currency", show=False, id="cost.currency"),
        Binding("escape,backspace", "back", "Back", show=False, id="cost.back"),
        Binding("x", "export", "Export", id="cost.export"),
        Binding("I", "import_exports", "Import", id="cost.import"),
        Binding("B", "budgets", "Budgets", id="cost.budgets", tooltip="budgets, spend against them, alerts"),
        Binding("ctrl+r,r", "refresh", "Refresh", id="cost.refresh"),
    ]

    class Loaded(Message):
        def __init__(self, page: CostPage) -> None:
            super().__init__()
            self.page = page

    def __init__(self) -> None:
        super().__init__()
        self.state = ViewState()
        self.page: CostPage | None = None
        self.busy = False
        self.loaded_at: datetime | None = None

    FAILURES = {"_load": "cost", "_tag_view": "could not read the tag keys", "_export": "export failed"}

    def worker_failed(self, worker, error: BaseException) -> bool:
        """A read that failed stops loading and keeps showing what was there, in its own state."""
        if worker.name == "_load":
            self.busy = False
            if self.page is not None:
                self.state = copy_state(self.page.state)
            self._status()
        return False

    def compose_body(self) -> ComposeResult:
        yield Static(Text("loading…"), id="cost-status", markup=False)
        with VerticalScroll(id="cost-body"):
            yield Static("", id="cost-title", markup=False)
            yield TableHead("", markup=False)
            yield VirtualTable(COLUMNS["chargeback"], page_size=200, empty_text="No cost in this period.", id="cost-table")
            yield Static(Text("Month to date and forecast", style="bold"), classes="cost-section", markup=False)
            yield Static("", id="cost-gauge", markup=False)
            yield Static("", id="cost-daily-title", classes="cost-section", markup=False)
            yield MoneyColumns("No cost.", id="cost-daily")
            yield Static(Text("Anomalies", style="bold"), classes="cost-section", markup=False)
            yield Static("", id="cost-anomalies", markup=False)
            yield Static(Text("Idle: estimated monthly saving", style="bold"), classes="cost-section", markup=False)
            yield Static("", id="cost-idle", markup=False)
            yield Static("", id="cost-notes", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#cost-table", VirtualTable)
        table.focus()
        try:
            self.ctx.cost.require_admin()
        except Exception as exc:  # what the CLI says: cost is tenant-wide, for tenant admins
            table.empty_text = str(exc)[:1].upper() + str(exc)[1:] + "."
        self._start()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action in ("export", "import_exports", "budgets") and not self.ctx.session.is_tenant_admin:
            return False  # not offered: the service refuses a viewer's cost anyway
        return True

    # -- loading ---------------------------------------------------------------------------
    def action_refresh(self) -> None:
        """``r``: read again (and, on the live source, ask Cost Management again)."""
        self._start(refresh=True)

    def _start(self, refresh: bool = False) -> None:
        self.busy = True
        self._status()
        self._load(copy_state(self.state), refresh)

    @work(exclusive=True, exit_on_error=False, group="cost")
    async def _load(self, state: ViewState, refresh: bool = False) -> None:
        from .load import load_page

        page = await load_page(self.ctx.cost, state, refresh=refresh)
        self.post_message(self.Loaded(page))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        p = event.page
        self.busy = False
        self.page = p
        self.state = copy_state(p.state)
        self.loaded_at = datetime.now(timezone.utc)
        table = self.query_one("#cost-table", VirtualTable)
        table.columns = COLUMNS[p.columns]
        table._widths_for = -1  # noqa: SLF001 - new columns: measure again
        rows = p.rows

        async def fetch(offset: int, limit: int) -> list[dict]:
            return rows[offset: offset + limit]

        table.reset(len(rows), fetch)
        crumbs = " › ".join([p.title.split(" of ")[0] if p.state.path else p.title] + [visible(lbl) for _, _, lbl in p.state.path])
        self.query_one("#cost-title", Static).update(Text(crumbs + (f"  ({visible(p.currency)})" if p.currency else "")))
        self._head()
        cur = p.currency or ""
        if p.forecast is not None:
            f = p.forecast
            left = f.days_in_month - f.through.day
            note = f"through {f.through:%m-%d}: {money(f.daily_rate)} a day x {left} days left (month to date + last 7 days' average)"
            lines = forecast_gauge(f.mtd, f.forecast, max(40, self.size.width - 4), cur, note)
            self.query_one("#cost-gauge", Static).update(Text("\n").join(lines))
        else:
            self.query_one("#cost-gauge", Static).update(Text("(for the whole estate: esc back to the top)" if p.state.path else "No cost this month."))
        period = p.query.period
        assert period is not None
        self.query_one("#cost-daily-title", Static).update(Text(f"Daily cost {period.start} – {period.last} (UTC)", style="bold"))
        chart = self.query_one("#cost-daily", MoneyColumns)
        chart.currency = cur
        chart.through = p.through
        chart.days = tuple(p.daily)
        self.query_one("#cost-anomalies", Static).update(self._anomalies_text(p))
        self.query_one("#cost-idle", Static).update(self._idle_text(p))
        self.query_one("#cost-notes", Static).update(Text("\n".join(visible(n) for n in p.notes)))
        self._status()

    def _anomalies_text(self, p: CostPage) -> Text:
        if p.state.path:
            return Text("(for the whole estate: esc back to the top)")
        if not p.anomalies:
            return Text("None in this period.")
        lines = [f"{a.day:%m-%d} {a.kind:<15} {visible(a.key)[:28]:<28} {money(a.amount):>12}" for a in p.anomalies[:8]]
        if len(p.anomalies) > 8:
            lines.append(f"… {len(p.anomalies) - 8} more (loom cost anomalies)")
        return Text("\n".join(lines), no_wrap=True, overflow="ellipsis")

    def _idle_text(self, p: CostPage) -> Text:
        if p.idle is None:
            return Text("(for the whole estate: esc back to the top)")
        out = []
        for f in p.idle.findings[:8]:
            saving = money(f.monthly_saving) if f.monthly_saving is not None else "?"
            out.append(f"{saving:>10} {visible(f.currency)} {visible(f.name)[:30]:<30} {f.kind}: {visible(f.action)}")
        if len(p.idle.findings) > 8:
            out.append(f"… {len(p.idle.findings) - 8} more (loom cost idle)")
        if not out:
            out.append("Nothing idle found.")
        out += [f"not checked: {n}" for n in p.idle.not_checked]
        return Text("\n".join(out), no_wrap=True, overflow="ellipsis")

    def _head(self) -> None:
        table = self.query_one("#cost-table", VirtualTable)
        width = max(10, table.size.width or self.size.width - 3)
        self.query_one(TableHead).update(table.header_text(width) if hasattr(table, "header_text") else Text(""))

    @on(VirtualTable.ColumnsChanged)
    def _columns_changed(self) -> None:
        self._head()

    def _status(self) -> None:
        s, p = self.state, self.page
        when = f"{s.custom[0]}..{s.custom[1]}" if s.custom else s.timeframe
        text = f"{s.source} · {s.kind} · {when} · by {s.by}"
        if p is not None and len(p.currencies) > 1:
            others = ", ".join(visible(c) for c in p.currencies if c != p.currency)
            text += f" · {visible(p.currency)} (also {others}: c switches)" if p.currency else ""
        if self.busy:
            text = "loading… " + text
        elif p is not None:
            as_of = f"{p.as_of:%Y-%m-%d %H:%M} UTC" if p.as_of else "never"
            text += f" · data as of {as_of}"
            if not p.data_rows:
                text += " · no cost data: I imports exports"
        self.query_one("#cost-status", Static).update(Text(text))

    # -- keys ------------------------------------------------------------------------------
    def _reload(self) -> None:
        self._start(refresh=False)

    def action_next_view(self) -> None:
        self.state.next_view()
        self._reload()

    def action_tag_view(self) -> None:
        self._tag_view()

    @work(exclusive=True, exit_on_error=False, group="cost-tags")
    async def _tag_view(self) -> None:
        """Offers the tag keys the data has; a key it does not have is refused, saying so (it
        would show everything as unallocated)."""
        from loom_tui.errors import ValidationError
        from loom_tui.screens.modals.prompt import TextPrompt

        keys = await self.ctx.cost.tag_keys(self.state.source)
        if not keys:
            self.flash("the cost data has no tags to group by", "warning")
            return
        by_lower = {k.lower(): k for k in keys}

        async def submit(key: str) -> str:
            key = key.strip()
            if not key or any(map(is_hostile, key)):
                raise ValidationError("tag", "type a tag name, e.g. " + keys[0])
            if key.lower() not in by_lower:
                raise ValidationError("tag", f"no tag {key!r} in this cost data; it has: " + ", ".join(keys))
            return by_lower[key.lower()]

        def chosen(key: str | None) -> None:
            if key:
                self.state.by, self.state.path = f"tag:{key}", []
                self._reload()

        self.app.push_screen(TextPrompt("Cost by tag", "Tag name, one of: " + visible(", ".join(keys)), submit), chosen)

    def action_next_timeframe(self) -> None:
        self.state.next_timeframe()
        self._reload()

    def action_custom_range(self) -> None:
        from loom_tui.screens.modals.prompt import TextPrompt
        from loom_tui.errors import ValidationError

        async def submit(text: str) -> tuple[date, date]:
            try:
                a, b = text.replace("..", " ").split()
                start, end = date.fromisoformat(a), date.fromisoformat(b)
            except ValueError:
                raise ValidationError("range", "two days, e.g. 2026-10-01 2026-10-31") from None
            if end < start:
                raise ValidationError("range", "the second day is before the first")
            return start, end

        def chosen(value) -> None:
            if isinstance(value, tuple):
                self.state.custom, self.state.path = value, []
                self._reload()

        self.app.push_screen(TextPrompt("Custom range", "From and to (both included), YYYY-MM-DD YYYY-MM-DD:", submit), chosen)

    def action_toggle_source(self) -> None:
        self.state.source = "live" if self.state.source == "exports" else "exports"
        self._reload()

    def action_toggle_kind(self) -> None:
        self.state.kind = "amortized" if self.state.kind == "actual" else "actual"
        self._reload()

    def action_next_currency(self) -> None:
        p = self.page
        if p is None or len(p.currencies) < 2:
            self.flash("one currency only")
            return
        self.state.currency = p.currencies[(p.currencies.index(p.currency) + 1) % len(p.currencies)] if p.currency else p.currencies[0]
        self._reload()

    def action_back(self) -> None:
        if self.state.path:
            self.state.path.pop()
            self._reload()

    @on(VirtualTable.RowSelected)
    def _drill(self, event: VirtualTable.RowSelected) -> None:
        row = event.row
        if row.get("total") or self.state.level == "days":
            return
        if self.state.level == "chargeback":
            self.state.path.append((row["dim"], row["key"], row["name"]))
        elif row.get("key"):
            self.state.path.append(("resource", row["key"], row["name"]))
        else:
            return
        self._reload()

    def action_export(self) -> None:
        from loom_tui.screens.modals.prompt import ChoicePrompt

        if self.page is None:
            self.flash("nothing to export yet")
            return

        def chosen(fmt: str | None) -> None:
            if fmt:
                self._export(fmt)

        self.app.push_screen(ChoicePrompt("Export this view", "The table as a file in the data folder:",
                                          [("CSV", "csv"), ("JSON", "json"), ("Markdown", "markdown")]), chosen)

    @work(exclusive=True, exit_on_error=False, group="cost-export")
    async def _export(self, fmt: str) -> None:
        import asyncio

        from .export import export_page

        path = await asyncio.to_thread(export_page, self.page, fmt, self.ctx.cost.db_path.parent / "exports")
        self.flash(f"exported to {visible(path)}")

    def action_budgets(self) -> None:
        from .budgets import BudgetsScreen

        self.app.push_screen(BudgetsScreen())

    def action_import_exports(self) -> None:
        from loom_tui.screens.modals.prompt import TextPrompt

        async def submit(text: str):
            paths = [p for p in text.split() if p]
            if not paths:
                from loom_tui.errors import ValidationError

                raise ValidationError("path", "a file or folder of cost exports")
            return await self.ctx.cost.import_paths([str(Path(p).expanduser()) for p in paths])

        def done(result) -> None:
            if result and result is not True:
                replaced = sum(len(f.superseded) for f in result.files)
                self.flash(f"imported {result.rows:,} rows from {result.imported} file(s)"
                           + (f"; {len(result.files) - result.imported} skipped" if len(result.files) > result.imported else "")
                           + (f"; {replaced} file(s) of earlier runs superseded" if replaced else ""))
                self._reload()

        self.app.push_screen(TextPrompt("Import cost exports", "Files or folders (FOCUS, EA/MCA; .csv, .csv.gz, .parquet):", submit,
                                        hint="all or nothing: a bad file imports nothing"), done)
