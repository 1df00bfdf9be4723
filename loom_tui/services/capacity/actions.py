"""Changes to capacity as Operation runners: pause / resume (Fabric capacity, Synapse SQL pool, ADX
cluster) and scale a Fabric capacity.  The service starts them through ``ctx.operations`` after
checking the caller; each has three steps, so the operations panel and ``loom operations`` show
where it is:

1. ``read state``: the resource as Azure has it now (a resource already in the wanted state ends
   here: nothing to do, nothing sent);
2. the change: ``POST {id}/{verb}`` (``PATCH {id}`` with the new SKU for scale), polled through
   ``Azure-AsyncOperation`` / ``Location`` to its end (the handle stores the URL first, so another
   process can finish the polling);
3. ``confirm``: the resource read again until it reports the wanted state, so the result is what
   Azure says, not what we hoped for.

An ARM error fails the operation with ARM's code and message in full.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from loom_tui.domain.capacity import F_SKUS, FABRIC, Resource, resource_from_arm

from . import apis

SETTLE_READS = 60  # confirm: reads of the resource until it reports the wanted state
SETTLE_SECONDS = 1.0


class ActionRefused(Exception):
    """The resource cannot do this (wrong type)."""


def steps(verb: str) -> list[str]:
    return ["read state", verb, "confirm"]


async def read(clients: Any, r: Resource) -> Resource:
    doc = (await clients.send("GET", r.id, await apis.version(clients, r.type_key if r.type_key in apis.READABLE else apis.RESOURCES, r.id))).body or {}
    fresh = resource_from_arm({**r.arm, **doc}, dlz=r.dlz)
    return dataclasses.replace(fresh, cost_mtd=r.cost_mtd, currency=r.currency, cost_note=r.cost_note,
                               utilization_24h=r.utilization_24h, utilization_note=r.utilization_note)


def _result(r: Resource, changed: bool, message: str) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "state": r.state, "sku": r.sku, "provisioningState": r.provisioning_state,
            "changed": changed, "message": message}


async def _settle(h: Any, clients: Any, r: Resource, done, describe) -> Resource:
    await h.step(2, "running")
    after = await read(clients, r)
    for _ in range(SETTLE_READS):
        if done(after):
            break
        await h.step(2, message=describe(after))
        await h.pace.sleep(SETTLE_SECONDS)
        after = await read(clients, r)
    if not done(after):
        from loom_tui.services.errors import ServiceError

        raise ServiceError(f"Azure accepted the change but {r.name} still reports {describe(after)}")
    await h.step(2, "succeeded", message=describe(after))
    return after


async def set_running(h: Any, clients: Any, r: Resource, run: bool) -> dict[str, Any]:
    rt = r.runtime
    if rt is None:
        raise ActionRefused(f"{r.name} ({r.type}) cannot be paused or resumed")
    want = rt.running if run else rt.paused
    verb = rt.resume_verb if run else rt.pause_verb
    await h.step(0, "running")
    current = await read(clients, r)
    await h.step(0, "succeeded", message=f"{current.state}")
    if current.state in want:
        message = f"{r.name} is already {current.state}"
        await h.step(1, "succeeded", message="nothing to do")
        await h.step(2, "succeeded", message=message)
        return _result(current, False, message)
    await h.begin(1, "POST", f"{r.id}/{verb}", await apis.version(clients, r.type_key, r.id))
    after = await _settle(h, clients, r, lambda x: x.state in want, lambda x: f"{x.state} ({x.provisioning_state})")
    return _result(after, True, f"{r.name} is {after.state}")


def check_sku(sku: str) -> str:
    s = (sku or "").strip().upper()
    if s not in F_SKUS:
        raise ValueError(f"{sku!r} is not a Fabric SKU (one of {', '.join(F_SKUS)})")
    return s


async def scale(h: Any, clients: Any, r: Resource, sku: str) -> dict[str, Any]:
    if r.type_key != FABRIC:
        raise ActionRefused(f"only Fabric capacities scale here; {r.name} is {r.type}")
    sku = check_sku(sku)
    await h.step(0, "running")
    current = await read(clients, r)
    await h.step(0, "succeeded", message=f"{current.sku}, {current.state}")
    if (current.sku or "").upper() == sku:
        message = f"{r.name} is already {sku}"
        await h.step(1, "succeeded", message="nothing to do")
        await h.step(2, "succeeded", message=message)
        return _result(current, False, message)
    await h.begin(1, "PATCH", r.id, await apis.version(clients, FABRIC, r.id), {"sku": {"name": sku, "tier": "Fabric"}})
    after = await _settle(h, clients, r, lambda x: (x.sku or "").upper() == sku and (x.provisioning_state or "Succeeded") == "Succeeded",
                          lambda x: f"{x.sku} ({x.provisioning_state})")
    return _result(after, True, f"{r.name} is {after.sku}")
