"""Workspace rules shared by the TUI, the CLI and the tests (no I/O here)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .stored import StoredRow, stamps
from .stored import stored_text as _text

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


# The capacity kind as a case-insensitive regular expression on ``capacity`` (the same rule as
# :func:`capacity_kind`), so the store can filter on it: the web console's documents carry no
# ``capacityKind``, and where loom wrote one the web console may have changed the capacity since.
CAPACITY_PATTERNS = {
    "none": r"^\s*$",  # or no capacity at all
    "dedicated": r"^\s*F\d+\s*$|dedicated|premium",
    "shared": r"^(?!\s*$)(?!\s*F\d+\s*$)(?!.*(dedicated|premium))",
}


class SortKey(str, Enum):
    # the web console's own fields (binary order of the name, as Cosmos DB sorts strings)
    NAME = "name"
    CREATED = "createdAt"
    LAST_ACCESSED = "lastAccessedAt"
    ITEMS = "itemCount"
    DOMAIN = "domain"
    CAPACITY = "capacity"
    STATE = "state"  # a document without one is Active but sorts lowest, as Cosmos DB orders undefined


@dataclass(frozen=True)
class WorkspaceView:
    """What the workspace list shows: search, sort, filters (all pushed down to the store)."""

    search: str = ""
    sort: SortKey = SortKey.LAST_ACCESSED
    descending: bool = True
    capacity: CapacityKind | None = None
    domain: str | None = None
    mine: bool = False


def workspace_link(console_url: str | None, workspace_id: str) -> str | None:
    """The workspace's page in the web console (``app/workspaces/[id]``), or None when the profile
    names no console."""
    if not console_url:
        return None
    from urllib.parse import quote

    return f"{console_url.rstrip('/')}/workspaces/{quote(workspace_id, safe='')}"


@dataclass(frozen=True)
class Workspace(StoredRow):
    """A workspace as the services hand it out: the fields loom reads, typed (its history and
    document, shared with the web console: :class:`StoredRow`)."""

    id: str
    name: str
    description: str = ""
    domain: str = ""  # the domain's id (people see its name: ``DomainRegistry.names``)
    capacity: str = ""
    state: str = "Active"  # a document without ``state`` is Active (the web console's rule)
    item_count: int | None = None  # None: the document does not count its items (the console's do not)
    last_accessed_at: str = ""
    owner_oid: str = ""
    pinned: bool = False  # one of the operator's pinned workspaces (``WorkspaceService.pinned``)

    @classmethod
    def from_doc(cls, doc: dict[str, Any], *, pinned: bool = False) -> "Workspace":
        """The workspace of a stored document, whoever wrote it: missing fields are empty and
        odd-typed ones are read as text (an item count that is not a whole number is not one)."""
        count = doc.get("itemCount")
        return cls(
            id=_text(doc.get("id")), name=_text(doc.get("name")), description=_text(doc.get("description")),
            domain=_text(doc.get("domain")), capacity=_text(doc.get("capacity")),
            state=_text(doc.get("state")) or "Active",
            item_count=count if isinstance(count, int) and not isinstance(count, bool) else None,
            last_accessed_at=_text(doc.get("lastAccessedAt")), owner_oid=_text(doc.get("ownerOid")),
            pinned=pinned, **stamps(doc), doc=doc,
        )
