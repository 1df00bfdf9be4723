"""Writes that span documents in several partitions: an intent first, the steps, then done.

Cosmos DB has no transaction across partitions (a workspace lives in the tenant's partition, its
members and items in the workspace's, audit events in each item's), and a process can be killed
or a disk fill up between two writes.  So a multi-document write records what it is about to do
(``pending-writes/<id>``, in the tenant's partition, with every id it will use chosen up front),
performs its steps, and deletes the intent.  :mod:`loom_tui.services.repair` finds intents that
were never finished and completes them; every step is idempotent (fixed ids, recomputed counts),
so finishing twice, or finishing what had in fact completed, changes nothing.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from loom_tui.domain.clock import now_iso
from loom_tui.store.errors import NotFound

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore

CONTAINER = "pending-writes"


class Journal:
    def __init__(self, scoped: "ScopedStore") -> None:
        self.scoped = scoped

    async def begin(self, kind: str, data: dict[str, Any]) -> dict:
        s = self.scoped.session
        return await self.scoped.tenant_create(CONTAINER, {
            "id": str(uuid.uuid4()), "kind": kind, "data": data, "startedAt": now_iso(),
            "by": {"oid": s.user_oid, "upn": s.upn, "name": s.display_name},
        })

    async def done(self, intent: dict) -> None:
        try:
            await self.scoped.tenant_delete(CONTAINER, intent["id"])
        except NotFound:
            pass

    async def pending(self, limit: int = 500) -> list[dict]:
        page = await self.scoped.tenant_query(CONTAINER, max_items=limit)
        return page.items
