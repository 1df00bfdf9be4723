"""Capacity: every resource of the Admin Plane and DLZ resource groups, with its state, cost and
load; filter as you type, provider / state / DLZ filters, sort on any column; a warning line when
the inventory is partial; pause, resume, scale and "pause this DLZ" for tenant admins.

The inventory comes from ``ctx.capacity.scan()`` in an exclusive worker: the listing's rows show
first, the enriched ones (runtime state, utilization, cost) replace them.  Workers only post
messages; the handlers own the widgets.  Every cell is plain text (ids and names are data).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static
from loom_tui.widgets.safe_input import SafeInput

from loom_tui.domain.capacity import NO_PORTAL, Resource
from loom_tui.services.capacity.summary import summarize
from loom_tui.services.capacity.view import SORTS, CapacityView, apply, choices
from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable
from loom_tui.domain.text import visible


from ..base import AreaScreen
from loom_tui.screens.modals.sort_picker import SortPicker, picked, sort_words
from . import cells
from .progress import LoadProgress

log = logging.getLogger("loom.capacity")

DEBOUNCE_S = 0.15
# the sort picker's columns: the table's, then the rest of ``SORTS``
SORT_LABEL = {"name": "name", "type": "type", "dlz": "DLZ", "sku": "SKU", "location": "location", "state": "state",
              "cost": "cost MTD", "utilization": "utilization 24 h", "group": "resource group", "provider": "provider",
              "subscription": "subscription", "provisioning": "provisioning state"}
LARGEST_FIRST = ("cost", "utilization")
WIDE = 110


def _r(row: dict) -> Resource:
    return row["r"]


def columns(width: int, link, currency: str | None = None) -> list[Column]:
    """The table's columns for ``width``; with one ``currency`` for every cost, the cost column's
    title names it (else each amount carries its code: currencies are never mixed silently)."""
    wide = width >= WIDE
    cols = [
        Column("name", "Name", 0, min_width=12, render=lambda row: ("✓ " if row.get("marked") else "") + _r(row).name,
               link=link, cut="middle"),
        Column("type", "Type", 11, render=lambda row: cells.short_type(_r(row))),
        Column("dlz", "DLZ", 12 if wide else 10, render=lambda row: _r(row).dlz),
        Column("sku", "SKU", 10 if wide else 7, render=lambda row: _r(row).sku_or_kind),
        Column("state", "State", 9, render=lambda row: cells.state(_r(row))),
        Column("cost", f"MTD {currency}" if currency else "Cost MTD", 8, align="right",
               render=lambda row: cells.cost(_r(row), currency)),
        Column("util", "Util 24h" if wide else "Util", 8 if wide else 6, align="right", render=lambda row: cells.util(_r(row)),
               sort="utilization"),
    ]
    if wide:
        cols.insert(4, Column("location", "Location", 10, render=lambda row: _r(row).location))
        cols.append(Column("group", "Resource group", 0, min_width=14, render=lambda row: _r(row).resource_group))
    return cols


class CapacityScreen(AreaScreen):
    AREA = "Capacity"
    DEFAULT_CSS = """
    CapacityScreen VirtualTable { overflow-x: hidden; }
    CapacityScreen #cap-filter { height: 1; border: none; padding: 0 1; }
    CapacityScreen #cap-filter:focus { border: none; background: $accent 30%; }
    CapacityScreen .cap-line { height: 1; padding: 0 1; }
    /* the status (a slow read's seconds and retries), the summaries and the view's filters wrap to a
       second line rather than lose their end at 80 columns */
    CapacityScreen #cap-status, CapacityScreen #cap-providers, CapacityScreen #cap-states, CapacityScreen #cap-dlz,
    CapacityScreen #cap-view { height: auto; max-height: 2; }
    CapacityScreen #cap-warning { height: auto; max-height: 2; padding: 0 1; display: none; text-style: bold; }
    CapacityScreen.-partial #cap-warning { display: block; }
    """
    WRITES = frozenset({"pause", "resume", "scale", "pause_dlz"})
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="cap.filter"),
        Binding("enter", "open", "Detail", show=False, id="cap.open"),
        Binding("f", "provider", "Provider", id="cap.provider"),
        Binding("t", "state", "State", id="cap.state"),
        Binding("l", "dlz", "DLZ", show=False, id="cap.dlz"),
        Binding("s", "sort", "Sort", id="cap.sort", tooltip="pick the column; the same one again reverses"),
        Binding("ctrl+r,r", "refresh", "Refresh", id="cap.refresh"),
        Binding("y", "copy_id", "Copy id", show=False, id="cap.copy_id"),
        Binding("Y", "copy_link", "Copy link", show=False, id="cap.copy_link"),
        Binding("p", "pause", "Pause", id="cap.pause"),
        Binding("u", "resume", "Resume", id="cap.resume"),
        Binding("c", "scale", "Scale", show=False, id="cap.scale"),
        Binding("D", "pause_dlz", "Pause DLZ", show=False, id="cap.pause_dlz"),
        Binding("a", "candidates", "Auto-pause", id="cap.candidates"),
        Binding("h", "dr", "DR", id="cap.dr", tooltip="disaster-recovery posture (health)"),
        Binding("w", "warnings", "Warnings", show=False, id="cap.warnings"),
        Binding("escape", "back", "Back", show=False, id="cap.back"),
        Binding("space", "mark", "Mark", id="cap.mark", tooltip="mark rows: p / u then pause or resume every marked one"),
    ]

    class Loaded(Message):
        def __init__(self, inventory, portal: str) -> None:
            super().__init__()
            self.inventory = inventory
            self.portal = portal

    def __init__(self) -> None:
        super().__init__()
        self.inventory = None
        self.portal = ""
        self.view = CapacityView()
        self.rows: list[Resource] = []
        self.busy = False
        self.marked: set[str] = set()  # resource ids (lower case) marked with space
        self.load = LoadProgress()  # elapsed time and retries of the running read
        self._tick: Timer | None = None
        self._debounce: Timer | None = None
        self._width = 0
        self.currency: str | None = None  # the one currency of every cost shown, if there is one

    def compose_body(self) -> ComposeResult:
        yield SafeInput(placeholder="/ filter: name, type, group, SKU, DLZ, location", id="cap-filter")
        yield Static(Text("loading…"), id="cap-status", classes="cap-line", markup=False)
        yield Static("", id="cap-providers", classes="cap-line", markup=False)
        yield Static("", id="cap-states", classes="cap-line", markup=False)
        yield Static("", id="cap-dlz", classes="cap-line", markup=False)
        yield Static("", id="cap-warning", markup=False)
        yield Static("", id="cap-view", classes="cap-line", markup=False)
        yield TableHeader("cap-table")
        yield VirtualTable(columns(80, self._link), self._fetch, id="cap-table", empty_text="No resources (yet).")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(VirtualTable).focus()
        self.ctx.throttle_listeners.append(self._retried)
        self.action_refresh()

    def on_unmount(self) -> None:
        if self._retried in self.ctx.throttle_listeners:
            self.ctx.throttle_listeners.remove(self._retried)

    def _retried(self, event) -> None:
        """A wait before a retry of any Azure call (throttled, timed out, 5xx): counted while the
        inventory is read, so a slow Azure is never silent."""
        if self.busy:
            self.load.retried(event.message)
            self.call_later(self._status)

    def _busy(self, busy: bool) -> None:
        """Start or stop the one-second tick of the elapsed time."""
        self.busy = busy
        if busy and self._tick is None:
            self._tick = self.set_interval(1.0, self._status)
        elif not busy and self._tick is not None:
            self._tick.stop()
            self._tick = None

    def on_resize(self, event) -> None:
        width = event.size.width
        changed = (width >= WIDE) != (self._width >= WIDE) or not self._width
        self._width = width
        if changed:
            self._columns()

    def _columns(self) -> None:
        table = self.query_one(VirtualTable)
        table.columns = columns(self._width or self.size.width, self._link, self.currency)
        table._widths_for = -1
        table.refresh()

    # -- gate ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action in self.WRITES and not self.ctx.session.is_tenant_admin:
            return False  # hidden; the service refuses too
        if action in ("pause", "resume", "scale"):
            r = self.current
            if r is None:
                return None  # shown disabled
            if self.marked and action != "scale":  # p / u act on the marked rows
                return any(x.acts(action) for x in self.marked_rows()) or None
            return r.acts(action) or None
        return True

    # -- data ------------------------------------------------------------------------------
    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return [{"id": r.id, "r": r, "marked": r.id.lower() in self.marked} for r in self.rows[offset:offset + limit]]

    def _link(self, row: dict) -> str | None:
        return self.ctx.capacity.link(self.portal, _r(row)) if self.portal else None

    @property
    def current(self) -> Resource | None:
        if not self.is_mounted:
            return None
        row = self.query_one(VirtualTable).current
        return None if row is None else _r(row)

    def action_refresh(self) -> None:
        self.load = LoadProgress()
        self._busy(True)
        self._status()
        self._load()

    @work(exclusive=True, exit_on_error=False, group="capacity")
    async def _load(self) -> None:
        portal = await self.ctx.capacity.portal()
        async for inv in self.ctx.capacity.scan():
            self.post_message(self.Loaded(inv, portal))

    def worker_failed(self, worker, error: BaseException) -> bool:
        """The inventory failed: loading stops; the message says how long it tried."""
        if worker.name == "_load":
            self._busy(False)
            self._status()
        return False

    @property
    def FAILURES(self) -> dict:  # type: ignore[override]  # the time taken is part of the headline
        return {"_load": f"could not read the inventory ({self.load.words()})"}

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.inventory, self.portal = event.inventory, event.portal
        self._busy(not event.inventory.enriched)
        if event.inventory.enriched:
            log.info("capacity inventory read in %s, %d warning(s)", self.load.words(), len(event.inventory.failures))
        currencies = {r.currency for r in event.inventory.rows if r.cost_mtd is not None and r.currency}
        currency = currencies.pop() if len(currencies) == 1 else None
        if currency != self.currency:
            self.currency = currency
            self._columns()
        self._apply(keep_cursor=True)
        self._summary()

    def _apply(self, keep_cursor: bool = False) -> None:
        inv = self.inventory
        if inv is None:
            return
        try:
            self.rows = apply(inv.rows, self.view)
        except ValueError as exc:
            self.flash(str(exc), "error")
            return
        table = self.query_one(VirtualTable)
        table.sorted_by = (self.view.sort, self.view.descending)
        active = self._filters()
        table.empty_text = (f"No resources match {visible(' · '.join(active))} (of {len(inv.rows)}) · esc clears the filters"
                            if active and inv.rows else "No resources (yet).")
        table.reset(len(self.rows), keep_cursor=keep_cursor)
        self.query_one(TableHeader).refresh_header()
        self._status()
        self.refresh_bindings()

    def _status(self) -> None:
        inv = self.inventory
        if inv is None:
            text = f"loading the inventory… {self.load.words()}" if self.busy else "no inventory · ctrl+r to retry"
        else:
            total = len(inv.rows)
            shown = len(self.rows)
            text = f"PARTIAL: {len(inv.failures)} failed · " if inv.partial else ""
            text += f"{shown} of {total} resources" if shown != total else f"{total} resources"
            text += f" · {len(inv.targets)} RGs · as of {inv.as_of:%Y-%m-%d %H:%M:%S}Z"
            if self.marked:
                text += f" · {len(self.marked)} marked (p / u act on them, esc clears)"
            if self.busy:
                text += f" · reading state, metrics, cost… {self.load.words()}"
        self.query_one("#cap-status", Static).update(Text(text))
        v = self.view
        parts = ["sort: " + sort_words(SORT_LABEL.get(v.sort, v.sort), v.descending), f"provider: {v.provider or 'all'}", f"state: {v.state or 'all'}"]
        if v.dlz:
            parts.append(f"DLZ: {v.dlz}")
        if v.text:
            parts.append(f"filter: {v.text}")
        self.query_one("#cap-view", Static).update(Text(visible(" · ".join(parts)), style="italic"))

    def _summary(self) -> None:
        inv = self.inventory
        s = summarize(inv.rows)
        providers = " · ".join(f"{p.split('.', 1)[-1]} {n}" for p, n in s.top_providers(6))
        self.query_one("#cap-providers", Static).update(Text(visible(f"by provider: {providers}")))
        states = " · ".join(f"{st} {n}" for st, n in s.by_state)
        self.query_one("#cap-states", Static).update(Text(visible(f"by state: {states}")))
        dlz = " · ".join(f"{d.dlz} {d.resources} res CU {d.cu_equivalent:g}" for d in sorted(s.by_dlz, key=lambda d: -d.cu_equivalent))
        self.query_one("#cap-dlz", Static).update(Text(visible(f"by DLZ (CU-eq. 24 h): {dlz}")))
        self.set_class(inv.partial, "-partial")
        if inv.partial:
            first = inv.failures[0].line()
            more = f" (+{len(inv.failures) - 1} more: w lists them)" if len(inv.failures) > 1 else " (w shows it in full)"
            self.query_one("#cap-warning", Static).update(Text(visible(f"warning: partial results: {first}{more}")))

    def filter_dlz(self, domain: str) -> None:
        """Show one landing zone's resources (``:`` jumps here by the DLZ's name)."""
        self._set_view(dlz=domain)

    def _set_view(self, **changes) -> None:
        self.view = replace(self.view, **changes)
        self._apply()

    # -- filter / sort ---------------------------------------------------------------------
    @on(Input.Changed, "#cap-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value
        self._debounce = self.set_timer(DEBOUNCE_S, lambda: self._set_view(text=value.strip()))

    @on(Input.Submitted, "#cap-filter")
    def _filter_submitted(self) -> None:
        self.query_one(VirtualTable).focus()

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#cap-filter", Input))

    def _filters(self) -> list[str]:
        """The filters in force, as the view line names them."""
        v = self.view
        named = [("provider", v.provider), ("state", v.state), ("DLZ", v.dlz), ("filter", v.text)]
        return [f"{label}: {value}" for label, value in named if value]

    def action_back(self) -> None:
        """``esc`` clears every filter (the text, provider, state and DLZ ones) and every mark at once."""
        self.clear_marks()
        box = self.query_one("#cap-filter", Input)
        if box.has_focus or box.value or self._filters():
            box.value = ""
            if self._debounce is not None:
                self._debounce.stop()
            self._set_view(text="", provider=None, state=None, dlz=None)
            self.query_one(VirtualTable).focus()

    def _cycle(self, field: str) -> None:
        if self.inventory is None:
            return
        values = [None, *choices(self.inventory.rows)[field]]
        current = getattr(self.view, field)
        i = values.index(current) if current in values else 0
        self._set_view(**{field: values[(i + 1) % len(values)]})

    def action_provider(self) -> None:
        self._cycle("provider")

    def action_state(self) -> None:
        self._cycle("state")

    def action_dlz(self) -> None:
        self._cycle("dlz")

    def action_sort(self) -> None:
        """The sort picker: every column; the current one again reverses."""
        options = [(key, SORT_LABEL.get(key, key)) for key in SORT_LABEL if key in SORTS]

        def chosen(key: str | None) -> None:
            if key is not None:
                sort, descending = picked(self.view.sort, self.view.descending, key, LARGEST_FIRST)
                self._set_view(sort=sort, descending=descending)

        self.app.push_screen(SortPicker(options, self.view.sort, self.view.descending), chosen)

    @on(VirtualTable.ColumnsChanged)
    def _columns_changed(self) -> None:
        self.query_one(TableHeader).refresh_header()

    @on(VirtualTable.CursorMoved)
    def _moved(self) -> None:
        self.refresh_bindings()

    # -- copy ------------------------------------------------------------------------------
    def action_copy_id(self) -> None:
        r = self.current
        if r is None:
            self.flash("no resource selected", "warning")
            return
        self.app.copy_to_clipboard(r.id)
        self.flash(f"copied id {r.id} (OSC 52: your terminal must allow clipboard writes)", "ok")

    def action_copy_link(self) -> None:
        r = self.current
        if r is None:
            self.flash("no resource selected", "warning")
            return
        if not self.portal:
            self.flash(f"{NO_PORTAL}: it publishes no portal address, so there is no link to copy (y copies the id)", "warning")
            return
        link = self.ctx.capacity.link(self.portal, r)
        self.app.copy_to_clipboard(link)
        self.flash(f"copied portal link {link}", "ok")

    # -- views -----------------------------------------------------------------------------
    def action_open(self) -> None:
        r = self.current
        if r is not None:
            from .detail import CapacityDetail

            self.app.push_screen(CapacityDetail(r, self.portal))

    @on(VirtualTable.RowSelected)
    def _selected(self, event: VirtualTable.RowSelected) -> None:
        self.action_open()

    def action_candidates(self) -> None:
        if self.inventory is None:
            self.flash("the inventory is still loading", "warning")
            return
        from .candidates import CandidatesScreen

        self.app.push_screen(CandidatesScreen(self.inventory.rows))

    def action_dr(self) -> None:
        if self.inventory is None:
            self.flash("the inventory is still loading", "warning")
            return
        from .posture import PostureScreen

        self.app.push_screen(PostureScreen(self.inventory.rows))

    def action_warnings(self) -> None:
        inv = self.inventory
        if inv is None or not inv.failures:
            self.flash("no warnings: the inventory is complete")
            return
        from .warnings import WarningsScreen

        self.app.push_screen(WarningsScreen(inv.failures))

    # -- actions ---------------------------------------------------------------------------
    def action_pause(self) -> None:
        self._act("pause")

    def action_resume(self) -> None:
        self._act("resume")

    def action_scale(self) -> None:
        r = self.current
        if r is None:
            return
        from .actions import scale_flow

        scale_flow(self, r)

    def action_pause_dlz(self) -> None:
        r = self.current
        if r is None or not r.dlz:
            self.flash("select a resource of the landing zone to pause", "warning")
            return
        from .actions import pause_dlz_flow

        pause_dlz_flow(self, r.dlz, [x for x in self.inventory.rows if x.dlz == r.dlz])

    def _act(self, verb: str) -> None:
        if self.marked:
            from .actions import bulk_flow

            bulk_flow(self, self.marked_rows(), verb)
            return
        r = self.current
        if r is None:
            return
        from .actions import pause_resume_flow

        pause_resume_flow(self, r, verb)

    # -- marks (k9s's space) ---------------------------------------------------------------
    def marked_rows(self) -> list[Resource]:
        rows = self.inventory.rows if self.inventory is not None else []
        return [r for r in rows if r.id.lower() in self.marked]

    def action_mark(self) -> None:
        r = self.current
        if r is None:
            return
        key = r.id.lower()
        self.marked.symmetric_difference_update({key})
        table = self.query_one(VirtualTable)
        table.reset(len(self.rows), keep_cursor=True)
        table.action_cursor(1)
        self._status()
        self.refresh_bindings()

    def clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            self.query_one(VirtualTable).reset(len(self.rows), keep_cursor=True)
            self._status()
            self.refresh_bindings()

    def action_done(self, message: str, ok: bool) -> None:
        self.flash(message, "ok" if ok else "error")
        self.action_refresh()

    @staticmethod
    def stamp(dt: datetime) -> str:
        return f"{dt:%H:%M:%S}Z"
