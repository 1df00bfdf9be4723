"""Usage metrics of the tenant (the web console's ``/admin/usage``), computed from the document store.

Why it is computed this way:

* Nothing is counted in Python that the store can count: items per (type, workspace) and the
  window's events per (workspace, item) are :meth:`DocumentStore.count_by`, events per day is
  :meth:`DocumentStore.count_per_day`, through the tenant-bound :meth:`ScopedStore.admin_reached_count_by`
  / :meth:`ScopedStore.admin_reached_per_day`.  The embedded store answers each with one
  ``GROUP BY`` over covering indexes (1,000,000 audit events: no document is parsed, and the
  window's events are counted per (workspace, item) in index order, without a sort).  Cosmos DB
  (whose Python SDK has no cross-partition ``GROUP BY``, nor has the local protocol server used in
  tests) answers events per day with one index-served ``COUNT`` per day, in parallel; the
  per-item and per-type counts are still streamed there (the port's default).
* The workspace card is a ``COUNT`` query.  Of the workspace documents only id, name, last access
  and creation are read (:meth:`ScopedStore.tenant_workspaces_fields`, a covering index in the
  embedded store), for items by workspace and idle workspaces; the web console keeps no
  ``itemCount`` on them.
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
import heapq
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Callable

from loom_tui.domain.clock import iso
from loom_tui.store.query import Filter, Op, Query

from loom_tui.services.idle_workspaces import IdleWorkspace, idle_among, not_deleting as _not_deleting, window

from loom_tui.errors import Forbidden, NotFoundError

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore

WINDOW_DAYS = 30
TOP_WORKSPACES = 20
TOP_ITEMS = 10
NO_TYPE = "(no type)"
DELETING = "Deleting"  # workspaces being deleted are not counted (as in the Workspaces area)

Progress = Callable[[str], None]
OnPart = Callable[[str, object], None]  # (part name, value): see UsageService.report


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
    scanned_items: int = 0  # documents counted, for the status line and benchmarks
    scanned_events: int = 0
    tenant_events: int = 0  # events in the window not tied to a workspace item (tenant settings)
    notes: list[str] = field(default_factory=list)
    idle: list[IdleWorkspace] = field(default_factory=list)  # no activity in the window, longest idle first


@dataclass(frozen=True)
class ItemsPart:
    items: int
    item_types: int
    by_type: list[Bar]


@dataclass(frozen=True)
class ActivityPart:
    events: int  # in the window
    days: list[DayCount]


def _items_part(by_type: tuple[Counter, Counter, int]) -> ItemsPart:
    counts, _per_ws, items = by_type
    types = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ItemsPart(items, sum(1 for t in counts if t != NO_TYPE), [Bar(t, n, t) for t, n in types])


def _activity_part(since: datetime, per_day: list[int]) -> ActivityPart:
    return ActivityPart(sum(per_day), [DayCount((since + timedelta(days=d)).date(), per_day[d]) for d in range(WINDOW_DAYS)])


class UsageService:
    """``await UsageService(scoped, clock).report()`` → :class:`UsageReport` (admins only)."""

    def __init__(self, scoped: "ScopedStore", clock: Callable[[], datetime]) -> None:
        self.scoped = scoped
        self.clock = clock  # the run's clock (on the pinned day, when one is pinned)

    def require_admin(self) -> None:
        if not self.scoped.session.is_tenant_admin:
            raise Forbidden("usage metrics are tenant-wide aggregates: only tenant admins can see them")

    async def report(self, progress: Progress | None = None, on_part: OnPart | None = None) -> UsageReport:
        """The whole report.  ``on_part(name, value)`` hears each part as soon as it is counted,
        before the report is whole: ``"workspaces"`` (the card's number), ``"items"``
        (:class:`ItemsPart`), ``"activity"`` (:class:`ActivityPart`) — the cards and the cheap
        lists come first; most active items and idle workspaces come with the report."""
        self.require_admin()
        now = self.clock()
        since, until = window(now)
        note = progress or (lambda _msg: None)
        part = on_part or (lambda _name, _value: None)
        note("counting…")

        async def told(name: str, coro, shape):
            value = await coro
            part(name, shape(value))
            return value

        # the longest count first: a store that counts several at once (the embedded one's read
        # connections) runs the others beside it
        audit, docs, by_type, per_day = await asyncio.gather(
            self._audit(since, until),
            told("workspaces", self._workspace_names(), len),  # the card: one row per workspace
            told("items", self._items_by_type(), _items_part),
            told("activity", self.scoped.admin_reached_per_day("audit-log", "at", since, WINDOW_DAYS),
                 lambda days: _activity_part(since, days)),
        )
        _types, per_ws, items = by_type
        names = {d["id"]: str(d.get("name") or d["id"]) for d in docs}
        top_ws = self._top_workspaces(names, per_ws)
        per_item, events, tenant_events, active_ws = audit
        workspaces = len(docs)
        idle = idle_among(docs, active_ws, since, per_ws)  # the one definition, shared with the Cost idle finder
        items_part, activity_part = _items_part(by_type), _activity_part(since, per_day)
        most_active = await self._resolve(per_item, since, until)
        notes: list[str] = []
        return UsageReport(
            cards=Cards(workspaces=workspaces, items=items, item_types=items_part.item_types, audit_events=events),
            items_by_type=items_part.by_type,
            items_by_workspace=top_ws,
            activity=activity_part.days,
            most_active=most_active,
            since=since,
            until=until,
            computed_at=now,
            scanned_items=items,
            scanned_events=events,
            tenant_events=tenant_events,
            notes=notes,
            idle=idle,
        )

    # -- the parts -------------------------------------------------------------------------
    async def _workspace_names(self) -> list[dict]:
        """Id, name, ``lastAccessedAt`` and ``createdAt`` of the tenant's workspaces not being
        deleted (those fields only: the store does not hand over whole documents)."""
        rows = await self.scoped.tenant_workspaces_fields(("id", "name", "lastAccessedAt", "createdAt"), Query((_not_deleting(),)))
        return [{"id": ws_id, "name": str(name or ws_id), "lastAccessedAt": last, "createdAt": created}
                for ws_id, name, last, created in rows]

    @staticmethod
    def _top_workspaces(names: dict[str, str], per_ws: Counter) -> list[Bar]:
        rows = heapq.nsmallest(TOP_WORKSPACES, names.items(), key=lambda kv: (-per_ws.get(kv[0], 0), kv[1].lower(), kv[0]))
        return [Bar(name, per_ws.get(ws_id, 0), ws_id) for ws_id, name in rows]

    async def _items_by_type(self) -> tuple[Counter, Counter, int]:
        """Items per type and per workspace: one count grouped by both, in the store."""
        grouped = await self.scoped.admin_reached_count_by("items", ("itemType", "workspaceId"))
        counts: dict = {}
        per_ws: dict = {}
        for (t, ws_id), n in grouped.items():  # ~20,000 groups in the bench: plain dicts, then Counters
            key = t if isinstance(t, str) and t else NO_TYPE
            counts[key] = counts.get(key, 0) + n
            per_ws[ws_id] = per_ws.get(ws_id, 0) + n
        return Counter(counts), Counter(per_ws), sum(grouped.values())

    async def _audit(self, since: datetime, until: datetime):
        """The window's events per item and per workspace, counted in the store (one aggregate
        grouped by (workspace, item); the events per day are another, see :meth:`report`).  An
        item is filed under its busiest workspace (ties: the first (workspace, item) in text order)."""
        grouped = await self.scoped.admin_reached_count_by("audit-log", ("workspaceId", "itemId"), _in_window(since, until))
        per_item: dict[str, list] = {}  # item id -> [events, workspace id, the events there]
        active_ws: set = set()
        tenant_events = 0
        for key, n in grouped.items():
            ws_id, item_id = key
            if not ws_id:  # tenant-level events (tenant settings) are activity, but not an item
                tenant_events += n
                continue
            active_ws.add(ws_id)
            slot = per_item.get(item_id)
            if slot is None:
                per_item[item_id] = [n, ws_id, n, key]
                continue
            slot[0] += n
            if n > slot[2] or (n == slot[2] and str(key) < str(slot[3])):
                slot[1:] = [ws_id, n, key]
        return per_item, sum(grouped.values()), tenant_events, active_ws

    async def _resolve(self, per_item: dict[str, list], since: datetime, until: datetime) -> list[ActiveItem]:
        """Names for the top items: one point read per item and per workspace (and, for an item
        deleted since or a workspace-level event, one event of the window for its type)."""
        top = heapq.nsmallest(TOP_ITEMS, per_item.items(), key=lambda kv: (-kv[1][0], kv[0]))

        async def ref(ws_id: str):
            try:
                return await self.scoped.workspace(ws_id)
            except NotFoundError:
                return None

        ws_ids = sorted({s[1] for _, s in top})
        refs = dict(zip(ws_ids, await asyncio.gather(*(ref(w) for w in ws_ids))))  # each workspace once

        async def one(item_id: str, events: int, ws_id: str) -> ActiveItem:
            ws = refs[ws_id]
            if ws is None:
                return ActiveItem(item_id, "(deleted item)", NO_TYPE, ws_id, "(deleted workspace)", events)
            ws_name = str(ws.doc.get("name") or ws_id)
            doc = None if item_id == ws_id else await self.scoped.ws_get(ws, "items", item_id)
            if doc is not None:
                return ActiveItem(item_id, str(doc.get("displayName") or item_id), str(doc.get("itemType") or NO_TYPE),
                                  ws_id, ws_name, events)
            page = await self.scoped.item_query(ws, "audit-log", item_id, _in_window(since, until), max_items=1)
            kind = str(page.items[0].get("itemType") or NO_TYPE) if page.items else NO_TYPE
            name = ws_name if item_id == ws_id else "(deleted item)"  # workspace-level events are filed under its id
            return ActiveItem(item_id, name, kind, ws_id, ws_name, events)

        return list(await asyncio.gather(*(one(i, s[0], s[1]) for i, s in top)))


def _in_window(since: datetime, until: datetime) -> Query:
    return Query((Filter("at", Op.GE, iso(since)), Filter("at", Op.LT, iso(until))))
