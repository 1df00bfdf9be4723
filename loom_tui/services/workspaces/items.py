"""Items of a workspace: list (search/filter/sort pushed down to the store), create, rename, move,
delete.

Rules mirrored from the web console, and its gaps fixed:

* ``itemType`` must be one of the catalog's 90 types; ``displayName`` follows the name rules of
  :func:`loom_tui.domain.text.clean_name` (markup and emoji are stored literally, control
  characters are refused);
* creating a ``lakehouse`` also creates its SQL endpoint, a ``warehouse`` named
  "<name> (SQL endpoint)" with ``state.sqlEndpointFor`` = the lakehouse id.  The twin follows its
  lakehouse: renamed, moved and deleted with it, and cannot be deleted on its own;
* the workspace's ``itemCount`` is kept right with ETag-conditional increments (see ``wsdoc``).

Reads and writes hand out :class:`loom_tui.domain.item.Item`; every write starts from the stored
document, so fields the web console added are kept.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from loom_tui.domain.catalog import item_types
from loom_tui.domain.item import Item
from loom_tui.domain.clock import now_iso
from loom_tui.domain.text import clean_name, clean_text
from loom_tui.store.errors import NotFound, PreconditionFailed
from loom_tui.store.query import Filter, Op, Order, Query, eq

from loom_tui.services.audit import AuditService, diff
from loom_tui.services.etag_edit import edit_with_etag
from loom_tui.errors import ConflictError, EditConflict, NameTaken, NotFoundError, ValidationError
from loom_tui.services.roles import Action
from loom_tui.services.workspaces.wsdoc import add_to_item_count

if TYPE_CHECKING:
    from loom_tui.store.scoped import WorkspaceRef

    from loom_tui.store.scoped import ScopedStore


    from loom_tui.services.roles import Gate

ALL_FOLDERS = "all"
LAKEHOUSE = "lakehouse"
SQL_ENDPOINT_TYPE = "warehouse"
SQL_ENDPOINT_SUFFIX = " (SQL endpoint)"
NAME_MAX = 256
AUDITED = ("displayName", "description", "folderId", "itemType")
# Name lookups order by the name they filter on: with no order of its own, the embedded store's
# implicit "ORDER BY id" makes SQLite walk the whole partition by primary key (160 ms at 100,000
# items) instead of using the displayName index.
BY_NAME = (Order("displayName"),)


class ItemSort(str, Enum):
    NAME = "displayName"  # the web console's field (binary order, as Cosmos DB sorts strings)
    CREATED = "createdAt"
    UPDATED = "updatedAt"
    TYPE = "itemType"
    FOLDER = "folderId"  # groups the items of a folder together (by folder id, not by its path)


@dataclass(frozen=True)
class ItemView:
    """What the item list shows.  ``folder``: a folder id, ``None`` for the root, or ``"all"``."""

    search: str = ""
    folder: str | None = ALL_FOLDERS
    item_type: str | None = None
    sort: ItemSort = ItemSort.NAME
    descending: bool = False


@dataclass(frozen=True)
class ItemInput:
    item_type: str
    display_name: str
    description: str = ""
    folder_id: str | None = None


def sql_endpoint_name(lakehouse_name: str) -> str:
    return lakehouse_name + SQL_ENDPOINT_SUFFIX


def clean_item_name(value: object, item_type: str) -> str:
    # a lakehouse's name must leave room for its SQL endpoint's " (SQL endpoint)" suffix
    limit = NAME_MAX - len(SQL_ENDPOINT_SUFFIX) if item_type == LAKEHOUSE else NAME_MAX
    return clean_name("displayName", value, max_len=limit)


def view_query(view: ItemView) -> Query:
    conds: list = []
    term = view.search.strip()
    if term:
        conds.append(Filter("displayName", Op.ICONTAINS, term))
    if view.folder is None:
        conds.append(Filter("folderId", Op.IS_NULL, True))
    elif view.folder != ALL_FOLDERS:
        conds.append(eq("folderId", view.folder))
    if view.item_type:
        conds.append(eq("itemType", view.item_type))
    orders = [Order(view.sort.value, view.descending)]
    if view.sort is not ItemSort.NAME:
        orders.append(Order(ItemSort.NAME.value, False))
    orders.append(Order("id", False))  # a total order, so it can be read backwards (see ItemService.window)
    return Query(tuple(conds), tuple(orders))


def reversed_query(query: Query) -> Query:
    return Query(query.where, tuple(Order(o.field, not o.descending) for o in query.order_by))


class ItemService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate") -> None:
        self.scoped = scoped
        self.gate = gate
        self.audit = AuditService(scoped)

    # -- reading ---------------------------------------------------------------------------
    async def count(self, workspace_id: str, view: ItemView = ItemView()) -> int:
        ws = await self.scoped.workspace(workspace_id)
        return await self.scoped.ws_count(ws, "items", view_query(view))

    async def window(self, workspace_id: str, view: ItemView, offset: int, limit: int, *, total: int | None = None) -> list[Item]:
        """Rows ``offset .. offset+limit`` of the view.  Give ``total`` (from :meth:`count`) when
        you have it: a window in the back half is then read from the end in reverse order, so
        jumping to the end of 100,000 items costs what the first page costs instead of an
        OFFSET scan over everything before it."""
        ws = await self.scoped.workspace(workspace_id)
        query = view_query(view)
        if total is not None and offset > total // 2 and offset < total:
            end = min(total, offset + limit)
            rows = await self.scoped.ws_window(ws, "items", reversed_query(query), total - end, end - offset)
            return [Item.from_doc(d) for d in rows[::-1]]
        return [Item.from_doc(d) for d in await self.scoped.ws_window(ws, "items", query, offset, limit)]

    async def get(self, workspace_id: str, item_id: str) -> Item:
        ws = await self.scoped.workspace(workspace_id)
        return Item.from_doc(await self._get(ws, item_id))

    async def find(self, workspace_id: str, name_or_id: str) -> Item:
        """An item by id, or by its display name (case-insensitive; refused when ambiguous)."""
        ws = await self.scoped.workspace(workspace_id)
        doc = await self.scoped.ws_get(ws, "items", name_or_id)
        if doc is not None:
            return Item.from_doc(doc)
        page = await self.scoped.ws_query(ws, "items", Query((Filter("displayName", Op.IEQUALS, name_or_id.strip()),), BY_NAME), max_items=3)
        if not page.items:
            raise NotFoundError(f"no item named or with id {name_or_id!r} in this workspace")
        if len(page.items) > 1:
            raise ConflictError(f"more than one item is named {name_or_id!r}; use its id")
        return Item.from_doc(page.items[0])

    async def _get(self, ws: "WorkspaceRef", item_id: str) -> dict:
        doc = await self.scoped.ws_get(ws, "items", item_id)
        if doc is None:
            raise NotFoundError(f"no item {item_id!r} in this workspace")
        return doc

    async def _check_folder(self, ws: "WorkspaceRef", folder_id: str | None) -> str | None:
        if folder_id is None or folder_id == "":
            return None
        if not isinstance(folder_id, str) or await self.scoped.ws_get(ws, "folders", folder_id) is None:
            raise ValidationError("folderId", f"{folder_id!r} is not a folder of this workspace")
        return folder_id

    async def _twin_of(self, ws: "WorkspaceRef", lakehouse: dict) -> dict | None:
        # by its name first (an indexed lookup), then by the pointer alone (a scan) for twins whose
        # name drifted in older data
        by_pointer = eq("state.sqlEndpointFor", lakehouse["id"])
        twin_name = sql_endpoint_name(lakehouse.get("displayName", ""))
        for conds in ((Filter("displayName", Op.IEQUALS, twin_name), by_pointer), (by_pointer,)):
            page = await self.scoped.ws_query(ws, "items", Query(conds, BY_NAME), max_items=1)
            if page.items:
                return page.items[0]
        return None

    async def _check_name_free(self, ws: "WorkspaceRef", item_type: str, name: str, except_ids: tuple[str, ...] = ()) -> None:
        """Fabric's rule: within a workspace, no two items of one type share a name (ignoring case).
        A lakehouse's SQL endpoint is a warehouse: its name must be free among the warehouses too."""
        checks = [(item_type, name)]
        if item_type == LAKEHOUSE:
            checks.append((SQL_ENDPOINT_TYPE, sql_endpoint_name(name)))
        for kind, wanted in checks:
            query = Query((Filter("displayName", Op.IEQUALS, wanted), eq("itemType", kind)), BY_NAME)
            page = await self.scoped.ws_query(ws, "items", query, max_items=len(except_ids) + 1)
            if any(d["id"] not in except_ids for d in page.items):
                raise NameTaken("displayName", f"{wanted!r} is taken: this workspace already has a {kind} of that name")

    # -- writing ---------------------------------------------------------------------------
    async def create(self, workspace_id: str, data: ItemInput) -> Item:
        """Create an item (and a lakehouse's SQL endpoint).  Returns the item."""
        self.gate.require_writable("creating an item")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.EDIT_ITEMS)
        if data.item_type not in item_types():
            raise ValidationError("itemType", f"{data.item_type!r} is not an item type of the catalog")
        name = clean_item_name(data.display_name, data.item_type)
        description = clean_text("description", data.description)
        folder_id = await self._check_folder(ws, data.folder_id)
        await self._check_name_free(ws, data.item_type, name)
        s, now = self.scoped.session, now_iso()
        doc: dict[str, Any] = {  # a store document: JSON values of several types
            "id": str(uuid.uuid4()),
            "itemType": data.item_type,
            "displayName": name,
            "displayNameLower": name.lower(),
            "description": description,
            "folderId": folder_id,
            "state": {},
            "createdBy": s.upn,
            "createdAt": now,
            "updatedAt": now,
        }
        docs = [doc]
        if data.item_type == LAKEHOUSE:
            twin = sql_endpoint_name(name)
            docs.append({**doc, "id": str(uuid.uuid4()), "itemType": SQL_ENDPOINT_TYPE, "displayName": twin,
                         "displayNameLower": twin.lower(), "description": f"SQL endpoint of {name}",
                         "state": {"sqlEndpointFor": doc["id"]}})
        events = [{"itemId": d["id"], "event": self.audit.event(item_type=d["itemType"], action="item.create",
                                                                summary=f"created {d['itemType']} {d['displayName']}",
                                                                changes=diff(None, d, AUDITED))} for d in docs]
        # the item and a lakehouse's SQL endpoint share a partition: created together or not at all;
        # the workspace's itemCount and the audit events live in other partitions: the intent lets
        # repair finish what a crash or a full disk cut short
        from loom_tui.services.journal import Journal

        journal = Journal(self.scoped)
        intent = await journal.begin("item.create", {"workspaceId": ws.id, "docs": docs, "events": events})
        stored = await self.scoped.ws_create_batch(ws, "items", docs)
        await add_to_item_count(self.scoped, ws, len(stored))
        for e in events:
            await self.audit.write(ws, e["itemId"], e["event"])
        await journal.done(intent)
        return Item.from_doc(stored[0])

    async def _replace(self, ws: "WorkspaceRef", current: dict, new: dict, etag: str | None, force: bool) -> dict:
        if etag is not None and etag != current.get("_etag") and not force:
            raise EditConflict(mine=new, theirs=current)
        try:
            return await self.scoped.ws_replace(ws, "items", new, if_match=None if force else current["_etag"])
        except PreconditionFailed:
            raise EditConflict(mine=new, theirs=await self.scoped.ws_get(ws, "items", current["id"])) from None

    async def _follow(self, ws: "WorkspaceRef", lakehouse: dict, fields: dict) -> None:
        """Apply ``fields`` to a lakehouse's SQL endpoint too (conditional, re-read on conflict)."""
        async def write(twin: dict) -> None:
            await self.scoped.ws_replace(ws, "items", {**twin, **fields, "updatedAt": now_iso()}, if_match=twin["_etag"])

        await edit_with_etag(lambda: self._twin_of(ws, lakehouse), write, missing=lambda: None, attempts=5,
                             gave_up="the SQL endpoint kept changing; run the change again")

    async def rename(self, workspace_id: str, item_id: str, new_name: str, *, etag: str | None = None, force: bool = False) -> Item:
        self.gate.require_writable("renaming an item")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.EDIT_ITEMS)
        current = await self._get(ws, item_id)
        if (current.get("state") or {}).get("sqlEndpointFor"):
            raise ConflictError("a SQL endpoint is named after its lakehouse; rename the lakehouse instead")
        name = clean_item_name(new_name, current.get("itemType", ""))
        if name.lower() != str(current.get("displayName") or "").lower():
            own = (item_id,)
            if current.get("itemType") == LAKEHOUSE:
                twin = await self._twin_of(ws, current)
                own += (twin["id"],) if twin else ()
            await self._check_name_free(ws, current.get("itemType", ""), name, own)
        new = {**current, "displayName": name, "displayNameLower": name.lower(), "updatedAt": now_iso()}
        stored = await self._replace(ws, current, new, etag, force)
        if current.get("itemType") == LAKEHOUSE:
            twin_name = sql_endpoint_name(name)
            await self._follow(ws, current, {"displayName": twin_name, "displayNameLower": twin_name.lower(),
                                             "description": f"SQL endpoint of {name}"})
        await self.audit.record(ws, item_id=item_id, item_type=current.get("itemType", ""), action="item.rename",
                                summary=f"renamed {current.get('displayName')} to {name}", changes=diff(current, stored, AUDITED))
        return Item.from_doc(stored)

    async def move(self, workspace_id: str, item_id: str, folder_id: str | None, *, etag: str | None = None, force: bool = False) -> Item:
        """Move an item into ``folder_id`` (None = the root)."""
        self.gate.require_writable("moving an item")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.EDIT_ITEMS)
        current = await self._get(ws, item_id)
        if (current.get("state") or {}).get("sqlEndpointFor"):
            raise ConflictError("a SQL endpoint stays with its lakehouse; move the lakehouse instead")
        folder_id = await self._check_folder(ws, folder_id)
        new = {**current, "folderId": folder_id, "updatedAt": now_iso()}
        stored = await self._replace(ws, current, new, etag, force)
        if current.get("itemType") == LAKEHOUSE:
            await self._follow(ws, stored, {"folderId": folder_id})
        await self.audit.record(ws, item_id=item_id, item_type=current.get("itemType", ""), action="item.move",
                                summary=f"moved {current.get('displayName')} to {'the root' if folder_id is None else 'folder ' + folder_id}",
                                changes=diff(current, stored, AUDITED))
        return Item.from_doc(stored)

    async def delete(self, workspace_id: str, item_id: str) -> int:
        """Delete an item (a lakehouse with its SQL endpoint).  Returns how many items went."""
        self.gate.require_writable("deleting an item")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.EDIT_ITEMS)
        current = await self._get(ws, item_id)
        if (current.get("state") or {}).get("sqlEndpointFor"):
            raise ConflictError("a SQL endpoint is deleted with its lakehouse; delete the lakehouse instead")
        victims = [current]
        if current.get("itemType") == LAKEHOUSE:
            twin = await self._twin_of(ws, current)
            if twin is not None:
                victims.insert(0, twin)  # twin first: an interrupted delete leaves the lakehouse to retry with
        removed = 0
        for doc in victims:
            try:
                await self.scoped.ws_delete(ws, "items", doc["id"])
                removed += 1
            except NotFound:
                pass  # someone else deleted it meanwhile; the count is only adjusted for what we removed
        if removed:
            await add_to_item_count(self.scoped, ws, -removed)
        for doc in victims:
            await self.audit.record(ws, item_id=doc["id"], item_type=doc.get("itemType", ""), action="item.delete",
                                    summary=f"deleted {doc.get('itemType')} {doc.get('displayName')}", changes=diff(doc, None, AUDITED))
        return removed
