"""Totals of an inventory: by provider, by state, by landing zone, and the CU-equivalent roll-up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from loom_tui.domain.capacity import Resource, cu_equivalent


@dataclass(frozen=True)
class DlzTotals:
    dlz: str
    resources: int
    running: int  # pausable resources billing compute now
    paused: int
    cost_mtd: float | None  # None when no row of it had a cost
    currency: str | None
    cu_equivalent: float  # average CU-equivalent in use over 24 h (rows with a coefficient and a metric)
    cu_rows: int  # rows that contributed
    cu_missing: int  # pausable rows with no utilization (not in the roll-up)


@dataclass(frozen=True)
class Summary:
    total: int
    by_provider: list[tuple[str, int]]  # most first
    by_state: list[tuple[str, int]]
    by_dlz: list[DlzTotals] = field(default_factory=list)

    def top_providers(self, n: int = 5) -> list[tuple[str, int]]:
        return self.by_provider[:n]


def state_of(r: Resource) -> str:
    """Runtime state where the service has one, else provisioning state."""
    return r.state or r.provisioning_state or "unknown"


def _counted(c: Counter) -> list[tuple[str, int]]:
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0].lower()))


def summarize(rows: list[Resource]) -> Summary:
    by_provider = Counter(r.provider for r in rows)
    by_state = Counter(state_of(r) for r in rows)
    groups: dict[str, list[Resource]] = {}
    for r in rows:
        groups.setdefault(r.dlz or "(no DLZ)", []).append(r)
    dlzs = []
    for name in sorted(groups, key=str.lower):
        members = groups[name]
        costs = [r for r in members if r.cost_mtd is not None]
        currencies = {r.currency for r in costs if r.currency}
        cu = [(r, cu_equivalent(r)) for r in members]
        dlzs.append(DlzTotals(
            dlz=name,
            resources=len(members),
            running=sum(1 for r in members if r.is_running),
            paused=sum(1 for r in members if r.is_paused),
            cost_mtd=round(sum(r.cost_mtd or 0.0 for r in costs), 2) if costs else None,
            currency=currencies.pop() if len(currencies) == 1 else (None if not currencies else "mixed"),
            cu_equivalent=round(sum(v for _, v in cu if v is not None), 2),
            cu_rows=sum(1 for _, v in cu if v is not None),
            cu_missing=sum(1 for r, v in cu if v is None and r.pausable),
        ))
    return Summary(total=len(rows), by_provider=_counted(by_provider), by_state=_counted(by_state), by_dlz=dlzs)
