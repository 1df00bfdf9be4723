"""An ``Operation``: anything that runs longer than one request (pause a capacity, deploy a
landing zone), as stored in the ``operations`` container (partition ``/tenantId``).

The document keeps what is needed to find it again after the process that started it died: the
ARM URL being polled (``pollUrl``), which step it belongs to, who owns the polling (``owner``,
``heartbeatAt``) and whether someone asked to cancel.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any


STATES = ("running", "succeeded", "failed", "cancelled")
STEP_STATES = ("pending", "running", "succeeded", "failed", "cancelled")


@dataclass(frozen=True)
class Step:
    name: str
    state: str = "pending"
    progress: float | None = None  # 0..1 when known
    message: str = ""

    def to_doc(self) -> dict[str, Any]:
        return {"name": self.name, "state": self.state, "progress": self.progress, "message": self.message}

    @classmethod
    def from_doc(cls, d: dict[str, Any]) -> "Step":
        p = d.get("progress")
        return cls(str(d.get("name", "")), str(d.get("state", "pending")), float(p) if isinstance(p, (int, float)) else None,
                   str(d.get("message") or ""))


@dataclass(frozen=True)
class OperationError:
    code: str
    message: str  # ARM's own message, in full (untrusted text: show it literally)
    status: int | None = None

    def to_doc(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "status": self.status}


@dataclass(frozen=True)
class Operation:
    id: str
    kind: str  # e.g. "capacity.pause", "deploy.dlz"
    target: str  # the ARM resource id (or scope) it acts on
    started_by: str  # UPN
    started_at: str  # ISO 8601 UTC
    state: str = "running"
    steps: tuple[Step, ...] = ()
    poll_url: str | None = None  # the ARM operation being polled
    poll_step: int | None = None  # which step that poll belongs to
    poll_mode: str | None = None  # how to read it: "status" (Azure-AsyncOperation), "location", "resource"
    poll_kind: str | None = None  # its deadline kind (loom_tui.azure.lro.DEADLINES)
    params: dict[str, Any] = field(default_factory=dict)  # what the runner needs to resume it (e.g. the SKU of a scale)
    result: Any = None
    error: OperationError | None = None
    finished_at: str | None = None
    updated_at: str | None = None
    owner: str | None = None  # "<host>:<pid>" of the process polling it
    heartbeat_at: float | None = None  # epoch seconds of the owner's last sign of life
    cancel_requested: bool = False
    cancel_url: str | None = None  # where ARM takes a cancel for it, when it has one
    etag: str | None = field(default=None, compare=False)
    problems: tuple[str, ...] = field(default=(), compare=False)  # "field: reason" for each field that could not be read

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def progress(self) -> float | None:
        """Overall progress 0..1: finished steps count whole, the running one by its progress."""
        if not self.steps:
            return 1.0 if not self.running else None
        done = sum(1.0 if s.state == "succeeded" else (s.progress or 0.0) if s.state == "running" else 0.0 for s in self.steps)
        return done / len(self.steps)

    def elapsed(self, now: datetime | None = None) -> float:
        """Seconds from start to finish (or to ``now`` while running); 0 when a time is unreadable."""
        from .operation_doc import parse_time

        start = parse_time(self.started_at)
        end = parse_time(self.finished_at) if self.finished_at else (now or datetime.now(timezone.utc))
        if start is None or end is None:
            return 0.0
        return max(0.0, (end - start).total_seconds())

    def with_step(self, index: int, **changes: Any) -> "Operation":
        steps = list(self.steps)
        steps[index] = replace(steps[index], **changes)
        return replace(self, steps=tuple(steps))

    def to_doc(self, tenant_id: str) -> dict[str, Any]:
        return {
            "id": self.id, "tenantId": tenant_id, "kind": self.kind, "target": self.target, "startedBy": self.started_by,
            "startedAt": self.started_at, "state": self.state, "steps": [s.to_doc() for s in self.steps],
            "pollUrl": self.poll_url, "pollStep": self.poll_step, "pollMode": self.poll_mode, "pollKind": self.poll_kind,
            "params": dict(self.params), "result": self.result,
            "error": self.error.to_doc() if self.error else None, "finishedAt": self.finished_at, "updatedAt": self.updated_at,
            "owner": self.owner, "heartbeatAt": self.heartbeat_at, "cancelRequested": self.cancel_requested,
            "cancelUrl": self.cancel_url,
        }

    @classmethod
    def from_doc(cls, d: Any) -> "Operation":
        """The record as stored, whatever it holds: fields that cannot be read are named in
        ``problems`` (see :mod:`loom_tui.domain.operation_doc`); this never raises."""
        from .operation_doc import parse_operation

        return parse_operation(d, cls, Step, OperationError, STATES, STEP_STATES)

    @property
    def readable(self) -> bool:
        return not self.problems

    @property
    def unreadable(self) -> str:
        """"unreadable (field: reason; …)", or "" for a readable record."""
        return f"unreadable ({'; '.join(self.problems)})" if self.problems else ""


def format_duration(seconds: float) -> str:
    """``42s``, ``3m05s``, ``2h07m``."""
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"


def format_percent(value: float | None) -> str:
    return "" if value is None else f"{int(round(value * 100))}%"
