"""The user directory port: who is ``dana@contoso.example`` (object id, display name)?

Mentions and member bindings need a user's object id, which only the tenant's directory knows.
The embedded demo tenant answers from :data:`loom_tui.local.demo.DEMO_USERS`; an Azure profile
will answer from Microsoft Graph (``GET /users/{upn}``) once that client exists.  Until then
:class:`NoDirectory` answers "unknown" for everyone, and callers say so instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .context import AppContext


@dataclass(frozen=True)
class DirectoryUser:
    oid: str
    upn: str
    display_name: str


class Directory(Protocol):
    name: str

    async def by_upn(self, upn: str) -> DirectoryUser | None:
        """The user with that UPN (case-insensitive), or None when the directory has no such user."""
        ...

    async def by_oid(self, oid: str) -> DirectoryUser | None:
        """The user with that object id, or None when the directory has no such user."""
        ...


class StaticDirectory:
    """A directory held in memory (the demo tenant's users)."""

    name = "demo tenant users"

    def __init__(self, users: list[DirectoryUser]) -> None:
        self._by_upn = {u.upn.lower(): u for u in users}
        self._by_oid = {u.oid.lower(): u for u in users}

    async def by_upn(self, upn: str) -> DirectoryUser | None:
        return self._by_upn.get(upn.strip().lower())

    async def by_oid(self, oid: str) -> DirectoryUser | None:
        return self._by_oid.get(oid.strip().lower())


class NoDirectory:
    """No directory is wired for this profile yet (Azure: Microsoft Graph lookup not built)."""

    name = "none (Microsoft Graph lookup is not available yet)"

    async def by_upn(self, upn: str) -> DirectoryUser | None:
        return None

    async def by_oid(self, oid: str) -> DirectoryUser | None:
        return None


def demo_directory() -> StaticDirectory:
    from loom_tui.local.demo import DEMO_DOMAIN, DEMO_USERS

    return StaticDirectory([DirectoryUser(oid, f"{alias}@{DEMO_DOMAIN}", name) for oid, alias, name in DEMO_USERS])


def directory_for(ctx: "AppContext") -> Directory:
    """Decided once per context: the demo tenant has its built-in users, anything else has none yet."""
    from loom_tui.local.demo import DEMO_TENANT

    if ctx.session.tenant_id == DEMO_TENANT:
        return demo_directory()
    return NoDirectory()
