"""Long-running operations: started, persisted, watched, resumed, cancelled.

``ctx.operations.start(kind, target, steps=[...], run=fn)`` stores an :class:`Operation` in the
``operations`` container (partition = tenant) and runs ``await fn(handle)`` in a task of this
process; the :class:`OperationHandle` moves the steps along and polls ARM
(:func:`loom_tui.azure.lro.poll`), storing the URL being polled before the first poll.  Every
change is written to the store, so the TUI's operations panel, ``loom operations wait`` and a
second ``loom`` process all read the same progress (:meth:`OperationService.watch`, an async
iterator of snapshots).

Ownership: the process running an operation writes ``owner`` ("host:pid") and a heartbeat every few
seconds, every write conditional on the document's ETag.  When that process dies (SSH drop,
``kill -9``) the operation stays ``running`` in the store; the next ``loom`` to look
(:meth:`resume_orphans` at start-up, or :meth:`watch`) sees the owner gone, takes the operation
over (one process wins: ETag) and resumes polling from the stored URL; a kind may register a
resumer for the steps after it (:func:`register_resumer`).  Closing the context leaves running
operations to be resumed later; only :meth:`cancel` cancels (and asks ARM to, where the operation
has a cancel URL).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable

from loom_tui.domain.clock import now_iso
from loom_tui.domain.operation import Operation, OperationError, Step
from loom_tui.errors import NotFoundError, ServiceError
from loom_tui.store.errors import PreconditionFailed
from loom_tui.store.query import Order, Query, eq

if TYPE_CHECKING:
    from loom_tui.azure.clients import ArmResponse
    from loom_tui.azure.lro import PollState
    from loom_tui.domain.pace import Pace

    from .context import AppContext

log = logging.getLogger("loom.operations")

CONTAINER = "operations"
HEARTBEAT = 5.0  # seconds between an owner's signs of life
STALE = 30.0  # an owner silent this long is gone (a dead pid on this host is gone at once)
RECENT = 50

Runner = Callable[["OperationHandle"], Awaitable[Any]]
_RESUMERS: dict[str, Runner] = {}


def register_resumer(kind: str, fn: Runner) -> None:
    """``fn(handle)`` finishes an operation of ``kind`` taken over from a process that died, after
    the poll it was in has ended (``handle.op.steps`` says how far it got)."""
    _RESUMERS[kind] = fn


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


def owner_gone(op: Operation, now: float | None = None) -> bool:
    """Whether nobody is polling ``op`` any more (its owner died or went silent)."""
    if not op.running or op.owner == this_owner():
        return False
    host, _, pid = (op.owner or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and not _pid_alive(int(pid)):
        return True
    return op.heartbeat_at is None or (now or time.time()) - op.heartbeat_at > STALE


def jsonable(value: Any) -> Any:
    """What a runner returned, as the JSON the store keeps (a poll's final state: its body)."""
    import json

    if hasattr(value, "body") and hasattr(value, "outcome"):
        value = value.body
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


class LostOwnership(Exception):
    """Another process took the operation over (this one was presumed dead)."""


class OperationCancelled(ServiceError):
    code = "cancelled"


def _view(op: Operation) -> tuple:
    """What a watcher cares about (not the heartbeat)."""
    return (op.state, op.steps, op.error, op.result, op.poll_url, op.cancel_requested)


class OperationHandle:
    """What a runner gets: the operation, its steps, and ARM calls that keep the record current."""

    def __init__(self, service: "OperationService", op: Operation) -> None:
        self.service = service
        self.op = op
        # this process's writes of the operation go one at a time, each applied to the newest copy:
        # steps moved by concurrent tasks (and the heartbeat) never overwrite each other with a
        # stale copy, nor pile up conditional-write conflicts
        self._lock = asyncio.Lock()

    @property
    def pace(self) -> "Pace":
        """How long a runner's waits on Azure really take (see :mod:`loom_tui.domain.pace`)."""
        return self.service.ctx.pace

    # -- steps ---------------------------------------------------------------------------
    def _index(self, step: int | str) -> int:
        if isinstance(step, int):
            return step
        for i, s in enumerate(self.op.steps):
            if s.name == step:
                return i
        raise KeyError(f"no step {step!r} in {self.op.kind}")

    async def step(self, step: int | str, state: str | None = None, *, progress: float | None = None, message: str | None = None) -> None:
        i = self._index(step)
        changes: dict[str, Any] = {}
        if state is not None:
            changes["state"] = state
            if state == "succeeded":
                changes["progress"] = 1.0
        if progress is not None:
            changes["progress"] = max(0.0, min(1.0, progress))
        if message is not None:
            changes["message"] = message
        await self.update(lambda op: op.with_step(i, **changes))

    async def update(self, change: Callable[[Operation], Operation], *, touch: bool = True) -> None:
        """Apply ``change`` to the newest copy of the operation and store it."""
        async with self._lock:
            op = change(self.op)
            self.op = await self.service._write(replace(op, updated_at=now_iso()) if touch else op)
        self.service._notify()

    async def save(self, op: Operation) -> None:
        """Store ``op`` as given (built from ``self.op``; :meth:`update` when other tasks may move
        steps meanwhile)."""
        await self.update(lambda current: replace(op, etag=current.etag))

    # -- Azure -----------------------------------------------------------------------------
    async def send(self, method: str, path: str, api_version: str | None = None, json: Any = None) -> "ArmResponse":
        clients = await self.service.ctx.azure()
        return await clients.send(method, path, api_version, json)

    async def begin(self, step: int | str, method: str, path: str, api_version: str, json: Any = None, *,
                    cancel_url: str | None = None) -> "PollState":
        """Send the request that starts a long ARM operation and poll it to its end as ``step``."""
        from loom_tui.azure.lro import PollState, poll_url

        await self.step(step, "running")
        response = await self.send(method, path, api_version, json)
        url = poll_url(response) if response.status in (201, 202) else None
        if url is None:  # finished at once
            await self.step(step, "succeeded")
            return PollState(path, "Succeeded", 100.0, response.body)
        if cancel_url:
            await self.update(lambda op: replace(op, cancel_url=cancel_url))
        return await self.poll(url, step)

    async def poll(self, url: str, step: int | str) -> "PollState":
        """Poll an ARM operation to its end (the URL is stored first: a process that takes over
        polls it again); the step follows its progress.  A failed operation raises ARM's error."""
        from loom_tui.azure.lro import PollState, poll

        i = self._index(step)
        await self.update(lambda op: replace(op.with_step(i, state="running"), poll_url=url, poll_step=i))
        clients = await self.service.ctx.azure()

        async def progress(state: PollState) -> None:
            if state.done:
                return
            pct = state.percent / 100.0 if state.percent is not None else None
            if pct != self.op.steps[i].progress or state.status != self.op.steps[i].message:
                await self.step(i, progress=pct, message=state.status)

        delay = 1.0
        while True:
            try:
                final = await poll(clients, url, on_progress=progress, interval=self.service.poll_interval, pace=self.service.ctx.pace)
                break
            except ServiceError as exc:  # could not learn the state (5xx after retries): it may still run
                await self.step(i, message=f"cannot reach Azure ({exc}); polling again in {int(delay)} s")
            except OSError as exc:
                await self.step(i, message=f"cannot reach Azure ({type(exc).__name__}); polling again in {int(delay)} s")
            await self.service.ctx.pace.sleep(delay)
            delay = min(delay * 2, 60.0)
        outcome = final.outcome
        await self.update(lambda op: replace(op.with_step(i, state=outcome, message="" if outcome == "succeeded" else final.status,
                                                          progress=1.0 if outcome == "succeeded" else op.steps[i].progress),
                                             poll_url=None, poll_step=None))
        if outcome == "failed":
            raise final.error or ServiceError("the operation failed")
        if outcome == "cancelled":
            raise OperationCancelled("cancelled in Azure")
        return final


class OperationService:
    def __init__(self, ctx: "AppContext") -> None:
        self.ctx = ctx
        self.scoped = ctx.scoped
        self.poll_interval = 5.0  # between polls when ARM sends no Retry-After
        self._tasks: dict[str, asyncio.Task] = {}
        self._cancelling: set[str] = set()
        self._live: dict[str, Operation] = {}
        self._changed: asyncio.Event | None = None

    # -- reading ---------------------------------------------------------------------------
    async def get(self, op_id: str) -> Operation | None:
        doc = await self.scoped.tenant_get(CONTAINER, op_id)
        return Operation.from_doc(doc) if doc else None

    async def require(self, op_id: str) -> Operation:
        op = await self.get(op_id)
        if op is None:
            raise NotFoundError(f"no operation {op_id!r}")
        return op

    async def recent(self, limit: int = RECENT) -> list[Operation]:
        """Running operations first, then the newest finished ones."""
        page = await self.scoped.tenant_query(CONTAINER, Query(order_by=(Order("startedAt", True),)), max_items=max(1, limit))
        ops = [Operation.from_doc(d) for d in page.items]
        return sorted(ops, key=lambda o: not o.running)

    async def running(self) -> list[Operation]:
        return [Operation.from_doc(d) async for d in self.scoped.tenant_iter(CONTAINER, Query((eq("state", "running"),)))]

    # -- starting ----------------------------------------------------------------------------
    async def start(self, kind: str, target: str, *, steps: list[str], run: Runner) -> Operation:
        """Store a new running operation and run ``await run(handle)`` for it in this process."""
        self.ctx.require_writable(kind)
        op = Operation(id=uuid.uuid4().hex, kind=kind, target=target, started_by=self.ctx.session.upn, started_at=now_iso(),
                       steps=tuple(Step(name) for name in steps), owner=this_owner(), heartbeat_at=time.time(), updated_at=now_iso())
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
        def finished(op: Operation) -> Operation:
            steps = tuple(s if s.state in ("succeeded", "failed", "cancelled") else
                          replace(s, state="cancelled" if state == "cancelled" else ("failed" if s.state == "running" else s.state))
                          for s in op.steps) if state != "succeeded" else op.steps
            return replace(op, state=state, steps=steps, result=result if state == "succeeded" else op.result, error=error,
                           finished_at=now_iso(), poll_url=None if state != "running" else op.poll_url)

        try:
            await handle.update(finished)
        except LostOwnership:
            pass

    async def _cancel_in_azure(self, handle: OperationHandle) -> str:
        if not handle.op.cancel_url:
            return "cancelled in loom; Azure has no cancel for this operation and may still finish it"
        try:
            await handle.send("POST", handle.op.cancel_url)
        except ServiceError as exc:
            return f"cancelled in loom; Azure refused the cancel: {exc}"
        return "cancelled (Azure was asked to cancel it)"

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
                current = await self.get(op.id)
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
        """Snapshots of the operation at every change, the terminal one last.  An operation whose
        owner is gone is taken over and resumed here."""
        last: tuple | None = None
        while True:
            op = self._live.get(op_id) if op_id in self._tasks else await self.get(op_id)
            if op is None:
                raise NotFoundError(f"no operation {op_id!r}")
            if _view(op) != last:
                last = _view(op)
                yield op
            if not op.running:
                return
            if op_id not in self._tasks and owner_gone(op):
                await self.adopt(op)
                continue
            if self._changed is None:
                self._changed = asyncio.Event()
            try:
                await asyncio.wait_for(self._changed.wait(), interval)
            except asyncio.TimeoutError:
                pass

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
            if op.poll_url or not op.running:
                break
        assert op is not None
        return op

    # -- resuming ----------------------------------------------------------------------------
    async def adopt(self, op: Operation) -> bool:
        """Take ``op`` over from a process that is gone and resume it here; False when another
        process was quicker."""
        try:
            doc = await self.scoped.tenant_replace(CONTAINER, replace(op, owner=this_owner(), heartbeat_at=time.time()).to_doc(self.scoped.tid),
                                                   if_match=op.etag)
        except PreconditionFailed:
            return False
        taken = Operation.from_doc(doc)
        log.info("resuming operation %s (%s) left by %s", op.id, op.kind, op.owner)
        self._launch(taken, _resume)
        return True

    async def resume_orphans(self) -> list[Operation]:
        """Take over every running operation whose owner is gone (call at start-up)."""
        resumed = []
        for op in await self.running():
            if op.id not in self._tasks and owner_gone(op) and await self.adopt(op):
                resumed.append(op)
        return resumed

    # -- cancelling --------------------------------------------------------------------------
    async def cancel(self, op_id: str) -> Operation:
        """Cancel a running operation: here at once, in another process at its next heartbeat."""
        self.ctx.require_writable("cancelling an operation")
        op = await self.require(op_id)
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
                return Operation.from_doc(doc)
            except PreconditionFailed:
                op = await self.require(op_id)
                if not op.running:
                    return op
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


async def _resume(handle: OperationHandle) -> Any:
    op = handle.op
    if op.poll_url is not None and op.poll_step is not None:
        await handle.poll(op.poll_url, op.poll_step)
    custom = _RESUMERS.get(op.kind)
    if custom is not None:
        return await custom(handle)
    left = [s.name for s in handle.op.steps if s.state in ("pending", "running")]
    if left:
        raise ServiceError(f"interrupted: the loom process running it ended during step {left[0]!r}; start it again")
    return handle.op.result
