"""Building blocks for estate route modules: typed GET/list routes, ARM errors, and actions that
answer 202 and run as operations (``routes/operations.py`` serves their status URLs).

    from ._arm import register_type, accept

    def register(router, state):
        register_type(router, state, "fabric.capacities", "Microsoft.Fabric/capacities")
        router.add("fabric.suspend", "POST", item_pattern("Microsoft.Fabric/capacities") + "/suspend", suspend)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, Callable

from aiohttp import web

from ..responses import arm_error, arm_json
from ..router import RG, SUB, ArmRequest, Router
from ..state import merge_patch, split_id

if TYPE_CHECKING:
    from ..state import State

DEFAULT_PAGE = 100
NAME = r"(?P<name>[^/]+)"


def provider_path(rtype: str, *, collection: bool = False) -> str:
    """``Microsoft.Synapse/workspaces/sqlPools`` -> the path pattern after the resource group,
    one named group per level (``name0``, ``name1``, …; the last is also ``name``).
    ``collection``: without the last name (the list path)."""
    ns, *types = rtype.split("/")
    segs = []
    for i, t in enumerate(types):
        last = i == len(types) - 1
        group = "name" if last else f"name{i}"
        segs.append(re.escape(t) if last and collection else f"{re.escape(t)}/(?P<{group}>[^/]+)")
    return r"/providers/" + re.escape(ns) + "/" + "/".join(segs)


def item_pattern(rtype: str) -> str:
    return RG + provider_path(rtype)


def collection_pattern(rtype: str) -> str:
    """The list path under a resource group (or under the parent resource for child types)."""
    return RG + provider_path(rtype, collection=True)


def resource_id(req: ArmRequest, drop_last: int = 0) -> str:
    """The ARM id named by the request path (minus ``drop_last`` trailing segments, for actions)."""
    parts = req.request.path.rstrip("/").split("/")
    return "/".join(parts[: len(parts) - drop_last]) if drop_last else "/".join(parts)


def not_found(rid: str) -> web.Response:
    """ARM's 404 for a resource id (resource group, subscription or provider resource)."""
    _, rg, rtype, _ = split_id(rid)
    parts = rid.rstrip("/").split("/")
    if rtype == "microsoft.resources/resourcegroups":
        return arm_error(404, "ResourceGroupNotFound", f"Resource group '{parts[-1]}' could not be found.")
    if "/providers/" in rid and rg:
        return arm_error(404, "ResourceNotFound", f"The Resource '{rid.rstrip('/').split('/providers/')[-1]}' under resource group "
                                                  f"'{parts[4]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFound")
    return arm_error(404, "ResourceNotFound", f"The resource '{rid}' was not found.")


def rg_missing(state: "State", sub: str, rg: str) -> web.Response | None:
    if state.subscription(sub) is None:
        return arm_error(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
    if state.get(f"/subscriptions/{sub}/resourceGroups/{rg}") is None:
        return arm_error(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
    return None


def page(req: ArmRequest, items: list[Any], size: int | None = None) -> web.Response:
    top = req.query.get("$top")
    if size is None:
        size = int(top) if top and top.isdigit() and int(top) > 0 else DEFAULT_PAGE
    return arm_json(req.server.page(req.request, items, size=size))


def register_type(router: Router, state: "State", name: str, rtype: str, *, by_subscription: bool = True,
                  shape: Callable[[dict[str, Any], "State"], dict[str, Any]] | None = None) -> None:
    """``<name>.get`` (GET one), ``<name>.list`` (GET the collection: a resource group's, or the
    parent resource's for child types) and, for top-level types, ``<name>.list_all`` (GET
    ``/subscriptions/{sub}/providers/<type>``).  ``shape`` adjusts a body before it is sent."""
    child = rtype.count("/") > 1
    view = shape or (lambda body, st: body)

    async def get(req: ArmRequest) -> web.Response:
        rid = resource_id(req)
        body = state.get(rid)
        if body is None:
            return not_found(rid)
        return arm_json(view(body, state))

    async def list_(req: ArmRequest) -> web.Response:
        if child:
            parent = resource_id(req, drop_last=1)
            if state.get(parent) is None:
                return not_found(parent)
            items = state.list(parent=parent, type=rtype)
        else:
            missing = rg_missing(state, req["sub"], req["rg"])
            if missing:
                return missing
            items = state.list(sub=req["sub"], rg=req["rg"], type=rtype)
        return page(req, [view(b, state) for b in items])

    async def list_all(req: ArmRequest) -> web.Response:
        if state.subscription(req["sub"]) is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{req['sub']}' could not be found.")
        return page(req, [view(b, state) for b in state.list(sub=req["sub"], type=rtype)])

    router.add(f"{name}.get", "GET", item_pattern(rtype), get)
    router.add(f"{name}.list", "GET", collection_pattern(rtype), list_)
    if by_subscription and not child:
        ns, t = rtype.split("/")
        router.add(f"{name}.list_all", "GET", SUB + r"/providers/" + re.escape(ns) + "/" + re.escape(t), list_all)


# ---------------------------------------------------------------- operations (202 + polling)


def iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def operation_urls(req: ArmRequest, op_id: str, rid: str, location: str) -> dict[str, str]:
    sub = split_id(rid)[0]
    ns = rid.split("/providers/")[-1].split("/")[0]
    loc = re.sub(r"[^a-z0-9]", "", (location or "global").lower()) or "global"
    api = req.query.get("api-version", "")
    base = f"{req.base}/subscriptions/{sub}/providers/{ns}/locations/{loc}"
    answers = req.server.answers
    return {"Azure-AsyncOperation": answers.link(f"{base}/operationStatuses/{op_id}?api-version={api}"),
            "Location": answers.link(f"{base}/operationResults/{op_id}?api-version={api}"), "Retry-After": answers.retry_after()}


def accept(req: ArmRequest, state: "State", action: str, rid: str, body: dict[str, Any], *, transient: dict[str, Any],
           final: dict[str, Any], on_error: dict[str, Any] | None = None, result: str = "none",
           status: int = 202, answer: Any = None, point: str | None = None) -> web.Response:
    """Start ``action`` on the resource ``rid`` (whose current body is ``body``) and answer
    ``status`` (202) with ``Azure-AsyncOperation`` and ``Location``.  ``result``: what the
    Location URL answers once done — ``"none"`` (200, no body) or ``"resource"`` (the resource).
    ``point``: the answer point (``answers.POINTS``) whose variant shapes the answer (see
    :func:`shaped`).  An injected action fault (``State.fail_action``) makes the call or the
    operation fail; an operation already running on the resource is a 409."""
    fault = state.take_action_fault(action, rid)
    if fault is not None and fault.at == "request":
        return arm_error(fault.status, fault.code, fault.message)
    running = state.running(rid)
    if running is not None:
        return arm_error(409, "Conflict", f"The resource '{body.get('name', rid)}' is busy with another operation "
                                          f"({running['action']}); retry when it has finished.")
    variant = req.server.answers.pick(point) if point else ""
    error = {"code": fault.code, "message": fault.message} if fault is not None else None
    op = state.start_operation(rid, action, transient=transient, final=final, error=error,
                               on_error=on_error if on_error is not None else {"properties": {"provisioningState": "Failed"}},
                               result={"kind": result}, seconds=0 if variant == "200" and error is None else None)
    headers = operation_urls(req, op["id"], rid, body.get("location", ""))
    return shaped(variant, status, headers, answer, state.get(rid) if variant == "200-updating" else None)


def shaped(variant: str, status: int, headers: dict[str, str], answer: Any, resource: Any) -> web.Response:
    """The answer to a long-running request for an answer-point ``variant`` (``""``: ``status``
    with both status headers and ``answer`` as the body)."""
    if variant == "202-location":
        headers = {k: v for k, v in headers.items() if k != "Azure-AsyncOperation"}
    elif variant == "200":  # done at once (the operation was started with no duration)
        return web.Response(status=200) if answer is None else arm_json(answer, status=200)
    elif variant == "200-updating":  # the resource as it is now (provisioningState Updating); no status URL
        return arm_json(resource if resource is not None else answer, status=200)
    elif variant == "200-async":
        status = 200
        headers = {k: v for k, v in headers.items() if k != "Location"}
    if answer is None:
        return web.Response(status=status, headers=headers)
    return arm_json(answer, status=status, headers=headers)


def state_action(state: "State", action: str, field: str, need: str, during: str, after: str, *,
                 refuse: Callable[[dict[str, Any], Any], web.Response], busy: str | None = None, result: str = "none",
                 answer_transient: bool = False, point: str | None = None) -> Callable[[ArmRequest], Any]:
    """A POST action on ``{id}/<verb>`` that moves ``properties.<field>`` from ``need`` through
    ``during`` to ``after`` (Fabric suspend/resume, Synapse pause/resume, Kusto stop/start).
    ``refuse(body, current)``: the provider's own answer when the resource is not ``need``;
    ``busy``: the provisioningState while it runs (and Failed if it fails); ``answer_transient``:
    the 202 carries the resource as it is while running (Synapse)."""
    prov = {"provisioningState": busy} if busy else {}

    async def handler(req: ArmRequest) -> web.Response:
        rid = resource_id(req, drop_last=1)
        body = state.get(rid)
        if body is None:
            return not_found(rid)
        current = body["properties"].get(field)
        if current != need:
            return refuse(body, current)
        transient = {"properties": {field: during, **prov}}
        return accept(req, state, action, rid, body, transient=transient,
                      final={"properties": {field: after, "provisioningState": "Succeeded"}},
                      on_error={"properties": {field: need, **({"provisioningState": "Failed"} if busy else {})}},
                      result=result, answer=with_transient(body, transient) if answer_transient else None,
                      point=point)

    return handler


def with_transient(body: dict[str, Any], transient: dict[str, Any]) -> dict[str, Any]:
    return merge_patch(body, transient)


def conflict(message: str, code: str = "Conflict", status: int = 409) -> web.Response:
    return arm_error(status, code, message)
