"""What a session may do in a workspace: one rule table, used by every service and by the UI.

The role comes from, in order: tenant admin (the configured admin group) -> everything in the
tenant; the workspace's owner (its creator, an implicit admin); the member binding in
``workspace-permissions``; a UPN listed in ``memberUpns`` without a binding can only read
(visibility is granted by that list, nothing more).  The UI asks :func:`allowed_actions` to hide
what it cannot do; services call :func:`require` before every write, so hiding is never the only
guard.  Read-only mode is a separate switch (:meth:`Gate.require_writable`); ``allowed_actions``
folds it in so the UI has one set to consult.  :class:`Gate` holds both for a session: it is the
permission gate every service is handed (``ctx.gate``).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from loom_tui.errors import Forbidden, ReadOnlyError

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore, WorkspaceRef


class Role(str, Enum):
    TENANT_ADMIN = "tenant-admin"
    ADMIN = "admin"
    CONTRIBUTOR = "contributor"
    VIEWER = "viewer"
    NONE = "none"


# the roles a member binding may hold (what `loom members add --role` accepts)
MEMBER_ROLES = ("admin", "contributor", "viewer")


class Action:
    """Action names (plain strings so the UI can match them against its bindings)."""

    READ = "read"
    EDIT_WORKSPACE = "workspace.edit"
    DELETE_WORKSPACE = "workspace.delete"
    EDIT_ITEMS = "items.edit"  # create, rename, move, delete items
    EDIT_FOLDERS = "folders.edit"  # create, rename, delete folders
    MANAGE_MEMBERS = "members.manage"  # add, change role, remove
    COMMENT = "comments.add"


WRITE_ACTIONS = frozenset(
    {Action.EDIT_WORKSPACE, Action.DELETE_WORKSPACE, Action.EDIT_ITEMS, Action.EDIT_FOLDERS, Action.MANAGE_MEMBERS, Action.COMMENT}
)
ALL_ACTIONS = WRITE_ACTIONS | {Action.READ}

# Viewers are read-only, comments included: a comment is a write that notifies other people.
GRANTS: dict[Role, frozenset[str]] = {
    Role.TENANT_ADMIN: ALL_ACTIONS,
    Role.ADMIN: ALL_ACTIONS,
    Role.CONTRIBUTOR: frozenset({Action.READ, Action.EDIT_ITEMS, Action.EDIT_FOLDERS, Action.COMMENT}),
    Role.VIEWER: frozenset({Action.READ}),
    Role.NONE: frozenset(),
}

_WHY = {
    Action.EDIT_WORKSPACE: "edit this workspace",
    Action.DELETE_WORKSPACE: "delete this workspace",
    Action.EDIT_ITEMS: "change items in this workspace",
    Action.EDIT_FOLDERS: "change folders in this workspace",
    Action.MANAGE_MEMBERS: "manage the members of this workspace",
    Action.COMMENT: "comment in this workspace",
    Action.READ: "open this workspace",
}


def permission_id(workspace_id: str, upn: str) -> str:
    """The id of a member binding: ``<workspaceId>:<upn lower-case>`` (as the web console)."""
    return f"{workspace_id}:{upn.strip().lower()}"


# The console's four workspace roles (lib/azure/workspace-role-model.ts) as loom's: its Owner and
# Admin administer; Member writes (canWrite); Contributor and Viewer are read-only there
# (lib/auth/workspace-access.ts WRITE_ROLES = Owner, Admin, Member), so they read here too.
CONSOLE_ROLES: dict[str, Role] = {"Admin": Role.ADMIN, "Member": Role.CONTRIBUTOR, "Contributor": Role.VIEWER, "Viewer": Role.VIEWER}
_RANK = {Role.NONE: 0, Role.VIEWER: 1, Role.CONTRIBUTOR: 2, Role.ADMIN: 3, Role.TENANT_ADMIN: 4}


def console_role(name: object) -> Role:
    """A ``workspace-roles`` grant's role as loom's; an unknown one grants no more than reading."""
    return CONSOLE_ROLES.get(str(name), Role.VIEWER)


async def role_in(scoped: "ScopedStore", ws: "WorkspaceRef") -> Role:
    """The highest of: the owner; the ``workspace-permissions`` binding; the ``workspace-roles``
    grants to the user or a group of their token; a ``memberUpns`` listing (reads)."""
    s = scoped.session
    if s.is_tenant_admin and ws.confirmed:  # the console's admin bypass: a positive tid match only
        return Role.TENANT_ADMIN
    if ws.pk == s.user_oid or ws.doc.get("ownerOid") == s.user_oid:  # the owner's partition (the console's Owner)
        return Role.ADMIN
    found: list[Role] = []
    binding = await scoped.ws_get(ws, "workspace-permissions", permission_id(ws.id, s.upn_key))
    if binding is not None:
        try:
            found.append(Role(binding.get("role")))
        except ValueError:
            found.append(Role.VIEWER)  # an unknown role in the data grants no more than reading
    found += [console_role(g.get("role")) for g in await scoped.role_grants(ws.id, ws)]
    if found:
        return max(found, key=_RANK.__getitem__)
    if s.upn_key in (ws.doc.get("memberUpns") or []):
        return Role.VIEWER
    return Role.NONE


def can(role: Role, action: str) -> bool:
    return action in GRANTS[role]


async def require(scoped: "ScopedStore", ws: "WorkspaceRef", action: str) -> Role:
    """The role of the session in ``ws``; :class:`Forbidden` if it does not allow ``action``."""
    if action not in ALL_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    role = await role_in(scoped, ws)
    if not can(role, action):
        raise Forbidden(f"your role in this workspace ({role.value}) does not allow you to {_WHY[action]}")
    return role


async def allowed_actions(scoped: "ScopedStore", ws: "WorkspaceRef", read_only: bool = False) -> set[str]:
    """What the UI may offer in ``ws``; in read-only mode only reading."""
    granted = set(GRANTS[await role_in(scoped, ws)])
    if read_only:
        granted -= WRITE_ACTIONS
    return granted


class Gate:
    """The permission gate of a session: the run's read-only switch (the single read-only check of
    the service layer) and the session's role in a workspace."""

    def __init__(self, scoped: "ScopedStore", read_only: bool = False) -> None:
        self.scoped = scoped
        self.read_only = read_only

    def require_writable(self, action: str = "this change") -> None:
        if self.read_only:
            raise ReadOnlyError(action)

    async def require(self, ws: "WorkspaceRef | str", action: str) -> Role:
        """The session's role in ``ws`` (a workspace, or its id); :class:`Forbidden` if it does not
        allow ``action``."""
        return await require(self.scoped, await self.scoped.workspace(ws) if isinstance(ws, str) else ws, action)

    async def role_in(self, workspace_id: str) -> Role:
        return await role_in(self.scoped, await self.scoped.workspace(workspace_id))

    async def allowed_actions(self, workspace_id: str) -> set[str]:
        return await allowed_actions(self.scoped, await self.scoped.workspace(workspace_id), self.read_only)
