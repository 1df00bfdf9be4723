"""Status URLs of the estate's operations: ``Azure-AsyncOperation`` (``operationStatuses``: the
status document) and ``Location`` (``operationResults``: 202 while running, then the result)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from ..responses import arm_error, arm_json
from ..router import SUB, ArmRequest, Router
from ._arm import iso

if TYPE_CHECKING:
    from ..state import State

ORDER = 5
BASE = SUB + r"/providers/(?P<ns>[^/]+)/locations/(?P<loc>[^/]+)"


def register(router: Router, state: "State") -> None:
    async def status(req: ArmRequest) -> web.Response:
        op = state.operation(req["op"])
        if op is None:
            return arm_error(404, "OperationNotFound", f"The operation '{req['op']}' was not found.")
        body = {"id": req.request.path, "name": op["id"], "status": op["status"], "startTime": iso(op["started"]),
                "percentComplete": op["percent"]}
        if op["status"] != "InProgress":
            body["endTime"] = iso(op["ends"])
        if op["error"]:
            body["error"] = op["error"]
        headers = {"Retry-After": req.server.answers.retry_after()} if op["status"] == "InProgress" else None
        return arm_json(body, headers=headers)

    async def result(req: ArmRequest) -> web.StreamResponse:
        op = state.operation(req["op"])
        if op is None:
            return arm_error(404, "OperationNotFound", f"The operation '{req['op']}' was not found.")
        if op["status"] == "InProgress":
            here = f"{req.base}{req.request.path_qs}"
            return web.Response(status=202, headers={"Location": req.server.answers.link(here), "Retry-After": req.server.answers.retry_after()})
        if op["error"]:
            return arm_error(400 if op["error"].get("code") != "InternalServerError" else 500,
                             op["error"]["code"], op["error"]["message"])
        if (op["result"] or {}).get("kind") == "body":  # a POST's deferred answer (validate, what-if)
            return arm_json(op["result"]["body"], status=op["result"].get("status", 200))
        if (op["result"] or {}).get("kind") == "resource":
            body = state.get(op["resource_id"])
            if body is not None:
                return arm_json(body)
        return web.Response(status=200)

    router.add("operations.status", "GET", BASE + r"/operation[sS]tatuses/(?P<op>[^/]+)", status)
    router.add("operations.result", "GET", BASE + r"/operation[rR]esults/(?P<op>[^/]+)", result)
