"""Workspace access as the web console grants it: ``workspace-roles`` documents by principal id.

``grant`` / ``revoke`` mirror ``POST`` / ``DELETE /api/workspaces/{id}/role-assignments`` of the
console (``lib/azure/workspace-roles-client.ts`` at the pinned commit): one document per principal
per workspace, id ``<workspaceId>:<principalId>``, partition ``workspaceId``, with
``principalType`` (User | Group | ServicePrincipal), ``role`` (Admin | Member | Contributor |
Viewer), ``displayName``, ``addedBy`` (the signed-in UPN) and ``addedAt``.  A re-grant replaces the
role of the same document (the console upserts).

The console's side effect — a real Azure RBAC role assignment on the DLZ resource group (Admin /
Member -> Contributor, Contributor / Viewer -> Reader), made as the console's managed identity —
is not made by loom: it has neither that identity nor, usually, the right.  The document is
recorded as the console records one whose mirror could not be made: ``azureRoleStatus:
"pending"`` with ``azureRoleDetail`` saying so.

The member is named by UPN, object id or group / service principal display name and resolved
through the injected :class:`~loom_tui.services.principals.PrincipalLookup` (Microsoft Graph).

A user who still has a legacy ``workspace-permissions`` binding and is granted anew: the grant is
written first, then the legacy binding (and its ``memberUpns`` entry) is removed — one record per
person, so a later role change or removal here is not undone by a stale binding (``role_in``
takes the highest of both).  The creator's implicit binding is never removed.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Awaitable, Callable

from loom_tui.domain.clock import now_iso
from loom_tui.domain.member import GRANTS, Member
from loom_tui.errors import NotFoundError, ValidationError
from loom_tui.store.errors import NotFound
from loom_tui.store.query import Order, Query

from loom_tui.services.audit import AuditService
from loom_tui.services.workspaces.members import is_creator
from loom_tui.services.principals import Principal, PrincipalLookup, resolve
from loom_tui.services.roles import Action, permission_id
from loom_tui.services.workspaces.wsdoc import set_member_upn

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore

    from loom_tui.services.workspaces.members import MemberService
    from loom_tui.services.roles import Gate

ROLES = GRANTS
CONSOLE_ROLE_NAMES = ("Admin", "Member", "Contributor", "Viewer")
# loom's member roles as the console's (README: Admin administers, Member writes, Viewer reads)
_FROM_LOOM = {"admin": "Admin", "contributor": "Member", "viewer": "Viewer"}
PENDING_DETAIL = ("granted from loom-tui: the Azure RBAC role assignment on the DLZ resource group that the web console "
                  "mirrors (Admin/Member -> Contributor, Contributor/Viewer -> Reader) is not made by loom")
MAX_GRANTS = 5_000


def clean_console_role(value: object) -> str:
    text = str(value or "").strip()
    role = _FROM_LOOM.get(text.lower()) or next((r for r in CONSOLE_ROLE_NAMES if r.lower() == text.lower()), None)
    if role is None:
        raise ValidationError("role", f"must be one of {', '.join(CONSOLE_ROLE_NAMES)}")
    return role


def grant_id(workspace_id: str, principal_id: str) -> str:
    return f"{workspace_id}:{principal_id}"


def is_grant(row: dict) -> bool:
    """Is a row of the members list (:meth:`Member.row`) a grant?"""
    return row.get("source") == ROLES


class GrantService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate", members: "MemberService",
                 principals: Callable[[], Awaitable[PrincipalLookup]]) -> None:
        self.scoped = scoped
        self.gate = gate
        self.members = members
        self.principals = principals  # the run's lookup, found on first use (wiring: Microsoft Graph, or none)
        self.lookup: PrincipalLookup | None = None
        self.audit = AuditService(scoped)

    async def list(self, workspace_id: str) -> list[Member]:
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.READ)
        page = await self.scoped.ws_query(ws, ROLES, Query(order_by=(Order("displayName"),)), max_items=MAX_GRANTS)
        return [Member.from_grant(g) for g in page.items]

    async def rows(self, workspace_id: str) -> builtins.list[Member]:  # list: the method above
        """Every member of the workspace: the legacy bindings, then the grants."""
        return await self.members.list(workspace_id) + await self.list(workspace_id)

    async def resolve(self, who: str, principal_type: str | None = None) -> Principal:
        if self.lookup is None:
            self.lookup = await self.principals()
        return await resolve(self.lookup, who, principal_type)

    async def grant(self, workspace_id: str, who: str, role: str, *, principal_type: str | None = None) -> Member:
        self.gate.require_writable("granting workspace access")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.MANAGE_MEMBERS)
        role = clean_console_role(role)
        p = await self.resolve(who, principal_type)
        doc_id = grant_id(ws.id, p.id)
        current = await self.scoped.ws_get(ws, ROLES, doc_id)
        fields = {"id": doc_id, "workspaceId": ws.id, "principalId": p.id, "principalType": p.type,
                  "displayName": p.display_name, "role": role, "azureRoleStatus": "pending", "azureRoleDetail": PENDING_DETAIL}
        if current is None:
            stored = await self.scoped.ws_create(ws, ROLES, {**fields, "addedBy": self.scoped.session.upn, "addedAt": now_iso()})
        else:  # the console upserts: a re-grant changes the role of the same document, keeping what loom does not know
            stored = await self.scoped.ws_replace(ws, ROLES, {**current, **fields}, if_match=current.get("_etag"))
        if p.type == "User" and p.upn:
            await self._drop_legacy(ws, p.upn)
        self.scoped.forget_bindings()
        before = current.get("role") if current else None
        await self.audit.record(ws, item_id=ws.id, item_type="workspace", action="member.grant",
                                summary=f"granted {p.display_name} ({p.type}) {role}",
                                changes={"member": [None if current is None else p.id, p.id], "role": [before, role]})
        return Member.from_grant(stored)

    async def _drop_legacy(self, ws, upn: str) -> None:
        binding = await self.scoped.ws_get(ws, "workspace-permissions", permission_id(ws.id, upn))
        if binding is None or is_creator(ws, binding):
            return
        await set_member_upn(self.scoped, ws, upn.lower(), False)
        try:
            await self.scoped.ws_delete(ws, "workspace-permissions", binding["id"])
        except NotFound:
            pass

    async def revoke(self, workspace_id: str, who: str, *, principal_type: str | None = None) -> None:
        self.gate.require_writable("removing workspace access")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.MANAGE_MEMBERS)
        text = who.strip()
        # a grant's own principal id needs no directory (works without Graph)
        current = await self.scoped.ws_get(ws, ROLES, grant_id(ws.id, text.lower()))
        if current is None:
            p = await self.resolve(text, principal_type)
            current = await self.scoped.ws_get(ws, ROLES, grant_id(ws.id, p.id))
        if current is None:
            raise NotFoundError(f"{who} has no role in this workspace")
        try:
            await self.scoped.ws_delete(ws, ROLES, current["id"])
        except NotFound:
            pass
        self.scoped.forget_bindings()
        await self.audit.record(ws, item_id=ws.id, item_type="workspace", action="member.revoke",
                                summary=f"removed {current.get('displayName')} ({current.get('role')})",
                                changes={"member": [current.get("principalId"), None], "role": [current.get("role"), None]})
