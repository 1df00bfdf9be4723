"""Routes of the demo Azure: a name (faults, latency and call records are per name), a method, a
path pattern (a regular expression, matched case-insensitively as ARM does) and a handler.

A handler is ``async def handler(req: ArmRequest) -> web.StreamResponse``.  Path building blocks
for patterns: ``SUB`` (``sub``), ``RG`` (``sub``, ``rg``), ``SCOPE`` (``scope``, any ARM scope).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from aiohttp import web

SUB = r"/subscriptions/(?P<sub>[^/]+)"
RG = SUB + r"/resource[gG]roups/(?P<rg>[^/]+)"
SCOPE = r"(?P<scope>/.*?)"


@dataclass
class ArmRequest:
    """What a handler gets: the aiohttp request, the parsed JSON body, the path's named groups."""

    request: web.Request
    body: Any
    params: dict[str, str]
    server: Any  # the ArmServer (server.py) that took the request; the router does not import the server back
    route: str

    @property
    def query(self) -> Any:
        return self.request.query

    @property
    def base(self) -> str:
        """The server's ARM endpoint, no trailing slash."""
        return self.server.url

    def __getitem__(self, key: str) -> str:
        return self.params[key]


Handler = Callable[[ArmRequest], Awaitable[web.StreamResponse]]


@dataclass
class Route:
    name: str
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool = True


class Router:
    """Routes in registration order; the first that matches method and path answers."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self._names: set[str] = set()

    def __contains__(self, name: str) -> bool:
        return name in self._names

    def add(self, name: str, method: str, pattern: str, handler: Handler, *, auth: bool = True,
            fallback: bool = False) -> None:
        """Add a route.  ``fallback=True``: skip it when a route of that name is already there
        (how the official-example routes give way to the estate's own)."""
        if name in self._names:
            if fallback:
                return
            raise ValueError(f"route {name!r} is registered twice")
        self._names.add(name)
        self.routes.append(Route(name, method.upper(), re.compile(pattern + r"/?$", re.IGNORECASE), handler, auth))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method != method:
                continue
            m = route.pattern.match(path)
            if m:
                return route, m.groupdict()
        return None
