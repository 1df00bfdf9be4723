"""Workspace names stay unique in a tenant under concurrency: a reservation document per name.

A query for the name and then a write (what loom did) lets two racing creates both pass the
query.  Here a create first *creates* ``workspace-names/<key>`` (the key is a hash of the
lower-cased name, so any name fits a document id), and a store create is atomic on both
adapters: the second racer gets :class:`Conflict` and is refused.  The reservation names the
workspace that holds it, so re-running a half-done create is idempotent, and one left behind by
a create that died before its workspace existed is taken over once it is old (and removed by
``loom repair``).  Workspaces written by others (the web console, older loom) have no
reservation: the name query still guards them.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from loom_tui.domain.clock import now_iso, parse_iso
from loom_tui.store.errors import Conflict, NotFound, PreconditionFailed

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore

CONTAINER = "workspace-names"
STALE_S = 120  # a reservation without its workspace this old was left by a create that died


def name_key(name: str) -> str:
    return "name-" + hashlib.sha256(name.strip().lower().encode("utf-8")).hexdigest()[:48]


class NameTaken(Exception):
    """The name is held by another workspace (``holder`` is that workspace's id)."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


class NameReservations:
    def __init__(self, scoped: "ScopedStore") -> None:
        self.scoped = scoped

    async def reserve(self, name: str, workspace_id: str) -> None:
        doc = {"id": name_key(name), "nameLower": name.strip().lower(), "workspaceId": workspace_id, "at": now_iso()}
        for _ in range(3):
            try:
                await self.scoped.tenant_create(CONTAINER, doc)
                return
            except Conflict:
                pass
            current = await self.scoped.tenant_get(CONTAINER, doc["id"])
            if current is None:
                continue  # released meanwhile: try again
            if current.get("workspaceId") == workspace_id:
                return  # ours already (a create or rename being run again)
            if not await self._stale(current):
                raise NameTaken(str(current.get("workspaceId")))
            try:
                await self.scoped.tenant_replace(CONTAINER, doc, if_match=current["_etag"])
                return
            except (PreconditionFailed, NotFound):
                continue
        raise NameTaken("?")

    async def _stale(self, reservation: dict) -> bool:
        """Held by a workspace that no longer carries the name (deleted, renamed, never made)."""
        from loom_tui.store.query import Query, eq

        found = await self.scoped.workspaces_in_tenant(Query((eq("id", str(reservation.get("workspaceId"))),)))
        holder = found[0] if found else None
        if holder is not None:
            return str(holder.get("name") or "").strip().lower() != reservation.get("nameLower")
        try:
            age = (datetime.now(timezone.utc) - parse_iso(reservation["at"])).total_seconds()
        except (KeyError, ValueError, TypeError):
            return True
        return age > STALE_S

    async def release(self, name: str, workspace_id: str) -> None:
        key = name_key(name)
        current = await self.scoped.tenant_get(CONTAINER, key)
        if current is None or current.get("workspaceId") != workspace_id:
            return
        try:
            await self.scoped.tenant_delete(CONTAINER, key, if_match=current["_etag"])
        except (NotFound, PreconditionFailed):
            pass
