"""The demo tenant of the embedded default: deterministic, realistic, clearly labelled.

``ensure_demo`` seeds it once, on first start without an Azure profile.  ``seed_scale`` adds
generated workspaces and items for scale work (10,000 workspaces, or 100,000 items in one
workspace).  The same seed always gives the same documents (ids come from a seeded RNG), so
re-running a seed upserts the same documents instead of duplicating them.
"""

from __future__ import annotations

from typing import Any

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from loom_tui.domain.catalog import item_types
from loom_tui.domain.clock import iso
from loom_tui.domain.session import Session
from loom_tui.domain.workspace import capacity_kind
from loom_tui.store.port import DocumentStore

DEMO_TENANT = "7d1e6c2a-0000-4000-8000-00000000de70"
DEMO_ADMIN_GROUP = "5a5a0000-0000-4000-8000-00000000ad01"
DEMO_DOMAIN = "contoso-demo.example"
MARKER_ID = "demo-seed"
DEMO_SEED = 20261126
DEMO_WORKSPACES = 40

DEMO_USERS = [
    ("aa000001-0000-4000-8000-000000000001", "ops.admin", "Ops Admin"),
    ("aa000001-0000-4000-8000-000000000002", "dana.steward", "Dana Steward"),
    ("aa000001-0000-4000-8000-000000000003", "lee.engineer", "Lee Engineer"),
    ("aa000001-0000-4000-8000-000000000004", "sam.analyst", "Sam Analyst"),
    ("aa000001-0000-4000-8000-000000000005", "kim.scientist", "Kim Scientist"),
    ("aa000001-0000-4000-8000-000000000006", "ravi.viewer", "Ravi Viewer"),
    ("aa000001-0000-4000-8000-000000000007", "mo.contractor", "Mo Contractor"),
]

# The demo tenant's groups and service principals (what its Microsoft Graph answers, see
# loom_tui/demo_azure/routes/graph.py): (object id, display name, member aliases).  Two groups
# share a display name on purpose, as real directories do: a grant by that name must ask which.
DEMO_GROUPS = [
    (DEMO_ADMIN_GROUP, "Loom Tenant Admins", ("ops.admin",)),
    ("9a000002-0000-4000-8000-000000000001", "Data Engineers", ("lee.engineer", "kim.scientist")),
    ("9a000002-0000-4000-8000-000000000002", "Analysts", ("sam.analyst", "ravi.viewer")),
    ("9a000002-0000-4000-8000-000000000003", "Contractors", ("mo.contractor",)),
    ("9a000002-0000-4000-8000-000000000004", "Contractors", ()),
]
DEMO_SERVICE_PRINCIPALS = [("5e000003-0000-4000-8000-000000000001", "loom-pipeline")]

DEMO_SESSION = Session(
    tenant_id=DEMO_TENANT,
    user_oid=DEMO_USERS[0][0],
    upn=f"{DEMO_USERS[0][1]}@{DEMO_DOMAIN}",
    display_name=DEMO_USERS[0][2],
    groups=(DEMO_ADMIN_GROUP,),
    is_tenant_admin=True,
    source="local demo",
)

# Personas of the local profile (``loom --as NAME``): one demo user per role, so each role can be
# tried.  The seed gives each the role it names (and never a higher one): dana.steward administers
# some workspaces, sam.analyst contributes to some and administers none, ravi.viewer only views.
PERSONA_ALIASES = {
    "tenant-admin": "ops.admin",
    "admin": "dana.steward",
    "contributor": "sam.analyst",
    "viewer": "ravi.viewer",
}
PERSONAS = tuple(PERSONA_ALIASES)


def persona_session(persona: str | None) -> Session:
    """The demo session of a persona (``None`` or "tenant-admin": the demo tenant admin)."""
    if persona in (None, "", "tenant-admin"):
        return DEMO_SESSION
    if persona not in PERSONA_ALIASES:
        from loom_tui.errors import UsageError

        raise UsageError(f"no persona {persona!r}: choose one of {', '.join(PERSONAS)}")
    alias = PERSONA_ALIASES[persona]
    oid, _, name = next(u for u in DEMO_USERS if u[1] == alias)
    return Session(tenant_id=DEMO_TENANT, user_oid=oid, upn=f"{alias}@{DEMO_DOMAIN}", display_name=name,
                   is_tenant_admin=False, source=f"local demo, persona {persona}")


DOMAINS = [
    ("finance", "Finance", "General ledger, forecasting, close", "#2f7ed8"),
    ("marketing", "Marketing", "Campaigns and attribution", "#8bbc21"),
    ("supply-chain", "Supply chain", "Inventory, logistics, suppliers", "#910000"),
    ("hr", "People", "Workforce analytics", "#1aadce"),
    ("research", "Research", "Experiments and models", "#492970"),
    ("sales", "Sales", "Pipeline and bookings", "#f28f43"),
]
CAPACITIES = [None, "F2", "F8", "F8", "F64", "F64", "F128", "Shared (Pro)", "Premium P1", "Trial"]
WS_WORDS = ["Ledger", "Forecast", "Campaign", "Inventory", "Logistics", "Workforce", "Churn", "Pricing", "Supplier",
            "Pipeline", "Bookings", "Attribution", "Experiments", "Quality", "Risk", "Telemetry", "Claims", "Returns"]
WS_KINDS = ["Analytics", "Lakehouse", "Reporting", "Sandbox", "Data Products", "Streaming", "ML"]
ITEM_WORDS = ["orders", "customers", "invoices", "gl_entries", "shipments", "events", "sessions", "sensors",
              "forecast", "churn", "pricing", "returns", "suppliers", "employees", "payroll", "budget", "claims", "leads"]
STAGES = ["bronze", "silver", "gold", "landing"]
FOLDER_NAMES = ["Ingest", "Transform", "Serve", "Reports", "Experiments", "Archive"]
ACTIONS = ["item.update", "item.run", "item.share", "item.create", "item.comment", "item.refresh"]
IDLE_DAYS = 30  # an idle demo workspace has no audit events in this many recent days


@dataclass
class SeedResult:
    workspaces: int = 0
    items: int = 0
    folders: int = 0
    members: int = 0
    audit_events: int = 0
    notifications: int = 0


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _upn(alias: str) -> str:
    return f"{alias}@{DEMO_DOMAIN}"


def _anchor() -> datetime:
    """Today at midnight UTC: data is deterministic per day and its last 30 days are recent.
    ``LOOM_DEMO_TODAY=YYYY-MM-DD`` pins the day (snapshot tests, reproducible screenshots)."""
    from loom_tui.domain.demo_day import midnight

    return midnight()


async def ensure_demo(store: DocumentStore) -> bool:
    """Seed the demo tenant unless it is there.  True if it seeded now."""
    if await store.get("tenant-settings", DEMO_TENANT, MARKER_ID) is not None:
        return False
    await seed_demo(store)
    return True


def _items_for(rng: random.Random, ws: dict, n: int, folders: list[dict], anchor: datetime, types: tuple[str, ...], start: int = 0) -> list[dict]:
    items: list[dict] = []
    created0 = datetime.fromisoformat(ws["createdAt"].replace("Z", "+00:00"))
    i = start
    while len(items) < n:
        t = types[rng.randrange(len(types))]
        name = f"{rng.choice(ITEM_WORDS)}_{rng.choice(STAGES)}_{i:05d}"
        created = created0 + timedelta(minutes=rng.randrange(0, max(1, int((anchor - created0).total_seconds() // 60))))
        folder = rng.choice(folders)["id"] if folders and rng.random() < 0.6 else None
        owner = rng.choice(DEMO_USERS)
        item = {
            "id": _uuid(rng),
            "workspaceId": ws["id"],
            "tenantId": DEMO_TENANT,
            "itemType": t,
            "displayName": name,
            "displayNameLower": name.lower(),
            "description": f"{t.replace('-', ' ')} for {ws['name']}",
            "folderId": folder,
            "state": {},
            "createdBy": _upn(owner[1]),
            "createdAt": iso(created),
            "updatedAt": iso(created),
        }
        items.append(item)
        i += 1
        if t == "lakehouse":
            # every lakehouse has its SQL endpoint, the last one too (it may make the list n + 1
            # long; itemCount counts what is written).  The last one's id is derived, not drawn,
            # so the rest of the demo tenant stays as it was.
            twin_id = _uuid(rng) if len(items) < n else str(uuid.uuid5(uuid.NAMESPACE_URL, f"loom-demo:{item['id']}:sql-endpoint"))
            twin_name = f"{name} (SQL endpoint)"
            items.append({**item, "id": twin_id, "itemType": "warehouse", "displayName": twin_name,
                          "displayNameLower": twin_name.lower(), "description": f"SQL endpoint of {name}",
                          "state": {"sqlEndpointFor": item["id"]}})
    return items


def _workspace(rng: random.Random, n: int, anchor: datetime, name: str | None = None) -> dict:
    owner = DEMO_USERS[rng.randrange(len(DEMO_USERS) - 2)]
    domain = DOMAINS[rng.randrange(len(DOMAINS))][0]
    capacity = CAPACITIES[rng.randrange(len(CAPACITIES))]
    created = anchor - timedelta(days=rng.randrange(40, 400), minutes=rng.randrange(1440))
    accessed = anchor - timedelta(minutes=rng.randrange(0, 60 * 24 * 35))
    name = name or f"{rng.choice(WS_WORDS)} {rng.choice(WS_KINDS)} {n:02d}"
    description = f"{domain.replace('-', ' ').title()} workspace for {name.split(' ')[0].lower()} data"
    members = {_upn(owner[1]): "admin"}
    for u in rng.sample(DEMO_USERS, rng.randrange(2, 5)):
        members.setdefault(_upn(u[1]), rng.choice(["admin", "contributor", "contributor", "viewer"]))
    ws: dict[str, Any] = {
        "id": _uuid(rng),
        "tenantId": owner[0],  # the owner's object id (set again from ownerOid when written)
        "tid": DEMO_TENANT,
        "name": name,
        "nameLower": name.lower(),
        "description": description,
        "descriptionLower": description.lower(),
        "capacity": capacity,
        "capacityKind": capacity_kind(capacity).value,
        "domain": domain,
        "ownerOid": owner[0],
        "createdBy": _upn(owner[1]),
        "createdAt": iso(created),
        "updatedAt": iso(created),
        "lastAccessedAt": iso(max(created, accessed)),
        "itemCount": 0,
        "state": "Active" if rng.random() > 0.08 else rng.choice(["Suspended", "Provisioning"]),
        "memberUpns": sorted(members),
        "_members": members,
    }
    if capacity:
        ws["capacityAssignment"] = {"status": "assigned", "capacityId": capacity, "at": ws["createdAt"]}
    ws["domainRegistration"] = {"status": "registered", "at": ws["createdAt"]}
    return ws


# the demo's member roles as the console's four (services/roles.py maps them back)
CONSOLE_ROLE = {"admin": "Admin", "contributor": "Member", "viewer": "Viewer"}


def _grants(ws: dict) -> list[dict]:
    """The workspace's members as the console's sharing records them: one ``workspace-roles``
    grant per principal (``addWorkspaceRole``: id ``<workspaceId>:<principalId>``), the Azure RBAC
    mirror made (``active``).  The owner has none: owning the partition is the Owner role."""
    owner_upn = ws["createdBy"]
    users = {_upn(u[1]): u for u in DEMO_USERS}
    out = []
    for upn, role in ws["_members"].items():
        user = users.get(upn)
        if user is None or user[0] == ws["ownerOid"]:
            continue
        out.append({"id": f"{ws['id']}:{user[0]}", "workspaceId": ws["id"], "principalId": user[0], "principalType": "User",
                    "displayName": user[2], "role": CONSOLE_ROLE.get(role, "Viewer"), "azureRoleStatus": "active",
                    "addedBy": owner_upn, "addedAt": ws["createdAt"]})
    return out


async def _write_workspaces(store: DocumentStore, rng: random.Random, workspaces: list[dict], items_per_ws: int | list[int],
                            audit_days: int, anchor: datetime, result: SeedResult, folders_max: int = 4,
                            user_weights: list[int] | None = None) -> None:
    """``items_per_ws``: one count for all, or one per workspace.  A workspace marked ``_idle``
    gets no audit events in the last 30 days.  ``user_weights``: how often each demo user acts."""
    types = item_types()
    ws_docs, perms, folders_all, audits = [], [], [], []
    counts = items_per_ws if isinstance(items_per_ws, list) else [items_per_ws] * len(workspaces)
    for ws, n_items in zip(workspaces, counts):
        folders = [
            {"id": _uuid(rng), "workspaceId": ws["id"], "tenantId": DEMO_TENANT, "name": fname, "parent": None,
             "createdBy": ws["createdBy"], "createdAt": ws["createdAt"]}
            for fname in rng.sample(FOLDER_NAMES, rng.randrange(0, folders_max + 1))
        ]
        if len(folders) > 2:  # one nested folder
            folders[-1]["parent"] = folders[0]["id"]
        items = _items_for(rng, ws, n_items, folders, anchor, types)
        ws["itemCount"] = len(items)
        for start in range(0, len(items), 20000):
            result.items += await store.upsert_many("items", items[start : start + 20000])
        folders_all += folders
        perms += _grants(ws)
        # audit events over the last `audit_days` days on this workspace's items
        if audit_days and items:
            busy = 1 + len(items) // 60  # bigger workspaces see more activity
            for day in range(audit_days):
                if ws.get("_idle") and day < IDLE_DAYS:
                    continue  # nobody touched it lately
                for _ in range(rng.randrange(0, 3 + busy)):
                    it = items[rng.randrange(len(items))]
                    u = rng.choices(DEMO_USERS, user_weights)[0] if user_weights else rng.choice(DEMO_USERS)
                    at = anchor - timedelta(days=day) + timedelta(minutes=rng.randrange(1440)) - timedelta(days=1)
                    action = rng.choice(ACTIONS)
                    audits.append({
                        "id": _uuid(rng), "itemId": it["id"], "itemType": it["itemType"], "workspaceId": ws["id"],
                        "tenantId": DEMO_TENANT, "userId": u[0], "upn": _upn(u[1]), "action": action,
                        "summary": f"{action.split('.')[1]} {it['displayName']}", "diff": {}, "at": iso(at),
                        "seq": int(at.timestamp()) * 1_000_000_000 + at.microsecond * 1000,
                    })
        doc = {k: v for k, v in ws.items() if k not in ("_members", "_idle")}
        doc["tenantId"] = doc["ownerOid"]  # filed under its owner's object id, as the web console files it
        ws_docs.append(doc)
    result.workspaces += await store.upsert_many("workspaces", ws_docs)
    result.folders += await store.upsert_many("folders", folders_all)
    result.members += await store.upsert_many("workspace-roles", perms)
    result.audit_events += await store.upsert_many("audit-log", audits)


def _demo_workspaces(rng: random.Random, anchor: datetime, n: int) -> list[dict]:
    """The demo workspaces: drawn first from the seed's RNG, so their ids depend on nothing else."""
    return [_workspace(rng, i + 1, anchor) for i in range(n)]


def demo_workspaces(*, seed: int = DEMO_SEED, workspaces: int = DEMO_WORKSPACES) -> list[dict]:
    """The workspaces ``seed_demo`` writes (same ids, names, domains and capacities), without a
    store: the demo Azure tags its resources with them."""
    return _demo_workspaces(random.Random(seed), _anchor(), workspaces)


def _item_counts(seed: int, n: int) -> list[int]:
    """A realistic spread of item counts (its own RNG, so the workspaces stay as they were):
    a few empty workspaces, many small ones, some medium, a few with a few hundred items.  The
    demo user's own five (the first) are medium, so their lists have something to sort."""
    rng = random.Random(seed + 13)
    out = []
    for i in range(n):
        if i < 5:
            out.append(rng.randrange(30, 80))
            continue
        r = rng.random()
        out.append(0 if r < 0.08 else rng.randrange(1, 12) if r < 0.45 else rng.randrange(12, 80) if r < 0.85
                   else rng.randrange(150, 340))
    return out


def _idle_and_personas(wss: list[dict], anchor: datetime) -> None:
    """Every 7th workspace (not the demo user's first five) is idle: last opened 31-120 days ago.
    Personas get the role they name: dana.steward administers every 6th workspace, sam.analyst
    contributes to every 4th and administers none, ravi.viewer views every 5th and nothing more."""
    names = {u[1]: u for u in DEMO_USERS}
    for i, ws in enumerate(wss):
        if i >= 5 and i % 7 == 3:
            ws["_idle"] = True
            created = datetime.fromisoformat(ws["createdAt"].replace("Z", "+00:00"))
            ws["lastAccessedAt"] = iso(max(created, anchor - timedelta(days=31 + (i * 17) % 90)))
        members = ws["_members"]
        sam, ravi, dana = (_upn(a) for a in ("sam.analyst", "ravi.viewer", "dana.steward"))
        if ws["createdBy"] == sam:  # the contributor persona owns nothing (an owner is an admin)
            lee = names["lee.engineer"]
            ws["ownerOid"], ws["createdBy"] = lee[0], _upn(lee[1])
            members.setdefault(ws["createdBy"], "admin")
            members[ws["createdBy"]] = "admin"
        if i % 4 == 2 or members.get(sam) == "admin":
            members[sam] = "contributor"
        if i % 5 == 1 or ravi in members:
            members[ravi] = "viewer"
        if i % 6 == 3:
            members[dana] = "admin"
        ws["memberUpns"] = sorted(members)


def demo_domains_doc(created: str) -> dict:
    """The demo tenant's domains registry in the web console's shape (``DomainsDoc``): the
    console's guaranteed ``default`` domain, then the demo's domains (id, name, ...)."""
    default = ("default", "Default", "Default domain — the fallback binding for workspaces until a Data Landing Zone is attached.",
               "#0078d4")
    return {
        "id": f"domains:{DEMO_TENANT}", "tenantId": DEMO_TENANT, "kind": "domains", "updatedAt": created,
        "items": [{"id": d, "name": n, "description": desc, "color": c, "themeColor": c, "status": "registered",
                   "createdAt": created, "createdBy": DEMO_SESSION.upn} for d, n, desc, c in (default, *DOMAINS)],
    }


# the heavy users: most activity comes from two engineers (weights follow DEMO_USERS)
USER_WEIGHTS = [3, 4, 14, 9, 5, 1, 1]


async def seed_demo(store: DocumentStore, *, seed: int = DEMO_SEED, workspaces: int = DEMO_WORKSPACES,
                    items_per_workspace: int | None = None, audit_days: int = 30) -> SeedResult:
    """The demo tenant.  ``items_per_workspace=None``: the realistic spread (0 to a few hundred)."""
    rng = random.Random(seed)
    anchor = _anchor()
    result = SeedResult()
    created = iso(anchor - timedelta(days=420))
    await store.upsert("tenant-settings", demo_domains_doc(created))
    await store.upsert("tenant-settings", {
        "id": DEMO_TENANT, "tenantId": DEMO_TENANT, "settings": {"workspaceCreation": True, "marketplace": True},
        "updatedAt": created, "updatedBy": DEMO_SESSION.upn,
    })
    wss = _demo_workspaces(rng, anchor, workspaces)
    # the demo user owns a few, so "owner: me" shows something
    for ws in wss[:5]:
        ws["ownerOid"], ws["createdBy"] = DEMO_SESSION.user_oid, DEMO_SESSION.upn
        ws["_members"][DEMO_SESSION.upn] = "admin"
        ws["memberUpns"] = sorted(ws["_members"])
    _idle_and_personas(wss, anchor)
    counts = _item_counts(seed, len(wss)) if items_per_workspace is None else items_per_workspace
    await _write_workspaces(store, rng, wss, counts, audit_days, anchor, result, user_weights=USER_WEIGHTS)
    notes = []
    for i in range(12):
        ws = wss[rng.randrange(len(wss))]
        sev = rng.choice(["info", "info", "warning", "error"])
        nid = _uuid(rng)
        title = rng.choice(["Capacity assigned", "Pipeline failed", "You were mentioned", "Budget at 80%", "Share link used"])
        # the web console's links: enter on a notification opens what it is about
        link = "/cost/budgets" if title.startswith("Budget") else f"/workspaces/{ws['id']}"
        notes.append({
            "id": nid, "userId": DEMO_SESSION.user_oid, "tenantId": DEMO_TENANT, "title": title,
            "body": f"In workspace {ws['name']}", "severity": sev, "link": link, "read": i >= 5,
            "createdAt": iso(anchor - timedelta(hours=i * 7 + 1)),
        })
    result.notifications = await store.upsert_many("notifications", notes)
    await store.upsert("tenant-settings", {"id": MARKER_ID, "tenantId": DEMO_TENANT, "seed": seed, "at": iso(datetime.now(timezone.utc))})
    return result


async def seed_scale(store: DocumentStore, *, workspaces: int, items_per_workspace: int, audit_days: int = 0,
                     seed: int = 1, prefix: str = "scale") -> SeedResult:
    """Add ``workspaces`` generated workspaces (named ``<prefix>-00001`` …) with
    ``items_per_workspace`` items each to the demo tenant."""
    rng = random.Random(seed)
    anchor = _anchor()
    result = SeedResult()
    batch: list[dict] = []
    for i in range(workspaces):
        batch.append(_workspace(rng, i + 1, anchor, name=f"{prefix}-{i + 1:05d}"))
        if len(batch) >= 1000:
            await _write_workspaces(store, rng, batch, items_per_workspace, audit_days, anchor, result, folders_max=2)
            batch = []
    if batch:
        await _write_workspaces(store, rng, batch, items_per_workspace, audit_days, anchor, result, folders_max=2)
    return result
