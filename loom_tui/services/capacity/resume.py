"""Taking over a capacity change whose process ended (SSH drop, ``kill -9``, ``--no-wait``): the
resource is read again from Azure and the same runner carries on from what Azure shows — the
status it was following if one is stored, else the resource (already changed: confirmed; moving:
followed; untouched: the request sent again).  Nothing is declared failed without that read.
Registered for ``capacity.pause``, ``capacity.resume`` and ``capacity.scale``; imported by
:mod:`loom_tui.services.operation_owners` on the first takeover of one of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loom_tui.domain.capacity import resource_from_arm
from loom_tui.errors import ServiceError
from loom_tui.services.operation_owners import register_resumer

from . import actions, apis

if TYPE_CHECKING:
    from loom_tui.services.operation_handle import OperationHandle


def _type_of(rid: str) -> str:
    """``microsoft.fabric/capacities`` from a resource id."""
    tail = rid.split("/providers/", 1)[-1].split("/")
    return "/".join([tail[0], *tail[1::2]]).lower() if len(tail) >= 3 else ""


async def _resource(handle: "OperationHandle") -> tuple[Any, Any]:
    rid = handle.op.target
    type_key = _type_of(rid)
    why = resource_from_arm({"id": rid, "type": type_key}).can(handle.op.kind.removeprefix("capacity."))
    if why:  # the kind cannot do it (domain/capability.py): refused before Azure is asked
        raise ServiceError(why)
    clients = await handle.clients()
    doc = (await clients.send("GET", rid, await apis.version(clients, type_key if type_key in apis.READABLE else apis.RESOURCES, rid))).body or {}
    return clients, resource_from_arm({"id": rid, "type": doc.get("type") or type_key, **doc})


async def _set_running(handle: "OperationHandle") -> dict[str, Any]:
    clients, r = await _resource(handle)
    return await actions.set_running(handle, clients, r, handle.op.kind == "capacity.resume", resumed=True)


async def _scale(handle: "OperationHandle") -> dict[str, Any]:
    sku = handle.op.params.get("sku") if isinstance(handle.op.params.get("sku"), str) else None
    if sku is None:  # a record from before the SKU was kept: the step says it ("scale to F16")
        name = handle.op.steps[1].name if len(handle.op.steps) > 1 else ""
        sku = name.rsplit(" ", 1)[-1] if name.startswith("scale to ") else ""
    clients, r = await _resource(handle)
    return await actions.scale(handle, clients, r, sku, resumed=True)


register_resumer("capacity.pause", _set_running)
register_resumer("capacity.resume", _set_running)
register_resumer("capacity.scale", _scale)
