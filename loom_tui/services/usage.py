"""Usage metrics of the tenant (the web console's ``/admin/usage``), computed from the document store.

Why it is computed this way:

* Cosmos DB has no cross-partition ``GROUP BY`` (nor does the local Cosmos protocol server used in
  tests), so grouping happens here, in Python, while pages stream in; only what has no cheaper
  source is streamed: the item documents (for items by type) and the audit events of the window
  (for activity per day and the most active items).
* The workspace card is a ``COUNT`` query.  Items and items by workspace are counted from the same
  stream as items by type (the web console keeps no ``itemCount`` on its workspace documents).
* Items and audit events belong to the tenant when stamped with its ``tenantId`` or, the web
  console's (which carry none), when they hang off one of its workspaces
  (:meth:`ScopedStore.admin_reached`).  The web console's own usage page filters on ``tenantId``
  and so misses its own item audit events; every event loom writes carries it.
* These are tenant-wide aggregates: only tenant admins may see them.  Anyone else gets
  :class:`Forbidden` before a single read, never partial numbers.

The window is the last ``WINDOW_DAYS`` UTC calendar days, today included: from midnight UTC
``WINDOW_DAYS - 1`` days ago up to midnight UTC tonight (events stamped in the future are left out).
Idle workspaces follow the one definition of :mod:`loom_tui.services.idle_workspaces` (the Cost
idle finder uses it too).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Callable

from loom_tui.domain.clock import iso
from loom_tui.store.query import Filter, Op, Query

from .idle_workspaces import IdleWorkspace, idle_among, not_deleting as _not_deleting, now as _utc_now, window

from loom_tui.errors import Forbidden, NotFoundError

if TYPE_CHECKING:
    from .context import AppContext

WINDOW_DAYS = 30
TOP_WORKSPACES = 20
TOP_ITEMS = 10
NO_TYPE = "(no type)"
DELETING = "Deleting"  # workspaces being deleted are not counted (as in the Workspaces area)
PROGRESS_EVERY = 2000  # documents between two progress callbacks
# Documents per page when streaming.  Large pages matter: the embedded store pages by offset, so
# each page re-skips the ones before it (measured with 100,000 items in one workspace: the whole
# report took 8.9 s in pages of 500, 1.4 s in pages of 5,000); on Cosmos DB a page is bounded by
# its 4 MB response limit anyway.
STREAM_PAGE = 5000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Cards:
    workspaces: int
    items: int
    item_types: int
    audit_events: int  # in the window


@dataclass(frozen=True)
class Bar:
    """One row of a bar list."""

    label: str
    count: int
    key: str = ""  # a stable id (workspace id, item type) for callers that need one


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class ActiveItem:
    item_id: str
    name: str
    item_type: str
    workspace_id: str
    workspace: str
    events: int


@dataclass(frozen=True)
class UsageReport:
    cards: Cards
    items_by_type: list[Bar]  # every type, most items first
    items_by_workspace: list[Bar]  # top TOP_WORKSPACES by itemCount
    activity: list[DayCount]  # WINDOW_DAYS entries, oldest first, today last
    most_active: list[ActiveItem]  # top TOP_ITEMS by events in the window
    since: datetime  # window start (inclusive), UTC
    until: datetime  # window end (exclusive), UTC
    computed_at: datetime
    scanned_items: int = 0  # documents streamed, for the status line and benchmarks
    scanned_events: int = 0
    tenant_events: int = 0  # events in the window not tied to a workspace item (tenant settings)
    notes: list[str] = field(default_factory=list)
    idle: list[IdleWorkspace] = field(default_factory=list)  # no activity in the window, longest idle first


def _day(at: object) -> date | None:
    """The UTC day of an ISO timestamp (None when it is not one)."""
    try:
        return datetime.fromisoformat(str(at).replace("Z", "+00:00")).astimezone(timezone.utc).date()
    except ValueError:
        return None


class UsageService:
    """``await UsageService(ctx).report()`` → :class:`UsageReport` (admins only)."""

    def __init__(self, ctx: "AppContext", *, clock: Callable[[], datetime] = _utc_now) -> None:
        self.ctx = ctx
        self.scoped = ctx.scoped
        self.clock = clock

    def require_admin(self) -> None:
        if not self.ctx.session.is_tenant_admin:
            raise Forbidden("usage metrics are tenant-wide aggregates: only tenant admins can see them")

    async def report(self, progress: Progress | None = None) -> UsageReport:
        self.require_admin()
        now = self.clock()
        since, until = window(now)
        note = progress or (lambda _msg: None)

        workspaces, docs, by_type, audit = await asyncio.gather(
            self.scoped.tenant_count("workspaces", Query((_not_deleting(),))),
            self._workspace_names(),
            self._items_by_type(note),
            self._audit(since, until, note),
        )
        type_counts, per_ws, scanned_items = by_type
        items = scanned_items
        names = {d["id"]: str(d.get("name") or d["id"]) for d in docs}
        top_ws = self._top_workspaces(names, per_ws)
        per_day, per_item, scanned_events, tenant_events, active_ws = audit
        idle = idle_among(docs, active_ws, since, per_ws)  # the one definition, shared with the Cost idle finder
        types = sorted(type_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        activity = [DayCount((since + timedelta(days=d)).date(), per_day.get((since + timedelta(days=d)).date(), 0))
                    for d in range(WINDOW_DAYS)]
        most_active = await self._resolve(per_item)
        notes: list[str] = []
        return UsageReport(
            cards=Cards(workspaces=workspaces, items=items, item_types=sum(1 for t in type_counts if t != NO_TYPE),
                        audit_events=scanned_events),
            items_by_type=[Bar(t, n, t) for t, n in types],
            items_by_workspace=top_ws,
            activity=activity,
            most_active=most_active,
            since=since,
            until=until,
            computed_at=now,
            scanned_items=scanned_items,
            scanned_events=scanned_events,
            tenant_events=tenant_events,
            notes=notes,
            idle=idle,
        )

    # -- the parts -------------------------------------------------------------------------
    async def _workspace_names(self) -> list[dict]:
        """Id, name, ``lastAccessedAt`` and ``createdAt`` of the tenant's workspaces not being deleted."""
        return [{"id": d["id"], "name": str(d.get("name") or d["id"]), "lastAccessedAt": d.get("lastAccessedAt"),
                 "createdAt": d.get("createdAt")}
                async for d in self.scoped.tenant_iter("workspaces", Query((_not_deleting(),)))]

    @staticmethod
    def _top_workspaces(names: dict[str, str], per_ws: Counter) -> list[Bar]:
        rows = sorted(names.items(), key=lambda kv: (-per_ws.get(kv[0], 0), kv[1].lower(), kv[0]))[:TOP_WORKSPACES]
        return [Bar(name, per_ws.get(ws_id, 0), ws_id) for ws_id, name in rows]

    async def _items_by_type(self, note: Progress) -> tuple[Counter, Counter, int]:
        counts: Counter = Counter()
        per_ws: Counter = Counter()
        n = 0
        async for doc in self.scoped.admin_reached("items", page_size=STREAM_PAGE):
            t = doc.get("itemType")
            counts[t if isinstance(t, str) and t else NO_TYPE] += 1
            per_ws[doc.get("workspaceId")] += 1
            n += 1
            if n % PROGRESS_EVERY == 0:
                note(f"{n:,} items read")
        return counts, per_ws, n

    async def _audit(self, since: datetime, until: datetime, note: Progress):
        q = Query((Filter("at", Op.GE, iso(since)), Filter("at", Op.LT, iso(until))))
        per_day: Counter = Counter()
        per_item: dict[str, list] = {}  # item id -> [events, item type, workspace id]
        active_ws: set = set()
        n = tenant_events = 0
        async for ev in self.scoped.admin_reached("audit-log", q, page_size=STREAM_PAGE):
            n += 1
            if n % PROGRESS_EVERY == 0:
                note(f"{n:,} audit events read")
            day = _day(ev.get("at"))
            if day is not None:
                per_day[day] += 1
            ws_id = ev.get("workspaceId")
            if not ws_id:  # tenant-level events (tenant settings) are activity, but not an item
                tenant_events += 1
                continue
            active_ws.add(ws_id)
            slot = per_item.setdefault(ev["itemId"], [0, ev.get("itemType") or NO_TYPE, ws_id])
            slot[0] += 1
        return per_day, per_item, n, tenant_events, active_ws

    async def _resolve(self, per_item: dict[str, list]) -> list[ActiveItem]:
        """Names for the top items: one point read per item and per workspace."""
        top = sorted(per_item.items(), key=lambda kv: (-kv[1][0], kv[0]))[:TOP_ITEMS]

        async def one(item_id: str, events: int, item_type: str, ws_id: str) -> ActiveItem:
            try:
                ws = await self.scoped.workspace(ws_id)
            except NotFoundError:
                return ActiveItem(item_id, "(deleted item)", item_type, ws_id, "(deleted workspace)", events)
            ws_name = str(ws.doc.get("name") or ws_id)
            if item_id == ws_id:  # workspace-level events are filed under the workspace's id
                return ActiveItem(item_id, ws_name, item_type, ws_id, ws_name, events)
            doc = await self.scoped.ws_get(ws, "items", item_id)
            name = str(doc.get("displayName") or item_id) if doc else "(deleted item)"
            kind = str(doc.get("itemType") or item_type) if doc else item_type
            return ActiveItem(item_id, name, kind, ws_id, ws_name, events)

        return list(await asyncio.gather(*(one(i, s[0], s[1], s[2]) for i, s in top)))
