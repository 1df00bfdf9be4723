"""Polling an ARM long-running operation until it ends, from its URL alone (so it resumes).

ARM answers a long request with 201/202 and one of two headers:

* ``Azure-AsyncOperation``: a status resource; GET answers 200 ``{"status": "InProgress" |
  "Succeeded" | "Failed" | "Canceled", "percentComplete"?, "error"?}``;
* ``Location``: GET answers 202 while running (perhaps with a new ``Location``), then the final
  status (200/201/204, the result as body) or an error status with ARM's error body.

:func:`poll` handles both from the stored URL — nothing else is needed to pick it up again after
the process that started it died — honouring the longest retry-after header between polls.
A 5xx or a network failure that outlasts the client's retries is raised (the operation is still
running in Azure: poll again later); a 4xx means the operation failed, with ARM's own message.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from loom_tui.domain.pace import REAL_TIME, Pace

from .errors import ArmError
from .throttle import retry_after

if TYPE_CHECKING:
    from .clients import ArmResponse, AzureClients

TERMINAL = {"succeeded": "succeeded", "failed": "failed", "canceled": "cancelled", "cancelled": "cancelled"}


@dataclass(frozen=True)
class PollState:
    url: str  # where the next poll goes
    status: str  # ARM's status word ("InProgress", "Succeeded", ...; "Accepted" while a Location answers 202)
    percent: float | None  # 0..100 when the service says
    body: Any
    error: ArmError | None = None

    @property
    def done(self) -> bool:
        return self.status.lower() in TERMINAL

    @property
    def outcome(self) -> str:
        """``running``, ``succeeded``, ``failed`` or ``cancelled``."""
        return TERMINAL.get(self.status.lower(), "running")


def poll_url(response: "ArmResponse") -> str | None:
    """The URL to poll for a 201/202 answer (``Azure-AsyncOperation`` wins over ``Location``)."""
    return response.header("azure-asyncoperation") or response.header("location")


def _error(body: Any, status: int, url: str) -> ArmError:
    return ArmError.from_body(status, body if isinstance(body, dict) and body.get("error") else {"error": {"code": "OperationFailed", "message": "the operation failed"}}, method="GET", url=url)


def read_state(url: str, response: "ArmResponse") -> PollState:
    """What one poll answer says."""
    if response.status == 202:
        return PollState(response.header("location") or url, "InProgress", None, response.body)
    body = response.body
    if isinstance(body, dict) and isinstance(body.get("status"), str):
        status = body["status"]
        pct = body.get("percentComplete")
        percent = float(pct) if isinstance(pct, (int, float)) else None
        err = _error(body, 200, url) if status.lower() == "failed" else None
        if status.lower() == "succeeded":
            percent = 100.0
        return PollState(url, status, percent, body, err)
    return PollState(url, "Succeeded", 100.0, body)


async def poll(clients: "AzureClients", url: str, *, on_progress: Callable[[PollState], Awaitable[None] | None] | None = None,
               interval: float = 5.0, min_interval: float = 0.2, max_interval: float = 60.0, pace: Pace = REAL_TIME) -> PollState:
    """Poll ``url`` until the operation ends; returns the terminal state (``outcome`` says how it
    ended; a failed one carries ARM's error).  ``on_progress`` sees every state, terminal included.
    ``pace`` turns the waits into real seconds (shorter on a sped-up demo Azure)."""
    while True:
        try:
            response = await clients.send("GET", url)
        except ArmError as exc:
            if exc.status >= 500 or exc.status in (0, 408, 429):
                raise  # could not learn the state: the operation may still be running
            state = PollState(url, "Failed", None, None, exc)
        else:
            state = read_state(url, response)
        if on_progress is not None:
            result = on_progress(state)
            if asyncio.iscoroutine(result):
                await result
        if state.done:
            return state
        found = retry_after(response.headers)
        wait = found[0] if found else interval
        await pace.sleep(min(max(wait, min_interval), max_interval))
        url = state.url
