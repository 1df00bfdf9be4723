"""Microsoft.Storage/storageAccounts and their blob service (``blobServices/default``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..router import Router
from ._arm import register_type

if TYPE_CHECKING:
    from ..state import State


def register(router: Router, state: "State") -> None:
    register_type(router, state, "storage.accounts", "Microsoft.Storage/storageAccounts")
    register_type(router, state, "storage.blob_services", "Microsoft.Storage/storageAccounts/blobServices")
