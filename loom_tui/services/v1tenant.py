"""``loom migrate``: the web console's own backfill (``scripts/csa-loom/backfill-workspace-tid.mjs``
at commit 26890f87af734d9945149b0f2ad5dcba5aa692ac), for this tenant.

The console files every workspace under its OWNER's Entra object id: the partition key
``tenantId`` is the owner's oid (immutable; the console says "do not fix this in place"). Before
rel-T11 those documents had no ``tid`` (the owning tenant) and no ``ownerOid``.  The backfill ADDS
them — ``tid`` = the tenant, ``ownerOid`` = the document's ``tenantId`` — only where they are
missing, as an in-partition write: a document never moves between partitions (a move would take
it out of its owner's partition, and it would vanish from the console).

loom runs it for one tenant of a possibly shared account (the console's script assumes one tenant
per account): only documents the tenant can claim are touched — the owner object id is a user of
this tenant's directory, the creator's UPN resolves to that object id, or the document's own
``tid`` names this tenant; a document whose ``tid`` names another tenant is never touched.  Tenant
admins only; a dry run unless ``--apply``; refused in read-only; every document written is audited
(``workspace.backfill``, a tenant-level event naming the workspace); running it again changes
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loom_tui.store.scoped import TENANT_SETTINGS_ITEM

from loom_tui.services.audit import AuditService
from loom_tui.services.directory import Directory
from loom_tui.services.doctor import OK, WARN
from loom_tui.services.errors import ConflictError, Forbidden

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore

    from loom_tui.services.roles import Gate
    from loom_tui.services.doctor import Report

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SYSTEM = ("_etag", "_ts")


@dataclass(frozen=True)
class V1Workspace:
    id: str
    name: str
    owner_oid: str  # the document's tenantId: its owner's object id (its partition)
    created_by: str
    why: str  # how the owner was tied to this tenant
    fills: tuple[str, ...] = ()  # the fields the backfill adds ("tid", "ownerOid")


@dataclass
class V1Scan:
    adoptable: list[V1Workspace] = field(default_factory=list)  # documents the backfill would fill
    unrecognised: int = 0  # lacking tid/ownerOid, but nobody could tie them to this tenant: left alone
    directory: str = ""

    @property
    def total(self) -> int:
        return len(self.adoptable) + self.unrecognised


@dataclass
class MigrateResult:
    applied: bool
    adopted: list[V1Workspace] = field(default_factory=list)  # filled now (or, in a dry run, that would be)
    skipped: list[tuple[V1Workspace, str]] = field(default_factory=list)
    unrecognised: int = 0


def fills_of(doc: dict) -> tuple[str, ...]:
    return tuple(f for f in ("tid", "ownerOid") if not doc.get(f))


class V1TenantService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate", directory: Directory) -> None:
        self.scoped = scoped
        self.gate = gate
        self.directory = directory

    def _require_admin(self) -> None:
        if not self.scoped.session.is_tenant_admin:
            raise Forbidden("the workspace tid/ownerOid backfill is for tenant admins")

    async def _tie(self, doc: dict, oid: str) -> str | None:
        """Why ``doc`` (owner object id ``oid``) belongs to this tenant, or None."""
        if doc.get("tid") == self.scoped.session.tenant_id:
            return "its tid names this tenant"
        if await self.directory.by_oid(oid) is not None:
            return "the owner is a user of this tenant"
        created = doc.get("createdBy")
        if isinstance(created, str) and created:
            user = await self.directory.by_upn(created)
            if user is not None and user.oid.lower() == oid.lower():
                return "the creator is a user of this tenant"
        return None

    async def _scan_docs(self) -> tuple[list[tuple[dict, V1Workspace]], int]:
        self._require_admin()
        found: list[tuple[dict, V1Workspace]] = []
        unrecognised = 0
        async for doc in self.scoped.admin_foreign_workspaces():
            oid = doc.get("tenantId")
            if not isinstance(oid, str) or not _GUID.match(oid):
                continue  # not an object id: not the console's owner partition, not ours to judge
            fills = fills_of(doc)
            if not fills:
                continue  # nothing to backfill
            why = await self._tie(doc, oid)
            if why is None:
                unrecognised += 1
                continue
            found.append((doc, V1Workspace(doc["id"], str(doc.get("name") or ""), oid, str(doc.get("createdBy") or ""), why, fills)))
        found.sort(key=lambda f: (f[1].name.lower(), f[1].id))
        return found, unrecognised

    async def scan(self) -> V1Scan:
        """What ``loom doctor`` reports and ``loom migrate`` would fill (reads only)."""
        found, unrecognised = await self._scan_docs()
        return V1Scan([w for _d, w in found], unrecognised, self.directory.name)

    async def migrate(self, *, apply: bool = False) -> MigrateResult:
        """A dry run unless ``apply``; with ``apply`` every document found gets its missing
        ``tid``/``ownerOid``, in its own partition."""
        self._require_admin()
        if apply:
            self.gate.require_writable("backfilling the workspaces' tid and ownerOid")
        found, unrecognised = await self._scan_docs()
        result = MigrateResult(applied=apply, unrecognised=unrecognised)
        if not apply:
            result.adopted = [w for _d, w in found]
            return result
        audit = AuditService(self.scoped)
        tid = self.scoped.session.tenant_id
        settings_item = TENANT_SETTINGS_ITEM.format(tid=tid)
        for doc, w in found:
            patch = {"tid": tid, "ownerOid": w.owner_oid}
            patch = {k: v for k, v in patch.items() if k in w.fills}
            try:
                await self.scoped.admin_backfill_workspace(doc, patch)
            except ConflictError as exc:
                result.skipped.append((w, str(exc)))
                continue
            await audit.record(None, item_id=settings_item, item_type="workspace", action="workspace.backfill",
                               summary=f"backfilled {', '.join(sorted(patch))} on workspace {w.name} ({w.id}); "
                                       f"it stays in its owner's partition {w.owner_oid}",
                               changes={"workspaceId": [w.id, w.id], **{k: [None, v] for k, v in patch.items()}})
            result.adopted.append(w)
        return result


async def doctor_check(report: "Report", service: V1TenantService) -> None:
    """The ``data: workspace tid backfill`` line of ``loom doctor``."""
    area, name = "data", "workspace tid backfill"
    if not service.scoped.session.is_tenant_admin:
        report.add(area, name, OK, "not checked: only a tenant admin may look outside the tenant's partition")
        return
    scan = await service.scan()
    if scan.total == 0:
        report.add(area, name, OK, "every workspace filed under an owner's object id records its tid and ownerOid")
        return
    detail = (f"{scan.total} workspace(s) filed under an owner's object id lack tid or ownerOid (written before the console's "
              f"rel-T11): {len(scan.adoptable)} of this tenant's users")
    if scan.unrecognised:
        detail += f", {scan.unrecognised} not recognised (directory: {scan.directory}; left alone)"
    fix = "loom migrate (a dry run that lists them), then loom migrate --apply" if scan.adoptable else \
        "nothing to fill: their owners are not known to this tenant's directory"
    report.add(area, name, WARN, detail, fix)
