"""The audit trail: every change writes one event, always carrying ``tenantId``.

(The web console's item audit events lack ``tenantId``, so its usage counts are wrong; here the
scoped store stamps it on every event.)
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from loom_tui.domain.clock import now_iso
from loom_tui.store.query import Order, Query

from loom_tui.services.audit_filter import AuditFilter
from loom_tui.services.stamps import stamp

# Newest first by the time stamp every event has (the web console's lack loom's ``seq``), then by
# ``seq`` among events of the same millisecond.  (Cosmos DB without a composite index on the
# container orders by ``at`` alone; see the Cosmos adapter.)
NEWEST_FIRST = Query(order_by=(Order("at", True), Order("seq", True)))

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore, WorkspaceRef


def diff(before: dict | None, after: dict | None, keys: tuple[str, ...]) -> dict[str, Any]:
    """``{field: [old, new]}`` for the given fields that changed."""
    before, after = before or {}, after or {}
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


class AuditService:
    def __init__(self, scoped: "ScopedStore") -> None:
        self.scoped = scoped

    async def record(
        self,
        ws: "WorkspaceRef | None",
        *,
        item_id: str,
        item_type: str,
        action: str,
        summary: str,
        changes: dict[str, Any] | None = None,
    ) -> dict:
        event = self.event(item_type=item_type, action=action, summary=summary, changes=changes)
        return await self.write(ws, item_id, event)

    def event(self, *, item_type: str, action: str, summary: str, changes: dict[str, Any] | None = None) -> dict:
        """An audit event with its id fixed now (a journal intent can write it again, idempotently)."""
        s = self.scoped.session
        return {
            "id": str(uuid.uuid4()),
            "itemType": item_type,
            "userId": s.user_oid,
            "upn": s.upn,
            "action": action,
            "summary": summary,
            "diff": changes or {},
            "at": now_iso(),
            # "at" has millisecond precision; events of one action often share it.  The trail is
            # ordered by this strictly increasing stamp (ns since the epoch) so it keeps write order.
            "seq": stamp(),
        }

    async def write(self, ws: "WorkspaceRef | None", item_id: str, event: dict) -> dict:
        return await self.scoped.item_write(ws, "audit-log", item_id, event)

    async def for_workspace(self, ws: "WorkspaceRef", *, max_items: int = 100, continuation: str | None = None):
        return await self.scoped.workspace_audit(ws, NEWEST_FIRST, max_items=max_items, continuation=continuation)

    async def for_item(self, ws: "WorkspaceRef", item_id: str, *, max_items: int = 100, continuation: str | None = None):
        return await self.scoped.item_query(ws, "audit-log", item_id, NEWEST_FIRST, max_items=max_items, continuation=continuation)

    # -- filtered, paged trails (the Audit pane, ``loom audit``) ---------------------------------
    @staticmethod
    def _query(flt: AuditFilter) -> Query:
        return Query(flt.conds(), NEWEST_FIRST.order_by)

    async def workspace_page(self, workspace_id: str, flt: AuditFilter = AuditFilter(), *, max_items: int = 200,
                             continuation: str | None = None):
        """One page of a workspace's trail, newest first, filtered; ``continuation`` reads on past
        any page size (the trail has no 500-event limit)."""
        ws = await self.scoped.workspace(workspace_id)
        return await self.scoped.workspace_audit(ws, self._query(flt), max_items=max_items, continuation=continuation)

    async def workspace_count(self, workspace_id: str, flt: AuditFilter = AuditFilter()) -> int:
        ws = await self.scoped.workspace(workspace_id)
        return await self.scoped.workspace_audit_count(ws, Query(flt.conds()))

    async def item_page(self, workspace_id: str, item_id: str, flt: AuditFilter = AuditFilter(), *, max_items: int = 200,
                        continuation: str | None = None):
        ws = await self.scoped.workspace(workspace_id)
        return await self.scoped.item_query(ws, "audit-log", item_id, self._query(flt), max_items=max_items, continuation=continuation)

    async def tenant_page(self, flt: AuditFilter = AuditFilter(), *, max_items: int = 200, continuation: str | None = None):
        """The whole tenant's trail (tenant admins only), newest first, filtered."""
        return await self.scoped.admin_query("audit-log", self._query(flt), max_items=max_items, continuation=continuation)

    async def tenant_count(self, flt: AuditFilter = AuditFilter()) -> int:
        return await self.scoped.admin_count("audit-log", Query(flt.conds()))

    async def workspace_trail(self, workspace_id: str, *, max_items: int = 100):
        """The newest events of a workspace the session may see (by id: for screens and commands)."""
        return await self.for_workspace(await self.scoped.workspace(workspace_id), max_items=max_items)

    async def item_trail(self, workspace_id: str, item_id: str, *, max_items: int = 100):
        return await self.for_item(await self.scoped.workspace(workspace_id), item_id, max_items=max_items)
