"""Long-running operations: started, persisted, watched, resumed, cancelled.

``ctx.operations.start(kind, target, steps=[...], run=fn)`` stores an :class:`Operation` in the
``operations`` container (partition = tenant) and runs ``await fn(handle)`` in a task of this
process; the :class:`~loom_tui.services.operation_handle.OperationHandle` moves the steps along and
follows ARM with the one poller (:mod:`loom_tui.azure.lro`), storing what it follows before the
first read.  Every change is written to the store, so the TUI's operations panel, ``loom
operations wait`` and a second ``loom`` process all read the same progress (:meth:`watch`, an
async iterator of snapshots; :meth:`events`, the same as typed step changes and the end).

Ownership and takeover (:mod:`loom_tui.services.operation_owners`): the running process writes
``owner`` and a heartbeat, every write conditional on the document's ETag; when it dies (SSH drop,
``kill -9``) the next ``loom`` to look (:meth:`resume_orphans` at start-up, or :meth:`watch`) sees
the owner gone — a dead pid on this host, or a heartbeat that stopped moving as this process
measures it — takes the operation over (one process wins: ETag) and finishes it with its kind's
resumer.  Closing the context leaves running operations to be resumed later; only :meth:`cancel`
cancels (and asks ARM to, where the operation has a cancel URL).  Who may start, cancel and see
what: :mod:`loom_tui.services.operation_policy`.  Stored records are read by one tolerant parser:
an unreadable one is shown as such, never driven.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable

from loom_tui.domain.clock import now_iso
from loom_tui.domain.operation import Operation, OperationError, Step
from loom_tui.errors import Forbidden, NotFoundError, ServiceError
from loom_tui.store.errors import PreconditionFailed
from loom_tui.store.query import Order, Query, eq

from loom_tui.services import operation_owners as owners
from loom_tui.services import operation_policy as policy
from loom_tui.services.operation_events import Finished, OperationEvent, StepChanged, events_of
from loom_tui.services.operation_handle import LostOwnership, OperationCancelled, OperationHandle, PollUndecided, jsonable
from loom_tui.services.operation_owners import HEARTBEAT, STALE, Runner, owner_gone, register_resumer, this_owner

if TYPE_CHECKING:
    from loom_tui.azure.clients import AzureClients
    from loom_tui.config import Profile
    from loom_tui.domain.pace import Pace
    from loom_tui.store.scoped import ScopedStore

    from loom_tui.services.roles import Gate

__all__ = ["CONTAINER", "HEARTBEAT", "STALE", "Finished", "LostOwnership", "Operation", "OperationCancelled", "OperationHandle",
           "OperationService", "PollUndecided", "StepChanged", "jsonable", "owner_gone", "register_resumer", "this_owner"]

log = logging.getLogger("loom.operations")

CONTAINER = "operations"
RECENT = 50


def _view(op: Operation) -> tuple:
    """What a watcher cares about (not the heartbeat)."""
    return (op.state, op.steps, op.error, op.result, op.poll_url, op.cancel_requested)


class OperationService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate", azure: Callable[[], Awaitable["AzureClients"]], pace: "Pace",
                 profile: "Profile") -> None:
        self.scoped = scoped
        self.gate = gate
        self.azure = azure  # the run's Azure clients, made on first use (handles send and poll with them)
        self.pace = pace  # how long a runner's waits on Azure really take
        # the run's profile, for resumers that need more than the store and Azure (a DLZ deployment's:
        # its cloud, who deploys); nothing here reads it
        self.profile = profile
        self.poll_interval = 5.0  # between polls when ARM sends no Retry-After
        self._tasks: dict[str, asyncio.Task] = {}
        self._cancelling: set[str] = set()
        self._live: dict[str, Operation] = {}
        self._changed: asyncio.Event | None = None
        self._liveness = owners.Liveness()  # missed heartbeats of other processes' operations, as this one measures them

    # -- reading ---------------------------------------------------------------------------
    def _shown(self, op: Operation | None) -> Operation | None:
        """``op`` as the signed-in user may see it (None: not at all)."""
        session = self.scoped.session
        if op is None or not policy.visible(session, op):
            return None
        return policy.shown(session, op)

    async def _get(self, op_id: str) -> Operation | None:
        """The stored record, whole (for driving it; never shown as it is)."""
        doc = await self.scoped.tenant_get(CONTAINER, op_id)
        return Operation.from_doc(doc) if doc else None

    async def get(self, op_id: str) -> Operation | None:
        return self._shown(await self._get(op_id))

    async def require(self, op_id: str) -> Operation:
        op = await self.get(op_id)
        if op is None:
            raise NotFoundError(f"no operation {op_id!r}")
        return op

    async def recent(self, limit: int = RECENT) -> list[Operation]:
        """Running operations first, then the newest finished ones (those the user may see)."""
        page = await self.scoped.tenant_query(CONTAINER, Query(order_by=(Order("startedAt", True),)), max_items=max(1, limit))
        ops = [o for o in (self._shown(Operation.from_doc(d)) for d in page.items) if o is not None]
        return sorted(ops, key=lambda o: not o.running)

    async def history(self, kind: str, target: str, limit: int = RECENT) -> list[Operation]:
        """The operations of ``kind`` on ``target``, newest first (those the user may see)."""
        query = Query((eq("kind", kind), eq("target", target)), order_by=(Order("startedAt", True),))
        page = await self.scoped.tenant_query(CONTAINER, query, max_items=max(1, limit))
        return [o for o in (self._shown(Operation.from_doc(d)) for d in page.items) if o is not None]

    async def running(self) -> list[Operation]:
        """Every running operation of the tenant, whole (for finding and taking over)."""
        return [Operation.from_doc(d) async for d in self.scoped.tenant_iter(CONTAINER, Query((eq("state", "running"),)))]

    # -- starting ----------------------------------------------------------------------------
    async def start(self, kind: str, target: str, *, steps: list[str], run: Runner, params: dict[str, Any] | None = None) -> Operation:
        """Store a new running operation and run ``await run(handle)`` for it in this process
        (``params``: what its resumer needs besides the kind and the target)."""
        self.gate.require_writable(kind)
        refused = policy.start_refusal(self.scoped.session, kind)
        if refused:
            raise Forbidden(refused)
        op = Operation(id=uuid.uuid4().hex, kind=kind, target=target, started_by=self.scoped.session.upn, started_at=now_iso(),
                       steps=tuple(Step(name) for name in steps), owner=this_owner(), heartbeat_at=time.time(), updated_at=now_iso(),
                       params=dict(params or {}))
        doc = await self.scoped.tenant_create(CONTAINER, op.to_doc(self.scoped.tid))
        op = Operation.from_doc(doc)
        self._launch(op, run)
        return op

    def _launch(self, op: Operation, run: Runner) -> None:
        self._live[op.id] = op
        self._tasks[op.id] = asyncio.get_running_loop().create_task(self._drive(op, run), name=f"operation {op.id}")
        self._notify()

    async def _drive(self, op: Operation, run: Runner) -> None:
        handle = OperationHandle(self, op)
        beat = asyncio.get_running_loop().create_task(self._heartbeat(handle))
        try:
            try:
                result = await run(handle)
            except asyncio.CancelledError:
                if op.id not in self._cancelling:
                    raise  # the process is closing: leave it running, to be resumed
                await self._finish(handle, "cancelled", error=OperationError("Cancelled", await self._cancel_in_azure(handle)))
            except LostOwnership:
                log.info("operation %s was taken over by another process", op.id)
            except ServiceError as exc:
                status = getattr(exc, "status", None)
                code = getattr(exc, "arm_code", None) or exc.code
                message = getattr(exc, "message", None) if isinstance(getattr(exc, "message", None), str) else str(exc)
                await self._finish(handle, "cancelled" if isinstance(exc, OperationCancelled) else "failed",
                                   error=OperationError(str(code), message or str(exc), status))
            except Exception as exc:
                log.exception("operation %s failed", op.id)
                await self._finish(handle, "failed", error=OperationError(type(exc).__name__, str(exc) or type(exc).__name__))
            else:
                try:
                    await self._finish(handle, "succeeded", result=jsonable(result))
                except LostOwnership:
                    pass
                except Exception as exc:  # the result could not be stored: say so rather than stay "running"
                    log.exception("operation %s: result not stored", op.id)
                    await self._finish(handle, "failed", error=OperationError(type(exc).__name__, f"finished, but the result could not be stored: {exc}"))
        finally:
            beat.cancel()
            self._tasks.pop(op.id, None)
            self._cancelling.discard(op.id)
            self._notify()

    async def _finish(self, handle: OperationHandle, state: str, *, result: Any = None, error: OperationError | None = None) -> None:
        def ended(s: Step) -> Step:
            if s.state in ("succeeded", "failed", "cancelled"):
                return s
            if state == "cancelled":  # what loom stopped; a step Azure was running may still finish there
                return replace(s, state="cancelled", message="loom stopped following it; Azure may still finish it"
                               if s.state == "running" else s.message)
            return replace(s, state="failed") if s.state == "running" else s

        def finished(op: Operation) -> Operation:
            steps = tuple(ended(s) for s in op.steps) if state != "succeeded" else op.steps
            return replace(op, state=state, steps=steps, result=result if state == "succeeded" else op.result, error=error,
                           finished_at=now_iso(), poll_url=None if state != "running" else op.poll_url)

        try:
            await handle.update(finished)
        except LostOwnership:
            pass

    async def _cancel_in_azure(self, handle: OperationHandle) -> str:
        """What the cancelled record says about Azure: never that Azure stopped, only what loom did
        (stopped following it) and what it asked of Azure."""
        if not handle.op.cancel_url:
            return ("cancelled in loom: loom stopped following it; Azure has no cancel for this operation and may still "
                    "finish it (read the resource's state in Azure)")
        try:
            await handle.send("POST", handle.op.cancel_url)
        except ServiceError as exc:
            return f"cancelled in loom: loom stopped following it; Azure refused the cancel and may still finish it: {exc}"
        return "cancelled in loom: loom stopped following it and asked Azure to cancel it (Azure may still finish it)"

    async def _heartbeat(self, handle: OperationHandle) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT)
            try:
                await handle.update(lambda op: replace(op, heartbeat_at=time.time()), touch=False)
            except LostOwnership:
                task = self._tasks.get(handle.op.id)
                if task:
                    task.cancel()
                return
            except Exception:  # the store may be briefly unreachable: try at the next beat
                log.warning("heartbeat of operation %s not written", handle.op.id, exc_info=True)
                continue
            if handle.op.cancel_requested and handle.op.id not in self._cancelling:
                self._cancelling.add(handle.op.id)
                task = self._tasks.get(handle.op.id)
                if task:
                    task.cancel()

    async def _write(self, op: Operation) -> Operation:
        """Conditional write of an owned operation; a cancel request written meanwhile by another
        process is kept, a take-over raises :class:`LostOwnership`."""
        for _ in range(10):
            try:
                doc = await self.scoped.tenant_replace(CONTAINER, op.to_doc(self.scoped.tid), if_match=op.etag)
                saved = Operation.from_doc(doc)
                self._live[saved.id] = saved
                return saved
            except PreconditionFailed:
                current = await self._get(op.id)
                if current is None or current.owner != op.owner:
                    raise LostOwnership(op.id) from None
                op = replace(op, etag=current.etag, cancel_requested=op.cancel_requested or current.cancel_requested)
        # still ours, but the store kept refusing the write: not a take-over (that would leave the
        # operation running with nobody driving it)
        raise ServiceError(f"operation {op.id} could not be written: it kept changing in the store")

    # -- watching ----------------------------------------------------------------------------
    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
        self._changed = asyncio.Event()

    async def watch(self, op_id: str, *, interval: float = 1.0) -> AsyncIterator[Operation]:
        """Snapshots of the operation at every change (as the user may see it), the terminal one
        last.  An operation whose owner is gone is taken over and resumed here, when the user may
        run that kind."""
        last: tuple | None = None
        while True:
            op = self._live.get(op_id) if op_id in self._tasks else await self._get(op_id)
            seen = self._shown(op)
            if op is None or seen is None:
                raise NotFoundError(f"no operation {op_id!r}")
            if _view(seen) != last:
                last = _view(seen)
                yield seen
            if not op.running or op.problems:
                return
            if op_id not in self._tasks and self._liveness.gone(op):
                await self.adopt(op)
                continue
            if self._changed is None:
                self._changed = asyncio.Event()
            try:
                await asyncio.wait_for(self._changed.wait(), interval)
            except asyncio.TimeoutError:
                pass

    def events(self, op_id: str, *, interval: float = 1.0) -> AsyncIterator[OperationEvent]:
        """The operation's progress as events (:mod:`loom_tui.services.operation_events`): a
        :class:`StepChanged` per step that says something new, :class:`Finished` last."""
        return events_of(self.watch(op_id, interval=interval))

    async def wait(self, op_id: str) -> Operation:
        final: Operation | None = None
        async for final in self.watch(op_id):
            pass
        assert final is not None
        return final

    async def until_polling(self, op_id: str) -> Operation:
        """The operation once its ARM request is accepted (it has a URL to poll) or it ended:
        after that, leaving it to a later process loses nothing."""
        op: Operation | None = None
        async for op in self.watch(op_id, interval=0.5):
            whole = self._live.get(op_id) or await self._get(op_id)
            if (whole is not None and whole.poll_url) or not op.running:
                break
        assert op is not None
        return op

    # -- resuming ----------------------------------------------------------------------------
    async def adopt(self, op: Operation) -> bool:
        """Take ``op`` over from a process that is gone and resume it here; False when another
        process was quicker, or this user may not run that kind (then it is only watched)."""
        if op.problems or policy.start_refusal(self.scoped.session, op.kind) or self.gate.read_only:
            return False
        try:
            doc = await self.scoped.tenant_replace(CONTAINER, replace(op, owner=this_owner(), heartbeat_at=time.time()).to_doc(self.scoped.tid),
                                                   if_match=op.etag)
        except PreconditionFailed:
            return False
        taken = Operation.from_doc(doc)
        log.info("resuming operation %s (%s) left by %s", op.id, op.kind, op.owner)
        self._launch(taken, owners.resume)
        return True

    async def resume_orphans(self) -> list[Operation]:
        """Take over every running operation whose owner is gone (call at start-up; an owner on
        another host counts as gone only once its heartbeat has stood still for ``STALE`` seconds
        as this process measures them, so call again after that)."""
        resumed = []
        for op in await self.running():
            if op.id not in self._tasks and self._liveness.gone(op) and await self.adopt(op):
                resumed.append(op)
        return resumed

    # -- cancelling --------------------------------------------------------------------------
    async def cancel(self, op_id: str) -> Operation:
        """Cancel a running operation: here at once, in another process at its next heartbeat."""
        self.gate.require_writable("cancelling an operation")
        op = await self._get(op_id)
        if op is None or self._shown(op) is None:
            raise NotFoundError(f"no operation {op_id!r}")
        refused = policy.cancel_refusal(self.scoped.session, op)
        if refused:
            raise Forbidden(refused)
        if op.problems:
            raise ServiceError(f"operation {op_id} is {op.unreadable}; loom does not act on it")
        if not op.running:
            raise ServiceError(f"operation {op_id} is already {op.state}")
        task = self._tasks.get(op_id)
        if task is not None:
            self._cancelling.add(op_id)
            task.cancel()
            try:
                await asyncio.shield(task)
            except BaseException:
                pass
            return await self.require(op_id)
        for _ in range(10):
            try:
                doc = await self.scoped.tenant_replace(CONTAINER, replace(op, cancel_requested=True).to_doc(self.scoped.tid), if_match=op.etag)
                return self._shown(Operation.from_doc(doc)) or op
            except PreconditionFailed:
                op = await self._get(op_id) or op
                if not op.running:
                    return await self.require(op_id)
        raise ServiceError(f"operation {op_id} keeps changing; try again")

    async def close(self) -> None:
        """Stop polling here (the process is ending); running operations stay running in the
        store and are resumed by the next process."""
        tasks = list(self._tasks.values())
        for t in tasks:
            t.cancel()
        for t in tasks:
            try:
                await t
            except BaseException:
                pass
