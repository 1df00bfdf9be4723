"""The user directory port: who is ``dana@contoso.example`` (object id, display name)?

Mentions and member bindings need a user's object id, which only the tenant's directory knows.
Wiring picks the run's directory (``wiring.directory_for``): a :class:`StaticDirectory` of known
users, or, for a tenant whose Microsoft Graph lookup (``GET /users/{upn}``) is not built yet,
:class:`NoDirectory`, which answers "unknown" for everyone, and callers say so instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


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
    """A directory held in memory."""

    def __init__(self, users: list[DirectoryUser], name: str = "users held in memory") -> None:
        self.name = name
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
