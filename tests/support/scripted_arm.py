"""Scripted ARM answers for the poller's tests: every shape the REST specs allow for a long-running
operation (200/201/202 with ``Azure-AsyncOperation`` or ``Location``, 204, a resource whose
``provisioningState`` moves), ``Retry-After``, and the failures on the way (503, a reset
connection, a malformed body, ARM's busy conflicts) — without depending on how the demo Azure
answers today.

    script = ScriptedArm(server)            # an ArmServer (https) before or after start()
    script.on("PUT", "/x/thing", Answer(201, {"Azure-AsyncOperation": "{base}/x/op"}))
    script.on("GET", "/x/op", Answer(200, body={"status": "InProgress"}), Answer(200, body={"status": "Succeeded"}))

Answers of one (method, path) are used in order; the last one repeats.  ``{base}`` in a header is
the server's URL.  Paths live under ``/scripted`` so they never shadow the server's own routes.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

PREFIX = "/scripted"


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # JSON (dict/list) or None for no body
    raw: str | None = None  # a body sent as it is (malformed JSON)
    reset: bool = False  # abort the connection instead of answering


class ScriptedArm:
    def __init__(self, server: Any) -> None:
        self.server = server
        self.answers: dict[tuple[str, str], list[Answer]] = defaultdict(list)
        self.seen: list[tuple[str, str, Any]] = []  # (method, path with query, JSON body)
        for method in ("GET", "PUT", "POST", "PATCH", "DELETE"):
            server.router.add(f"scripted.{method.lower()}", method, PREFIX + r"/(?P<rest>.*)", self._answer)
            server.router.routes.insert(0, server.router.routes.pop())

    def path(self, tail: str) -> str:
        return PREFIX + "/" + tail.lstrip("/")

    def on(self, method: str, tail: str, *answers: Answer) -> str:
        """Script the answers to ``method`` on ``/scripted/<tail>``; returns that path."""
        self.answers[(method.upper(), self.path(tail).lower())] = list(answers)
        return self.path(tail)

    def count(self, method: str, tail: str) -> int:
        return sum(1 for m, p, _ in self.seen if m == method.upper() and p.split("?")[0].lower() == self.path(tail).lower())

    async def _answer(self, req: Any) -> web.StreamResponse:
        request = req.request
        self.seen.append((request.method, str(request.rel_url), req.body))
        queue = self.answers.get((request.method, request.path.lower()))
        if not queue:
            return web.json_response({"error": {"code": "NotScripted", "message": f"{request.method} {request.path}"}}, status=404)
        a = queue.pop(0) if len(queue) > 1 else queue[0]
        if a.reset:
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError
        headers = {k: v.replace("{base}", self.server.url) for k, v in a.headers.items()}
        if a.raw is not None:
            return web.Response(status=a.status, text=a.raw, content_type="application/json", headers=headers)
        if a.body is None:
            return web.Response(status=a.status, headers=headers)
        return web.Response(status=a.status, text=json.dumps(a.body), content_type="application/json", headers=headers)
