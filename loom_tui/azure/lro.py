"""The one poller of ARM long-running operations, for every area (capacity, deployments, network).

How ARM says an operation goes on (the resource provider contract; the REST specs allow all of it):

* **201/202, or 200, with ``Azure-AsyncOperation``**: a status resource; GET answers 200
  ``{"status": "InProgress" | "Succeeded" | "Failed" | "Canceled", "percentComplete"?, "error"?}``
  (Kusto ``start``/``stop`` may answer 200 with it, Fabric and Synapse 202);
* **201/202 with only ``Location``**: GET answers 202 while running (perhaps with a new
  ``Location``), then the result (200/201 with a body, or 204) or ARM's error status;
* **200/201 to a PUT or PATCH with no header** and a ``provisioningState`` that is not final
  (Fabric's scale answers 200 with ``Updating``): the resource itself is read until its
  ``provisioningState`` is ``Succeeded``, ``Failed`` or ``Canceled``;
* **200/204 with nothing to follow**: done.

:func:`begin` sends the request (retrying ARM's "another operation is in progress" / "is busy"
conflicts with back-off) and says what to follow (a :class:`Target`, stored by the caller as a
path on the cloud's Resource Manager, so another process — on the local profile another demo
Azure port — can follow it too).  :func:`poll` follows it:

* between reads it waits what ``Retry-After`` (or its kin) asks, at least 1 s and at most 30 s,
  else ``interval``; every wait goes through the run's :class:`~loom_tui.domain.pace.Pace`;
* a 5xx, 408, 429, a reset or timed-out connection, or an answer that says nothing readable
  (malformed JSON, a status document without a status) is read again with back-off — the
  operation is still running in Azure;
* a 4xx (but 404/408/429) ends it ``failed`` with ARM's own error;
* it keeps one overall deadline per kind of operation (:data:`DEADLINES`, simulated seconds):
  when it passes — or the URL cannot be followed at all (another host, a status ARM no longer
  knows) — it returns outcome ``unknown`` with the reason, and the caller decides from the
  resource's own state (``loom_tui.services.operations`` records how it decided).
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from loom_tui.domain.pace import REAL_TIME, Pace

from .errors import ArmError
from .throttle import retry_after

if TYPE_CHECKING:
    from .clients import ArmResponse, AzureClients

TERMINAL = {"succeeded": "succeeded", "failed": "failed", "canceled": "cancelled", "cancelled": "cancelled"}
MIN_WAIT = 1.0  # the least and the most loom waits between two reads (simulated seconds)
MAX_WAIT = 30.0

# kind: (what it covers, deadline in simulated seconds); README "Long-running operations" states them
DEADLINES: dict[str, tuple[str, float]] = {
    "fabric": ("Fabric capacity suspend, resume, scale", 15 * 60),
    "synapse": ("Synapse SQL pool pause, resume", 45 * 60),
    "kusto": ("Data Explorer (ADX) cluster stop, start", 60 * 60),
    "validation": ("deployment validate, what-if", 15 * 60),
    "deployment": ("ARM deployment (a landing zone)", 3 * 3600),
    "network": ("VNet peering, private DNS zone link", 30 * 60),
    "arm": ("any other ARM operation", 30 * 60),
}
_NAMESPACES = {"microsoft.fabric": "fabric", "microsoft.synapse": "synapse", "microsoft.kusto": "kusto", "microsoft.network": "network"}
_PROVIDER = re.compile(r"/providers/(Microsoft\.[A-Za-z0-9]+)", re.IGNORECASE)
_BUSY = re.compile(r"\bis busy\b|\banother operation\b", re.IGNORECASE)


def kind_of(path: str) -> str:
    """The deadline kind of a request path (its provider namespace; validate/what-if apart)."""
    p = path.split("?", 1)[0].lower()
    if "/providers/microsoft.resources/deployments/" in p:
        return "validation" if p.rstrip("/").endswith(("/validate", "/whatif")) else "deployment"
    found = _PROVIDER.findall(p)
    return _NAMESPACES.get(found[-1].lower(), "arm") if found else "arm"


def deadline(kind: str) -> float:
    """Simulated seconds loom follows an operation of ``kind`` before deciding from the resource."""
    return DEADLINES.get(kind, DEADLINES["arm"])[1]


def end_of(kind: str, pace: Pace = REAL_TIME) -> float:
    """The ``time.monotonic()`` at which an operation of ``kind`` begun now reaches its deadline."""
    return time.monotonic() + pace.seconds(deadline(kind))


def describe_deadline(kind: str) -> str:
    seconds = deadline(kind)
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 60)} min" if seconds >= 60 and seconds % 60 == 0 else f"{seconds:g} s"


@dataclass(frozen=True)
class Target:
    """What to read until the operation ends: ``url`` (a path on the cloud's Resource Manager, or an
    absolute URL), ``mode`` — ``status`` (Azure-AsyncOperation), ``location`` or ``resource`` (the
    resource's provisioningState) — and the deadline ``kind``."""

    url: str
    mode: str = "location"
    kind: str = "arm"


@dataclass(frozen=True)
class PollState:
    url: str  # where the next read goes
    status: str  # ARM's word ("InProgress", "Succeeded", ...; "Unknown" when loom could not learn it)
    percent: float | None  # 0..100 when the service says
    body: Any
    error: ArmError | None = None
    note: str = ""  # why the outcome is unknown

    @property
    def done(self) -> bool:
        return self.status.lower() in TERMINAL or self.status == "Unknown"

    @property
    def outcome(self) -> str:
        """``running``, ``succeeded``, ``failed``, ``cancelled`` or ``unknown``."""
        return "unknown" if self.status == "Unknown" else TERMINAL.get(self.status.lower(), "running")


class Malformed(Exception):
    """An answer that says nothing readable about the operation: read it again."""


Judge = Callable[[Any], "tuple[str, str] | None"]  # a resource body -> (ARM status word, text) or None: use provisioningState


def poll_url(response: "ArmResponse") -> str | None:
    """The URL a long-running answer points at (``Azure-AsyncOperation`` wins over ``Location``)."""
    return response.header("azure-asyncoperation") or response.header("location")


def provisioning_state(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    props = body.get("properties")
    value = (props.get("provisioningState") if isinstance(props, dict) else None) or body.get("provisioningState")
    return value if isinstance(value, str) and value else None


def with_api_version(path: str, api_version: str | None) -> str:
    if not api_version or "api-version=" in path:
        return path
    return f"{path}{'&' if '?' in path else '?'}api-version={api_version}"


def target_of(response: "ArmResponse", method: str, path: str, *, kind: str, api_version: str | None = None) -> Target | None:
    """What to follow after ``response`` to ``method path``; None when the answer is the end."""
    aao = response.header("azure-asyncoperation")
    if aao and response.status in (200, 201, 202):
        return Target(aao, "status", kind)
    location = response.header("location")
    if location and response.status in (201, 202):
        return Target(location, "location", kind)
    if method.upper() in ("PUT", "PATCH") and response.status in (200, 201, 202):
        state = provisioning_state(response.body)
        if response.status == 202 or (state is not None and state.lower() not in TERMINAL):
            return Target(with_api_version(path, api_version), "resource", kind)
    return None


def read_state(target: Target, response: "ArmResponse", judge: Judge | None = None) -> PollState:
    """What one read of ``target`` says; :class:`Malformed` when it says nothing readable."""
    body = response.body
    if target.mode == "resource":
        if not isinstance(body, dict):
            raise Malformed("the resource's answer is not a JSON object")
        judged = judge(body) if judge is not None else None
        if judged is not None:
            return PollState(target.url, judged[0], 100.0 if judged[0].lower() == "succeeded" else None, body, note=judged[1])
        state = provisioning_state(body) or "Succeeded"
        err = ArmError.from_body(200, {"error": {"code": "ProvisioningFailed", "message": f"the resource's provisioningState is {state}"}}) \
            if state.lower() == "failed" else None
        return PollState(target.url, state, 100.0 if state.lower() == "succeeded" else None, body, err)
    if response.status == 202:
        return PollState(response.header("location") or target.url, "InProgress", None, body)
    if isinstance(body, dict) and isinstance(body.get("status"), str) and body["status"]:
        status = body["status"]
        pct = body.get("percentComplete")
        percent = float(pct) if isinstance(pct, (int, float)) and not isinstance(pct, bool) else None
        err = _error(body, target.url) if status.lower() == "failed" else None
        return PollState(target.url, status, 100.0 if status.lower() == "succeeded" else percent, body, err)
    if target.mode == "status":
        raise Malformed("the status answer has no status")
    if isinstance(body, str) and body.strip():
        raise Malformed("the answer is not JSON")
    return PollState(target.url, "Succeeded", 100.0, body)


def _error(body: dict[str, Any], url: str) -> ArmError:
    if isinstance(body.get("error"), dict):
        return ArmError.from_body(200, body, method="GET", url=url)
    return ArmError.from_body(200, {"error": {"code": "OperationFailed", "message": "the operation failed"}}, method="GET", url=url)


def transient(exc: BaseException) -> bool:
    """A failure to learn the state (the operation may well still run): read again later."""
    if isinstance(exc, ArmError):
        return exc.status >= 500 or exc.status in (408, 429) or (exc.status == 0 and exc.arm_code != "ForeignHost")
    if isinstance(exc, (Malformed, OSError, asyncio.TimeoutError)):
        return True
    from azure.core.exceptions import AzureError, DecodeError, HttpResponseError

    # a body that is not the JSON it claims (DecodeError), a reset or timed-out connection
    return isinstance(exc, DecodeError) or (isinstance(exc, AzureError) and not isinstance(exc, HttpResponseError))


def busy(exc: BaseException) -> bool:
    """ARM's "another operation is in progress" / "is busy" conflict: worth sending again."""
    return isinstance(exc, ArmError) and exc.status in (409, 429) and (
        exc.arm_code == "AnotherOperationInProgress" or bool(_BUSY.search(exc.message or "")))


def _clamp(wait: float) -> float:
    return min(max(wait, MIN_WAIT), MAX_WAIT)


Notify = Callable[..., Awaitable[None] | None]


async def _call(fn: Notify | None, *args: Any) -> None:
    if fn is not None:
        result = fn(*args)
        if asyncio.iscoroutine(result):
            await result


def _why(exc: BaseException) -> str:
    from azure.core.exceptions import DecodeError

    if isinstance(exc, DecodeError):
        return "the answer is not JSON"
    return str(exc) if isinstance(exc, (ArmError, Malformed)) else type(exc).__name__


async def begin(clients: "AzureClients", method: str, path: str, api_version: str | None = None, json: Any = None, *,
                pace: Pace = REAL_TIME, kind: str | None = None, on_problem: Notify | None = None) -> tuple["ArmResponse", Target | None]:
    """Send the request that starts an operation; ARM's busy conflicts are sent again with back-off
    inside the kind's deadline.  Returns the answer and what to follow (None: it ended)."""
    kind = kind or kind_of(path)
    end = end_of(kind, pace)
    delay = MIN_WAIT
    while True:
        try:
            response = await clients.send(method, path, api_version, json)
            break
        except ArmError as exc:
            if not busy(exc) or time.monotonic() + pace.seconds(delay) > end:
                raise
            await _call(on_problem, f"Azure is busy with another operation on it; sending again in {delay:.0f} s")
            await pace.sleep(delay)
            delay = _clamp(delay * 2)
    target = target_of(response, method, path, kind=kind, api_version=api_version)
    return response, (replace(target, url=clients.relative(target.url)) if target else None)


async def poll(clients: "AzureClients", target: Target | str, *, on_progress: Notify | None = None, on_problem: Notify | None = None,
               interval: float = 5.0, pace: Pace = REAL_TIME, judge: Judge | None = None, until: float | None = None) -> PollState:
    """Follow ``target`` until the operation ends or its kind's deadline passes (see the module
    doc; ``until``: a ``time.monotonic()`` end instead, for an operation whose deadline began
    earlier); ``judge`` reads a resource body in ``resource`` mode (else its provisioningState);
    ``on_progress`` sees every state, the last included; ``on_problem(text)`` every failed read
    that will be tried again."""
    if isinstance(target, str):
        target = Target(target, "location", kind_of(target))
    end = until if until is not None else end_of(target.kind, pace)
    backoff = MIN_WAIT
    while True:
        try:
            response = await clients.send("GET", target.url)
            state = read_state(target, response, judge)
            backoff = MIN_WAIT
            asked = retry_after(response.headers)
            wait = _clamp(asked[0] if asked else interval)
        except BaseException as exc:
            if isinstance(exc, ArmError) and exc.arm_code == "ForeignHost":
                state = PollState(target.url, "Unknown", None, None, exc, note=f"the stored URL cannot be followed: {exc.message}")
            elif isinstance(exc, ArmError) and exc.status == 404:
                state = PollState(target.url, "Unknown", None, None, exc, note=f"Azure no longer knows the operation ({exc})")
            elif isinstance(exc, ArmError) and not transient(exc):
                state = PollState(target.url, "Failed", None, None, exc)
            elif isinstance(exc, Exception) and transient(exc):
                wait, backoff = backoff, _clamp(backoff * 2)
                await _call(on_problem, f"cannot read the operation's state ({_why(exc)}); reading again in {wait:.0f} s")
                state = None
            else:
                raise
        if state is not None:
            await _call(on_progress, state)
            if state.done:
                return state
            target = replace(target, url=clients.relative(state.url))
        left = end - time.monotonic()
        if left <= 0:
            last = state or PollState(target.url, "InProgress", None, None)
            final = replace(last, status="Unknown", note=f"Azure had not said how it ended after {describe_deadline(target.kind)} "
                                                         f"(the deadline for {DEADLINES.get(target.kind, DEADLINES['arm'])[0]})")
            await _call(on_progress, final)
            return final
        await pace.sleep(min(wait, left * pace.speed))
