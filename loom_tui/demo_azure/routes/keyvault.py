"""Microsoft.KeyVault/vaults."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..router import Router
from ._arm import register_type

if TYPE_CHECKING:
    from ..state import State


def register(router: Router, state: "State") -> None:
    register_type(router, state, "keyvault.vaults", "Microsoft.KeyVault/vaults")
