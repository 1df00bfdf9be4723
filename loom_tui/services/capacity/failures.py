"""Why one part of a fan-out failed, in words an operator can act on (pure).

403 names the missing permission (ARM's AuthorizationFailed message carries the action and the
scope; the role that grants reading is Reader), 404 says what was not found, throttling and
timeouts say so.  ARM's own text travels in full in ``detail``.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

_ACTION = re.compile(r"perform action '([^']+)'")


@dataclass(frozen=True)
class Failure:
    scope: str  # "subscription 1111…" or "resource group rg-x (subscription 1111…)" or a resource id
    kind: str  # forbidden | not-found | throttled | timeout | error
    reason: str  # one line
    detail: str = ""  # ARM's message in full

    def line(self) -> str:
        return f"{self.scope}: {self.reason}"


def status_of(exc: BaseException) -> int:
    for attr in ("status", "status_code"):
        v = getattr(exc, attr, None)
        if isinstance(v, int):
            return v
    return 0


def describe(scope: str, exc: BaseException, *, reads: str = "read it") -> Failure:
    status = status_of(exc)
    message = str(getattr(exc, "message", "") or exc)
    code = str(getattr(exc, "arm_code", "") or getattr(getattr(exc, "error", None), "code", "") or "")
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)) or type(exc).__name__ in ("ServiceResponseTimeoutError", "ServiceRequestTimeoutError"):
        return Failure(scope, "timeout", "timed out (no answer in time)", message)
    if status == 403:
        m = _ACTION.search(message)
        need = f"a role with '{m.group(1)}' (Reader grants it)" if m else "the Reader role (or one that can " + reads + ")"
        return Failure(scope, "forbidden", f"403 {code or 'Forbidden'}: needs {need}", message)
    if status == 404:
        return Failure(scope, "not-found", f"404 {code or 'NotFound'}: not found", message)
    if status == 429 or (status == 503 and "throttl" in message.lower()):
        return Failure(scope, "throttled", f"{status} throttled by Azure, gave up after retrying", message)
    if status:
        first = message.strip().splitlines()[0] if message.strip() else ""
        return Failure(scope, "error", f"{status} {code or 'answer'}: {first}".strip(), message)
    return Failure(scope, "error", f"{type(exc).__name__}: {message}".strip(), message)
