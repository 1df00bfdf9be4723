"""An HTTPS proxy on loopback in front of the Cosmos DB protocol server that can answer 429.

The protocol server never throttles, so the adapter's bounded retry on 429 is proved through this
proxy: the real ``azure-cosmos`` client talks to the proxy, the proxy forwards to the server, and
for the next ``n`` requests whose path matches it answers ``429 TooManyRequests`` with an
``x-ms-retry-after-ms`` header instead, like Cosmos DB does when a partition runs out of RU/s.

The account document (``GET /``) names the server's own address as the write/read region; the
proxy rewrites it to its own so that the client keeps talking to the proxy.
"""

from __future__ import annotations

import json
import re
import ssl
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from tests.support.cosmos_server import PACKAGE_DIR

_CREATE = re.compile(r"^/dbs/?$|^/dbs/[^/]+/colls/?$")
_HOP = {"content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive", "host"}


@dataclass
class ThrottleProxy:
    upstream_port: int
    retry_after_ms: int = 20
    port: int = 0
    throttle_left: int = 0
    throttle_path: str = ""
    throttled: int = 0
    entra_rbac: bool = False  # refuse creating databases and containers, as Entra data-plane roles do
    seen: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path, status)
    _runner: web.AppRunner | None = None
    _session: aiohttp.ClientSession | None = None

    @property
    def endpoint(self) -> str:
        return f"https://127.0.0.1:{self.port}/"

    def throttle(self, times: int, path_contains: str = "/docs") -> None:
        """Answer 429 to the next ``times`` requests whose path contains ``path_contains``."""
        self.throttle_left, self.throttle_path = times, path_contains

    def attempts(self, path_contains: str) -> int:
        return sum(1 for _, path, _ in self.seen if path_contains in path)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(PACKAGE_DIR / "cert.pem", PACKAGE_DIR / "key.pem")
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=ctx)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False))

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def creations(self) -> list[tuple[str, str, int]]:
        """Every request that tried to create a database or a container (POST /dbs, POST /dbs/x/colls)."""
        return [s for s in self.seen if s[0] == "POST" and _CREATE.match(s[1])]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.rel_url.path
        if self.entra_rbac and request.method == "POST" and _CREATE.match(path):
            # what Cosmos DB answers an Entra identity (local auth disabled): no data-plane role
            # may create a database or a container, whatever it holds
            self.seen.append((request.method, path, 403))
            await request.read()
            action = "sqlDatabases/containers/write" if path.rstrip("/").endswith("colls") else "sqlDatabases/write"
            body = {"code": "Forbidden", "message": (
                "Request blocked by Auth loomtest : Request is blocked because principal "
                "[aa000001-0000-4000-8000-000000000001] does not have required RBAC permissions to perform action "
                f"[Microsoft.DocumentDB/databaseAccounts/{action}] on any scope. Learn more: https://aka.ms/cosmos-native-rbac.")}
            return web.json_response(body, status=403, headers={"x-ms-substatus": "5301", "x-ms-request-charge": "0"})
        if self.throttle_left > 0 and self.throttle_path in path:
            self.throttle_left -= 1
            self.throttled += 1
            self.seen.append((request.method, path, 429))
            await request.read()
            body = {"code": "TooManyRequests", "message": "Request rate is large. More Request Units may be needed."}
            return web.json_response(
                body,
                status=429,
                headers={"x-ms-retry-after-ms": str(self.retry_after_ms), "x-ms-request-charge": "0.5", "x-ms-substatus": "3200"},
            )
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        url = f"https://127.0.0.1:{self.upstream_port}{request.rel_url}"
        async with self._session.request(request.method, url, headers=headers, data=await request.read()) as up:
            payload = await up.read()
            out_headers = {k: v for k, v in up.headers.items() if k.lower() not in _HOP}
            status = up.status
        if request.method == "GET" and path == "/" and status == 200:
            account = json.loads(payload)
            text = json.dumps(account).replace(f"127.0.0.1:{self.upstream_port}", f"127.0.0.1:{self.port}")
            payload = text.encode()
        self.seen.append((request.method, path, status))
        return web.Response(status=status, body=payload, headers=out_headers)
