"""The tenant-scoped repository: the only way services reach the document store.

Cross-tenant access is impossible by construction:

* tenant containers are read and queried only in the partition ``session.tenant_id``, and every
  write stamps ``tenantId`` with it (a document naming another tenant is refused);
* user containers are bound to ``session.user_oid`` the same way;
* workspace documents are filed as the web console files them, under their OWNER's object id
  (:mod:`.scoped_workspaces`): listed by the console's rule plus tenant admins' view of the
  tenant (:mod:`.workspace_access`), and written back where they were read;
* workspace-partitioned containers are reached only through :meth:`ScopedStore.workspace`, which
  finds the workspace and checks the user may open it (owner, grant, positive tid match); item-
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

from bisect import bisect_right
from datetime import datetime, timedelta
from typing import AsyncIterator

from loom_tui.domain.clock import iso
from loom_tui.domain.containers import Scope
from loom_tui.domain.session import Session
from loom_tui.errors import ConflictError, Forbidden

from .port import DocumentStore, Page, spec
from .query import ALL, AnyOf, Filter, Op, Query, eq
from .scoped_workspaces import PERMISSIONS, ROLES, WorkspaceDocs, WorkspaceRef, principals
from .workspace_access import listed, names_user, owner_conds

__all__ = ["ScopedStore", "WorkspaceRef", "TENANT_SETTINGS_ITEM", "PERMISSIONS", "ROLES", "principals",
           "names_user", "owner_conds", "listed"]

TENANT_SETTINGS_ITEM = "tenant-settings:{tid}"


class ScopedStore(WorkspaceDocs):
    def __init__(self, store: DocumentStore, session: Session) -> None:
        self.store = store
        self.session = session
        self._bindings: tuple[float, list[str]] | None = None

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

    def tenant_iter(self, container: str, query: Query = ALL, *, page_size: int = 500) -> AsyncIterator[dict]:
        return self.store.iterate(self._tenant_container(container), self.tid, query, page_size=page_size)

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

    async def notify_once(self, user_oid: str, doc: dict) -> bool:
        """Write a notification unless one with its id is there already (alerts that a cron job
        re-evaluates must not pile up, nor come back unread once read).  True if written."""
        from .errors import Conflict

        try:
            await self.store.create("notifications", {**doc, "userId": user_oid, "tenantId": self.tid})
        except Conflict:
            return False
        return True

    # -- the tenant check of workspace and item partitions ---------------------------------
    def _ours(self, ws: WorkspaceRef | None, doc: dict | None) -> bool:
        """Does a document found in a workspace/item partition belong to this tenant?"""
        if doc is None:
            return False
        tenant = doc.get("tenantId")
        if tenant is None:  # untagged (the web console's items): the workspace's only if its id is unique
            return ws is not None and not ws.shared_id
        return tenant == self.tid

    def _tenant_bound(self, ws: WorkspaceRef, query: Query) -> Query:
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
        return await self.store.query(self._ws_container(container), ws.id, self._tenant_bound(ws, query), max_items=max_items, continuation=continuation)

    async def ws_window(self, ws: WorkspaceRef, container: str, query: Query, offset: int, limit: int) -> list[dict]:
        return await self.store.window(self._ws_container(container), ws.id, self._tenant_bound(ws, query), offset, limit)

    async def ws_count(self, ws: WorkspaceRef, container: str, query: Query = ALL) -> int:
        return await self.store.count(self._ws_container(container), ws.id, self._tenant_bound(ws, query))

    def ws_iter(self, ws: WorkspaceRef, container: str, query: Query = ALL) -> AsyncIterator[dict]:
        return self.store.iterate(self._ws_container(container), ws.id, self._tenant_bound(ws, query))

    async def ws_create(self, ws: WorkspaceRef, container: str, doc: dict) -> dict:
        return await self.store.create(container, self._stamp_ws(ws, container, doc))

    async def ws_create_batch(self, ws: WorkspaceRef, container: str, docs: list[dict]) -> list[dict]:
        """Several documents of the workspace's partition, created all or none."""
        return await self.store.create_batch(container, [self._stamp_ws(ws, container, d) for d in docs])

    async def ws_upsert(self, ws: WorkspaceRef, container: str, doc: dict) -> dict:
        body = self._stamp_ws(ws, container, doc)
        await self._check_existing(ws, container, ws.id, body["id"])
        return await self.store.upsert(container, body)

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

    def _tenant_or_unstamped(self) -> AnyOf:
        """loom stamps ``tenantId`` on every document it writes; the web console's audit events,
        comments and bindings lack it.  Such a document is taken when it is reached through a
        workspace already proven to be this tenant's; a *different* tenant id always excludes."""
        return AnyOf((eq("tenantId", self.tid), Filter("tenantId", Op.IS_NULL, True)))

    async def _in_workspace(self, ws: WorkspaceRef, item_id: str) -> bool:
        """Is ``item_id`` the workspace itself, or one of its items or folders (point reads)?"""
        if item_id == ws.id:
            return True
        return (await self.store.get("items", ws.id, item_id) is not None
                or await self.store.get("folders", ws.id, item_id) is not None)

    async def item_query(self, ws: WorkspaceRef, container: str, item_id: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        # a document without workspaceId (the web console's comments) counts only in the partition
        # of an item proven to be in ``ws``
        in_ws: Filter | AnyOf = eq("workspaceId", ws.id)
        if await self._in_workspace(ws, item_id):
            in_ws = AnyOf((in_ws, Filter("workspaceId", Op.IS_NULL, True)))
        q = query.and_(in_ws, self._tenant_or_unstamped())
        return await self.store.query(self._item_container(container), item_id, q, max_items=max_items, continuation=continuation)

    # -- admin aggregates (cross-partition, always tenant-bound) ----------------------------
    def _require_admin(self, container: str = "") -> None:
        if not self.session.is_tenant_admin:
            raise Forbidden("only tenant admins can read tenant-wide aggregates")
        if spec(container).scope is Scope.OWNER if container else False:
            # bound by tenantId = tid they would find none: a workspace's tenantId is its owner
            raise Forbidden(f"{container} are read tenant-wide with tenant_workspaces_iter / tenant_workspaces_count")

    async def admin_query(self, container: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        self._require_admin(container)
        return await self.store.query_cross_partition(container, query.and_(eq("tenantId", self.tid)), max_items=max_items, continuation=continuation)

    async def admin_count(self, container: str, query: Query = ALL) -> int:
        self._require_admin(container)
        return await self.store.count_cross_partition(container, query.and_(eq("tenantId", self.tid)))

    async def admin_reached(self, container: str, query: Query = ALL, *, page_size: int = 500) -> AsyncIterator[dict]:
        """Every document of a workspace- or item-partitioned container that belongs to this
        tenant (admins only): those stamped with its ``tenantId``, and those without one — the web
        console stamps none on items, folders, bindings, comments and item audit events — whose
        ``workspaceId`` is one of this tenant's workspaces (or whose ``itemId`` is this tenant's
        tenant-settings item).  A document stamped with another tenant never comes back."""
        self._require_admin()
        ws_ids = await self.tenant_workspace_ids()
        settings_item = TENANT_SETTINGS_ITEM.format(tid=self.tid)
        q = query.and_(self._tenant_or_unstamped())
        async for doc in self.store.iterate_cross_partition(container, q, page_size=page_size):
            if doc.get("tenantId") == self.tid or doc.get("workspaceId") in ws_ids or doc.get("itemId") == settings_item:
                yield doc

    # The same documents as admin_reached, counted instead of read: those stamped with the tenant
    # are counted with tenantId = this tenant; those without a tenant (the web console's) are
    # counted grouped by (workspaceId, itemId) as well, and kept by admin_reached's own rule —
    # the workspaces are read only when there is such a document at all.  Nothing is streamed.
    async def _unstamped(self, container: str, fields: tuple[str, ...], query: Query) -> list[tuple[tuple, int]]:
        """(values of ``fields``, count) of the tenant's documents without a ``tenantId``."""
        grouped = await self.store.count_by(container, ("workspaceId", "itemId", *fields),
                                            query.and_(Filter("tenantId", Op.IS_NULL, True)))
        if not grouped:
            return []
        ws_ids = await self.tenant_workspace_ids()
        settings_item = TENANT_SETTINGS_ITEM.format(tid=self.tid)
        return [(key[2:], n) for key, n in grouped.items() if key[0] in ws_ids or key[1] == settings_item]

    async def admin_reached_count_by(self, container: str, fields: str | tuple[str, ...], query: Query = ALL) -> dict:
        """:meth:`DocumentStore.count_by` over the documents :meth:`admin_reached` yields (admins only)."""
        self._require_admin()
        counts = dict(await self.store.count_by(container, fields, query.and_(eq("tenantId", self.tid))))
        names = (fields,) if isinstance(fields, str) else tuple(fields)
        for values, n in await self._unstamped(container, names, query):
            key = values[0] if isinstance(fields, str) else values
            counts[key] = counts.get(key, 0) + n
        return counts

    async def admin_reached_per_day(self, container: str, field: str, since: datetime, days: int, query: Query = ALL) -> list[int]:
        """:meth:`DocumentStore.count_per_day` over the documents :meth:`admin_reached` yields (admins only)."""
        self._require_admin()
        out = await self.store.count_per_day(container, field, since, days, query.and_(eq("tenantId", self.tid)))
        bounds = [iso(since + timedelta(days=d)) for d in range(days + 1)]
        window = query.and_(Filter(field, Op.GE, bounds[0]), Filter(field, Op.LT, bounds[-1]))
        for (at,), n in await self._unstamped(container, (field,), window):
            if isinstance(at, str):
                out[bisect_right(bounds, at) - 1] += n
        return out

    # -- workspaces filed under their owner's object id ---------------------------------------
    # The console files a workspace under its owner's *object id* (its partition key tenantId), so
    # such a workspace sits outside every tenant partition.  Finding them and backfilling their
    # tid/ownerOid in place (never moving them) is the one read outside the tenant partition: tenant admins only, on the workspaces container only;
    # a document whose ``tid`` names another tenant is never returned, and the service shows only
    # those whose owner it can tie to this tenant (directory, ``tid``).
    async def admin_foreign_workspaces(self) -> AsyncIterator[dict]:
        """Workspace documents whose ``tenantId`` is not this tenant's (admins only)."""
        self._require_admin()
        unstamped = AnyOf(tuple(c for f in ("tid", "ownerOid") for c in (Filter(f, Op.IS_NULL, True), eq(f, ""))))
        async for doc in self.store.iterate_cross_partition("workspaces", Query((Filter("tenantId", Op.NE, self.tid), unstamped))):
            if doc.get("tid") in (None, "", self.tid):
                yield doc

    async def admin_backfill_workspace(self, doc: dict, patch: dict) -> dict:
        """Add the missing ``patch`` fields (``tid``, ``ownerOid``) to ``doc`` (from
        :meth:`admin_foreign_workspaces`) IN ITS OWN PARTITION, as the console's backfill does: a
        document never moves; a field it has is never changed; a document whose ``tid`` names
        another tenant is refused; one changed since it was read is left for the next run."""
        from .errors import PreconditionFailed

        self._require_admin()
        pk = doc.get("tenantId")
        if not isinstance(pk, str) or pk == self.tid or doc.get("tid") not in (None, "", self.tid):
            raise Forbidden("only a workspace filed under an owner's object id, of this tenant, is backfilled")
        if set(patch) - {"tid", "ownerOid"} or patch.get("tid", self.tid) != self.tid:
            raise Forbidden("the backfill adds only this tenant's tid and the owner's object id")
        current = await self.store.get("workspaces", pk, doc["id"])
        if current is None:
            raise ConflictError("it is gone since it was read; left as it is")
        new = {**current, **{k: v for k, v in patch.items() if not current.get(k)}}
        try:
            return await self.store.replace("workspaces", new, if_match=current.get("_etag"))
        except PreconditionFailed:
            raise ConflictError("it changed while being backfilled; run loom migrate again") from None

    async def workspace_audit(self, ws: WorkspaceRef, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        """The audit trail of one workspace (its items' partitions), bound to tenant and workspace."""
        q = query.and_(eq("workspaceId", ws.id), self._tenant_or_unstamped())
        return await self.store.query_cross_partition("audit-log", q, max_items=max_items, continuation=continuation)

    async def workspace_audit_count(self, ws: WorkspaceRef, query: Query = ALL) -> int:
        q = query.and_(eq("workspaceId", ws.id), self._tenant_or_unstamped())
        return await self.store.count_cross_partition("audit-log", q)


