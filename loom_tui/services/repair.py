"""Find and finish half-done work (``loom repair``; also run, quickly, whenever a writable context opens).

What a kill -9, a full disk or a lost connection can leave between two writes, and how each is
finished — every step idempotent, so running repair twice (or on work that had completed)
changes nothing:

* an unfinished intent (:mod:`loom_tui.services.journal`): a workspace create finishes with its
  creator's membership and audit event (or, when the workspace document never got written, its
  name reservation is released); an item create finishes with every item (a lakehouse's SQL
  endpoint included), the recounted ``itemCount`` and the audit events;
* a workspace stuck in ``Deleting``: its deletion is finished (children, audit, the document);
* with ``full``: every visible workspace is checked as well — ``itemCount`` recounted, a
  lakehouse without its SQL endpoint given one, the creator's membership restored, and name
  reservations whose workspace is gone removed.

Only work older than ``min_age_s`` is touched, so a write still in progress in another process is
left to finish on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from loom_tui.domain.clock import parse_iso
from loom_tui.domain.words import count
from loom_tui.store.errors import Conflict, NotFound, StoreError
from loom_tui.store.query import Query, eq

from loom_tui.services.errors import ServiceError
from loom_tui.services.journal import Journal

if TYPE_CHECKING:
    from loom_tui.store.scoped import WorkspaceRef

    from loom_tui.store.scoped import ScopedStore


    from loom_tui.services.roles import Gate

    from loom_tui.services.workspaces.service import WorkspaceService

DELETING = "Deleting"


@dataclass
class RepairReport:
    fixed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # work younger than min_age: another loom may still be doing it, so it is named, not touched
    left: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"fixed": self.fixed, "skipped": self.skipped, "left": self.left}


def _left(what: str, age: float) -> str:
    return f"{what}: left to a live writer ({age:.0f} s old)"


def _age_s(stamp: Any) -> float:
    try:
        return (datetime.now(timezone.utc) - parse_iso(str(stamp))).total_seconds()
    except (TypeError, ValueError):
        return float("inf")


class RepairService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate", workspaces: "WorkspaceService") -> None:
        self.scoped = scoped
        self.gate = gate
        self.workspaces = workspaces
        self.journal = Journal(scoped)

    async def run(self, *, min_age_s: float = 30.0, full: bool = False) -> RepairReport:
        self.gate.require_writable("repairing half-done work")
        report = RepairReport()
        for intent in await self.journal.pending():
            age = _age_s(intent.get("startedAt"))
            if age < min_age_s:
                report.left.append(_left(f"{intent.get('kind')} {(intent.get('data') or {}).get('workspaceId', '')}", age))
                continue
            try:
                line = await self._finish(intent)
                await self.journal.done(intent)
                report.fixed.append(line)
            except (ServiceError, StoreError) as exc:
                report.skipped.append(f"{intent.get('kind')} {intent.get('data', {}).get('workspaceId', '')}: {exc}")
        page = await self.scoped.workspaces_query(Query((eq("state", DELETING),)), max_items=500)
        for doc in page.items:
            age = _age_s(doc.get("updatedAt"))
            if age < min_age_s:
                report.left.append(_left(f"workspace {doc.get('name')} ({doc['id']}) in Deleting", age))
                continue
            try:
                removed = await self.workspaces.delete(doc["id"])
                report.fixed.append(f"finished deleting workspace {doc.get('name')} ({doc['id']}; {count(removed, 'document')})")
            except (ServiceError, StoreError) as exc:
                report.skipped.append(f"workspace {doc['id']} stuck in Deleting: {exc}")
        if full:
            await self._check_all(report)
        return report

    # -- intents -----------------------------------------------------------------------------
    async def _finish(self, intent: dict) -> str:
        kind, data = intent.get("kind"), intent.get("data") or {}
        if kind == "workspace.create":
            return await self._finish_workspace_create(data)
        if kind == "item.create":
            return await self._finish_item_create(data)
        return f"dropped an intent of unknown kind {kind!r}"

    async def _finish_workspace_create(self, data: dict) -> str:
        from loom_tui.services.workspaces.names import NameReservations

        wid = data["workspaceId"]
        if not await self.scoped.workspaces_in_tenant(Query((eq("id", wid),))):
            await NameReservations(self.scoped).release(data.get("name", ""), wid)
            return f"workspace create of {data.get('name')!r} never wrote the workspace: released its name"
        ws = await self.scoped.workspace(wid)
        await self._ensure(ws, "workspace-permissions", data["member"])
        await self.scoped.item_write(ws, "audit-log", wid, data["event"])
        return f"finished creating workspace {data.get('name')} ({wid}): creator membership and audit event"

    async def _finish_item_create(self, data: dict) -> str:
        ws = await self.scoped.workspace(data["workspaceId"])
        made = 0
        for doc in data["docs"]:
            made += await self._ensure(ws, "items", doc)
        count = await self.recount(ws)
        for ev in data["events"]:
            await self.scoped.item_write(ws, "audit-log", ev["itemId"], ev["event"])
        return f"finished creating {len(data['docs'])} item(s) in {ws.id} ({made} written now; itemCount {count})"

    async def _ensure(self, ws: "WorkspaceRef", container: str, doc: dict) -> int:
        if await self.scoped.ws_get(ws, container, doc["id"]) is not None:
            return 0
        try:
            await self.scoped.ws_create(ws, container, doc)
        except Conflict:
            return 0
        return 1

    async def recount(self, ws: "WorkspaceRef") -> int:
        from loom_tui.services.workspaces.wsdoc import edit_workspace_doc

        count = await self.scoped.ws_count(ws, "items")

        def change(doc: dict) -> dict | None:
            if int(doc.get("itemCount") or 0) == count:
                return None
            doc["itemCount"] = count
            return doc

        await edit_workspace_doc(self.scoped, ws, change)
        return count

    # -- the full check ----------------------------------------------------------------------
    async def _check_all(self, report: RepairReport) -> None:
        from loom_tui.services.workspaces.items import LAKEHOUSE, SQL_ENDPOINT_TYPE, sql_endpoint_name
        from loom_tui.services.workspaces.names import CONTAINER as NAMES

        async for doc in self.scoped.workspaces_iter():
            if doc.get("state") == DELETING:
                continue
            try:
                ws = await self.scoped.workspace(doc["id"])
            except ServiceError:
                continue  # not visible to this user
            before = int(doc.get("itemCount") or 0)
            items = [d async for d in self.scoped.ws_iter(ws, "items")]
            twins = {(d.get("state") or {}).get("sqlEndpointFor") for d in items if d.get("itemType") == SQL_ENDPOINT_TYPE}
            for lake in items:
                if lake.get("itemType") == LAKEHOUSE and lake["id"] not in twins:
                    import uuid

                    name = sql_endpoint_name(lake.get("displayName") or "")
                    await self.scoped.ws_create(ws, "items", {
                        **{k: v for k, v in lake.items() if not k.startswith("_")}, "id": str(uuid.uuid4()),
                        "itemType": SQL_ENDPOINT_TYPE, "displayName": name, "displayNameLower": name.lower(),
                        "description": f"SQL endpoint of {lake.get('displayName')}", "state": {"sqlEndpointFor": lake["id"]}})
                    report.fixed.append(f"gave lakehouse {lake.get('displayName')} ({lake['id']}) its SQL endpoint")
            count = await self.recount(ws)
            if count != before:
                report.fixed.append(f"itemCount of {doc.get('name')} ({doc['id']}) was {before}, is {count}")
            creator = doc.get("createdBy")
            # filed under its owner's object id, the owner needs no binding (the console's Owner);
            # loom's older filing under the tenant id had the creator's binding as its record
            if creator and doc.get("ownerOid") and doc.get("tenantId") != doc.get("ownerOid"):
                key = str(creator).strip().lower()
                if await self.scoped.ws_get(ws, "workspace-permissions", f"{doc['id']}:{key}") is None:
                    member = {"id": f"{doc['id']}:{key}", "upn": key, "name": key, "role": "admin", "addedBy": "loom repair",
                              "addedAt": doc.get("createdAt"), "implicit": True}
                    await self.scoped.ws_upsert(ws, "workspace-permissions", member)
                    report.fixed.append(f"restored the creator's membership of {doc.get('name')} ({doc['id']})")
        async for res in self.scoped.tenant_iter(NAMES):
            found = await self.scoped.workspaces_in_tenant(Query((eq("id", str(res.get("workspaceId"))),)))
            holder = found[0] if found else None
            if (holder is None or str(holder.get("name") or "").strip().lower() != res.get("nameLower")) and _age_s(res.get("at")) > 120:
                try:
                    await self.scoped.tenant_delete(NAMES, res["id"], if_match=res["_etag"])
                    report.fixed.append(f"released the name {res.get('nameLower')!r} (its workspace is gone)")
                except (NotFound, StoreError):
                    pass
