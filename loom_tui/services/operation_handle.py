"""What an operation's runner gets (:class:`OperationHandle`): its record, its steps, and ARM calls
that keep the record current — :meth:`~OperationHandle.begin` sends the request that starts an
ARM operation and follows it with the one poller (:mod:`loom_tui.azure.lro`), storing what it
follows (a path on the cloud's Resource Manager, how to read it, its deadline kind) before the
first read, so the process that takes it over follows the same thing.

When the poller cannot tell how the operation ended (its deadline passed, or the stored URL cannot
be followed), the handle decides from the resource's own state where it can — a PUT or PATCH from
the resource's ``provisioningState`` — and records how it decided in the step's message; else it
raises :class:`PollUndecided` for the runner to decide (capacity reads the runtime state).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Protocol

from loom_tui.domain.clock import now_iso
from loom_tui.domain.operation import Operation
from loom_tui.errors import ServiceError

if TYPE_CHECKING:
    from loom_tui.azure.clients import ArmResponse, AzureClients
    from loom_tui.azure.lro import Judge, PollState, Target
    from loom_tui.config import Profile
    from loom_tui.domain.pace import Pace
    from loom_tui.store.scoped import ScopedStore

    from loom_tui.services.roles import Gate


class Journal(Protocol):
    """What a handle writes its operation through and takes the run's Azure, pace and poll interval
    from: the operation service (:class:`~loom_tui.services.operations.OperationService`), named by
    what the handle uses so that this module need not import the one that imports it."""

    @property
    def azure(self) -> Callable[[], Awaitable["AzureClients"]]: ...

    @property
    def pace(self) -> "Pace": ...

    @property
    def poll_interval(self) -> float: ...

    # what a kind's resumer may take of the run besides Azure (a DLZ deployment's: the store, the
    # gate and the profile it deploys with, and the earlier operations of its target)
    @property
    def scoped(self) -> "ScopedStore": ...

    @property
    def gate(self) -> "Gate": ...

    @property
    def profile(self) -> "Profile": ...

    async def history(self, kind: str, target: str, limit: int = ...) -> list[Operation]: ...

    async def _write(self, op: Operation) -> Operation: ...

    def _notify(self) -> None: ...


class LostOwnership(Exception):
    """Another process took the operation over (this one was presumed dead)."""


class OperationCancelled(ServiceError):
    code = "cancelled"


class PollUndecided(ServiceError):
    """loom could not learn how an ARM operation ended (``state.note`` says why) and nothing here
    could decide from the resource: the runner decides, or the operation fails saying so."""

    code = "Undecided"

    def __init__(self, state: "PollState", detail: str = "") -> None:
        self.state = state
        self.arm_code = "Undecided"
        self.status = None
        self.message = f"{state.note}{'; ' + detail if detail else ''}; check the resource in Azure"
        super().__init__(self.message)


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


class OperationHandle:
    """What a runner gets: the operation, its steps, and ARM calls that keep the record current."""

    def __init__(self, service: Journal, op: Operation) -> None:
        self.service = service
        self.op = op
        # this process's writes of the operation go one at a time, each applied to the newest copy:
        # steps moved by concurrent tasks (and the heartbeat) never overwrite each other with a
        # stale copy, nor pile up conditional-write conflicts
        self._lock = asyncio.Lock()

    @property
    def pace(self) -> "Pace":
        """How long a runner's waits on Azure really take (see :mod:`loom_tui.domain.pace`)."""
        return self.service.pace

    async def clients(self) -> "AzureClients":
        return await self.service.azure()

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

    def say(self, step: int | str) -> Callable[[str], Any]:
        """A callback that puts a line (a retry, a wait) into ``step``'s message."""
        return lambda text: self.step(step, message=text)

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
        return await (await self.clients()).send(method, path, api_version, json)

    async def begin(self, step: int | str, method: str, path: str, api_version: str, json: Any = None, *,
                    cancel_url: str | None = None, judge: "Judge | None" = None, until: float | None = None) -> "PollState":
        """Send the request that starts a long ARM operation (busy conflicts sent again inside the
        deadline) and follow it to its end as ``step``.  A failed operation raises ARM's error."""
        from loom_tui.azure import lro

        i = self._index(step)
        await self.step(i, "running")
        clients = await self.clients()
        response, target = await lro.begin(clients, method, path, api_version, json, pace=self.pace, on_problem=self.say(i))
        if target is None:  # finished with this answer
            await self.step(i, "succeeded")
            return lro.PollState(path, "Succeeded", 100.0, response.body)
        if cancel_url:
            await self.update(lambda op: replace(op, cancel_url=clients.relative(cancel_url)))
        try:
            return await self.poll(target, i, judge=judge, until=until)
        except PollUndecided as exc:
            if method.upper() not in ("PUT", "PATCH") or judge is not None:
                raise
            return await self.decide_from_resource(i, lro.with_api_version(path, api_version), exc.state)

    async def poll(self, target: "Target | str", step: int | str, *, judge: "Judge | None" = None,
                   until: float | None = None) -> "PollState":
        """Follow an ARM operation to its end (what is followed is stored first: a process that
        takes over follows it again); the step follows its progress.  A failed operation raises
        ARM's error; one whose end could not be learnt raises :class:`PollUndecided`."""
        from loom_tui.azure import lro

        if isinstance(target, str):
            target = lro.Target(target, "location", lro.kind_of(target))
        i = self._index(step)
        await self.update(lambda op: replace(op.with_step(i, state="running"), poll_url=target.url, poll_step=i,
                                             poll_mode=target.mode, poll_kind=target.kind))

        async def progress(state: "PollState") -> None:
            if state.done:
                return
            pct = state.percent / 100.0 if state.percent is not None else None
            if pct != self.op.steps[i].progress or state.status != self.op.steps[i].message:
                await self.step(i, progress=pct, message=state.status)

        final = await lro.poll(await self.clients(), target, on_progress=progress, on_problem=self.say(i),
                               interval=self.service.poll_interval, pace=self.pace, judge=judge, until=until)
        outcome = final.outcome
        if outcome == "unknown":
            await self.update(lambda op: replace(op.with_step(i, message=final.note), poll_url=None, poll_step=None,
                                                 poll_mode=None, poll_kind=None))
            raise PollUndecided(final)
        await self.update(lambda op: replace(op.with_step(i, state=outcome, message="" if outcome == "succeeded" else final.status,
                                                          progress=1.0 if outcome == "succeeded" else op.steps[i].progress),
                                             poll_url=None, poll_step=None, poll_mode=None, poll_kind=None))
        if outcome == "failed":
            raise final.error or ServiceError("the operation failed")
        if outcome == "cancelled":
            raise OperationCancelled("cancelled in Azure")
        return final

    async def decide_from_resource(self, step: int | str, url: str, undecided: "PollState") -> "PollState":
        """The end of a PUT/PATCH whose status could not be learnt, from the resource's own
        ``provisioningState`` (read now); the step's message says so."""
        from loom_tui.azure import lro

        i = self._index(step)
        body = (await self.send("GET", url)).body
        state = lro.provisioning_state(body) or "Succeeded"
        how = f"decided from the resource: provisioningState {state} ({undecided.note})"
        if state.lower() == "succeeded":
            await self.step(i, "succeeded", message=how)
            return lro.PollState(url, "Succeeded", 100.0, body, note=how)
        if state.lower() in ("failed", "canceled", "cancelled"):
            await self.step(i, "failed", message=how)
            raise ServiceError(f"Azure reports the resource's provisioningState {state} ({undecided.note})")
        raise PollUndecided(undecided, f"the resource still reports provisioningState {state}")
