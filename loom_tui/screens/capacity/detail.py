"""One resource: facts, tags, the metrics chart (24 h / 7 d), cost per day, recent operations, and
the ARM document as Azure sent it (literal text, never markup)."""

from __future__ import annotations

import json

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from loom_tui.domain.capacity import NO_PORTAL, Resource
from loom_tui.domain.text import visible


from ..base import AreaScreen
from . import cells
from .chart import chart_lines, cost_lines

WINDOWS = {"24h": 24, "7d": 24 * 7}


class CapacityDetail(AreaScreen):
    AREA = "Capacity"
    DEFAULT_CSS = """
    CapacityDetail #detail-body { padding: 0 1; }
    CapacityDetail .detail-title { margin-top: 1; text-style: bold; height: auto; }
    CapacityDetail Static { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back", id="capd.back"),
        Binding("w", "window", "24h/7d", id="capd.window"),
        Binding("y", "copy_id", "Copy id", show=False, id="capd.copy_id"),
        Binding("Y", "copy_link", "Copy link", show=False, id="capd.copy_link"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="capd.reload"),
    ]

    class Loaded(Message):
        def __init__(self, part: str, value) -> None:
            super().__init__()
            self.part, self.value = part, value

    # each part says its own error in its place (a missing chart is no reason to hide the rest)
    PARTS = {"_arm": ("#detail-arm", "could not read"), "_chart": ("#detail-chart", "no metrics"),
             "_cost": ("#detail-cost", "could not read"), "_ops": ("#detail-ops", "could not read")}
    FAILURES = {"_arm": "could not read the ARM document", "_chart": "could not read the metrics",
                "_cost": "could not read the cost per day", "_ops": "could not read the recent operations"}

    def worker_failed(self, worker, error: BaseException) -> bool:
        """A part that failed says so in its place; loom's own errors only there (an unforeseen one
        also opens the error dialog)."""
        from loom_tui.errors import LoomError

        if worker.name not in self.PARTS:
            return False
        where, what = self.PARTS[worker.name]
        self.query_one(where, Static).update(Text(visible(f"{what}: {error}")))
        return isinstance(error, LoomError)

    def __init__(self, resource: Resource, portal: str) -> None:
        super().__init__()
        self.resource = resource
        self.portal = portal
        self.window = "24h"

    def compose_body(self) -> ComposeResult:
        r = self.resource
        with VerticalScroll(id="detail-body"):
            yield Static(Text(visible(f"{r.name} · {cells.short_type(r)} · {cells.state(r)}"), style="bold"), id="detail-head")
            yield Static(self._facts(), id="detail-facts")
            yield Static(Text("Tags", style="bold"), classes="detail-title")
            yield Static(self._tags(), id="detail-tags")
            yield Static(Text("Load", style="bold"), classes="detail-title", id="detail-chart-title")
            yield Static(Text("loading…"), id="detail-chart")
            yield Static(Text("Cost per day", style="bold"), classes="detail-title")
            yield Static(Text("loading…"), id="detail-cost")
            yield Static(Text("Recent operations", style="bold"), classes="detail-title")
            yield Static(Text("loading…"), id="detail-ops")
            yield Static(Text("ARM document", style="bold"), classes="detail-title")
            yield Static(Text("loading…"), id="detail-arm")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#detail-body", VerticalScroll).focus()
        self.action_reload()

    def _facts(self) -> Text:
        r = self.resource
        link = self.ctx.capacity.link(self.portal, r) if self.portal else ""
        rows = [("id", r.id), ("type", r.type), ("resource group", r.resource_group), ("subscription", r.subscription_id),
                ("location", r.location), ("DLZ", r.dlz or "—"), ("SKU / kind", r.sku_or_kind or "—"),
                ("provisioning", r.provisioning_state or "—"),
                ("state", r.state or (r.state_note or ("—" if r.runtime is None else "unknown"))),
                ("cost MTD", cells.cost(r) + ("" if r.cost_mtd is not None else f" ({r.cost_note})" if r.cost_note else "")),
                ("utilization 24h", cells.util(r) + (f" ({r.utilization_note})" if r.utilization_note else "")),
                ("portal", link or NO_PORTAL)]
        out = Text()
        for i, (k, v) in enumerate(rows):
            if i:
                out.append("\n")
            out.append(f"{k:16} ", style="bold")
            out.append(visible(v), style=f"link {link}" if k == "portal" and link else "")
        return out

    def _tags(self) -> Text:
        tags = self.resource.tags
        if not tags:
            return Text("(none)")
        return Text("\n".join(visible(f"{k} = {v}") for k, v in sorted(tags.items())))

    def action_reload(self) -> None:
        self._arm()
        self._chart()
        self._ops()
        self._cost()

    @work(exclusive=True, exit_on_error=False, group="capd-cost")
    async def _cost(self) -> None:
        self.post_message(self.Loaded("cost", await self.ctx.capacity.cost_per_day(self.resource)))

    def action_window(self) -> None:
        self.window = "7d" if self.window == "24h" else "24h"
        self._chart()

    @work(exclusive=True, exit_on_error=False, group="capd-arm")
    async def _arm(self) -> None:
        self.post_message(self.Loaded("arm", await self.ctx.capacity.detail(self.resource)))

    @work(exclusive=True, exit_on_error=False, group="capd-chart")
    async def _chart(self) -> None:
        self.query_one("#detail-chart-title", Static).update(Text(f"Load, last {self.window} (w switches 24h / 7d)", style="bold"))
        self.post_message(self.Loaded("chart", await self.ctx.capacity.series(self.resource, WINDOWS[self.window])))

    @work(exclusive=True, exit_on_error=False, group="capd-ops")
    async def _ops(self) -> None:
        self.post_message(self.Loaded("ops", await self.ctx.capacity.recent_operations(self.resource)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if event.part == "arm":
            target = self.query_one("#detail-arm", Static)
            d = event.value
            text = json.dumps(d.arm, indent=2, ensure_ascii=True, sort_keys=True)
            target.update(Text((visible(d.arm_note) + "\n" if d.arm_note else "") + text))
        elif event.part == "chart":
            target = self.query_one("#detail-chart", Static)
            if event.value is None:
                target.update(Text("this resource type has no load metric here"))
                return
            width = max(20, self.query_one("#detail-body").size.width - 2)
            target.update(Text("\n").join(chart_lines(event.value, width)))
        elif event.part == "cost":
            target = self.query_one("#detail-cost", Static)
            series, why = event.value
            if not series:
                target.update(Text(visible(why or "no cost recorded this month")))
                return
            target.update(Text("\n").join(cost_lines(series, max(30, self.query_one("#detail-body").size.width - 2))))
        elif event.part == "ops":
            target = self.query_one("#detail-ops", Static)
            ops = event.value or []
            if not ops:
                target.update(Text("none started from loom"))
                return
            target.update(Text("\n".join(visible(line) for line in ops)))

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_copy_id(self) -> None:
        self.app.copy_to_clipboard(self.resource.id)
        self.flash(f"copied id {self.resource.id}", "ok")

    def action_copy_link(self) -> None:
        if not self.portal:
            self.flash(f"{NO_PORTAL}: it publishes no portal address, so there is no link to copy (y copies the id)", "warning")
        else:
            link = self.ctx.capacity.link(self.portal, self.resource)
            self.app.copy_to_clipboard(link)
            self.flash(f"copied portal link {link}", "ok")
