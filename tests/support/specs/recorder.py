"""Every exchange a demo Azure answers, recorded at its route handlers (the server itself is not
changed): the request as parsed and the response as sent (status, headers, JSON body)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .check import Exchange


@dataclass
class Recorder:
    exchanges: list[Exchange] = field(default_factory=list)

    def to(self, route: str) -> list[Exchange]:
        return [x for x in self.exchanges if x.route == route]

    def routes(self) -> set[str]:
        return {x.route for x in self.exchanges}


def _body(resp: Any) -> Any:
    raw = getattr(resp, "body", None)
    if not raw:
        return None
    if hasattr(raw, "_value"):  # aiohttp payloads
        raw = raw._value
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return raw.decode("utf-8", "replace") if isinstance(raw, (bytes, bytearray)) else raw


def record(server: Any) -> Recorder:
    """Wrap every route handler of ``server`` (an ``ArmServer``, started or not) so each answer is
    kept in the returned Recorder."""
    rec = Recorder()
    for route in server.router.routes:
        inner = route.handler

        async def handler(req: Any, _inner: Any = inner) -> Any:
            resp = await _inner(req)
            rec.exchanges.append(Exchange(req.route, req.request.method, req.request.path, dict(req.request.query), req.body,
                                          resp.status, dict(resp.headers), _body(resp)))
            return resp

        route.handler = handler
    return rec
