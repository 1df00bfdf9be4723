"""One log line per HTTP call, for azure-core clients and for plain aiohttp sessions.

Both produce :func:`loom_tui.logs.request_line`: method, URL path without the query string, status,
duration, request id.  Kept apart from ``loom_tui.logs`` because it imports azure-core, which the
embedded (local) start-up path must not load.

Use::

    from loom_tui.azure.request_log import RequestLogPolicy, aiohttp_trace_config
    client = ResourceManagementClient(cred, sub, per_call_policies=[RequestLogPolicy()])
    aiohttp.ClientSession(trace_configs=[aiohttp_trace_config()])
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

from azure.core.pipeline.policies import SansIOHTTPPolicy

from loom_tui.logs import log_request

# The first of these headers the service sends back is logged as the request id.
REQUEST_ID_HEADERS = ("x-ms-request-id", "x-ms-activity-id", "x-ms-correlation-request-id", "client-request-id", "x-request-id")


def request_id(headers: Any) -> str | None:
    for name in REQUEST_ID_HEADERS:
        try:
            value = headers.get(name)
        except AttributeError:
            return None
        if value:
            return str(value)
    return None


class RequestLogPolicy(SansIOHTTPPolicy):
    """azure-core pipeline policy: times each try and logs its line (retries show up as lines too)."""

    _KEY = "loom_request_start"

    def on_request(self, request: Any) -> None:
        request.context[self._KEY] = time.perf_counter()

    def on_response(self, request: Any, response: Any) -> None:
        start = request.context.get(self._KEY, time.perf_counter())
        http = response.http_response
        log_request(request.http_request.method, request.http_request.url, http.status_code, time.perf_counter() - start,
                    request_id(http.headers) or request_id(request.http_request.headers))

    def on_exception(self, request: Any) -> None:
        start = request.context.get(self._KEY, time.perf_counter())
        log_request(request.http_request.method, request.http_request.url, "error", time.perf_counter() - start,
                    request_id(request.http_request.headers))


def pipeline_hooks() -> dict[str, Any]:
    """``raw_request_hook`` / ``raw_response_hook`` for clients that take no extra policies (the
    Cosmos DB client builds its own pipeline, but honours azure-core's CustomHookPolicy)."""
    policy = RequestLogPolicy()

    def on_request(request: Any) -> None:
        policy.on_request(request)

    def on_response(response: Any) -> None:
        start = response.context.get(RequestLogPolicy._KEY, time.perf_counter())
        http = response.http_response
        log_request(response.http_request.method, response.http_request.url, http.status_code, time.perf_counter() - start,
                    request_id(http.headers) or request_id(response.http_request.headers))

    return {"raw_request_hook": on_request, "raw_response_hook": on_response}


def aiohttp_trace_config():  # -> aiohttp.TraceConfig
    """aiohttp hooks producing the same line for loom's own aiohttp sessions."""
    import aiohttp

    async def on_start(session: Any, ctx: SimpleNamespace, params: Any) -> None:
        ctx.loom_start = time.perf_counter()

    async def on_end(session: Any, ctx: SimpleNamespace, params: Any) -> None:
        log_request(params.method, str(params.url), params.response.status, time.perf_counter() - ctx.loom_start,
                    request_id(params.response.headers))

    async def on_error(session: Any, ctx: SimpleNamespace, params: Any) -> None:
        log_request(params.method, str(params.url), f"error ({type(params.exception).__name__})",
                    time.perf_counter() - getattr(ctx, "loom_start", time.perf_counter()), None)

    tc = aiohttp.TraceConfig()
    tc.on_request_start.append(on_start)
    tc.on_request_end.append(on_end)
    tc.on_request_exception.append(on_error)
    return tc
