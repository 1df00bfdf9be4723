"""Throttling done right: wait for the LONGEST of every retry-after header Azure sends.

Azure says "come back later" in several headers at once, and they disagree: ``Retry-After``
(seconds or an HTTP date), ``retry-after-ms``, ``x-ms-retry-after-ms`` and one
``x-ms-ratelimit-<provider>-<limit>-retry-after`` per quota a call hit (Cost Management sends up to
five).  azure-core honours the first one it finds; waiting for any but the longest means the next
try is throttled again.  :class:`ThrottlePolicy` replaces the SDK's retry policy on every client
(same retries for connection errors, timeouts and 5xx, with exponential back-off), and on an
answer that carries retry-after headers waits for the longest, capped at ``max_wait`` seconds,
plus up to ``jitter`` (a fraction) so that many waiting calls do not all come back at once, for at
most ``retry_total`` retries.  Every wait is reported to the listeners as a :class:`Throttled`
("throttled by Cost Management, retrying in 12 s").
"""

from __future__ import annotations

import logging
import random
import re
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Iterable
from urllib.parse import urlparse

from azure.core.pipeline.policies import AsyncRetryPolicy

log = logging.getLogger("loom.azure.throttle")

_RATELIMIT = re.compile(r"^x-ms-ratelimit-(?P<provider>microsoft\.[a-z0-9]+)(?:-[a-z0-9]+)*-retry-after$")
_PROVIDER_IN_PATH = re.compile(r"/providers/(?P<ns>Microsoft\.[A-Za-z0-9]+)", re.IGNORECASE)

# Provider namespaces by the name an operator knows them by; others are spelled from the namespace.
SERVICES = {
    "microsoft.costmanagement": "Cost Management",
    "microsoft.consumption": "Consumption",
    "microsoft.resources": "Azure Resource Manager",
    "microsoft.resourcegraph": "Resource Graph",
    "microsoft.insights": "Azure Monitor",
    "microsoft.authorization": "Authorization",
    "microsoft.network": "Networking",
    "microsoft.storage": "Storage",
    "microsoft.keyvault": "Key Vault",
    "microsoft.fabric": "Microsoft Fabric",
    "microsoft.synapse": "Synapse",
    "microsoft.kusto": "Data Explorer",
    "microsoft.documentdb": "Cosmos DB",
    "microsoft.compute": "Compute",
}


def _seconds(value: str, *, now: float | None = None) -> float | None:
    """``Retry-After``: delta-seconds or an HTTP date (a date in the past means "now")."""
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _number(value: str) -> float | None:
    try:
        v = float(value.strip())
    except ValueError:
        return None
    return v if v >= 0 else None


def retry_after(headers: Any, *, now: float | None = None) -> tuple[float, str] | None:
    """The longest wait, in seconds, over every retry-after header present, and the header that
    asked for it; None when there is none (or none parses)."""
    best: tuple[float, str] | None = None
    items: Iterable[tuple[str, str]] = headers.items() if hasattr(headers, "items") else headers
    for name, value in items:
        n = name.lower()
        if n == "retry-after":
            v = _seconds(value, now=now)
        elif n in ("retry-after-ms", "x-ms-retry-after-ms"):
            ms = _number(value)
            v = None if ms is None else ms / 1000.0
        elif _RATELIMIT.match(n):
            v = _number(value)
        else:
            continue
        if v is not None and (best is None or v > best[0]):
            best = (v, n)
    return best


def _spell(namespace: str) -> str:
    name = namespace.split(".", 1)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name) or namespace


def service_name(header: str | None, url: str) -> str:
    """Who throttled: the provider named by a ``x-ms-ratelimit-<provider>-...`` header, else the
    provider in the URL's path, else Resource Manager itself."""
    if header:
        m = _RATELIMIT.match(header)
        if m:
            ns = m.group("provider")
            return SERVICES.get(ns, ns)
    path = urlparse(url).path
    found = _PROVIDER_IN_PATH.findall(path)
    if found:
        ns = found[-1]
        return SERVICES.get(ns.lower(), _spell(ns))
    return "Azure Resource Manager"


@dataclass(frozen=True)
class Throttled:
    """One wait before a retry."""

    service: str
    seconds: float  # how long loom waits (capped, with jitter)
    asked: float  # the longest retry-after the service asked for
    header: str  # the header that asked for it
    status: int
    attempt: int  # 1 = the first retry
    method: str
    url: str
    reason: str = ""  # a retry with no retry-after: "timed out", "HTTP 503", "connection reset", ...

    @property
    def message(self) -> str:
        wait = max(1, round(self.seconds))
        if self.reason:
            return f"{self.reason} from {self.service}, retry {self.attempt} " + (f"in {wait} s" if self.seconds >= 0.5 else "now")
        return f"throttled by {self.service}, retrying in {wait} s"


Listener = Callable[[Throttled], None]


class ThrottlePolicy(AsyncRetryPolicy):
    """azure-core's async retry policy with the longest-retry-after wait (see the module doc)."""

    def __init__(self, listeners: list[Listener] | None = None, *, max_wait: float = 60.0, jitter: float = 0.1, **kwargs: Any) -> None:
        kwargs.setdefault("retry_total", 4)
        kwargs.setdefault("retry_backoff_factor", 0.8)
        kwargs.setdefault("retry_backoff_max", 30)
        super().__init__(**kwargs)
        self.listeners = listeners if listeners is not None else []
        self.max_wait = max_wait
        self.jitter = jitter

    def is_retry(self, settings: dict, response: Any) -> bool:
        """azure-core retries a POST only on a plain ``Retry-After`` (or a 5xx): Cost Management's
        query is a POST, and its 429s carry ``x-ms-ratelimit-...-retry-after`` / ``retry-after-ms``
        headers.  A 429 was not processed, whatever the method, so it is retried too."""
        http = response.http_response
        if settings.get("total") and (http.status_code == 429 or (http.status_code >= 400 and retry_after(http.headers) is not None)):
            return True
        return super().is_retry(settings, response)

    def wait_for(self, asked: float) -> float:
        base = min(asked, self.max_wait)
        return base + random.uniform(0, self.jitter * base)

    async def sleep(self, settings: dict, transport: Any, response: Any = None) -> None:
        """Every retry is reported, not only the throttled ones: a timeout, a reset or a 5xx
        retried with back-off is an event too (the operator sees the wait, the log keeps it)."""
        if response is None or retry_after(response.http_response.headers) is None:
            self._report_backoff(settings, response)
        await super().sleep(settings, transport, response)

    def _report_backoff(self, settings: dict, response: Any) -> None:
        history = settings.get("history") or []
        last = history[-1] if history else None
        request = response.http_request if response is not None else getattr(last, "http_request", None)
        if request is None:
            return
        status = response.http_response.status_code if response is not None else 0
        error = getattr(last, "error", None)
        reason = f"HTTP {status}" if status else _why(error)
        event = Throttled(service_name(None, request.url), self.get_backoff_time(settings), 0.0, "", status, len(history),
                          request.method, request.url, reason)
        log.info("%s", event.message)
        self._tell(event)

    def _tell(self, event: Throttled) -> None:
        for listener in list(self.listeners):
            try:
                listener(event)
            except Exception:  # a listener must never break the call
                log.exception("throttle listener failed")

    async def _sleep_for_retry(self, response: Any, transport: Any) -> bool:
        http = response.http_response
        found = retry_after(http.headers)
        if found is None:
            return False  # exponential back-off instead
        asked, header = found
        wait = self.wait_for(asked)
        request = response.http_request
        event = Throttled(service_name(header, request.url), wait, asked, header, http.status_code,
                          int(response.context.get("retry_count", 0)) + 1, request.method, request.url)
        log.info("%s (HTTP %s, %s asked for %.1f s)", event.message, event.status, header, asked)
        self._tell(event)
        if wait > 0:
            await transport.sleep(wait)
        return True


def _why(error: Any) -> str:
    """A retried failure with no answer, in words."""
    name = type(error).__name__ if error is not None else ""
    text = str(error or "").lower()
    if "timeout" in name.lower() or "timed out" in text:
        return "timed out"
    if "reset" in text or "disconnected" in text or "connection" in name.lower():
        return "connection lost"
    return "no answer"
