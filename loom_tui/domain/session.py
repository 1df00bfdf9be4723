"""Who is signed in: the identity every tenant-scoped read and write is bound to."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Session:
    tenant_id: str  # Entra tenant id (``tid``); partition key of tenant containers
    user_oid: str  # Entra object id (``oid``); partition key of user containers; workspace ``ownerOid``
    upn: str
    display_name: str
    groups: tuple[str, ...] = field(default_factory=tuple)
    is_tenant_admin: bool = False
    source: str = "local"  # "local" (embedded demo identity) or the credential kind that signed in

    def __post_init__(self) -> None:
        if not self.tenant_id or not self.user_oid:
            raise ValueError("a session needs a tenant id and a user object id")

    @property
    def upn_key(self) -> str:
        return self.upn.strip().lower()
