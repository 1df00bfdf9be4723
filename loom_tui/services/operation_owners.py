"""Who drives an operation, when its owner is gone, and how the next process takes over.

Ownership: the process running an operation writes ``owner`` ("host:pid") and a heartbeat every
:data:`HEARTBEAT` seconds.  Whether the owner is gone is judged only by what this process can
know for itself — never by comparing another host's clock with ours (a host whose clock runs 45 s
ahead would otherwise look dead while it beats):

* an owner on this host whose pid is dead is gone at once;
* any other owner is gone when its heartbeat has not moved for :data:`STALE` seconds, as *this*
  process measures them (its own monotonic clock, from the first time it saw that heartbeat).

One takeover path for every process — the console at start-up, ``loom operations wait``, a
``loom dlz deploy`` run again: :func:`resume` finishes the operation with the resumer of its kind.
A kind's resumer lives with its area and is imported here on first use (:data:`RESUMER_MODULES`),
so a process that never opened that area (``loom operations wait``) resumes it the same way; a
resumer re-reads Azure before it declares anything failed.
"""

from __future__ import annotations

import importlib
import os
import socket
import time
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from loom_tui.errors import ServiceError

if TYPE_CHECKING:
    from loom_tui.azure.lro import Target
    from loom_tui.domain.operation import Operation

    from loom_tui.services.operation_handle import OperationHandle

HEARTBEAT = 5.0  # seconds between an owner's signs of life
STALE = 30.0  # seconds without a new heartbeat (as the taker measures them) before the owner counts as gone

Runner = Callable[["OperationHandle"], Awaitable[Any]]
_RESUMERS: dict[str, Runner] = {}
# where each kind's resumer is registered (imported on the first takeover of that kind)
RESUMER_MODULES: dict[str, str] = {
    "dlz.deploy": "loom_tui.services.dlz.operation",
    "capacity.pause": "loom_tui.services.capacity.resume",
    "capacity.resume": "loom_tui.services.capacity.resume",
    "capacity.scale": "loom_tui.services.capacity.resume",
}


def register_resumer(kind: str, fn: Runner) -> None:
    """``fn(handle)`` finishes an operation of ``kind`` taken over from a process that died
    (``handle.op`` says how far it got, and what it was following)."""
    _RESUMERS[kind] = fn


def resumer_for(kind: str) -> Runner | None:
    if kind not in _RESUMERS and kind in RESUMER_MODULES:
        importlib.import_module(RESUMER_MODULES[kind])
    return _RESUMERS.get(kind)


def this_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def owner_gone(op: "Operation") -> bool:
    """What this process knows at once: the owner is a dead process on this host."""
    if not op.running or op.problems or op.owner == this_owner():
        return False
    host, _, pid = (op.owner or "").rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not _pid_alive(int(pid))


class Liveness:
    """Missed heartbeats, as this process measures them (see the module doc)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._seen: dict[str, tuple[tuple[Any, Any], float]] = {}

    def gone(self, op: "Operation") -> bool:
        if not op.running or op.problems or op.owner == this_owner():
            return False
        if owner_gone(op):
            return True
        marker = (op.owner, op.heartbeat_at)
        now = self.clock()
        seen = self._seen.get(op.id)
        if seen is None or seen[0] != marker:
            self._seen[op.id] = (marker, now)
            return False
        return now - seen[1] >= STALE


def stored_target(op: "Operation") -> "Target | None":
    from loom_tui.azure.lro import Target, kind_of

    if op.poll_url is None or op.poll_step is None:
        return None
    return Target(op.poll_url, op.poll_mode or "location", op.poll_kind or kind_of(op.poll_url))


async def resume(handle: "OperationHandle") -> Any:
    """Finish an operation taken over from a process that is gone."""
    op = handle.op
    custom = resumer_for(op.kind)
    if custom is not None:
        return await custom(handle)
    target = stored_target(op)
    if target is not None and op.poll_step is not None:  # stored_target is None without a step
        await handle.poll(target, op.poll_step)
    left = [s.name for s in handle.op.steps if s.state in ("pending", "running")]
    if left:
        raise ServiceError(f"interrupted: the loom process running it ended during step {left[0]!r}; start it again")
    return handle.op.result
