"""Faults a route can be told to answer with, and every header Azure uses to say "come back later".

Each injected ``Fault`` is consumed by one request to its route: ``429`` with any retry-after
variant, ``503``, a connection reset, a timeout (no answer for the server's ``hang_seconds``) or a
malformed (non-JSON) body.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from email.utils import formatdate
from typing import Callable

from aiohttp import web

from .responses import arm_error

# Every header Azure uses to say "come back later", as the server sends them.
RETRY_AFTER_VARIANTS: dict[str, Callable[[float], dict[str, str]]] = {
    "retry-after-seconds": lambda s: {"Retry-After": str(int(s))},
    "retry-after-http-date": lambda s: {"Retry-After": formatdate(timeval=None, usegmt=True)},  # "now": retry at once
    "retry-after-ms": lambda s: {"retry-after-ms": str(int(s * 1000))},
    "x-ms-retry-after-ms": lambda s: {"x-ms-retry-after-ms": str(int(s * 1000))},
    "costmanagement-qpu": lambda s: {"x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after": str(int(s))},
    "costmanagement-entity": lambda s: {"x-ms-ratelimit-microsoft.costmanagement-entity-retry-after": str(int(s))},
    "costmanagement-tenant": lambda s: {"x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after": str(int(s))},
    "costmanagement-client": lambda s: {"x-ms-ratelimit-microsoft.costmanagement-client-retry-after": str(int(s))},
    "costmanagement-clienttype": lambda s: {"x-ms-ratelimit-microsoft.costmanagement-clienttype-retry-after": str(int(s))},
    "consumption": lambda s: {"x-ms-ratelimit-microsoft.consumption-retry-after": str(int(s))},
    "none": lambda s: {},
}

FAULT_KINDS = ("429", "503", "reset", "timeout", "malformed")


@dataclass
class Fault:
    kind: str  # "429" | "503" | "reset" | "timeout" | "malformed"
    variant: str = "retry-after-seconds"  # for 429: a key of RETRY_AFTER_VARIANTS
    seconds: float = 0  # the retry-after value

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r} (one of {', '.join(FAULT_KINDS)})")
        if self.kind == "429" and self.variant not in RETRY_AFTER_VARIANTS:
            raise ValueError(f"unknown retry-after variant {self.variant!r}")


async def answer_fault(request: web.Request, fault: Fault, hang_seconds: float) -> web.StreamResponse:
    if fault.kind == "429":
        headers = RETRY_AFTER_VARIANTS[fault.variant](fault.seconds)
        return arm_error(429, "TooManyRequests", "Too many requests. Please retry.", headers)
    if fault.kind == "503":
        return arm_error(503, "ServiceUnavailable", "The service is unavailable.", {"Retry-After": str(int(fault.seconds))})
    if fault.kind == "reset":
        transport = request.transport
        if transport is not None:
            transport.abort()  # RST instead of an orderly close
        raise asyncio.CancelledError  # nothing more to send on this connection
    if fault.kind == "timeout":
        await asyncio.sleep(hang_seconds)
        return arm_error(504, "GatewayTimeout", "hung")
    # malformed
    return web.Response(status=200, text='{"value": [ {"id": truncated', content_type="application/json")
