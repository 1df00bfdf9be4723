"""The demo Azure's HTTP core: an aiohttp application on 127.0.0.1 that answers like Azure
Resource Manager.

One server serves both uses:

* **the tests' ARM server** (``ArmServer()``, no state): the official example bodies of
  ``tests/fixtures/azure-rest`` (``routes/examples.py``), stateless;
* **the demo Azure** (``ArmServer(state=State(...))``, what ``launcher.start_demo_azure`` runs):
  the deterministic estate in SQLite, stateful, every ``routes/*.py`` module registered, the
  example routes only as a fallback for what no module serves yet.

Per route name it can add latency and inject faults (``Fault``: 429 with every retry-after
variant, 503, reset, timeout, malformed body), each consumed by one request; every call is
recorded (``calls``, ``calls_to(route)``).  With ``secret`` set, a request must carry
``Authorization: Bearer <secret>`` (401 otherwise); without it any bearer token passes.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, MutableSequence

from aiohttp import web

from .answers import Answers
from .faults import Fault, answer_fault
from .responses import arm_error
from .router import ArmRequest, Router
from .state_errors import DemoStateError

if TYPE_CHECKING:
    from .state import State

# Synthesized (no example in the fixtures): the home tenant of the device-authorization server's
# user and a second directory the same user belongs to.
DEFAULT_TENANTS: list[dict[str, Any]] = [
    {"tenantId": "8f70baf1-1f6e-46a2-a1ff-238dac1ebfb7", "displayName": "Contoso", "defaultDomain": "contoso.example"},
    {"tenantId": "5b3c1e2a-7d4f-4a8e-9c61-0f2d8e7a9b14", "displayName": "Fabrikam", "defaultDomain": "fabrikam.example"},
]


STOP_SECONDS = 0.25  # how long stop() lets requests in flight finish before it cancels them


@dataclass
class Call:
    route: str
    method: str
    path: str
    query: dict[str, str]
    body: Any
    authorization: str | None


# ARM refuses a request body over 4 MB; a deployment's body carries a template (4 MB) and its
# parameters (4 MB), each limited on its own, so those routes accept both
MAX_BODY = 4 * 1024 * 1024
DEPLOYMENT_BODY = 2 * MAX_BODY
LOG_BODY = 32 * 1024  # bodies larger than this are kept in the call log only as a summary


def body_limit(route_name: str) -> int:
    return DEPLOYMENT_BODY if route_name.startswith("deployments") else MAX_BODY


def log_summary(raw: bytes, body: Any) -> Any:
    """What the call log keeps of a body: the body when small, else its size and its small parts."""
    if len(raw) <= LOG_BODY:
        return body
    out: dict[str, Any] = {"_omitted": f"{len(raw)} bytes"}
    if isinstance(body, dict):
        out.update({k: v for k, v in body.items() if len(json.dumps(v, default=str)) <= 1024})
    return out


@dataclass
class ArmServer:
    """Start with ``await server.start()``; ``server.url`` is the ARM endpoint (no trailing slash)."""

    login_endpoint: str = "https://login.invalid"  # what metadata/endpoints announces
    page_size: int = 2  # items per page for subscriptions and cost query rows (example routes)
    cost_page_rows: int = 5000  # rows per Cost Management query page (Azure: up to 5,000)
    lro_polls: int = 1  # 202 answers before an example-route operation completes
    hang_seconds: float = 30.0  # how long a "timeout" fault keeps the client waiting
    require_auth: bool = True  # 401 without a bearer token, as ARM does
    secret: str | None = None  # when set, the only bearer token accepted
    tls: bool = False  # https with a generated CA (``ca_file``): azure-core sends bearer tokens over https only
    tmp: Path | None = None  # where the CA goes when ``tls`` without ``cert_dir``
    cert_dir: Path | None = None  # reuse (or make once) the CA and certificate here
    ca_file: str = ""
    host: str = "127.0.0.1"
    port: int = 0
    state: "State | None" = None  # the demo estate; None: the official example bodies only
    # GET /tenants: synthesized from the API spec's TenantIdDescription shape (2022-12-01) since the
    # shared fixtures have no Tenants_List example; replace the list to configure it
    tenants: list[dict[str, Any]] = field(default_factory=lambda: [dict(t) for t in DEFAULT_TENANTS])
    # which tenant an access token was issued for (the device-authorization server knows): with it,
    # GET /subscriptions answers ``tenant_subscriptions[tenant]`` when that tenant is listed there
    token_tenant: Callable[[str], str | None] | None = None
    tenant_subscriptions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    calls: MutableSequence[Call] = field(default_factory=list)
    router: Router = field(default_factory=Router)
    answers: Answers = field(default_factory=Answers)  # which of the spec's answers it gives (answers.py)
    _faults: dict[str, deque[Fault]] = field(default_factory=lambda: defaultdict(deque))
    _latency: dict[str, float] = field(default_factory=dict)
    _ops: dict[str, dict[str, Any]] = field(default_factory=dict)  # example-route operations
    _deployments: dict[str, dict[str, Any]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    url: str = ""

    # ------------------------------------------------------------ control

    def inject(self, route: str, fault: Fault, times: int = 1) -> None:
        for _ in range(times):
            self._faults[route].append(fault)

    def delay(self, route: str, seconds: float) -> None:
        self._latency[route] = seconds

    def calls_to(self, route: str) -> list[Call]:
        return [c for c in self.calls if c.route == route]

    def route_names(self) -> list[str]:
        return [r.name for r in self.router.routes]

    async def start(self) -> str:
        from .routes import register_all

        if not self.router.routes:
            register_all(self.router, self.state)
        app = web.Application(client_max_size=DEPLOYMENT_BODY)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        # stopping does not wait for requests in flight beyond STOP_SECONDS (a hung request, Ctrl+C)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=STOP_SECONDS)
        await self._runner.setup()
        ssl_ctx = None
        if self.tls:
            from .certs import ensure_certs

            if self.cert_dir is None:
                import tempfile

                self.cert_dir = (self.tmp or Path(tempfile.mkdtemp())) / "arm-tls"
            files = ensure_certs(self.cert_dir)
            ssl_ctx = files.server_context()
            self.ca_file = str(files.ca)
        site = web.TCPSite(self._runner, self.host, self.port, ssl_context=ssl_ctx)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = origin("https" if self.tls else "http", self.host, port)
        return self.url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------ dispatch

    def _authorized(self, header: str | None) -> bool:
        if not (header or "").startswith("Bearer "):
            return False
        if self.secret is None:
            return True
        return hmac.compare_digest(header.removeprefix("Bearer ").encode(), self.secret.encode())  # type: ignore[union-attr]

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        found = self.router.match(request.method, request.path)
        if found is None:
            return arm_error(404, "NotFoundInTestServer" if self.state is None else "InvalidResourceType",
                             f"no route for {request.method} {request.path}")
        route, params = found
        auth = request.headers.get("Authorization")
        # the secret is checked before a byte of the body is read (an unauthenticated caller
        # costs nothing but its headers)
        if route.auth and self.require_auth and not self._authorized(auth):
            self.calls.append(Call(route.name, request.method, request.path, dict(request.query), None, auth))
            if not auth:
                return arm_error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
            return arm_error(401, "InvalidAuthenticationToken", "The access token is invalid.")
        limit = body_limit(route.name)
        if (request.content_length or 0) > limit:
            self.calls.append(Call(route.name, request.method, request.path, dict(request.query), None, auth))
            return arm_error(413, "RequestEntityTooLarge",
                             f"The request content is {request.content_length} bytes; at most {limit} are accepted.")
        raw = await request.read()  # a chunked body stops at client_max_size (aiohttp answers 413)
        if len(raw) > limit:  # a chunked body announced no length
            return arm_error(413, "RequestEntityTooLarge", f"The request content exceeds {limit} bytes.")
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        self.calls.append(Call(route.name, request.method, request.path, dict(request.query), log_summary(raw, body), auth))
        if route.name in self._latency:
            await asyncio.sleep(self._latency[route.name])
        if self._faults[route.name]:
            return await answer_fault(request, self._faults[route.name].popleft(), self.hang_seconds)
        if self.state is not None:  # faults and latency set for every process on the data dir
            delay, fault = self.state.route_fault(route.name)
            if delay:
                await asyncio.sleep(delay)
            if fault is not None:
                return await answer_fault(request, fault, self.hang_seconds)
        try:
            return await route.handler(ArmRequest(request, body, params, self, route.name))
        except DemoStateError as exc:  # its state file damaged or its disk full: said, as ARM says a failure
            return arm_error(500, "InternalServerError", str(exc))

    # ------------------------------------------------------------ helpers for handlers

    def next_link(self, request: web.Request, token: int | str) -> str:
        query = dict(request.query)
        query["$skiptoken"] = str(token)
        qs = "&".join(f"{k}={v}" for k, v in query.items())
        return self.answers.link(f"{self.url}{request.path}?{qs}")

    def page(self, request: web.Request, items: list[Any], key: str = "value", size: int | None = None) -> dict[str, Any]:
        size = size or self.page_size
        start = int(request.query.get("$skiptoken", "0") or 0)
        out: dict[str, Any] = {key: items[start : start + size]}
        if start + size < len(items):
            out["nextLink"] = self.next_link(request, start + size)
        return out


def origin(scheme: str, host: str, port: int) -> str:
    """``scheme://host[:port]``, the port left out when it is the scheme's default (as Azure's
    endpoints are spelled: ``https://management.azure.com``)."""
    default = {"https": 443, "http": 80}.get(scheme)
    return f"{scheme}://{host}" if port == default else f"{scheme}://{host}:{port}"
