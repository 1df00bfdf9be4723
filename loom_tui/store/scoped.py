"""The tenant-scoped repository: the only way services reach the document store.

Cross-tenant access is impossible by construction:

* tenant containers are read and queried only in the partition ``session.tenant_id``, and every
  write stamps ``tenantId`` with it (a document naming another tenant is refused);
* user containers are bound to ``session.user_oid`` the same way;
* workspace-partitioned containers are reached only through :meth:`ScopedStore.workspace`, which
  loads the workspace from the session's tenant partition and checks the user may see it; item-
  partitioned containers only through an item of such a workspace (``tenant-settings:<tid>`` is the
  one synthetic item id, for tenant-level audit);
* workspace ids are not assumed unique across tenants (another writer can store a workspace of
  tenant B under tenant A's id, and the id is the partition key of items, folders, members): every
  point read and write in a workspace or item partition checks the document's ``tenantId``, and
  when the id is held by workspaces of more than one tenant (:attr:`WorkspaceRef.shared_id`) every
  query of that partition is bound to ``tenantId`` too, so documents of the other tenant (and
  untagged ones, which could be anybody's) are never read, changed or deleted;
* the cross-partition queries used by admin aggregates always carry ``tenantId = session.tenant_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, AsyncIterator

from loom_tui.domain.containers import Scope
from loom_tui.domain.session import Session
from loom_tui.errors import Forbidden, NotFoundError

from .port import DocumentStore, Page, spec
from .query import ALL, AnyOf, Filter, Op, Query, eq

TENANT_SETTINGS_ITEM = "tenant-settings:{tid}"


@dataclass(frozen=True)
class WorkspaceRef:
    """Proof that a workspace belongs to the session's tenant and the user may see it."""

    id: str
    tenant_id: str
    doc: dict
    # the id is also a workspace of another tenant: only documents tagged with this tenant count
    shared_id: bool = False


def visible_to(session: Session) -> tuple:
    """Conditions that limit a workspace query to what the user may see."""
    if session.is_tenant_admin:
        return ()
    return (AnyOf((eq("ownerOid", session.user_oid), Filter("memberUpns", Op.HAS, session.upn_key))),)


class ScopedStore:
    def __init__(self, store: DocumentStore, session: Session) -> None:
        self.store = store
        self.session = session

    @property
    def tid(self) -> str:
        return self.session.tenant_id

    # -- tenant containers -----------------------------------------------------------------
    def _tenant_container(self, container: str) -> str:
        if spec(container).scope is not Scope.TENANT:
            raise Forbidden(f"{container} is not a tenant container")
        return container

    def _stamp_tenant(self, container: str, doc: dict) -> dict:
        self._tenant_container(container)
        if doc.get("tenantId", self.tid) != self.tid:
            raise Forbidden("a document of another tenant cannot be written")
        return {**doc, "tenantId": self.tid}

    async def tenant_get(self, container: str, id: str) -> dict | None:
        return await self.store.get(self._tenant_container(container), self.tid, id)

    async def tenant_query(self, container: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        return await self.store.query(self._tenant_container(container), self.tid, query, max_items=max_items, continuation=continuation)

    async def tenant_window(self, container: str, query: Query, offset: int, limit: int) -> list[dict]:
        return await self.store.window(self._tenant_container(container), self.tid, query, offset, limit)

    async def tenant_count(self, container: str, query: Query = ALL) -> int:
        return await self.store.count(self._tenant_container(container), self.tid, query)

    def tenant_iter(self, container: str, query: Query = ALL) -> AsyncIterator[dict]:
        return self.store.iterate(self._tenant_container(container), self.tid, query)

    async def tenant_create(self, container: str, doc: dict) -> dict:
        return await self.store.create(container, self._stamp_tenant(container, doc))

    async def tenant_upsert(self, container: str, doc: dict) -> dict:
        return await self.store.upsert(container, self._stamp_tenant(container, doc))

    async def tenant_replace(self, container: str, doc: dict, *, if_match: str | None = None) -> dict:
        return await self.store.replace(container, self._stamp_tenant(container, doc), if_match=if_match)

    async def tenant_delete(self, container: str, id: str, *, if_match: str | None = None) -> None:
        await self.store.delete(self._tenant_container(container), self.tid, id, if_match=if_match)

    # -- user containers -------------------------------------------------------------------
    def _user_container(self, container: str) -> str:
        if spec(container).scope is not Scope.USER:
            raise Forbidden(f"{container} is not a user container")
        return container

    async def user_get(self, container: str, id: str) -> dict | None:
        return await self.store.get(self._user_container(container), self.session.user_oid, id)

    async def user_upsert(self, container: str, doc: dict) -> dict:
        self._user_container(container)
        return await self.store.upsert(container, {**doc, "userId": self.session.user_oid, "tenantId": self.tid})

    async def user_replace(self, container: str, doc: dict, *, if_match: str | None = None) -> dict:
        self._user_container(container)
        return await self.store.replace(container, {**doc, "userId": self.session.user_oid, "tenantId": self.tid}, if_match=if_match)

    async def user_query(self, container: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        return await self.store.query(self._user_container(container), self.session.user_oid, query, max_items=max_items, continuation=continuation)

    async def user_count(self, container: str, query: Query = ALL) -> int:
        return await self.store.count(self._user_container(container), self.session.user_oid, query)

    async def user_delete(self, container: str, id: str) -> None:
        await self.store.delete(self._user_container(container), self.session.user_oid, id)

    async def notify(self, user_oid: str, doc: dict) -> dict:
        """Write a notification to another user *of the same tenant* (mentions, alerts)."""
        return await self.store.upsert("notifications", {**doc, "userId": user_oid, "tenantId": self.tid})

    # -- workspaces and what hangs off them ------------------------------------------------
    async def workspace(self, workspace_id: str) -> WorkspaceRef:
        doc = await self.store.get("workspaces", self.tid, workspace_id)
        if doc is None or doc.get("tenantId") != self.tid:
            raise NotFoundError(f"no workspace {workspace_id!r} in this tenant")
        s = self.session
        if not (s.is_tenant_admin or doc.get("ownerOid") == s.user_oid or s.upn_key in (doc.get("memberUpns") or [])):
            raise NotFoundError(f"no workspace {workspace_id!r} in this tenant")
        holders = await self.store.count_cross_partition("workspaces", Query((eq("id", workspace_id),)))
        return WorkspaceRef(workspace_id, self.tid, doc, shared_id=holders > 1)

    # -- the tenant check of workspace and item partitions ---------------------------------
    def _ours(self, ws: WorkspaceRef | None, doc: dict | None) -> bool:
        """Does a document found in a workspace/item partition belong to this tenant?"""
        if doc is None:
            return False
        tenant = doc.get("tenantId")
        if tenant is None:  # untagged (the web console's items): the workspace's only if its id is unique
            return ws is not None and not ws.shared_id
        return tenant == self.tid

    def _bound(self, ws: WorkspaceRef, query: Query) -> Query:
        return query.and_(eq("tenantId", self.tid)) if ws.shared_id else query

    async def _check_existing(self, ws: WorkspaceRef | None, container: str, pk: str, id: str) -> dict | None:
        """The stored document a write would change; Forbidden when it is another tenant's."""
        current = await self.store.get(container, pk, id)
        if current is not None and not self._ours(ws, current):
            raise Forbidden("a document of another tenant cannot be changed")
        return current

    def _ws_container(self, container: str) -> str:
        if spec(container).scope is not Scope.WORKSPACE:
            raise Forbidden(f"{container} is not partitioned by workspace")
        return container

    def _stamp_ws(self, ws: WorkspaceRef, container: str, doc: dict) -> dict:
        self._ws_container(container)
        if doc.get("workspaceId", ws.id) != ws.id:
            raise Forbidden("a document of another workspace cannot be written here")
        return {**doc, "workspaceId": ws.id, "tenantId": self.tid}

    async def ws_get(self, ws: WorkspaceRef, container: str, id: str) -> dict | None:
        doc = await self.store.get(self._ws_container(container), ws.id, id)
        return doc if self._ours(ws, doc) else None

    async def ws_query(self, ws: WorkspaceRef, container: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        return await self.store.query(self._ws_container(container), ws.id, self._bound(ws, query), max_items=max_items, continuation=continuation)

    async def ws_window(self, ws: WorkspaceRef, container: str, query: Query, offset: int, limit: int) -> list[dict]:
        return await self.store.window(self._ws_container(container), ws.id, self._bound(ws, query), offset, limit)

    async def ws_count(self, ws: WorkspaceRef, container: str, query: Query = ALL) -> int:
        return await self.store.count(self._ws_container(container), ws.id, self._bound(ws, query))

    def ws_iter(self, ws: WorkspaceRef, container: str, query: Query = ALL) -> AsyncIterator[dict]:
        return self.store.iterate(self._ws_container(container), ws.id, self._bound(ws, query))

    async def ws_create(self, ws: WorkspaceRef, container: str, doc: dict) -> dict:
        return await self.store.create(container, self._stamp_ws(ws, container, doc))

    async def ws_upsert(self, ws: WorkspaceRef, container: str, doc: dict) -> dict:
        body = self._stamp_ws(ws, container, doc)
        await self._check_existing(ws, container, ws.id, body["id"])
        return await self.store.upsert(container, body)

    async def ws_upsert_many(self, ws: WorkspaceRef, container: str, docs: list[dict]) -> int:
        bodies = [self._stamp_ws(ws, container, d) for d in docs]
        for body in bodies:
            await self._check_existing(ws, container, ws.id, body["id"])
        return await self.store.upsert_many(container, bodies)

    async def ws_replace(self, ws: WorkspaceRef, container: str, doc: dict, *, if_match: str | None = None) -> dict:
        body = self._stamp_ws(ws, container, doc)
        current = await self._check_existing(ws, container, ws.id, body["id"])
        if current is not None and if_match is None:
            if_match = current.get("_etag")  # what was checked is what gets replaced
        return await self.store.replace(container, body, if_match=if_match)

    async def ws_delete(self, ws: WorkspaceRef, container: str, id: str, *, if_match: str | None = None) -> None:
        self._ws_container(container)
        current = await self._check_existing(ws, container, ws.id, id)
        if current is None:
            from .errors import NotFound

            raise NotFound(container, id)
        await self.store.delete(container, ws.id, id, if_match=if_match if if_match is not None else current.get("_etag"))

    # -- item-partitioned containers (audit, comments, shares) ------------------------------
    def _item_container(self, container: str) -> str:
        if spec(container).scope is not Scope.ITEM:
            raise Forbidden(f"{container} is not partitioned by item")
        return container

    async def item_write(self, ws: WorkspaceRef | None, container: str, item_id: str, doc: dict) -> dict:
        """Write into an item partition of ``ws`` (``ws`` None only for the tenant-settings item)."""
        self._item_container(container)
        if ws is None and item_id != TENANT_SETTINGS_ITEM.format(tid=self.tid):
            raise Forbidden("item documents belong to a workspace")
        body = {**doc, "itemId": item_id, "tenantId": self.tid}
        if ws is not None:
            body["workspaceId"] = ws.id
        if "id" in body:
            current = await self.store.get(container, item_id, body["id"])
            if current is not None and (current.get("tenantId") != self.tid or current.get("workspaceId") != body.get("workspaceId")):
                raise Forbidden("a document of another tenant or workspace cannot be changed")
        return await self.store.upsert(container, body)

    async def item_query(self, ws: WorkspaceRef, container: str, item_id: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        q = query.and_(eq("workspaceId", ws.id), eq("tenantId", self.tid))
        return await self.store.query(self._item_container(container), item_id, q, max_items=max_items, continuation=continuation)

    # -- admin aggregates (cross-partition, always tenant-bound) ----------------------------
    def _require_admin(self) -> None:
        if not self.session.is_tenant_admin:
            raise Forbidden("only tenant admins can read tenant-wide aggregates")

    async def admin_query(self, container: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        self._require_admin()
        return await self.store.query_cross_partition(container, query.and_(eq("tenantId", self.tid)), max_items=max_items, continuation=continuation)

    async def admin_count(self, container: str, query: Query = ALL) -> int:
        self._require_admin()
        return await self.store.count_cross_partition(container, query.and_(eq("tenantId", self.tid)))

    def admin_iter(self, container: str, query: Query = ALL) -> AsyncIterator[dict]:
        self._require_admin()
        return self.store.iterate_cross_partition(container, query.and_(eq("tenantId", self.tid)))

    async def workspace_audit(self, ws: WorkspaceRef, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        """The audit trail of one workspace (its items' partitions), bound to tenant and workspace."""
        q = query.and_(eq("tenantId", self.tid), eq("workspaceId", ws.id))
        return await self.store.query_cross_partition("audit-log", q, max_items=max_items, continuation=continuation)


