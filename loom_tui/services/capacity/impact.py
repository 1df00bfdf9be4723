"""What pausing a capacity would stop: the workspaces it serves, those used lately, and its load.

Said before a pause is confirmed, so a busy capacity is never paused blind.  Workspaces come from
the store by the one assignment rule (``domain/fabric_assignment.py``, which Fabric auto-pause and
the cost idle finder use too); "used lately" is a ``lastAccessedAt`` in the last ``recent``; the
load is the inventory's 24 h utilization, or the reason it has none (Fabric: no Azure Monitor
metric)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from loom_tui.domain.capacity import Resource
from loom_tui.domain.clock import iso
from loom_tui.domain.fabric_assignment import served_by

RECENT = timedelta(hours=1)
BUSY_LOAD = 20.0  # % over 24 h: a capacity doing real work


@dataclass
class Impact:
    workspaces: list[str] = field(default_factory=list)  # names of the workspaces it serves
    recent: list[str] = field(default_factory=list)  # of those, opened in the last hour
    load_pct: float | None = None  # the 24 h utilization
    load_note: str = ""  # why it is not known

    @property
    def busy(self) -> bool:
        return bool(self.recent) or (self.load_pct is not None and self.load_pct >= BUSY_LOAD)

    @property
    def load(self) -> str:
        if self.load_pct is not None:
            return f"24 h load {self.load_pct:.0f} %"
        return f"Load not known: {self.load_note.rstrip('.')}" if self.load_note else "Load not known"

    def words(self, limit: int = 8) -> str:
        if not self.workspaces:
            serves = "It serves no workspace loom knows of."
        else:
            names = ", ".join(self.workspaces[:limit]) + (f" and {len(self.workspaces) - limit} more" if len(self.workspaces) > limit else "")
            serves = f"It serves {len(self.workspaces)} workspace(s): {names}."
            if self.recent:
                serves += f" Opened in the last hour: {', '.join(self.recent[:limit])}."
        return f"{serves} {self.load}."


async def pause_impact(scoped, r: Resource, *, now: datetime, profile=None) -> Impact:
    workspaces = [ws async for ws in scoped.tenant_workspaces_iter()]
    kw = {"workspace_tag": profile.tag_workspace, "domain_tags": profile.tag_domain} if profile is not None else {}
    served = served_by(r.id, r.name, r.tags, workspaces, **kw)
    by_id = {str(ws.get("id")): ws for ws in workspaces}
    since = iso(now - RECENT)
    recent = [s.name for s in served
              if isinstance(by_id.get(s.workspace_id, {}).get("lastAccessedAt"), str) and by_id[s.workspace_id]["lastAccessedAt"] >= since]
    return Impact(sorted(s.name for s in served), sorted(recent), r.utilization_24h, r.utilization_note)
