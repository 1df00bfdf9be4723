"""Which workspaces a Fabric capacity serves, from what the store and the capacity say (pure).

The web console's workspace names its capacity in ``capacity`` ("Selected Fabric/Power BI
capacity id (or SKU label for legacy free-text)") and, once assigned, in
``capacityAssignment.capacityId``.  A workspace is served by a capacity when

* one of those names the capacity: its ARM id or its name (case-insensitive); or
* the capacity is tagged with the workspace's id (the chargeback tag, ``loomWorkspaceId``); or
* the workspace names only an F SKU (the legacy label, e.g. ``F64``) and the capacity is tagged
  with the workspace's domain (``loomDomain``): the landing zone's capacity serves its domain.

The cost area's idle finder (``services/cost/idle.py``) judges capacities by the same rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

_F_SKU = re.compile(r"^\s*F\d+\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Served:
    workspace_id: str
    name: str
    how: str  # "named", "tagged" or "domain"


def capacity_named(ws: dict[str, Any]) -> str:
    """What the workspace names as its capacity (the assignment's id first)."""
    return str((ws.get("capacityAssignment") or {}).get("capacityId") or ws.get("capacity") or "").strip()


def served_by(capacity_id: str, capacity_name: str, tags: dict[str, str], workspaces: Iterable[dict[str, Any]], *,
              workspace_tag: str = "loomWorkspaceId", domain_tags: Iterable[str] = ("loomDomain", "loom-domain")) -> list[Served]:
    low = {k.lower(): v for k, v in (tags or {}).items()}
    tagged_ws = str(low.get(workspace_tag.lower()) or "").lower()
    domains = {str(low[t.lower()]).lower() for t in domain_tags if t.lower() in low and low[t.lower()]}
    names = {capacity_id.lower(), capacity_name.lower()}
    out = []
    for ws in workspaces:
        wid = str(ws.get("id") or "")
        named = capacity_named(ws)
        how = ""
        if named and named.lower() in names:
            how = "named"
        elif tagged_ws and wid.lower() == tagged_ws:
            how = "tagged"
        elif _F_SKU.match(named) and str(ws.get("domain") or "").lower() in domains:
            how = "domain"
        if how:
            out.append(Served(wid, str(ws.get("name") or wid), how))
    return out
