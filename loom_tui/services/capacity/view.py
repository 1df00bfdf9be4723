"""Filter and sort of the capacity rows (pure; the screen and ``loom capacity list`` share it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from loom_tui.domain.capacity import Resource

# sort keys: column -> value (None sorts last whichever the direction)
SORTS: dict[str, Callable[[Resource], Any]] = {
    "name": lambda r: r.name.lower(),
    "type": lambda r: r.type.lower(),
    "provider": lambda r: r.provider.lower(),
    "dlz": lambda r: r.dlz.lower(),
    "group": lambda r: r.resource_group.lower(),
    "subscription": lambda r: r.subscription_id.lower(),
    "location": lambda r: r.location.lower(),
    "sku": lambda r: r.sku_or_kind.lower(),
    "provisioning": lambda r: (r.provisioning_state or "").lower(),
    "state": lambda r: (r.state or "").lower() or None,
    "cost": lambda r: r.cost_mtd,
    "utilization": lambda r: r.utilization_24h,
}


@dataclass(frozen=True)
class CapacityView:
    text: str = ""  # matched (case-insensitively) in name, type, group, location, sku, DLZ, id
    provider: str | None = None  # "Microsoft.Fabric"
    state: str | None = None  # runtime state or provisioning state, e.g. "Paused", "Succeeded"
    dlz: str | None = None
    type: str | None = None  # full type, its last segment ("capacities") or its provider's ("fabric", "Microsoft.Fabric")
    sort: str = "name"
    descending: bool = False


def _matches_type(r: Resource, t: str) -> bool:
    t = t.lower()
    namespace = r.type_key.split("/", 1)[0]
    return (r.type_key == t or r.type_key.endswith("/" + t) or r.type_key.split("/", 1)[-1] == t
            or namespace == t or namespace.rsplit(".", 1)[-1] == t)


def type_names(rows: list[Resource]) -> list[str]:
    """The types present, each with the short name ``--type`` takes (``capacities (Microsoft.Fabric/capacities)``)."""
    return sorted({f"{r.type.rsplit('/', 1)[-1]} ({r.type})" for r in rows}, key=str.lower)


def matches(r: Resource, v: CapacityView) -> bool:
    if v.provider and r.provider.lower() != v.provider.lower():
        return False
    if v.state and v.state.lower() not in ((r.state or "").lower(), (r.provisioning_state or "").lower()):
        return False
    if v.dlz and r.dlz.lower() != v.dlz.lower():
        return False
    if v.type and not _matches_type(r, v.type):
        return False
    if v.text:
        needle = v.text.lower()
        hay = " ".join((r.name, r.type, r.resource_group, r.location, r.sku_or_kind, r.dlz, r.id, r.state or "")).lower()
        if needle not in hay:
            return False
    return True


def apply(rows: list[Resource], v: CapacityView) -> list[Resource]:
    if v.sort not in SORTS:
        raise ValueError(f"unknown sort {v.sort!r} (one of {', '.join(SORTS)})")
    key = SORTS[v.sort]
    kept = [r for r in rows if matches(r, v)]
    present = [r for r in kept if key(r) is not None]
    absent = [r for r in kept if key(r) is None]
    present.sort(key=lambda r: (key(r), r.name.lower(), r.id), reverse=v.descending)
    absent.sort(key=lambda r: (r.name.lower(), r.id))
    return present + absent


def choices(rows: list[Resource]) -> dict[str, list[str]]:
    """The values the provider / state / DLZ filters can cycle through."""
    return {
        "provider": sorted({r.provider for r in rows}, key=str.lower),
        "state": sorted({s for r in rows for s in (r.state, r.provisioning_state) if s}, key=str.lower),
        "dlz": sorted({r.dlz for r in rows if r.dlz}, key=str.lower),
    }
