"""Who a member grant names: a UPN, an object id or a group (or service principal) display name,
resolved to an Entra principal ``(id, type, displayName)`` as the web console's picker does
before it POSTs ``/api/workspaces/{id}/role-assignments``.

The lookup is a port (:class:`PrincipalLookup`): Microsoft Graph at the profile's cloud's Graph
endpoint (:mod:`loom_tui.azure.graph`), or :class:`NoGraph` for a cloud without one, where only an
object id with an explicit principal type can be granted.  :func:`resolve` turns what the lookup
finds into one principal or a sentence: unknown, several matches (listed), no Graph.
"""

from __future__ import annotations

import re
from typing import Protocol

from loom_tui.domain.principal import PRINCIPAL_TYPES, Principal
from loom_tui.domain.text import visible
from loom_tui.errors import ConflictError, NotFoundError, ServiceError, ValidationError

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class GraphUnavailable(ServiceError):
    """This cloud (or tenant) has no Microsoft Graph loom can reach: names cannot be resolved."""

    code = "unavailable"


class PrincipalLookup(Protocol):
    name: str  # where the lookup looks, for messages ("Microsoft Graph at https://graph.microsoft.us")

    async def user(self, upn_or_id: str) -> Principal | None:
        """The user with that UPN or object id, or None."""
        ...

    async def by_id(self, object_id: str) -> Principal | None:
        """The user, group or service principal with that object id, or None."""
        ...

    async def named(self, display_name: str, types: tuple[str, ...]) -> list[Principal]:
        """Groups / service principals whose display name is exactly ``display_name``."""
        ...


class NoGraph:
    """A cloud without a Microsoft Graph endpoint (custom or air-gapped, none configured)."""

    def __init__(self, cloud: str) -> None:
        self.cloud = cloud
        self.name = f"no Microsoft Graph (cloud {cloud})"

    def _refuse(self) -> GraphUnavailable:
        return GraphUnavailable(
            f"adding a member by name needs Microsoft Graph, and cloud {self.cloud!r} has no Graph endpoint loom knows "
            "(set graph_endpoint in the profile); or give the member's object id with --type User|Group|ServicePrincipal")

    async def user(self, upn_or_id: str) -> Principal | None:
        raise self._refuse()

    async def by_id(self, object_id: str) -> Principal | None:
        raise self._refuse()

    async def named(self, display_name: str, types: tuple[str, ...]) -> list[Principal]:
        raise self._refuse()


class StaticPrincipals:
    """Principals held in memory (tests; the demo tenant without its demo Azure)."""

    def __init__(self, principals: list[Principal], name: str = "demo tenant directory") -> None:
        self.principals = principals
        self.name = name

    async def user(self, upn_or_id: str) -> Principal | None:
        key = upn_or_id.strip().lower()
        return next((p for p in self.principals if p.type == "User" and key in ((p.upn or "").lower(), p.id.lower())), None)

    async def by_id(self, object_id: str) -> Principal | None:
        return next((p for p in self.principals if p.id.lower() == object_id.strip().lower()), None)

    async def named(self, display_name: str, types: tuple[str, ...]) -> list[Principal]:
        return [p for p in self.principals if p.type in types and p.display_name == display_name]


def is_object_id(text: str) -> bool:
    return bool(_GUID.match(text.strip()))


def describe(p: Principal) -> str:
    """One line naming a principal, its stored text made visible (display names come from Graph)."""
    who = visible(p.display_name)
    return f"{who} <{visible(p.upn)}> ({p.type} {p.id})" if p.upn else f"{who} ({p.type} {p.id})"


async def resolve(lookup: PrincipalLookup, who: str, principal_type: str | None = None) -> Principal:
    """``who`` (a UPN, an object id, or a group / service principal display name) as one principal.

    An object id with an explicit ``principal_type`` is taken as given when the lookup has no
    Graph (the console's own API accepts exactly that); otherwise it is looked up."""
    text = (who or "").strip()
    if not text:
        raise ValidationError("member", "give a UPN, an object id, or a group name")
    if principal_type is not None and principal_type not in PRINCIPAL_TYPES:
        raise ValidationError("type", f"must be one of {', '.join(PRINCIPAL_TYPES)}")
    if is_object_id(text):
        try:
            found = await lookup.by_id(text)
        except GraphUnavailable:
            if principal_type is None:
                raise GraphUnavailable(f"{text} is an object id, but without Microsoft Graph loom cannot tell a user from a "
                                       "group: give --type User|Group|ServicePrincipal") from None
            return Principal(text.lower(), principal_type, text.lower())
        if found is None or (principal_type and found.type != principal_type):
            raise NotFoundError(f"no {principal_type or 'principal'} with object id {text} in {lookup.name}")
        return found
    if "@" in text and principal_type in (None, "User"):
        found = await lookup.user(text)
        if found is None:
            raise NotFoundError(f"no user {visible(text)} in {lookup.name}")
        return found
    types = (principal_type,) if principal_type else ("Group", "ServicePrincipal")
    matches = await lookup.named(text, types)
    if not matches:
        raise NotFoundError(f"no {' or '.join(t.lower() for t in types)} named {visible(text)!r} in {lookup.name}")
    if len(matches) > 1:
        listed = "; ".join(describe(p) for p in matches)
        raise ConflictError(f"{len(matches)} principals are named {visible(text)!r}: {listed} — give the object id instead")
    return matches[0]
