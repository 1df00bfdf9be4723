"""The signed-in user's notifications: the newest 50, the unread count, mark one or all read.

Notifications live in the user's own partition (``userId`` = the session's object id), so a
session can only ever read and mark its own.  Marking read is personal state, not a change to
anything shared, so it writes no audit event (audit events hang off workspace items).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loom_tui.domain.clock import now_iso
from loom_tui.store.errors import NotFound, PreconditionFailed
from loom_tui.store.query import Order, Query, eq

from loom_tui.errors import NotFoundError

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore

    from loom_tui.services.roles import Gate

NEWEST = 50
UNREAD = Query((eq("read", False),))


class NotificationService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate") -> None:
        self.scoped = scoped
        self.gate = gate

    async def newest(self, limit: int = NEWEST, *, unread: bool = False) -> list[dict]:
        """The newest ``limit`` (at most 50, the web console's list), or only the unread ones."""
        query = Query(UNREAD.where if unread else (), (Order("createdAt", True),))
        page = await self.scoped.user_query("notifications", query, max_items=max(1, min(limit, NEWEST)))
        return page.items

    async def unread_count(self) -> int:
        return await self.scoped.user_count("notifications", UNREAD)

    async def _mark(self, doc: dict) -> dict | None:
        for _ in range(5):
            if doc.get("read"):
                return doc
            try:
                return await self.scoped.user_replace("notifications", {**doc, "read": True, "readAt": now_iso()}, if_match=doc["_etag"])
            except PreconditionFailed:
                fresh = await self.scoped.user_get("notifications", doc["id"])
                if fresh is None:
                    return None
                doc = fresh
            except NotFound:
                return None
        return None

    async def mark_read(self, notification_id: str) -> dict:
        self.gate.require_writable("marking a notification read")
        doc = await self.scoped.user_get("notifications", notification_id)
        if doc is None:
            raise NotFoundError(f"no notification {notification_id!r}")
        marked = await self._mark(doc)
        if marked is None:
            raise NotFoundError(f"notification {notification_id!r} is gone")
        return marked

    async def mark_all_read(self) -> int:
        """Mark every unread notification read; returns how many changed."""
        self.gate.require_writable("marking notifications read")
        changed = 0
        while True:  # the first page each time: marked ones leave the unread set
            page = await self.scoped.user_query("notifications", UNREAD, max_items=200)
            before = changed
            for doc in page.items:
                if await self._mark(doc) is not None:
                    changed += 1
            if changed == before:  # nothing left, or nothing could be marked: stop rather than spin
                return changed
