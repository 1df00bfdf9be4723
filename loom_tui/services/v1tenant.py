"""The web console v1's tenant id: find and adopt workspaces whose ``tenantId`` is a user's object id.

v1 stored the creator's *object id* in a workspace's ``tenantId`` (its partition key), so its
"tenant isolation" was per user, and such a workspace lies outside the tenant's partition: loom
(correctly) does not show it.  ``loom doctor`` counts them; ``loom migrate`` (tenant admins; a dry
run unless ``--apply``; refused in read-only) adopts them into the tenant.  Nothing is rewritten
silently, and nothing of another tenant is touched:

* only workspaces the tenant can claim are adopted: the owner object id (their ``tenantId``) is a
  user of this tenant's directory, the creator's UPN resolves to that object id, or the document's
  own ``tid`` (the web console HEAD) names this tenant.  Others are counted, never shown or moved;
* adopting is a move (a partition key cannot change): the same document, every field kept, with
  ``tenantId`` = the tenant, ``tid`` = the tenant, ``ownerOid`` = the old object id and
  ``adoptedFrom`` = {tenantId, at, by} added; written into the tenant partition first, the original
  deleted after — running it again finishes an interrupted run and changes nothing after a full one;
* each adoption writes an audit event (``workspace.adopt``) on the workspace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loom_tui.domain.clock import now_iso

from .audit import AuditService
from .directory import Directory, directory_for
from .doctor import OK, WARN
from .errors import ConflictError, Forbidden

if TYPE_CHECKING:
    from .context import AppContext
    from .doctor import Report

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SYSTEM = ("_etag", "_ts")


@dataclass(frozen=True)
class V1Workspace:
    id: str
    name: str
    owner_oid: str  # what v1 stored in tenantId
    created_by: str
    why: str  # how the owner was tied to this tenant


@dataclass
class V1Scan:
    adoptable: list[V1Workspace] = field(default_factory=list)
    unrecognised: int = 0  # object-id partitions nobody could tie to this tenant: left alone
    directory: str = ""

    @property
    def total(self) -> int:
        return len(self.adoptable) + self.unrecognised


@dataclass
class MigrateResult:
    applied: bool
    adopted: list[V1Workspace] = field(default_factory=list)  # adopted now (or, in a dry run, that would be)
    skipped: list[tuple[V1Workspace, str]] = field(default_factory=list)
    unrecognised: int = 0


class V1TenantService:
    def __init__(self, ctx: "AppContext", directory: Directory | None = None) -> None:
        self.ctx = ctx
        self.scoped = ctx.scoped
        self.directory = directory or directory_for(ctx)

    def _require_admin(self) -> None:
        if not self.ctx.session.is_tenant_admin:
            raise Forbidden("adopting the web console v1's workspaces is for tenant admins")

    async def _tie(self, doc: dict, oid: str) -> str | None:
        """Why ``doc`` (owner object id ``oid``) belongs to this tenant, or None."""
        if doc.get("tid") == self.ctx.session.tenant_id:
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
                continue  # not an object id: not v1's gap, not ours to judge
            why = await self._tie(doc, oid)
            if why is None:
                unrecognised += 1
                continue
            found.append((doc, V1Workspace(doc["id"], str(doc.get("name") or ""), oid, str(doc.get("createdBy") or ""), why)))
        found.sort(key=lambda f: (f[1].name.lower(), f[1].id))
        return found, unrecognised

    async def scan(self) -> V1Scan:
        """What ``loom doctor`` reports and ``loom migrate`` would adopt (reads only)."""
        found, unrecognised = await self._scan_docs()
        return V1Scan([w for _d, w in found], unrecognised, self.directory.name)

    async def migrate(self, *, apply: bool = False) -> MigrateResult:
        """A dry run unless ``apply``; with ``apply`` every adoptable workspace is adopted."""
        self._require_admin()
        if apply:
            self.ctx.require_writable("adopting the web console v1's workspaces")
        found, unrecognised = await self._scan_docs()
        result = MigrateResult(applied=apply, unrecognised=unrecognised)
        if not apply:
            result.adopted = [w for _d, w in found]
            return result
        audit = AuditService(self.scoped)
        s = self.ctx.session
        for doc, w in found:
            adopted = {k: v for k, v in doc.items() if k not in SYSTEM}
            adopted.update({"tenantId": s.tenant_id, "tid": s.tenant_id, "ownerOid": doc.get("ownerOid") or w.owner_oid,
                            "adoptedFrom": {"tenantId": w.owner_oid, "at": now_iso(), "by": s.upn}})
            try:
                await self.scoped.admin_adopt_workspace(doc, adopted)
            except ConflictError as exc:
                result.skipped.append((w, str(exc)))
                continue
            ws = await self.scoped.workspace(w.id)
            await audit.record(ws, item_id=w.id, item_type="workspace", action="workspace.adopt",
                               summary=f"adopted workspace {w.name} into the tenant (v1 stored its owner's object id as tenant)",
                               changes={"tenantId": [w.owner_oid, s.tenant_id]})
            result.adopted.append(w)
        return result


async def doctor_check(report: "Report", ctx: "AppContext") -> None:
    """The ``data: v1 tenant ids`` line of ``loom doctor``."""
    area, name = "data", "v1 tenant ids"
    if not ctx.session.is_tenant_admin:
        report.add(area, name, OK, "not checked: only a tenant admin may look outside the tenant's partition")
        return
    scan = await V1TenantService(ctx).scan()
    if scan.total == 0:
        report.add(area, name, OK, "no workspace carries a user object id in tenantId")
        return
    detail = (f"{scan.total} workspace(s) carry a user object id in tenantId (the web console v1's gap): "
              f"{len(scan.adoptable)} of this tenant's users")
    if scan.unrecognised:
        detail += f", {scan.unrecognised} not recognised (directory: {scan.directory}; left alone)"
    fix = "loom migrate (a dry run that lists them), then loom migrate --apply" if scan.adoptable else \
        "nothing to adopt: their owners are not known to this tenant's directory"
    report.add(area, name, WARN, detail, fix)
