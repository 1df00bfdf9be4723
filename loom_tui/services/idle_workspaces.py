"""The one definition of an idle workspace, shared by Usage (its idle list and card) and the Cost
idle finder (its workspace findings, and the Fabric capacities all of whose workspaces are idle).

A workspace is **idle** when, in the last ``IDLE_DAYS`` UTC calendar days (today included, the
window of :func:`window`), nobody opened it (``lastAccessedAt`` before the window, or never),
no audit event touched it, and it was not created in it.  Only workspaces the store knows count,
and not those being deleted.  "Now" is one clock for both areas (:func:`now`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from loom_tui.domain.clock import iso
from loom_tui.store.query import AnyOf, Filter, Op, Query

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore

IDLE_DAYS = 30
DELETING = "Deleting"
PAGE = 5000


@dataclass(frozen=True)
class IdleWorkspace:
    """A workspace with no activity in the window: nobody opened it and no audit event touched it."""

    workspace_id: str
    name: str
    last_accessed: str | None  # ISO, as stored (None: never stamped)
    items: int
    idle_days: int | None = None  # whole days since it was last opened (or created); None: never stamped


def window(at: datetime, days: int = IDLE_DAYS) -> tuple[datetime, datetime]:
    """``[since, until)``: ``days`` whole UTC days ending with the day of ``at``."""
    today = at.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days - 1), today + timedelta(days=1)


def not_deleting() -> AnyOf:
    return AnyOf((Filter("state", Op.IS_NULL, True), Filter("state", Op.NE, DELETING)))


def _day(value: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(timezone.utc).date()
    except ValueError:
        return None


def idle_among(workspaces: Iterable[Mapping[str, Any]], active: set, since: datetime,
               items: Mapping[str, int] | None = None) -> list[IdleWorkspace]:
    """The idle ones of ``workspaces`` (store documents, or ``{id, name, lastAccessedAt,
    createdAt}``), ``active`` being the ids an audit event of the window touched; the longest
    idle first (never opened before any)."""
    start = iso(since)
    out = []
    for ws in workspaces:
        if ws.get("state") == DELETING or ws["id"] in active:
            continue
        opened, made = ws.get("lastAccessedAt"), ws.get("createdAt")
        last = opened if isinstance(opened, str) and opened else None
        created = made if isinstance(made, str) else ""
        if (last or "") >= start or created >= start:
            continue
        seen = _day(last or created) if (last or created) else None
        days = (since.date() + timedelta(days=IDLE_DAYS - 1) - seen).days if seen else None
        out.append(IdleWorkspace(ws["id"], str(ws.get("name") or ws["id"]), last, (items or {}).get(ws["id"], 0), days))
    return sorted(out, key=lambda w: (w.last_accessed or "", w.name.lower(), w.workspace_id))


async def active_workspaces(scoped: "ScopedStore", since: datetime, until: datetime) -> set:
    """The workspaces an audit event of ``[since, until)`` touched."""
    q = Query((Filter("at", Op.GE, iso(since)), Filter("at", Op.LT, iso(until))))
    return {ev.get("workspaceId") async for ev in scoped.admin_reached("audit-log", q, page_size=PAGE) if ev.get("workspaceId")}


async def idle_workspaces(scoped: "ScopedStore", at: datetime) -> tuple[list[dict], list[IdleWorkspace]]:
    """The tenant's workspaces (not being deleted) and the idle ones among them, at ``at`` (the
    run's clock: ``AppContext.clock``)."""
    since, until = window(at)
    workspaces = [ws async for ws in scoped.tenant_workspaces_iter(Query((not_deleting(),)))]
    return workspaces, idle_among(workspaces, await active_workspaces(scoped, since, until), since)
