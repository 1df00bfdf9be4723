"""Changes to capacity as Operation runners: pause / resume (Fabric capacity, Synapse SQL pool, ADX
cluster) and scale a Fabric capacity.  The service starts them through ``ctx.operations`` after
checking the caller; each has three steps, so the operations panel and ``loom operations`` show
where it is:

1. ``read state``: the resource as Azure has it now (a resource already in the wanted state ends
   here: nothing to do, nothing sent);
2. the change: ``POST {id}/{verb}`` (``PATCH {id}`` with the new SKU for scale), followed with the
   one poller (:mod:`loom_tui.azure.lro`) in whatever shape Azure answers — 200 or 202 with
   ``Azure-AsyncOperation`` or ``Location``, or a 200 whose resource is ``Updating``;
3. ``confirm``: the resource itself followed (same poller) until it reports the wanted state, so
   the result is what Azure says, not what we hoped for.

One deadline per operation, by the resource's kind (``lro.DEADLINES``: ADX an hour, Fabric a
quarter): when it passes — or the status cannot be learnt at all — the resource's own state
decides, and the step's message says so.  A process that takes the operation over
(:mod:`.resume`) runs the same code from what Azure shows now.  An ARM error fails the operation
with ARM's code and message in full.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Callable

from loom_tui.azure import lro
from loom_tui.domain.capability import PAUSE, RESUME, SCALE
from loom_tui.domain.capacity import F_SKUS, FABRIC, Resource, resource_from_arm
from loom_tui.services.errors import ServiceError

from . import apis

if TYPE_CHECKING:
    from loom_tui.services.operation_handle import PollUndecided


class ActionRefused(Exception):
    """The resource cannot do this (wrong type)."""


class DeadlineExceeded(ServiceError):
    code = "DeadlineExceeded"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.arm_code = "DeadlineExceeded"
        self.message = message
        self.status = None


def steps(verb: str) -> list[str]:
    return ["read state", verb, "confirm"]


async def read(clients: Any, r: Resource) -> Resource:
    doc = (await clients.send("GET", r.id, await read_version(clients, r))).body or {}
    return _fresh(r, doc)


async def read_version(clients: Any, r: Resource) -> str:
    """The api-version a GET of ``r`` uses on this cloud (its provider's, else Resources')."""
    return await apis.version(clients, r.type_key if r.type_key in apis.READABLE else apis.RESOURCES, r.id)


def _fresh(r: Resource, doc: dict[str, Any]) -> Resource:
    fresh = resource_from_arm({**r.arm, **doc}, dlz=r.dlz)
    return dataclasses.replace(fresh, cost_mtd=r.cost_mtd, currency=r.currency, cost_note=r.cost_note,
                               utilization_24h=r.utilization_24h, utilization_note=r.utilization_note)


def _result(r: Resource, changed: bool, message: str) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "state": r.state, "sku": r.sku, "provisioningState": r.provisioning_state,
            "changed": changed, "message": message}


class Change:
    """One change of one resource, start to end, under one deadline."""

    def __init__(self, h: Any, clients: Any, r: Resource, done: Callable[[Resource], bool], describe: Callable[[Resource], str]) -> None:
        self.h, self.clients, self.r, self.done, self.describe = h, clients, r, done, describe
        self.kind = lro.kind_of(r.id)
        self.until = lro.end_of(self.kind, h.pace)
        self.unknown = ""  # why the change step's end was not learnt from Azure's status

    def judge(self, body: Any) -> tuple[str, str]:
        x = _fresh(self.r, body)
        if (x.provisioning_state or "").lower() == "failed":
            return "Failed", f"{self.describe(x)}: the resource's provisioningState is Failed"
        return ("Succeeded" if self.done(x) else "InProgress"), self.describe(x)

    async def send(self, method: str, path: str, api_version: str, json: Any = None) -> None:
        """Step 1: the request, followed to its end (or to not knowing it, for step 3 to decide)."""
        try:
            await self.h.begin(1, method, path, api_version, json, until=self.until)
        except lro_undecided() as exc:
            self.unknown = exc.state.note

    async def follow_stored(self) -> None:
        """Step 1 of a taken-over operation: the status its first process was following."""
        from loom_tui.services.operation_owners import stored_target

        target = stored_target(self.h.op)
        if target is not None and self.h.op.poll_step == 1:
            try:
                await self.h.poll(target, 1, until=self.until)
            except lro_undecided() as exc:
                self.unknown = exc.state.note

    async def confirm(self) -> Resource:
        """Step 3: the resource followed until it shows the change; past the deadline its state
        decides, and the steps say how."""
        h = self.h
        await h.step(2, "running")
        target = lro.Target(lro.with_api_version(self.r.id, await read_version(self.clients, self.r)), "resource", self.kind)
        note = ""
        try:
            await h.poll(target, 2, judge=self.judge, until=self.until)
        except lro_undecided() as exc:
            note = exc.state.note
        after = await read(self.clients, self.r)
        how = "; ".join(x for x in (self.unknown, note) if x)
        if self.done(after):
            message = self.describe(after) + (f" (decided from the resource: {how})" if how else "")
            if self.unknown:
                await h.step(1, "succeeded", message=f"decided from the resource: {self.unknown}")
            await h.step(2, "succeeded", message=message)
            return after
        if (after.provisioning_state or "").lower() == "failed":
            raise ServiceError(f"Azure reports {self.r.name} {self.describe(after)}")
        await h.step(2, "failed", message=f"decided from the resource: {self.describe(after)} ({how})")
        raise DeadlineExceeded(f"{how or 'Azure did not finish the change'}: {self.r.name} still reports {self.describe(after)}; "
                               "loom stopped following it, Azure may still finish it")


def lro_undecided() -> type["PollUndecided"]:
    from loom_tui.services.operation_handle import PollUndecided

    return PollUndecided


async def set_running(h: Any, clients: Any, r: Resource, run: bool, *, resumed: bool = False) -> dict[str, Any]:
    why = r.can(RESUME if run else PAUSE)
    rt = r.runtime
    if why or rt is None:
        raise ActionRefused(why or f"{r.name} has no runtime state")
    want = rt.running if run else rt.paused
    other = rt.paused if run else rt.running
    verb = rt.resume_verb if run else rt.pause_verb
    change = Change(h, clients, r, lambda x: x.state in want, lambda x: f"{x.state} ({x.provisioning_state})")
    await h.step(0, "running")
    current = await read(clients, r)
    await h.step(0, "succeeded", message=f"{current.state}")
    sent = resumed and h.op.steps[1].state != "pending"
    if current.state in want and not sent:
        message = f"{r.name} is already {current.state}"
        await h.step(1, "succeeded", message="nothing to do")
        await h.step(2, "succeeded", message=message)
        return _result(current, False, message)
    if resumed and h.op.poll_url and h.op.poll_step == 1:
        await change.follow_stored()
    elif not resumed or current.state in other or current.state is None:  # (again) the request: nothing is moving
        await change.send("POST", f"{r.id}/{verb}", await apis.version(clients, r.type_key, r.id))
    else:  # moving already (the process that ended had sent it): the resource says the rest
        await h.step(1, "succeeded", message=f"sent by the process that ended; Azure reports {current.state}")
    after = await change.confirm()
    return _result(after, True, f"{r.name} is {after.state}")


def check_sku(sku: str) -> str:
    s = (sku or "").strip().upper()
    if s not in F_SKUS:
        raise ValueError(f"{sku!r} is not a Fabric SKU (one of {', '.join(F_SKUS)})")
    return s


async def scale(h: Any, clients: Any, r: Resource, sku: str, *, resumed: bool = False) -> dict[str, Any]:
    why = r.can(SCALE)
    if why:
        raise ActionRefused(why)
    sku = check_sku(sku)
    change = Change(h, clients, r, lambda x: (x.sku or "").upper() == sku and (x.provisioning_state or "Succeeded") == "Succeeded",
                    lambda x: f"{x.sku} ({x.provisioning_state})")
    await h.step(0, "running")
    current = await read(clients, r)
    await h.step(0, "succeeded", message=f"{current.sku}, {current.state}")
    if change.done(current) and not (resumed and h.op.steps[1].state != "pending"):
        message = f"{r.name} is already {sku}"
        await h.step(1, "succeeded", message="nothing to do")
        await h.step(2, "succeeded", message=message)
        return _result(current, False, message)
    if resumed and h.op.poll_url and h.op.poll_step == 1:
        await change.follow_stored()
    elif not resumed or (current.provisioning_state or "Succeeded") in ("Succeeded", "Failed"):
        await change.send("PATCH", r.id, await apis.version(clients, FABRIC, r.id), {"sku": {"name": sku, "tier": "Fabric"}})
    else:
        await h.step(1, "succeeded", message=f"sent by the process that ended; Azure reports {change.describe(current)}")
    after = await change.confirm()
    return _result(after, True, f"{r.name} is {after.sku}")
