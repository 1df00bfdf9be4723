"""What loom writes, the web console reads: edits keep every field loom does not know (a
round trip on every kind of document loom edits), new documents carry the web console's field
names and shapes (loom's own fields are additions), membership changes write the bindings the web
console reads, audit events keep its shape plus ``tenantId``.  On both adapters."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator

import pytest

from loom_tui.domain.workspace import WorkspaceView
from loom_tui.services.errors import ConflictError
from loom_tui.services.workspaces.items import ItemInput
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.store.port import DocumentStore
from tests.store.conftest import close_store, open_store
from tests.support import webconsole as wc
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

from .test_webconsole_data import as_user

# the web console's field names per kind (shared/reference/web-console.md §1)
WORKSPACE_FIELDS = {"id", "tenantId", "name", "description", "capacity", "domain", "createdBy", "createdAt", "updatedAt",
                    "lastAccessedAt", "itemCount", "state"}
ITEM_FIELDS = {"id", "workspaceId", "itemType", "displayName", "description", "folderId", "state", "createdBy", "createdAt", "updatedAt"}
FOLDER_FIELDS = {"id", "workspaceId", "name", "parent", "createdBy", "createdAt"}
PERMISSION_FIELDS = {"id", "workspaceId", "upn", "name", "role", "addedBy", "addedAt", "implicit"}
AUDIT_FIELDS = {"id", "itemId", "itemType", "workspaceId", "userId", "upn", "action", "summary", "diff", "at", "tenantId"}
NOTIFICATION_FIELDS = {"id", "userId", "title", "body", "severity", "link", "read", "createdAt"}


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    s = await open_store(request.param, request, tmp_path)
    try:
        await wc.load(s)
        yield s
    finally:
        await close_store(s)


def fixture(docs: list[dict], id: str) -> dict:
    return next(d for d in docs if d["id"] == id)


def keeps(stored: dict, original: dict) -> None:
    unknown = wc.unknown_fields(original)
    assert unknown and {k: stored.get(k) for k in unknown} == unknown


async def test_workspace_edits_keep_unknown_fields(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    original = fixture(wc.WORKSPACES, wc.WS_SANDBOX)
    doc = await admin.workspaces.get(wc.WS_SANDBOX)
    edited = await admin.workspaces.update(wc.WS_SANDBOX, {"name": "Marketing Sandbox", "capacity": "F8"}, etag=doc.etag, base=doc)
    keeps(edited.doc, original)
    keeps(await wc.workspace_doc(store, wc.WS_SANDBOX), original)  # as stored, not only as returned
    assert (edited.name, edited.capacity, edited.created_by, edited.created_at) == (
        "Marketing Sandbox", "F8", original["createdBy"], original["createdAt"])
    assert await admin.workspaces.touch(wc.WS_SANDBOX, min_interval_s=0)
    keeps(await wc.workspace_doc(store, wc.WS_SANDBOX), original)


async def test_item_and_folder_edits_keep_unknown_fields(store):
    member = as_user(store, wc.MEMBER)  # a contributor through the web console's binding only
    renamed = await member.items.rename(wc.WS_SALES, wc.ITEM_NOTEBOOK, "Revenue Notebook v2")
    keeps(renamed.doc, fixture(wc.ITEMS, wc.ITEM_NOTEBOOK))
    assert "description" not in renamed.doc and "folderId" not in renamed.doc  # fields it lacked are not invented
    moved = await member.items.move(wc.WS_SALES, wc.ITEM_LAKEHOUSE, wc.FOLDER_REPORTS)
    keeps(moved.doc, fixture(wc.ITEMS, wc.ITEM_LAKEHOUSE))
    keeps(await store.get("items", wc.WS_SALES, wc.ITEM_LAKEHOUSE), fixture(wc.ITEMS, wc.ITEM_LAKEHOUSE))  # as stored
    folder = await member.folders.rename(wc.WS_SALES, wc.FOLDER_REPORTS, "Board reports")
    keeps(folder.doc, fixture(wc.FOLDERS, wc.FOLDER_REPORTS))
    await member.folders.delete(wc.WS_SALES, wc.FOLDER_REPORTS)  # children move to the root
    keeps(await store.get("folders", wc.WS_SALES, wc.FOLDER_Q3), fixture(wc.FOLDERS, wc.FOLDER_Q3))
    keeps(await store.get("items", wc.WS_SALES, wc.ITEM_LAKEHOUSE), fixture(wc.ITEMS, wc.ITEM_LAKEHOUSE))
    # an item count kept by loom: the web console's workspace document had none, so loom counts
    await member.items.create(wc.WS_SALES, ItemInput("notebook", "Fresh"))
    ws = await wc.workspace_doc(store, wc.WS_SALES)
    keeps(ws, fixture(wc.WORKSPACES, wc.WS_SALES))
    assert ws["itemCount"] == 4 == await member.items.count(wc.WS_SALES)


async def test_item_count_is_counted_when_the_web_console_kept_none(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    await store.upsert_many("items", [{"id": f"sb-{i}", "workspaceId": wc.WS_SANDBOX, "itemType": "notebook", "displayName": f"n{i}",
                                        "state": {}, "createdBy": wc.CREATOR.upn, "createdAt": wc.ago(days=1), "updatedAt": wc.ago(days=1)}
                                       for i in range(5)])
    await admin.items.create(wc.WS_SANDBOX, ItemInput("notebook", "Sixth"))
    ws = await wc.workspace_doc(store, wc.WS_SANDBOX)
    assert ws["itemCount"] == 6
    keeps(ws, fixture(wc.WORKSPACES, wc.WS_SANDBOX))


async def test_member_changes_write_the_bindings_the_web_console_reads(store):
    creator = as_user(store, wc.CREATOR)  # an admin of the workspace through its implicit binding
    original = fixture(wc.PERMISSIONS, f"{wc.WS_SALES}:{wc.VIEWER.upn}")
    changed = await creator.members.set_role(wc.WS_SALES, wc.VIEWER.upn, "contributor")
    keeps(changed.doc, original)
    added = await creator.members.add(wc.WS_SALES, wc.OUTSIDER.upn, "viewer")
    assert added.id == f"{wc.WS_SALES}:{wc.OUTSIDER.upn}" and PERMISSION_FIELDS <= set(added.doc)
    stored = await store.get("workspace-permissions", wc.WS_SALES, added.id)
    assert (stored["upn"], stored["role"], stored["workspaceId"], stored["implicit"]) == (wc.OUTSIDER.upn, "viewer", wc.WS_SALES, False)
    outsider = as_user(store, wc.OUTSIDER)
    assert [r.id for r in await outsider.workspaces.window(WorkspaceView(), 0, 10)] == [wc.WS_SALES]
    await creator.members.remove(wc.WS_SALES, wc.OUTSIDER.upn)
    assert await store.get("workspace-permissions", wc.WS_SALES, added.id) is None
    with pytest.raises(ConflictError):
        await creator.members.remove(wc.WS_SALES, wc.CREATOR.upn)  # the implicit creator stays


async def test_notification_mark_read_keeps_unknown_fields(store):
    member = as_user(store, wc.MEMBER)
    original = wc.NOTIFICATIONS[0]
    marked = await member.notifications.mark_read(original["id"])
    keeps(marked, original)
    assert marked["read"] is True and NOTIFICATION_FIELDS <= set(marked)


async def test_new_documents_have_the_web_consoles_shapes(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    ws = await admin.workspaces.create(WorkspaceInput(name="Shaped", description="d", capacity="F2", domain="ops"))
    # filed as the console files it: under the creator's object id, with ownerOid and the tenant's tid
    assert WORKSPACE_FIELDS <= set(ws.doc) and ws.doc["tenantId"] == ws.doc["ownerOid"] == wc.ADMIN.oid and ws.doc["tid"] == wc.TENANT
    assert ws.doc["state"] == "Active" and await store.get("workspaces", wc.ADMIN.oid, ws.id) is not None
    assert ws.doc["capacityAssignment"]["status"] == "pending" and ws.doc["domainRegistration"]["status"] == "pending"
    binding = await store.get("workspace-permissions", ws.id, f"{ws.id}:{wc.ADMIN.upn}")
    assert PERMISSION_FIELDS <= set(binding) and binding["implicit"] is True and binding["role"] == "admin"
    folder = await admin.folders.create(ws.id, "Top")
    sub = await admin.folders.create(ws.id, "Sub", parent=folder.id)
    assert FOLDER_FIELDS <= set(sub.doc) and sub.parent == folder.id
    item = await admin.items.create(ws.id, ItemInput("notebook", "Nb", folder_id=sub.id))
    assert ITEM_FIELDS <= set(item.doc) and item.folder_id == sub.id and item.doc["state"] == {}
    events = (await admin.audit.workspace_trail(ws.id)).items
    assert events and all(AUDIT_FIELDS <= set(e) and e["tenantId"] == wc.TENANT for e in events)
    assert {e["action"] for e in events} >= {"workspace.create", "folder.create", "item.create"}
