"""An Entra principal a workspace grant names (what Microsoft Graph resolves a member to)."""

from __future__ import annotations

from dataclasses import dataclass

PRINCIPAL_TYPES = ("User", "Group", "ServicePrincipal")


@dataclass(frozen=True)
class Principal:
    id: str  # Entra object id (lower-case)
    type: str  # User | Group | ServicePrincipal
    display_name: str  # untrusted text from the directory: shown through domain.text.visible()
    upn: str | None = None  # users only
