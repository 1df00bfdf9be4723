"""Members of a workspace: list, add by UPN with a role, change a role, remove.

A member is a binding document in ``workspace-permissions`` (id ``<workspaceId>:<upn>``, the
web console's shape and its source of truth for who sees a workspace) *and*, loom's addition, an
entry in the workspace document's ``memberUpns`` (see ``ScopedStore.visibility``).  Both are kept
in step: adding writes the binding first and then the list; removing takes the list entry away
first and then the binding — running an interrupted change again finishes it.

The creator is an implicit admin: they cannot be removed or demoted (the web console answers 409;
here a :class:`ConflictError` with a sentence saying why).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from loom_tui.domain.clock import now_iso
from loom_tui.domain.member import Member
from loom_tui.domain.text import clean_name
from loom_tui.store.errors import NotFound, PreconditionFailed
from loom_tui.store.query import Order, Query

from loom_tui.services.audit import AuditService
from loom_tui.services.directory import Directory
from loom_tui.errors import ConflictError, EditConflict, NotFoundError, ValidationError
from loom_tui.services.roles import MEMBER_ROLES, Action, permission_id
from loom_tui.services.workspaces.wsdoc import set_member_upn

if TYPE_CHECKING:
    from loom_tui.store.scoped import WorkspaceRef

    from loom_tui.store.scoped import ScopedStore


    from loom_tui.services.roles import Gate

# user@domain: no spaces, one "@", a dot in the domain (what Entra accepts as a UPN, roughly)
_UPN = re.compile(r"^[A-Za-z0-9._%+'#$&*!^~=-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_MEMBERS = 5_000


def clean_upn(value: object) -> str:
    upn = clean_name("upn", value, max_len=113)  # Entra: 64-character alias + "@" + 48-character domain
    if not _UPN.match(upn):
        raise ValidationError("upn", f"{upn!r} is not a user principal name like name@contoso.com")
    return upn.lower()


def clean_role(value: object) -> str:
    if value not in MEMBER_ROLES:
        raise ValidationError("role", f"must be one of {', '.join(MEMBER_ROLES)}")
    return str(value)


def is_creator(ws: "WorkspaceRef", binding: dict) -> bool:
    return bool(binding.get("implicit")) or binding.get("upn", "").lower() == (ws.doc.get("createdBy") or "").lower()


class MemberService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate", directory: Directory) -> None:
        self.scoped = scoped
        self.gate = gate
        self.audit = AuditService(scoped)
        self.directory = directory

    async def list(self, workspace_id: str) -> list[Member]:
        ws = await self.scoped.workspace(workspace_id)
        page = await self.scoped.ws_query(ws, "workspace-permissions", Query(order_by=(Order("upn"),)), max_items=MAX_MEMBERS)
        # ``creator`` (not stored): the implicit admin, whom the rules keep (no remove, no demotion),
        # by the same rule the writes use, so a list never offers what a write would refuse
        rows = [Member.from_binding(d, creator=is_creator(ws, d)) for d in page.items]
        if not any(r.creator for r in rows) and ws.doc.get("createdBy"):
            rows.insert(0, await self._owner_row(ws))
        return rows

    async def _owner_row(self, ws: "WorkspaceRef") -> Member:
        """The owner, whom the web console records by filing the workspace under their object id
        (no binding, no grant): listed as the implicit admin, as loom's own creates record them."""
        upn = str(ws.doc.get("createdBy")).strip().lower()
        oid = ws.doc.get("ownerOid") or ws.pk
        user = await self.directory.by_oid(oid) if oid else None
        return Member.from_binding({"id": permission_id(ws.id, upn), "workspaceId": ws.id, "upn": upn, "name": user.display_name if user else upn,
                                    "role": "admin", "implicit": True, "creator": True, "addedAt": ws.doc.get("createdAt")}, creator=True)

    async def _binding(self, ws: "WorkspaceRef", upn: str) -> dict:
        doc = await self.scoped.ws_get(ws, "workspace-permissions", permission_id(ws.id, upn))
        if doc is None:
            raise NotFoundError(f"{upn} is not a member of this workspace")
        return doc

    async def add(self, workspace_id: str, upn: str, role: str) -> Member:
        self.gate.require_writable("adding a member")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.MANAGE_MEMBERS)
        upn, role = clean_upn(upn), clean_role(role)
        existing = await self.scoped.ws_get(ws, "workspace-permissions", permission_id(ws.id, upn))
        if existing is not None:
            if upn in (ws.doc.get("memberUpns") or []):
                raise ConflictError(f"{upn} is already a member ({existing.get('role')}); change their role instead")
            await set_member_upn(self.scoped, ws, upn, True)  # finish an interrupted add
            return Member.from_binding(existing, creator=is_creator(ws, existing))
        user = await self.directory.by_upn(upn)
        doc = {
            "id": permission_id(ws.id, upn),
            "upn": upn,
            "name": user.display_name if user else upn,
            "userOid": user.oid if user else None,
            "role": role,
            "addedBy": self.scoped.session.upn,
            "addedAt": now_iso(),
            "implicit": False,
        }
        stored = await self.scoped.ws_create(ws, "workspace-permissions", doc)
        await set_member_upn(self.scoped, ws, upn, True)
        self.scoped.forget_bindings()
        await self.audit.record(ws, item_id=ws.id, item_type="workspace", action="member.add",
                                summary=f"added {upn} as {role}", changes={"member": [None, upn], "role": [None, role]})
        return Member.from_binding(stored, creator=is_creator(ws, stored))

    async def set_role(self, workspace_id: str, upn: str, role: str, *, etag: str | None = None, force: bool = False) -> Member:
        self.gate.require_writable("changing a member's role")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.MANAGE_MEMBERS)
        upn, role = clean_upn(upn), clean_role(role)
        owner = upn == str(ws.doc.get("createdBy") or "").strip().lower()
        current = await self._binding(ws, upn) if not owner else await self.scoped.ws_get(ws, "workspace-permissions", permission_id(ws.id, upn))
        if current is None:  # the console's owner: no binding to change
            raise ConflictError(f"{upn} created this workspace and is always its admin; their role cannot change")
        if is_creator(ws, current) and role != "admin":
            raise ConflictError(f"{upn} created this workspace and is always its admin: their role cannot be changed")
        if current.get("role") == role:
            return Member.from_binding(current, creator=is_creator(ws, current))
        new = {**current, "role": role, "updatedBy": self.scoped.session.upn, "updatedAt": now_iso()}
        if etag is not None and etag != current.get("_etag") and not force:
            raise EditConflict(mine=new, theirs=current)
        try:
            stored = await self.scoped.ws_replace(ws, "workspace-permissions", new, if_match=None if force else current["_etag"])
        except PreconditionFailed:
            raise EditConflict(mine=new, theirs=await self.scoped.ws_get(ws, "workspace-permissions", current["id"])) from None
        await self.audit.record(ws, item_id=ws.id, item_type="workspace", action="member.role",
                                summary=f"changed {upn} from {current.get('role')} to {role}", changes={"role": [current.get("role"), role]})
        return Member.from_binding(stored, creator=is_creator(ws, stored))

    async def remove(self, workspace_id: str, upn: str) -> None:
        self.gate.require_writable("removing a member")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.MANAGE_MEMBERS)
        upn = clean_upn(upn)
        if upn == str(ws.doc.get("createdBy") or "").strip().lower():  # the owner, with or without a binding
            raise ConflictError(f"{upn} created this workspace and is always its admin: they cannot be removed")
        current = await self._binding(ws, upn)
        if is_creator(ws, current):
            raise ConflictError(f"{upn} created this workspace and is always its admin: they cannot be removed")
        await set_member_upn(self.scoped, ws, upn, False)
        try:
            await self.scoped.ws_delete(ws, "workspace-permissions", current["id"])
        except NotFound:
            pass
        self.scoped.forget_bindings()
        await self.audit.record(ws, item_id=ws.id, item_type="workspace", action="member.remove",
                                summary=f"removed {upn} ({current.get('role')})", changes={"member": [upn, None], "role": [current.get("role"), None]})
