"""Documents shaped the way the CSA Loom web console writes them (``shared/reference/web-console.md``
§1, the v1 and HEAD shapes), for tests that load them into a store and look at them through loom.

Workspaces are filed as the console's create route files them (under the owner's object id, with
``ownerOid`` and ``tid``; one from before rel-T11 without either).  None of the documents carries
a field loom derives for itself (``state``, ``nameLower``, ``descriptionLower``, ``memberUpns``, ``capacityKind``, ``displayNameLower``,
``seq``; no ``tenantId`` on items, folders, bindings, comments, item audit events or
notifications), and every one carries fields loom does not know (``EXTRA``), which an edit by loom
must keep.  ``load(store)`` writes them straight into the store, as the web console would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from loom_tui.domain.clock import iso
from loom_tui.domain.session import Session
from loom_tui.store.port import DocumentStore

TENANT = "5eb7c0de-0000-4000-8000-0000000000aa"
DOMAIN = "webconsole.example"


@dataclass(frozen=True)
class User:
    alias: str
    oid: str
    name: str

    @property
    def upn(self) -> str:
        return f"{self.alias}@{DOMAIN}"

    def session(self, *, tenant_admin: bool = False) -> Session:
        # the signed-in UPN as Entra spells it (mixed case): bindings hold it lower-cased
        return Session(tenant_id=TENANT, user_oid=self.oid, upn=f"{self.alias.title()}@{DOMAIN}", display_name=self.name,
                       is_tenant_admin=tenant_admin, source="test")


ADMIN = User("tenant.admin", "0a000000-0000-4000-8000-000000000001", "Tenant Admin")
CREATOR = User("cora.creator", "0a000000-0000-4000-8000-000000000002", "Cora Creator")
MEMBER = User("ana.member", "0a000000-0000-4000-8000-000000000003", "Ana Member")  # contributor, only in workspace-permissions
VIEWER = User("vic.viewer", "0a000000-0000-4000-8000-000000000004", "Vic Viewer")
OUTSIDER = User("oz.outsider", "0a000000-0000-4000-8000-000000000005", "Oz Outsider")
LEGACY_OWNER = User("lee.legacy", "0a000000-0000-4000-8000-000000000006", "Lee Legacy")

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def ago(**kw: float) -> str:
    return iso(NOW - timedelta(**kw))


def extra(kind: str) -> dict:
    """Fields the web console has and loom does not know (it keeps adding some)."""
    return {"wcSchemaVersion": 3, f"{kind}Flags": {"beta": True, "tags": ["a", "b"]}, "futureField": [{"k": kind}, None, 1.5]}


# -- workspaces ------------------------------------------------------------------------------------
WS_SALES = "11111111-aaaa-4000-8000-000000000001"  # HEAD: every optional field the create route writes, no state
WS_SANDBOX = "11111111-aaaa-4000-8000-000000000002"  # HEAD: only what the create route always writes
WS_OPS = "11111111-aaaa-4000-8000-000000000003"  # HEAD: capacityAssignment, domainRegistration, a state
WS_UBER = "11111111-aaaa-4000-8000-000000000004"  # non-ASCII name and description
WS_LEGACY = "11111111-aaaa-4000-8000-000000000005"  # before rel-T11: no tid, no ownerOid
VISIBLE = (WS_SALES, WS_SANDBOX, WS_OPS, WS_UBER)  # to a tenant admin (WS_LEGACY's tenant is not recorded)


def filed(owner: User, *, tid: bool = True) -> dict:
    """Where the console's create route (app/api/workspaces/route.ts) files a workspace: under the
    owner's object id, with ``ownerOid`` and the session's ``tid`` (rel-T11; absent before)."""
    return {"tenantId": owner.oid, **({"ownerOid": owner.oid, "tid": TENANT} if tid else {})}


WORKSPACES = [
    {"id": WS_SALES, **filed(CREATOR), "name": "Sales Lakehouse", "description": "Quarterly SALES figures",
     "capacity": "F64", "domain": "finance", "licenseMode": "Org", "contacts": [CREATOR.upn],
     "createdBy": CREATOR.upn, "createdAt": ago(days=90), "updatedAt": ago(days=3),
     "lastAccessedAt": ago(hours=5), "itemCount": 3, **extra("workspace")},
    {"id": WS_SANDBOX, **filed(CREATOR), "name": "marketing sandbox", "domain": "default", "licenseMode": "Org",
     "createdBy": CREATOR.upn, "createdAt": ago(days=30), "updatedAt": ago(days=30), **extra("workspace")},
    {"id": WS_OPS, **filed(ADMIN), "name": "Ops Analytics", "description": "runbooks",
     "capacity": "shared-pool", "domain": "ops", "createdBy": ADMIN.upn, "createdAt": ago(days=60), "updatedAt": ago(days=1),
     "lastAccessedAt": ago(days=2), "state": "Suspended",
     "capacityAssignment": {"status": "queued", "capacityId": "shared-pool", "error": None, "at": ago(days=60)},
     "domainRegistration": {"status": "registered", "error": None, "at": ago(days=60)}, **extra("workspace")},
    {"id": WS_UBER, **filed(ADMIN), "name": "Über Daten", "description": "Ärger mit Umlauten", "capacity": "Premium P1",
     "domain": "finance", "createdBy": ADMIN.upn, "createdAt": ago(days=10), "updatedAt": ago(days=10), "itemCount": 0,
     **extra("workspace")},
    {"id": WS_LEGACY, **filed(LEGACY_OWNER, tid=False), "name": "Legacy Space", "description": "written by v1",
     "createdBy": LEGACY_OWNER.upn, "createdAt": ago(days=400), "updatedAt": ago(days=300), **extra("workspace")},
]
OWNER = {w["id"]: w["tenantId"] for w in WORKSPACES}  # each workspace's partition


async def workspace_doc(store: DocumentStore, ws_id: str) -> dict | None:
    """A workspace document read where the console filed it (its owner's partition)."""
    return await store.get("workspaces", OWNER[ws_id], ws_id)


# -- folders, items --------------------------------------------------------------------------------
FOLDER_REPORTS = "22222222-aaaa-4000-8000-000000000001"
FOLDER_Q3 = "22222222-aaaa-4000-8000-000000000002"
FOLDERS = [
    {"id": FOLDER_REPORTS, "workspaceId": WS_SALES, "name": "Reports", "createdBy": CREATOR.upn, "createdAt": ago(days=80), **extra("folder")},
    {"id": FOLDER_Q3, "workspaceId": WS_SALES, "name": "Q3", "parent": FOLDER_REPORTS, "createdBy": CREATOR.upn,
     "createdAt": ago(days=70), **extra("folder")},
]
ITEM_NOTEBOOK = "33333333-aaaa-4000-8000-000000000001"  # no description, no folderId
ITEM_LAKEHOUSE = "33333333-aaaa-4000-8000-000000000002"
ITEM_REPORT = "33333333-aaaa-4000-8000-000000000003"  # in a sub-folder
ITEMS = [
    {"id": ITEM_NOTEBOOK, "workspaceId": WS_SALES, "itemType": "notebook", "displayName": "Revenue Notebook", "state": {},
     "createdBy": CREATOR.upn, "createdAt": ago(days=50), "updatedAt": ago(days=4), **extra("item")},
    {"id": ITEM_LAKEHOUSE, "workspaceId": WS_SALES, "itemType": "lakehouse", "displayName": "sales_bronze", "description": "raw",
     "folderId": None, "state": {"provisioned": True}, "createdBy": CREATOR.upn, "createdAt": ago(days=60), "updatedAt": ago(days=60),
     **extra("item")},
    {"id": ITEM_REPORT, "workspaceId": WS_SALES, "itemType": "report", "displayName": "Q3 Revenue", "description": "board pack",
     "folderId": FOLDER_Q3, "state": {}, "createdBy": MEMBER.upn, "createdAt": ago(days=20), "updatedAt": ago(days=2), **extra("item")},
]

# -- members (the web console's source of truth for who sees a workspace) ---------------------------
def binding(ws_id: str, user: User, role: str, *, implicit: bool = False) -> dict:
    doc = {"id": f"{ws_id}:{user.upn.lower()}", "workspaceId": ws_id, "upn": user.upn, "name": user.name, "role": role,
           "addedBy": CREATOR.upn, "addedAt": ago(days=80), **extra("permission")}
    if implicit:
        doc["implicit"] = True
    return doc


PERMISSIONS = [
    binding(WS_SALES, CREATOR, "admin", implicit=True),
    binding(WS_SALES, MEMBER, "contributor"),
    binding(WS_SALES, VIEWER, "viewer"),
    binding(WS_SANDBOX, CREATOR, "admin", implicit=True),
    binding(WS_OPS, ADMIN, "admin", implicit=True),
    binding(WS_UBER, ADMIN, "admin", implicit=True),
]

# -- comments, notifications, audit, tenant settings ------------------------------------------------
COMMENTS = [
    {"id": "44444444-aaaa-4000-8000-000000000001", "itemId": ITEM_NOTEBOOK, "userId": MEMBER.oid, "upn": MEMBER.upn,
     "name": MEMBER.name, "body": f"Numbers look off @{VIEWER.upn}", "createdAt": ago(days=1), **extra("comment")},
]
NOTIFICATIONS = [
    {"id": "55555555-aaaa-4000-8000-000000000001", "userId": MEMBER.oid, "title": "You were mentioned", "body": "On Revenue Notebook",
     "severity": "info", "link": None, "read": False, "createdAt": ago(hours=3), **extra("notification")},
    {"id": "55555555-aaaa-4000-8000-000000000002", "userId": MEMBER.oid, "title": "Capacity assigned", "body": "F64",
     "severity": "warning", "link": f"/workspaces/{WS_SALES}", "read": True, "readAt": ago(hours=1), "createdAt": ago(hours=9),
     **extra("notification")},
]
DOMAINS_DOC = {"id": f"domains:{TENANT}", "tenantId": TENANT, **extra("domains"), "kind": "domains", "updatedAt": ago(days=5),
               "items": [
    {"id": "default", "name": "Default", "status": "registered", "createdAt": ago(days=100), "createdBy": ADMIN.upn},
    {"id": "finance", "name": "Finance", "description": "Money", "color": "#0a0", "icon": "money", "themeColor": "#107c10",
     "status": "active", "subscriptionIds": ["11111111-2222-4333-8444-555555555555"], "dlzRg": "rg-csa-loom-dlz-finance-eastus2",
     "location": "eastus2", "capacitySku": "F64", "chargebackTag": "loom-domain:finance", "createdAt": ago(days=100),
     "createdBy": ADMIN.upn, **extra("domain-item")},
    {"id": "ops", "name": "Operations", "parentId": "default", "createdAt": ago(days=100), "createdBy": ADMIN.upn},
]}
SETTINGS_DOC = {"id": TENANT, "tenantId": TENANT, "settings": {"workspaceCreation": True}, "updatedAt": ago(days=5),
                "updatedBy": ADMIN.upn, **extra("settings")}


def event(n: int, item_id: str, item_type: str, ws_id: str | None, user: User, action: str, at: str) -> dict:
    doc = {"id": f"66666666-aaaa-4000-8000-{n:012d}", "itemId": item_id, "itemType": item_type, "userId": user.oid,
           "upn": user.upn, "action": action, "summary": f"{action} by {user.alias}", "diff": {"x": [None, n]}, "at": at,
           **extra("audit")}
    if ws_id is not None:
        doc["workspaceId"] = ws_id
    return doc


AUDIT = [
    event(1, WS_SALES, "workspace", WS_SALES, CREATOR, "workspace.create", ago(days=20)),
    event(2, ITEM_NOTEBOOK, "notebook", WS_SALES, CREATOR, "item.create", ago(days=12)),
    event(3, ITEM_NOTEBOOK, "notebook", WS_SALES, MEMBER, "item.update", ago(days=2)),
    event(4, ITEM_REPORT, "report", WS_SALES, MEMBER, "item.create", ago(days=1)),
    event(5, f"tenant-settings:{TENANT}", "tenant-settings", None, ADMIN, "settings.update", ago(days=3)),
]

ALL = {
    "workspaces": WORKSPACES, "folders": FOLDERS, "items": ITEMS, "workspace-permissions": PERMISSIONS,
    "comments": COMMENTS, "notifications": NOTIFICATIONS, "tenant-settings": [DOMAINS_DOC, SETTINGS_DOC], "audit-log": AUDIT,
}
LOOM_DERIVED = ("state", "nameLower", "descriptionLower", "memberUpns", "capacityKind", "displayNameLower", "seq")


async def load(store: DocumentStore) -> None:
    for container, docs in ALL.items():
        await store.upsert_many(container, docs)


def unknown_fields(doc: dict) -> dict:
    """The fields of a fixture document loom does not know (what an edit must keep)."""
    return {k: v for k, v in doc.items() if k in ("wcSchemaVersion", "futureField") or k.endswith("Flags")}
