"""Usage: the tenant's workspaces, items, item types and audit activity (the web console's
``/admin/usage``), from the document store.

The numbers come from ``ctx.usage`` (:mod:`loom_tui.services.usage`) in an exclusive worker; the
worker only posts messages and the handlers own the widgets.  While a refresh runs the status line
says "loading…" and the previous numbers stay on screen; it then says when they were computed.
Everything is rendered as plain ``rich.text.Text``: names of workspaces and items are data.
The body scrolls, so the whole area is reachable at 80×24.
"""

from __future__ import annotations


from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual import events
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from loom_tui.services.usage import ActivityPart, ItemsPart
from loom_tui.widgets.bars import ActivityColumns, BarList
from loom_tui.widgets.virtual_table import fit
from loom_tui.domain.text import visible

from loom_tui.screens.base import AreaScreen

TYPES_SHOWN = 12  # items by type: rows shown until "a" shows all
IDLE_SHOWN = 20  # idle workspaces listed (the card counts them all; ``loom usage --view idle`` lists all)
WIDE = 110  # from this many columns the two bar lists sit side by side


class Card(Static):
    """One number under a label (the label is in the border, so the card is 3 lines high)."""

    DEFAULT_CSS = """
    Card { width: 1fr; height: 3; border: round $primary; padding: 0 1; text-align: right; }
    """

    def __init__(self, label: str, id: str) -> None:
        super().__init__(Text("…"), id=id, markup=False)
        self.border_title = label
        self.value_text = "…"

    def show(self, value: int | None) -> None:
        self.value_text = "…" if value is None else f"{value:,}"
        self.update(Text(self.value_text, style="bold"))


class ActiveItems(Widget):
    """The most active items as a small fixed table (at most a dozen rows: no virtual table needed)."""

    DEFAULT_CSS = "ActiveItems { height: auto; width: 1fr; }"

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[str, str, str, int]] = []
        self.empty_text = "…"

    def set_rows(self, rows: list[tuple[str, str, str, int]], empty_text: str) -> None:
        self.rows, self.empty_text = rows, empty_text
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.rows) + 1 if self.rows else 1

    def render(self) -> Text:
        if not self.rows:
            return Text(self.empty_text, no_wrap=True)
        width = self.size.width
        ev_w = max(6, max(len(f"{r[3]:,}") for r in self.rows))
        rest = max(12, width - ev_w - 3)
        item_w = rest * 2 // 5
        type_w = rest // 4
        ws_w = rest - item_w - type_w
        out = Text(no_wrap=True, overflow="crop")
        out.append(f"{fit('Item', item_w)} {fit('Type', type_w)} {fit('Workspace', ws_w)} {fit('Events', ev_w, 'right')}", style="bold")
        for name, kind, ws, n in self.rows:
            out.append("\n")
            out.append(f"{fit(visible(name), item_w)} {fit(visible(kind), type_w)} {fit(visible(ws), ws_w)} {fit(f'{n:,}', ev_w, 'right')}")
        return out


def idle_text(idle: list) -> Text:
    """The longest idle workspaces: name, last opened (or "never"), items — plain text."""
    if not idle:
        return Text("Every workspace had activity in the last 30 days.")
    out = Text(no_wrap=True, overflow="ellipsis")
    for w in idle[:IDLE_SHOWN]:
        when = (w.last_accessed or "")[:10] or "never"
        out.append(f"{fit(visible(w.name), 36)} last opened {when:<10} {w.items:>6,} items\n")
    if len(idle) > IDLE_SHOWN:
        out.append(f"… and {len(idle) - IDLE_SHOWN:,} more (loom usage --view idle lists them all)")
    else:
        out.rstrip()
    return out


class UsageScreen(AreaScreen):
    AREA = "Usage"
    DEFAULT_CSS = """
    UsageScreen #usage-status { height: auto; padding: 0 1; }
    UsageScreen #usage-body { padding: 0 1; }
    UsageScreen #usage-denied { display: none; height: auto; padding: 1 0; }
    UsageScreen #cards { height: 3; }
    UsageScreen .usage-title { margin-top: 1; height: auto; }
    UsageScreen #lists { height: auto; layout: vertical; }
    UsageScreen #lists.-wide { layout: horizontal; }
    UsageScreen .usage-list { height: auto; width: 1fr; }
    UsageScreen #lists.-wide .usage-list { margin-right: 2; }
    UsageScreen #usage-notes { margin-top: 1; height: auto; color: $text-muted; }
    UsageScreen.-forbidden #cards, UsageScreen.-forbidden .usage-title, UsageScreen.-forbidden BarList,
    UsageScreen.-forbidden ActivityColumns, UsageScreen.-forbidden ActiveItems, UsageScreen.-forbidden #usage-notes { display: none; }
    UsageScreen.-forbidden #usage-denied { display: block; }
    """
    BINDINGS = [
        Binding("ctrl+r,r", "refresh", "Refresh", id="usage.refresh"),
        Binding("a", "all_types", "All types", id="usage.all_types"),
    ]

    class Loaded(Message):
        def __init__(self, report) -> None:
            super().__init__()
            self.report = report

    class Part(Message):
        """One part of the report, counted before the rest (UsageService.report's on_part)."""

        def __init__(self, name: str, value: object) -> None:
            super().__init__()
            self.name = name
            self.value = value

    class Progress(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self) -> None:
        super().__init__()
        self.report = None  # the last UsageReport shown
        self.busy = False
        self.forbidden = False

    def compose_body(self) -> ComposeResult:
        yield Static(Text("loading…"), id="usage-status", markup=False)
        with VerticalScroll(id="usage-body"):
            yield Static("", id="usage-denied", markup=False)
            with Horizontal(id="cards"):
                yield Card("workspaces", "card-workspaces")
                yield Card("items", "card-items")
                yield Card("item types", "card-types")
                yield Card("events 30 d", "card-events")
                yield Card("idle 30 d", "card-idle")
            with Container(id="lists"):  # side by side on wide terminals, stacked below WIDE
                with Vertical(classes="usage-list"):
                    yield Static("", id="title-types", classes="usage-title", markup=False)
                    yield BarList("No items.", limit=TYPES_SHOWN, id="by-type")
                with Vertical(classes="usage-list"):
                    yield Static(Text("Items by workspace (top 20)", style="bold"), classes="usage-title", markup=False)
                    yield BarList("No workspaces.", id="by-workspace")
            yield Static("", id="title-activity", classes="usage-title", markup=False)
            yield ActivityColumns("No audit events.", id="activity")
            yield Static(Text("Most active items (30 days)", style="bold"), classes="usage-title", markup=False)
            yield ActiveItems(id="most-active")
            yield Static(Text("Idle workspaces (no activity in 30 days)", style="bold"), classes="usage-title", markup=False)
            yield Static(Text("…"), id="idle-list", markup=False)
            yield Static("", id="usage-notes", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#usage-body", VerticalScroll).focus()
        self.action_refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#lists").set_class(event.size.width >= WIDE, "-wide")

    # -- loading ---------------------------------------------------------------------------
    def action_refresh(self) -> None:
        self.busy = True
        self._status()
        self._load()

    @work(exclusive=True, exit_on_error=False, group="usage")
    async def _load(self) -> None:
        report = await self.ctx.usage.report(progress=lambda text: self.post_message(self.Progress(text)),
                                             on_part=lambda name, value: self.post_message(self.Part(name, value)))
        self.post_message(self.Loaded(report))

    @on(Part)
    def _part(self, event: Part) -> None:
        """The cards and the cheap lists as soon as they are counted; the rest comes with Loaded."""
        if not self.busy:
            return
        if event.name == "workspaces":
            self.query_one("#card-workspaces", Card).show(event.value)  # type: ignore[arg-type]
        elif event.name == "items":
            self._show_items(event.value)
        elif event.name == "activity":
            self._show_activity(event.value)

    def _show_items(self, part) -> None:
        self.query_one("#card-items", Card).show(part.items)
        self.query_one("#card-types", Card).show(part.item_types)
        self.query_one("#title-types", Static).update(Text(f"Items by type ({part.item_types:,} types)", style="bold"))
        self.query_one("#by-type", BarList).rows = tuple((b.label, b.count) for b in part.by_type)

    def _show_activity(self, part) -> None:
        self.query_one("#card-events", Card).show(part.events)
        first, last = part.days[0].day, part.days[-1].day
        self.query_one("#title-activity", Static).update(Text(
            f"Audit events per day, {first:%Y-%m-%d} – {last:%Y-%m-%d} (UTC)", style="bold"))
        self.query_one("#activity", ActivityColumns).days = tuple((d.day, d.count) for d in part.days)

    @on(Progress)
    def _progress(self, event: Progress) -> None:
        if self.busy:
            self._status(event.text)

    FAILURES = {"_load": "could not read usage"}

    def worker_failed(self, worker, error: BaseException) -> bool:
        """The report failed: loading stops; refused (not a tenant admin), the page says why."""
        from loom_tui.errors import Forbidden

        if worker.name != "_load":
            return False
        self.busy = False
        forbidden = isinstance(error, Forbidden)
        if forbidden:
            self.forbidden = True
            self.add_class("-forbidden")
            who = visible(self.ctx.session.upn)
            self.query_one("#usage-denied", Static).update(Text(
                f"Forbidden: {visible(error)}.\n\nYou are signed in as {who}, who is not a tenant admin of this "
                "tenant, so no numbers are shown. Ask a tenant admin, or sign in with an account in the tenant's admin group."
            ))
            self.flash(f"forbidden: {error}", "error")
        self._status()
        return forbidden

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        r = event.report
        self.busy = False
        self.forbidden = False
        self.remove_class("-forbidden")
        self.report = r
        c = r.cards
        self.query_one("#card-workspaces", Card).show(c.workspaces)
        self._show_items(ItemsPart(c.items, c.item_types, r.items_by_type))
        self._show_activity(ActivityPart(c.audit_events, r.activity))
        self.query_one("#card-idle", Card).show(len(r.idle))
        self.query_one("#idle-list", Static).update(idle_text(r.idle))
        self.query_one("#by-workspace", BarList).rows = tuple((b.label, b.count) for b in r.items_by_workspace)
        self.query_one("#most-active", ActiveItems).set_rows(
            [(a.name, a.item_type, a.workspace, a.events) for a in r.most_active],
            "No item had audit events in the last 30 days.",
        )
        notes = [f"Counted {r.scanned_items:,} item documents and {r.scanned_events:,} audit events of this tenant (in the store)."]
        if r.tenant_events:
            notes.append(f"{r.tenant_events:,} of the events are tenant-level (tenant settings), not about an item.")
        notes += r.notes
        self.query_one("#usage-notes", Static).update(Text("\n".join(notes)))
        self._status()

    def _status(self, progress: str = "") -> None:
        r = self.report
        if self.busy:
            text = "loading…" + (f" {progress}" if progress else "")
            if r is not None:
                text += f" (showing numbers from {r.computed_at:%H:%M:%S} UTC)"
        elif self.forbidden:
            text = "forbidden: tenant admins only"
        elif r is None:
            text = "no numbers yet · r to retry"
        else:
            text = f"refreshed {r.computed_at:%Y-%m-%d %H:%M:%S} UTC · r refreshes"
        self.query_one("#usage-status", Static).update(Text(text))

    # -- view ------------------------------------------------------------------------------
    def action_all_types(self) -> None:
        bars = self.query_one("#by-type", BarList)
        bars.limit = 0 if bars.limit else TYPES_SHOWN
        self.flash("showing all item types" if not bars.limit else f"showing the top {TYPES_SHOWN} item types")
