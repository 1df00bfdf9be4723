"""Workspaces: list (search/sort/filter pushed down to the store), create, edit, delete.

Every write goes through ``gate.require_writable`` (the read-only gate), is validated first (bad
input changes nothing), is ETag-conditional where it edits, and writes an audit event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from loom_tui.domain.clock import now_iso
from loom_tui.domain.text import clean_name, clean_text
from loom_tui.domain.workspace import CapacityKind, Workspace, WorkspaceView, capacity_kind
from loom_tui.store.errors import NotFound, PreconditionFailed
from loom_tui.store.query import AnyOf, Filter, Op, Order, Query, eq
from loom_tui.domain.session import Session
from loom_tui.domain.workspace import CAPACITY_PATTERNS
from loom_tui.store.query import Cond
from loom_tui.store.workspace_access import owned, owner_conds

from loom_tui.services.audit import AuditService, diff
from loom_tui.errors import ConflictError, EditConflict, NameTaken, ValidationError
from loom_tui.services.journal import Journal
from loom_tui.services.roles import Action

if TYPE_CHECKING:
    from loom_tui.services.domains import DomainRegistry
    from loom_tui.store.scoped import ScopedStore

    from loom_tui.services.roles import Gate

EDITABLE = ("name", "description", "capacity", "domain")
# containers removed together with a workspace (items last-but-one, the workspace doc last)
CHILD_CONTAINERS = ("workspace-git", "workspace-permissions", "folders", "items")
DELETING = "Deleting"


@dataclass(frozen=True)
class WorkspacePage:
    """One page of the workspace list and the token of the next (None: the last page)."""

    items: list[Workspace]
    continuation: str | None = None


@dataclass(frozen=True)
class WorkspaceInput:
    name: str
    description: str = ""
    capacity: str = ""
    domain: str = ""
    new_domain: bool = False  # the operator chose to start a domain the tenant does not have yet


RULES = {
    "name": lambda v: clean_name("name", v),
    "description": lambda v: clean_text("description", v),
    "capacity": lambda v: clean_name("capacity", v, max_len=64, required=False),
    "domain": lambda v: clean_name("domain", v, max_len=128, required=False),
}


def validate(data: WorkspaceInput, only: Any = None) -> WorkspaceInput:
    """The input with every field (or only those in ``only``: an edit checks what it changes, so
    a value another writer stored is kept as it is rather than blocking every other edit)."""
    return WorkspaceInput(**{k: (rule(getattr(data, k)) if only is None or k in only else getattr(data, k))
                             for k, rule in RULES.items()}, new_domain=data.new_domain)


def stored_fields(data: WorkspaceInput) -> dict[str, Any]:
    """The editable fields as stored (the web console's names).  ``nameLower``, ``descriptionLower``
    and ``capacityKind`` are loom's older additions, still written for loom versions that search
    on them; nothing here reads them (documents the web console writes do not have them)."""
    return {
        "name": data.name,
        "nameLower": data.name.lower(),
        "description": data.description,
        "descriptionLower": data.description.lower(),
        "capacity": data.capacity or None,
        "capacityKind": capacity_kind(data.capacity).value,
        "domain": data.domain or None,
    }


# the console's optional fields: absent when there is no value (its types say `capacity?: string`;
# a null there breaks its contract, tests/fixtures/console-schemas)
OPTIONAL_EMPTY = ("capacity", "domain")


def without_empty(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` without the optional console fields that hold no value (cleared is absent, not null)."""
    return {k: v for k, v in doc.items() if not (k in OPTIONAL_EMPTY and v in (None, ""))}


def not_deleting() -> AnyOf:
    """A workspace being deleted is hidden; one without ``state`` is Active (the web console's rule)."""
    return AnyOf((Filter("state", Op.IS_NULL, True), Filter("state", Op.NE, DELETING)))


def capacity_filter(kind: CapacityKind) -> Cond:
    """The capacity kind derived from ``capacity`` itself (never from a stored ``capacityKind``)."""
    by_value = Filter("capacity", Op.IREGEX, CAPACITY_PATTERNS[kind.value])
    if kind is CapacityKind.NONE:
        return AnyOf((Filter("capacity", Op.IS_NULL, True), by_value))
    return by_value


def view_query(view: WorkspaceView, session_conds: tuple, session: Session) -> Query:
    """Search, filters and sort on the web console's own fields only (name, description, capacity,
    domain, createdBy; sort fields a document lacks sort lowest, they are never dropped)."""
    conds: list = list(session_conds)
    # a workspace being deleted stays in the list, its state saying so ("Deleting"), until the
    # delete (or ``loom repair``) has finished it
    term = view.search.strip()
    if term:
        conds.append(AnyOf((Filter("name", Op.ICONTAINS, term), Filter("description", Op.ICONTAINS, term))))
    if view.capacity is not None:
        conds.append(capacity_filter(view.capacity))
    if view.domain:
        conds.append(eq("domain", view.domain))
    if view.mine:
        conds.append(AnyOf((owned(session),) + owner_conds(session)[::2]))  # the owner's partition, ownerOid, createdBy
    return Query(tuple(conds), (Order(view.sort.value, view.descending),))


class WorkspaceService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate") -> None:
        self.scoped = scoped
        self.gate = gate
        self.audit = AuditService(scoped)

    # -- reading ---------------------------------------------------------------------------
    async def _query(self, view: WorkspaceView) -> Query:
        if view.domain:  # a domain by id or name filters on its id
            from dataclasses import replace

            from loom_tui.services.domains import DomainRegistry

            found = DomainRegistry.match(view.domain, await self.registry.domains())
            if found is not None and found.id != view.domain:
                view = replace(view, domain=found.id)
        return view_query(view, (), self.scoped.session)  # the scoped store binds it to what the user sees

    async def count(self, view: WorkspaceView = WorkspaceView()) -> int:
        return await self.scoped.workspaces_count(await self._query(view))

    async def window(self, view: WorkspaceView, offset: int, limit: int, *,
                     pinned: list[Workspace] | tuple[Workspace, ...] = ()) -> list[Workspace]:
        """Rows ``offset .. offset+limit`` of the list: the ``pinned`` rows (from :meth:`pinned`)
        first, then the store's window of the rest with the pinned ids excluded, so offsets stay
        exact at any size."""
        rows = list(pinned[offset : offset + limit])
        rest_offset, rest_limit = max(0, offset - len(pinned)), limit - len(rows)
        if rest_limit > 0:
            query = (await self._query(view)).and_(*(Filter("id", Op.NE, p.id) for p in pinned))
            rows += [Workspace.from_doc(d) for d in await self.scoped.workspaces_window(query, rest_offset, rest_limit)]
        return rows

    async def pinned(self, view: WorkspaceView, pins: tuple[str, ...] | list[str]) -> list[Workspace]:
        """The user's pinned workspaces that match ``view``, in the view's order, marked ``pinned``."""
        if not pins:
            return []
        query = (await self._query(view)).and_(Filter("id", Op.IN, list(pins)))
        page = await self.scoped.workspaces_query(query, max_items=len(pins))
        return [Workspace.from_doc(d, pinned=True) for d in page.items]

    async def page(self, view: WorkspaceView = WorkspaceView(), *, max_items: int = 100,
                   continuation: str | None = None) -> WorkspacePage:
        page = await self.scoped.workspaces_query(await self._query(view), max_items=max_items, continuation=continuation)
        return WorkspacePage([Workspace.from_doc(d) for d in page.items], page.continuation)

    async def get(self, workspace_id: str) -> Workspace:
        return Workspace.from_doc((await self.scoped.workspace(workspace_id)).doc)

    async def find(self, name_or_id: str) -> Workspace:
        """A workspace by id, or by its (case-insensitive) name."""
        try:
            return await self.get(name_or_id)
        except Exception:
            pass
        page = await self.scoped.workspaces_query(Query((Filter("name", Op.IEQUALS, name_or_id.strip()),)), max_items=10)
        if not page.items:
            from loom_tui.errors import NotFoundError

            raise NotFoundError(f"no workspace named or with id {name_or_id!r}")
        if len(page.items) > 1:
            from loom_tui.services.errors import ConflictError

            ids = ", ".join(d["id"] for d in page.items)
            raise ConflictError(f"{len(page.items)} workspaces are named {name_or_id!r} ({ids}); nothing was done — use an id")
        return Workspace.from_doc(page.items[0])

    async def names(self, ids: list[str] | set[str]) -> dict[str, str]:
        """``{id: name}`` of the tenant's workspaces among ``ids`` (for lists that carry ids, such as
        cost rows: the name of a workspace of the tenant, whoever may open it)."""
        wanted = sorted({i for i in ids if i})
        out: dict[str, str] = {}
        for start in range(0, len(wanted), 100):
            chunk = wanted[start : start + 100]
            found = await self.scoped.workspaces_in_tenant(Query((Filter("id", Op.IN, chunk),)), max_items=len(chunk) * 2)
            out.update({d["id"]: d.get("name") or "" for d in found})
        return out

    @property
    def registry(self) -> "DomainRegistry":
        """The tenant's domains registry, in the web console's shape (:mod:`.domains`)."""
        from loom_tui.services.domains import DomainRegistry

        return DomainRegistry(self.scoped, self.scoped.session.upn or self.scoped.session.user_oid, writable=not self.gate.read_only)

    async def domains(self) -> list[str]:
        """The names of the tenant's domains (seeded with the console's starter set when missing)."""
        return [d.name for d in await self.registry.domains()]

    async def domain_names(self) -> dict[str, str]:
        """``{domain id: name}``: a workspace's ``domain`` is an id; people see the name."""
        return await self.registry.names()

    async def domain_choices(self) -> list[tuple[str, str]]:
        """``[(id, name)]`` of the tenant's domains, in the registry's order."""
        return [(d.id, d.name) for d in await self.registry.domains()]

    async def _check_sku_and_domain(self, data: WorkspaceInput, current: dict | None = None,
                                    only: Any = None) -> tuple[WorkspaceInput, bool]:
        """Capacity a real SKU or none, domain one of the tenant's by id or name (or new by
        choice), stored as its id; values an edit leaves unchanged are kept as stored.  A new
        workspace without a domain gets ``default``, as the console's create does.  Returns the
        input and whether the domain is new (``data.domain`` is then the name to add)."""
        from dataclasses import replace

        from loom_tui.domain.workspace_fields import check_capacity, check_domain

        from loom_tui.services.domains import DEFAULT_DOMAIN_ID

        cur = current or {}
        capacity, domain, is_new = data.capacity, data.domain, False
        if only is None or "capacity" in only:
            capacity = check_capacity(data.capacity, cur.get("capacity") if current else None)
        if only is None or "domain" in only:
            choices = await self.domain_choices()
            text = data.domain
            if current is None and not (text or "").strip() and any(i == DEFAULT_DOMAIN_ID for i, _ in choices):
                text = DEFAULT_DOMAIN_ID
            domain, is_new = check_domain(text, choices, new=data.new_domain, stored=cur.get("domain") if current else None)
        return replace(data, capacity=capacity, domain=domain), is_new

    async def _add_domain(self, data: WorkspaceInput) -> WorkspaceInput:
        """Add the new domain ``data.domain`` (a name) to the registry; ``data`` with its id."""
        from dataclasses import replace

        added = await self.registry.add(data.domain)
        return replace(data, domain=added.id)

    # -- writing ---------------------------------------------------------------------------
    async def _reserve_name(self, name: str, workspace_id: str) -> None:
        """Check the name (also against workspaces that have no reservation) and reserve it for
        ``workspace_id`` (atomic: of two racing creates only one gets the reservation)."""
        from loom_tui.services.workspaces.names import NameReservations, NameTaken as Reserved

        await self._check_name_free(name, except_id=workspace_id)
        try:
            await NameReservations(self.scoped).reserve(name, workspace_id)
        except Reserved as taken:
            await self._refuse_name(name, [taken.holder])

    async def _check_name_free(self, name: str, except_id: str | None = None) -> None:
        """Names are unique in the tenant, but a user must not learn the names of workspaces they
        cannot see: a visible holder is named ("already exists"), an invisible one is not."""
        found = await self.scoped.workspaces_in_tenant(Query((Filter("name", Op.IEQUALS, name),)), max_items=10)
        holders = [d["id"] for d in found if d["id"] != except_id]
        if holders:
            await self._refuse_name(name, holders)

    async def _refuse_name(self, name: str, holder_ids: list[str]) -> None:
        visible = await self.scoped.workspaces_query(Query((Filter("id", Op.IN, list(holder_ids)),)), max_items=1)
        if visible.items:
            raise NameTaken("name", f"a workspace named {name!r} already exists in this tenant")
        raise NameTaken("name", "is unavailable; choose another name")

    async def create(self, data: WorkspaceInput) -> Workspace:
        self.gate.require_writable("creating a workspace")
        data = validate(data)
        data, new_domain = await self._check_sku_and_domain(data)
        new_id = str(uuid.uuid4())
        await self._reserve_name(data.name, new_id)
        if new_domain:
            data = await self._add_domain(data)
        s = self.scoped.session
        now = now_iso()
        doc = {
            "id": new_id,
            **without_empty(stored_fields(data)),
            "tid": s.tenant_id,  # the web console's HEAD names the Entra tenant "tid" (v1 has only tenantId)
            "ownerOid": s.user_oid,
            "createdBy": s.upn,
            "createdAt": now,
            "updatedAt": now,
            "lastAccessedAt": now,
            "itemCount": 0,
            "state": "Active",
            "memberUpns": [s.upn_key],
        }
        if data.capacity:
            # Assigning a Fabric capacity needs the Azure capacity service; record the request honestly.
            doc["capacityAssignment"] = {"status": "pending", "capacityId": data.capacity, "at": now}
        if data.domain:
            doc["domainRegistration"] = {"status": "pending", "at": now}
        member = {"id": f"{new_id}:{s.upn_key}", "upn": s.upn_key, "name": s.display_name, "role": "admin",
                  "addedBy": s.upn, "addedAt": now, "implicit": True}
        event = self.audit.event(item_type="workspace", action="workspace.create", summary=f"created workspace {data.name}",
                                 changes=diff(None, doc, EDITABLE))
        # three partitions (tenant, workspace, audit): the intent lets repair finish what a crash cut
        journal = Journal(self.scoped)
        intent = await journal.begin("workspace.create", {"workspaceId": new_id, "name": data.name, "member": member, "event": event})
        stored = await self.scoped.workspace_create(doc)  # under the creator's object id, as the console files it
        ws = await self.scoped.workspace(stored["id"])
        await self.scoped.ws_upsert(ws, "workspace-permissions", member)
        await self.audit.write(ws, stored["id"], event)
        await journal.done(intent)
        return Workspace.from_doc(stored)

    async def update(self, workspace_id: str, changes: dict[str, Any], *, etag: str | None, force: bool = False,
                     base: Workspace | None = None, new_domain: bool = False) -> Workspace:
        """Edit fields of :data:`EDITABLE`.  ``etag`` is the version the operator saw (``base``, the
        workspace as they saw it); if the workspace changed since, :class:`EditConflict` carries
        both versions as documents (unless ``force``).  The write starts from the stored document,
        so fields loom does not know are kept."""
        self.gate.require_writable("editing a workspace")
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValidationError(sorted(unknown)[0], "cannot be edited")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.EDIT_WORKSPACE)
        current = ws.doc
        merged = WorkspaceInput(**{k: (changes[k] if k in changes else (current.get(k) or "")) for k in EDITABLE},
                                new_domain=new_domain)
        data = validate(merged, only=changes)
        data, domain_is_new = await self._check_sku_and_domain(data, current, only=changes)
        renamed = data.name.lower() != str(current.get("name") or "").lower()
        if renamed:
            await self._reserve_name(data.name, workspace_id)
        seen = base.doc if base is not None else None
        if etag is not None and etag != current.get("_etag") and not force and self._edited_since(seen, current):
            raise EditConflict(mine={**(seen or current), **changes}, theirs=current)
        if domain_is_new:
            data = await self._add_domain(data)
        new = without_empty({**current, **stored_fields(data), "updatedAt": now_iso()})
        try:
            stored = await self.scoped.workspace_replace(ws, new, if_match=None if force else current["_etag"])
        except PreconditionFailed:
            theirs = await self.scoped.workspace_reread(ws)
            raise EditConflict(mine=new, theirs=theirs) from None
        if renamed:
            from loom_tui.services.workspaces.names import NameReservations

            await NameReservations(self.scoped).release(current.get("name") or "", workspace_id)
        await self.audit.record(ws, item_id=workspace_id, item_type="workspace", action="workspace.update", summary=f"edited workspace {data.name}", changes=diff(current, stored, EDITABLE))
        return Workspace.from_doc(stored)

    @staticmethod
    def _edited_since(base: dict | None, current: dict) -> bool:
        """Did someone change a field the operator edits?  Item counts, member lists and access
        stamps also change the ETag; they must not turn into an edit conflict.  Without the
        version the operator saw (``base``), any ETag change counts."""
        if base is None:
            return True
        return any((base.get(k) or "") != (current.get(k) or "") for k in EDITABLE)

    async def touch(self, workspace_id: str, *, min_interval_s: int = 300) -> bool:
        """Stamp ``lastAccessedAt`` on open, at most once per ``min_interval_s`` per workspace."""
        if self.gate.read_only:
            return False
        from datetime import datetime, timezone

        from loom_tui.domain.clock import parse_iso

        ws = await self.scoped.workspace(workspace_id)
        last = ws.doc.get("lastAccessedAt")
        if last and (datetime.now(timezone.utc) - parse_iso(last)).total_seconds() < min_interval_s:
            return False
        try:
            await self.scoped.workspace_replace(ws, {**ws.doc, "lastAccessedAt": now_iso()}, if_match=ws.doc["_etag"])
        except PreconditionFailed:
            return False  # someone else just wrote it; their write wins, nothing is lost
        return True

    async def delete(self, workspace_id: str) -> int:
        """Delete a workspace with its items, folders, permissions and git config.

        The workspace is first marked ``Deleting`` (hidden from lists); children go next, the
        workspace document last — so an interrupted delete can simply be run again."""
        self.gate.require_writable("deleting a workspace")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.DELETE_WORKSPACE)  # workspace admins (the owner is one) and tenant admins
        if ws.doc.get("state") != DELETING:
            try:
                await self.scoped.workspace_replace(ws, {**ws.doc, "state": DELETING}, if_match=ws.doc["_etag"])
            except PreconditionFailed:
                raise ConflictError("the workspace changed while deleting; try again") from None
        removed = 0
        for container in CHILD_CONTAINERS:
            while True:
                page = await self.scoped.ws_query(ws, container, max_items=500)
                if not page.items:
                    break
                for doc in page.items:
                    try:
                        await self.scoped.ws_delete(ws, container, doc["id"])
                        removed += 1
                    except NotFound:
                        pass
        await self.audit.record(ws, item_id=workspace_id, item_type="workspace", action="workspace.delete", summary=f"deleted workspace {ws.doc.get('name')}", changes={})
        try:
            await self.scoped.workspace_delete(ws)
        except NotFound:
            pass
        from loom_tui.services.workspaces.names import NameReservations

        await NameReservations(self.scoped).release(ws.doc.get("name") or "", workspace_id)
        return removed


__all__ = ["WorkspaceService", "WorkspaceInput", "WorkspacePage", "Workspace", "WorkspaceView", "CapacityKind"]
