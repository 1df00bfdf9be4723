"""Every Azure management client of a run, in one place.

``AzureClients`` is made once per run (the ``AppContext`` owns and closes it) from a credential and
a :class:`~loom_tui.azure.clouds.Cloud`: every client gets the cloud's ``base_url`` and credential
scope (never a hard-coded host, so US Gov, China, the air-gapped clouds, registered custom clouds
and the demo Azure on this machine all work the same way) and

* ONE aiohttp session behind ONE azure-core transport (``session_owner=False``: closing a client
  leaves it open; :meth:`close` closes it), trusting the operator's CA bundle (and the demo
  Azure's CA), proxies from the environment;
* a bound on concurrent HTTP requests across ALL clients and calls (profile key
  ``azure_concurrency``, default 8): a fan-out over 50 resource groups never opens 50 connections;
* :class:`~loom_tui.azure.throttle.ThrottlePolicy` instead of the SDK's retry policy (the longest
  retry-after wins; each wait is reported to :meth:`on_throttle` listeners);
* the request-log line of :mod:`loom_tui.azure.request_log`.

Clients are cached per (kind, subscription).  :meth:`send` makes an ARM call that has no SDK
method through the generated client's public ``send_request`` (same pipeline); :meth:`pages`
follows ``nextLink``.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Callable
from urllib.parse import parse_qs, urlparse

from azure.core.pipeline.policies import AsyncHTTPPolicy

from .clouds import Cloud
from .errors import ArmError
from .throttle import Listener, ThrottlePolicy

DEFAULT_CONCURRENCY = 8
DEFAULT_PORTS = {"https": 443, "http": 80}


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, the port filled in when it is the scheme's default: ARM
    writes ``https://management.azure.com:443/…`` in some links, the same origin as without."""
    u = urlparse(url)
    scheme = u.scheme.lower()
    try:
        port = u.port
    except ValueError:  # not a number: never equal to a real endpoint's
        port = -1
    return scheme, (u.hostname or "").lower(), port if port is not None else DEFAULT_PORTS.get(scheme)


class BoundPolicy(AsyncHTTPPolicy):
    """Holds one slot of a shared semaphore for the duration of each HTTP try (placed after the
    retry policy, so a throttled call waits without holding a slot)."""

    def __init__(self, bound: "Bound") -> None:
        super().__init__()
        self.bound = bound

    async def send(self, request: Any) -> Any:
        async with self.bound:
            return await self.next.send(request)


class Bound:
    """An ``asyncio.Semaphore`` that also counts: in flight now, and the most ever in flight."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._sem = asyncio.Semaphore(limit)
        self.in_flight = 0
        self.peak = 0

    async def __aenter__(self) -> None:
        await self._sem.acquire()
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)

    async def __aexit__(self, *exc: Any) -> None:
        self.in_flight -= 1
        self._sem.release()


@dataclass(frozen=True)
class ArmResponse:
    status: int
    headers: dict[str, str]  # lower-case names
    body: Any  # parsed JSON, the text when it is not JSON, None when empty

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class AzureClients:
    credential: Any  # an AsyncTokenCredential; owned by the caller (the context), never closed here
    cloud: Cloud
    concurrency: int = DEFAULT_CONCURRENCY
    extra_ca: str | None = None  # a CA file to trust besides the system's and the operator's (the demo Azure)
    max_wait: float = 60.0  # the cap on one throttling wait, seconds
    retry_total: int = 4
    read_timeout: float = 300.0
    connection_timeout: float = 300.0
    client_options: dict[str, Any] = field(default_factory=dict)  # more keyword arguments for every client
    listeners: list[Listener] = field(default_factory=list)
    _session: Any = field(default=None, repr=False)
    _transport: Any = field(default=None, repr=False)
    _bound: Bound | None = field(default=None, repr=False)
    _clients: dict[tuple[str, str | None], Any] = field(default_factory=dict, repr=False)
    closed: bool = False

    # ------------------------------------------------------------ plumbing

    @property
    def bound(self) -> Bound:
        if self._bound is None:
            self._bound = Bound(self.concurrency)
        return self._bound

    @property
    def session(self) -> Any:
        """The run's one aiohttp session (made on first use, inside the running loop)."""
        if self.closed:
            raise RuntimeError("the Azure clients of this run are closed")
        if self._session is None:
            import aiohttp

            from .network import ssl_context

            connector = aiohttp.TCPConnector(ssl=ssl_context(self.extra_ca), limit=max(self.concurrency, 1))
            # as azure-core makes its own: no cookies, it decompresses bodies itself; proxies from the environment
            self._session = aiohttp.ClientSession(connector=connector, trust_env=True, cookie_jar=aiohttp.DummyCookieJar(),
                                                  auto_decompress=False)
        return self._session

    @property
    def transport(self) -> Any:
        if self._transport is None:
            from azure.core.pipeline.transport import AioHttpTransport

            self._transport = AioHttpTransport(session=self.session, session_owner=False, read_timeout=self.read_timeout,
                                               connection_timeout=self.connection_timeout)
        return self._transport

    def on_throttle(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(Throttled)`` before every throttling wait; returns the undo."""
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener) if listener in self.listeners else None

    def client_kwargs(self) -> dict[str, Any]:
        from loom_tui.azure.request_log import RequestLogPolicy

        return {
            "base_url": self.cloud.arm_endpoint,
            "credential_scopes": [self.cloud.arm_scope],
            "transport": self.transport,
            "retry_policy": ThrottlePolicy(self.listeners, max_wait=self.max_wait, retry_total=self.retry_total),
            "per_call_policies": [RequestLogPolicy()],
            "per_retry_policies": [BoundPolicy(self.bound)],
            **self.client_options,
        }

    def client(self, factory: Callable[..., Any], subscription: str | None = None, *, kind: str | None = None) -> Any:
        """The run's client made by ``factory`` (an ``azure-mgmt-*`` ``.aio`` client class) for
        ``subscription`` (None for clients that take none), cached per (kind, subscription)."""
        if self.closed:
            raise RuntimeError("the Azure clients of this run are closed")
        key = (kind or f"{factory.__module__}.{getattr(factory, '__qualname__', factory)}", subscription)
        found = self._clients.get(key)
        if found is None:
            args = (self.credential, subscription) if subscription is not None else (self.credential,)
            found = self._clients[key] = factory(*args, **self.client_kwargs())
        return found

    def resources(self, subscription: str) -> Any:
        """``azure.mgmt.resource.resources.aio.ResourceManagementClient`` for ``subscription``."""
        from azure.mgmt.resource.resources.aio import ResourceManagementClient

        return self.client(ResourceManagementClient, subscription, kind="resources")

    def subscriptions(self) -> Any:
        """``azure.mgmt.resource.subscriptions.aio.SubscriptionClient`` (subscriptions, tenants)."""
        from azure.mgmt.resource.subscriptions.aio import SubscriptionClient

        return self.client(SubscriptionClient, None, kind="subscriptions")

    # ------------------------------------------------------------ generic calls

    def url(self, path_or_url: str) -> str:
        """An absolute URL on this cloud's Resource Manager; an absolute URL (nextLink, an
        operation to poll) must point at the same host, or the bearer token would go elsewhere
        (the default port written out — ``https://management.azure.com:443/`` — is the same host)."""
        if path_or_url.startswith(("https://", "http://")):
            if origin(path_or_url) != origin(self.cloud.arm_endpoint):
                u, base = urlparse(path_or_url), urlparse(self.cloud.arm_endpoint)
                raise ArmError(0, "ForeignHost", f"refusing to send the Resource Manager token to {u.scheme}://{u.netloc} "
                                                 f"(this cloud's Resource Manager is {base.scheme}://{base.netloc})")
            return path_or_url
        return self.cloud.arm_endpoint.rstrip("/") + "/" + path_or_url.lstrip("/")

    def relative(self, url: str) -> str:
        """``url`` as a path (and query) on this cloud's Resource Manager, how a URL to come back to
        is stored: another process, on another port of the demo Azure or after the endpoint's
        spelling changed, resolves it against its own endpoint.  A URL on another host is kept
        whole (and refused when used)."""
        if not url.startswith(("https://", "http://")) or origin(url) != origin(self.cloud.arm_endpoint):
            return url
        u = urlparse(url)
        base_path = urlparse(self.cloud.arm_endpoint).path.rstrip("/")
        path = u.path[len(base_path):] if base_path and u.path.startswith(base_path + "/") else u.path
        return (path or "/") + (f"?{u.query}" if u.query else "")

    async def send(self, method: str, path_or_url: str, api_version: str | None = None, json: Any = None,
                   headers: dict[str, str] | None = None) -> ArmResponse:
        """One ARM call through the run's pipeline (auth, throttling, bound, request log).  An error
        status raises :class:`~loom_tui.azure.errors.ArmError` with ARM's code and message."""
        from azure.core.rest import HttpRequest

        url = self.url(path_or_url)
        params = {}
        if api_version and "api-version" not in parse_qs(urlparse(url).query):
            params["api-version"] = api_version
        kw: dict[str, Any] = {"params": params, "headers": dict(headers or {})}
        if json is not None:
            kw["json"] = json
        response = await self.subscriptions().send_request(HttpRequest(method.upper(), url, **kw))
        raw = response.content
        body: Any = None
        if raw:
            text = raw.decode("utf-8", "replace")
            try:
                body = jsonlib.loads(text)
            except ValueError:
                body = text
        hdrs = {k.lower(): v for k, v in response.headers.items()}
        if response.status_code >= 400:
            from loom_tui.azure.request_log import request_id

            raise ArmError.from_body(response.status_code, body, method=method.upper(), url=url, request_id=request_id(hdrs))
        return ArmResponse(response.status_code, hdrs, body)

    async def pages(self, path_or_url: str, api_version: str | None = None, *, key: str = "value") -> AsyncIterator[Any]:
        """Every element of ``value`` over all pages, following ``nextLink``."""
        url: str | None = path_or_url
        while url:
            resp = await self.send("GET", url, api_version)
            body = resp.body
            if not isinstance(body, dict) or not isinstance(body.get(key, []), list):
                # a list answer that is not {"value": [...]} (a proxy's page, a cut body) is a
                # failure to say, never an empty list
                from .errors import ArmError

                raise ArmError(resp.status, "MalformedResponse", f"the answer to GET {self.relative(url)} is not a list "
                                                                 f"of {key!r} (got {type(body).__name__})", method="GET", url=url)
            for item in body.get(key) or []:
                yield item
            url = body.get("nextLink") or None

    # ------------------------------------------------------------ lifecycle

    async def close(self) -> None:
        """Close every client, then the shared session (idempotent)."""
        if self.closed:
            return
        self.closed = True
        clients, self._clients = list(self._clients.values()), {}
        try:
            for c in clients:
                await c.close()
        finally:
            if self._session is not None:
                await self._session.close()

    async def __aenter__(self) -> "AzureClients":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()
