"""Who may start, take over, cancel and see an operation (issue 22 item 3) — one rule, read by the
operations service (the panel, ``loom operations`` and every area go through it).

* **Start, take over, cancel** follow the role that may start that kind: capacity changes
  (``capacity.*``) are for tenant admins (as :meth:`CapacityService.require_admin` says); a kind
  loom gives no role of its own (a DLZ deployment: Azure's RBAC decides) may be cancelled by the
  user who started it or a tenant admin.
* **Seeing**: tenant admins see every operation of the tenant; anyone else sees the operations
  they started and those of kinds whose targets every member may look at (capacity and landing
  zones: the Capacity area and ``loom dlz list`` are open to them) — without the URLs loom polls
  or cancels through, nor the owning host and process.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loom_tui.domain.operation import Operation
    from loom_tui.domain.session import Session

ADMIN_KINDS = ("capacity.",)  # kinds only tenant admins may start
OPEN_KINDS = ("capacity.", "dlz.")  # kinds every member may see (redacted)


def _is(kind: str, prefixes: tuple[str, ...]) -> bool:
    return any(kind.startswith(p) for p in prefixes)


def start_refusal(session: "Session", kind: str) -> str | None:
    """Why ``session`` may not start (or take over) an operation of ``kind``; None when it may."""
    if _is(kind, ADMIN_KINDS) and not session.is_tenant_admin:
        return f"only tenant admins may run {kind} operations; {session.upn} is not one"
    return None


def cancel_refusal(session: "Session", op: "Operation") -> str | None:
    """Why ``session`` may not cancel ``op``; None when it may."""
    refused = start_refusal(session, op.kind)
    if refused:
        return refused.replace("run", "cancel", 1)
    if not session.is_tenant_admin and op.started_by.lower() != (session.upn or "").lower():
        return f"only {op.started_by or 'the user who started it'} or a tenant admin may cancel this {op.kind} operation"
    return None


def visible(session: "Session", op: "Operation") -> bool:
    return session.is_tenant_admin or op.started_by.lower() == (session.upn or "").lower() or _is(op.kind, OPEN_KINDS)


def shown(session: "Session", op: "Operation") -> "Operation":
    """``op`` as ``session`` may see it (tenant admins: whole)."""
    if session.is_tenant_admin:
        return op
    return replace(op, poll_url=None, cancel_url=None, owner=None)
