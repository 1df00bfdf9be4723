"""Workspace rules shared by the TUI, the CLI and the tests (no I/O here)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

WORKSPACE_STATES = ("Active", "Provisioning", "Suspended", "Deleted")
_FSKU = re.compile(r"^F\d+$", re.IGNORECASE)


class CapacityKind(str, Enum):
    NONE = "none"
    SHARED = "shared"
    DEDICATED = "dedicated"


def capacity_kind(capacity: str | None) -> CapacityKind:
    """The web console's rule: empty = none; ``F<n>`` or containing "dedicated"/"premium" =
    dedicated; anything else = shared."""
    value = (capacity or "").strip()
    if not value:
        return CapacityKind.NONE
    low = value.lower()
    if _FSKU.match(value) or "dedicated" in low or "premium" in low:
        return CapacityKind.DEDICATED
    return CapacityKind.SHARED


class SortKey(str, Enum):
    NAME = "nameLower"
    CREATED = "createdAt"
    LAST_ACCESSED = "lastAccessedAt"
    ITEMS = "itemCount"


@dataclass(frozen=True)
class WorkspaceView:
    """What the workspace list shows: search, sort, filters (all pushed down to the store)."""

    search: str = ""
    sort: SortKey = SortKey.LAST_ACCESSED
    descending: bool = True
    capacity: CapacityKind | None = None
    domain: str | None = None
    mine: bool = False
