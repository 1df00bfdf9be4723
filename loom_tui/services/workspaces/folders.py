"""The folder tree of a workspace: list, create ``{name, parent?}``, rename, delete.

Deleting a folder moves its children — items and sub-folders — to the root, as the web console
does.  The children move first and the folder document goes last, so an interrupted delete can be
run again and finishes the job.  Sibling folders may not share a name (case-insensitive): the
tree is navigated by name, and two "Reports" side by side cannot be told apart.  Reads and writes
hand out :class:`loom_tui.domain.folder.Folder` (the stored document rides along for writes).
"""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loom_tui.domain.clock import now_iso
from loom_tui.domain.folder import Folder
from loom_tui.domain.text import clean_name
from loom_tui.store.errors import NotFound, PreconditionFailed
from loom_tui.store.query import Order, Query, eq

from loom_tui.services.audit import AuditService, diff
from loom_tui.errors import EditConflict, NameTaken, NotFoundError, ValidationError
from loom_tui.services.roles import Action

if TYPE_CHECKING:
    from loom_tui.store.scoped import WorkspaceRef

    from loom_tui.store.scoped import ScopedStore


    from loom_tui.services.roles import Gate

MAX_FOLDERS = 10_000  # a workspace's folder tree is read whole; this bounds that read


@dataclass
class FolderNode:
    folder: Folder
    children: list["FolderNode"] = field(default_factory=list)


def build_tree(folders: list[Folder]) -> list[FolderNode]:
    """Roots sorted by name, each with its sub-folders; a folder whose parent is missing is a root."""
    nodes = {f.id: FolderNode(f) for f in folders}
    roots: list[FolderNode] = []
    for node in nodes.values():
        parent = nodes.get(node.folder.parent or "")
        (parent.children if parent is not None and parent is not node else roots).append(node)

    def sort(level: list[FolderNode]) -> None:
        level.sort(key=lambda n: (n.folder.name.lower(), n.folder.id))
        for n in level:
            sort(n.children)

    sort(roots)
    return roots


class FolderService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate") -> None:
        self.scoped = scoped
        self.gate = gate
        self.audit = AuditService(scoped)

    async def list(self, workspace_id: str) -> list[Folder]:
        ws = await self.scoped.workspace(workspace_id)
        return [Folder.from_doc(d) for d in await self._all(ws)]

    async def tree(self, workspace_id: str) -> builtins.list[FolderNode]:  # list: the method above
        return build_tree(await self.list(workspace_id))

    async def _all(self, ws: "WorkspaceRef") -> builtins.list[dict]:
        page = await self.scoped.ws_query(ws, "folders", Query(order_by=(Order("name"),)), max_items=MAX_FOLDERS)
        return page.items

    async def _get(self, ws: "WorkspaceRef", folder_id: str) -> dict:
        doc = await self.scoped.ws_get(ws, "folders", folder_id)
        if doc is None:
            raise NotFoundError(f"no folder {folder_id!r} in this workspace")
        return doc

    async def _check_sibling_name(self, ws: "WorkspaceRef", name: str, parent: str | None, except_id: str | None = None) -> None:
        for f in await self._all(ws):
            if (f.get("parent") or None) == parent and f.get("name", "").lower() == name.lower() and f["id"] != except_id:
                raise NameTaken("name", f"a folder named {name!r} already exists there")

    async def create(self, workspace_id: str, name: str, parent: str | None = None) -> Folder:
        self.gate.require_writable("creating a folder")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.EDIT_FOLDERS)
        name = clean_name("name", name)
        parent = parent or None
        if parent is not None and await self.scoped.ws_get(ws, "folders", parent) is None:
            raise ValidationError("parent", f"no folder {parent!r} in this workspace")
        await self._check_sibling_name(ws, name, parent)
        doc = {"id": str(uuid.uuid4()), "name": name, "parent": parent, "createdBy": self.scoped.session.upn, "createdAt": now_iso()}
        stored = await self.scoped.ws_create(ws, "folders", doc)
        await self.audit.record(ws, item_id=stored["id"], item_type="folder", action="folder.create",
                                summary=f"created folder {name}", changes=diff(None, stored, ("name", "parent")))
        return Folder.from_doc(stored)

    async def rename(self, workspace_id: str, folder_id: str, name: str, *, etag: str | None = None, force: bool = False) -> Folder:
        self.gate.require_writable("renaming a folder")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.EDIT_FOLDERS)
        current = await self._get(ws, folder_id)
        name = clean_name("name", name)
        await self._check_sibling_name(ws, name, current.get("parent") or None, except_id=folder_id)
        new = {**current, "name": name, "updatedAt": now_iso()}
        if etag is not None and etag != current.get("_etag") and not force:
            raise EditConflict(mine=new, theirs=current)
        try:
            stored = await self.scoped.ws_replace(ws, "folders", new, if_match=None if force else current["_etag"])
        except PreconditionFailed:
            raise EditConflict(mine=new, theirs=await self.scoped.ws_get(ws, "folders", folder_id)) from None
        await self.audit.record(ws, item_id=folder_id, item_type="folder", action="folder.rename",
                                summary=f"renamed folder {current.get('name')} to {name}", changes=diff(current, stored, ("name",)))
        return Folder.from_doc(stored)

    async def delete(self, workspace_id: str, folder_id: str) -> dict[str, int]:
        """Delete a folder; its items and sub-folders move to the root.  Returns what moved."""
        self.gate.require_writable("deleting a folder")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.EDIT_FOLDERS)
        folder = await self._get(ws, folder_id)
        moved = {"folders": 0, "items": 0}
        now = now_iso()
        for container, key, counter in (("folders", "parent", "folders"), ("items", "folderId", "items")):
            while True:  # always the first page: every document moved leaves the result set
                # ordered by the indexed field it filters on, so the store uses that index
                page = await self.scoped.ws_query(ws, container, Query((eq(key, folder_id),), (Order(key),)), max_items=500)
                if not page.items:
                    break
                for doc in page.items:
                    try:
                        await self.scoped.ws_replace(ws, container, {**doc, key: None, "updatedAt": now}, if_match=doc["_etag"])
                        moved[counter] += 1
                    except (PreconditionFailed, NotFound):
                        pass  # changed or gone meanwhile: the next page read sees its current state
        try:
            await self.scoped.ws_delete(ws, "folders", folder_id)
        except NotFound:
            pass
        await self.audit.record(ws, item_id=folder_id, item_type="folder", action="folder.delete",
                                summary=f"deleted folder {folder.get('name')}; {moved['items']} items and {moved['folders']} folders moved to the root",
                                changes={"name": [folder.get("name"), None], "moved": moved})
        return moved
