"""Make one route of a running demo Azure answer in another shape the REST specs allow, with the same
state machine behind it: the poller's tests hold loom to every allowed answer whatever the demo
answers by default.

* :func:`async_operation_200` — 200 with only ``Azure-AsyncOperation`` (Kusto ``start``/``stop``);
* :func:`updating_200` — 200 with the resource as it is now (``provisioningState: Updating``) and
  no header to follow (Fabric's ``PATCH``);
* :func:`location_only` — 202 with only ``Location``.
"""

from __future__ import annotations

from typing import Any, Callable

from aiohttp import web


def _wrap(server: Any, route: str, change: Callable[[Any, web.StreamResponse], web.StreamResponse]) -> None:
    for r in server.router.routes:
        if r.name == route:
            original = r.handler

            async def handler(req: Any, _original=original) -> web.StreamResponse:
                return change(req, await _original(req))

            r.handler = handler
            return
    raise KeyError(f"no route {route!r}")


def async_operation_200(server: Any, route: str) -> None:
    def change(req: Any, resp: web.StreamResponse) -> web.StreamResponse:
        if resp.status != 202:
            return resp
        return web.Response(status=200, headers={"Azure-AsyncOperation": resp.headers["Azure-AsyncOperation"]})

    _wrap(server, route, change)


def updating_200(server: Any, route: str, state: Any) -> None:
    def change(req: Any, resp: web.StreamResponse) -> web.StreamResponse:
        if resp.status != 202:
            return resp
        body = state.get(req.request.path)  # the resource as it is now: the transient overlay says Updating
        return web.json_response(body, status=200)

    _wrap(server, route, change)


def location_only(server: Any, route: str) -> None:
    def change(req: Any, resp: web.StreamResponse) -> web.StreamResponse:
        if resp.status != 202:
            return resp
        return web.Response(status=202, headers={"Location": resp.headers["Location"], "Retry-After": "1"})

    _wrap(server, route, change)
