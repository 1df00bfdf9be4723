"""Every invariant a multi-document write must leave behind (checked after repair)."""

from __future__ import annotations

from loom_tui.services.workspaces.items import LAKEHOUSE, SQL_ENDPOINT_TYPE
from loom_tui.store.query import Query, eq


async def broken_invariants(ctx, prefix: str) -> list[str]:
    """What is wrong with the workspaces whose name starts with ``prefix`` (empty list: all good)."""
    problems: list[str] = []
    scoped = ctx.scoped
    if await scoped.tenant_count("pending-writes"):
        problems.append("unfinished intents remain")
    names: dict[str, str] = {}
    async for doc in scoped.tenant_workspaces_iter():
        if not str(doc.get("name", "")).startswith(prefix):
            continue
        if doc.get("state") == "Deleting":
            problems.append(f"{doc['id']} stuck in Deleting")
            continue
        low = doc["name"].lower()
        if low in names:
            problems.append(f"duplicate name {low!r}: {names[low]} and {doc['id']}")
        names[low] = doc["id"]
        ws = await scoped.workspace(doc["id"])
        items = [d async for d in scoped.ws_iter(ws, "items")]
        if int(doc.get("itemCount") or 0) != len(items):
            problems.append(f"{doc['id']} itemCount {doc.get('itemCount')} != {len(items)} items")
        twins = {(d.get("state") or {}).get("sqlEndpointFor") for d in items if d.get("itemType") == SQL_ENDPOINT_TYPE}
        for d in items:
            if d.get("itemType") == LAKEHOUSE and d["id"] not in twins:
                problems.append(f"lakehouse {d['id']} without its SQL endpoint")
        member = await scoped.ws_get(ws, "workspace-permissions", f"{doc['id']}:{str(doc.get('createdBy')).lower()}")
        if member is None:
            problems.append(f"{doc['id']} without its creator's membership")
        trail = await scoped.workspace_audit(ws, Query((eq("action", "workspace.create"),)), max_items=5)
        if not trail.items:
            problems.append(f"{doc['id']} without its workspace.create audit event")
        audited = {e["itemId"] async for e in _events(scoped, ws, "item.create")}
        for d in items:
            if d["id"] not in audited:
                problems.append(f"item {d['id']} without its item.create audit event")
    return problems


async def _events(scoped, ws, action: str):
    token = None
    while True:
        page = await scoped.workspace_audit(ws, Query((eq("action", action),)), max_items=500, continuation=token)
        for e in page.items:
            yield e
        token = page.continuation
        if not token:
            return
