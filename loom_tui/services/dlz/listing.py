"""Every DLZ of the estate, for ``loom dlz list``: loom's records and the landing zones found in
Azure (by resource group name, tags or spoke name; the platform's own DLZs and those deployed by
hand), one row each with where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .facts import ExistingDlz
from .registry import DlzRecord


@dataclass(frozen=True)
class DlzRow:
    domain: str
    state: str
    subscription_id: str
    region: str
    resource_group: str
    address_space: str
    source: str  # "recorded", "found by resource group", "recorded; found by tags", ...
    record: DlzRecord | None = None


def merge(records: list[DlzRecord], found: list[ExistingDlz]) -> list[DlzRow]:
    """One row per landing zone: a record and what Azure holds under the same domain and
    subscription are the same DLZ."""
    rows: list[DlzRow] = []
    seen: set[tuple[str, str]] = set()
    by_key = {(d.domain, d.subscription_id.lower()): d for d in found}
    for r in records:
        key = (r.domain, r.subscription_id.lower())
        live = by_key.get(key)
        seen.add(key)
        source = "recorded" + (f"; found by {live.source}" if live else "")
        rows.append(DlzRow(r.domain, r.state, r.subscription_id, r.region, r.resource_group, r.address_space or (live.address_space if live else ""),
                           source, r))
    for d in found:
        if (d.domain, d.subscription_id.lower()) in seen:
            continue
        rows.append(DlzRow(d.domain, "found", d.subscription_id, d.region, d.resource_group, d.address_space, f"found by {d.source}"))
    return sorted(rows, key=lambda x: (x.domain, x.subscription_id))


async def all_dlzs(svc: Any) -> tuple[list[DlzRow], list[str]]:
    """The rows, and what could not be read (Azure unreachable: the records alone, said so)."""
    records = await svc.registry.list()
    try:
        facts = await svc.facts()
    except Exception as exc:  # noqa: BLE001 — the records still list; the reason is reported
        from loom_tui.azure.errors import ArmError
        from loom_tui.errors import ServiceError

        if not isinstance(exc, (ArmError, ServiceError, OSError)):
            raise
        return merge(records, []), [f"Azure could not be read, so only loom's records are listed: {exc}"]
    return merge(records, facts.found), list(facts.problems)
