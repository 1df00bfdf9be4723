"""Auto-pause: which running capacities stayed idle long enough to pause (pure).

A capacity is picked when every metric point of the last ``idle_for`` stayed under the threshold
(percent, the point's maximum where Azure Monitor gives one, else its average) and the points
cover the whole window.  No data, a gap, a busy point, a state other than running, or a
provisioning state other than Succeeded keeps it running; every decision carries its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from loom_tui.domain.capability import PAUSE
from loom_tui.domain.capacity import Resource

from .metrics import Series

DEFAULT_THRESHOLD = 5.0
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d)\s*$", re.IGNORECASE)


def parse_duration(text: str) -> timedelta:
    """``90m``, ``2h``, ``1.5h``, ``1d`` -> timedelta; ValueError otherwise (at least 5 minutes)."""
    m = _DURATION.match(text or "")
    if not m:
        raise ValueError(f"{text!r} is not a duration like 30m, 2h or 1d")
    n, unit = float(m.group(1)), m.group(2).lower()
    delta = timedelta(minutes=n) if unit in ("m", "min") else timedelta(hours=n) if unit == "h" else timedelta(days=n)
    if delta < timedelta(minutes=5):
        raise ValueError(f"{text!r} is shorter than 5 minutes (Azure Monitor's finest grain here)")
    return delta


def describe(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


@dataclass(frozen=True)
class Decision:
    resource: Resource
    pause: bool
    reason: str
    peak: float | None = None  # the largest value in the window

    @property
    def verdict(self) -> str:
        return "pause" if self.pause else "keep"


def decide(r: Resource, series: Series | None, *, now: datetime, idle_for: timedelta, threshold: float = DEFAULT_THRESHOLD,
           grain: timedelta = timedelta(minutes=5), metric_error: str = "") -> Decision:
    window = describe(idle_for)
    if r.can(PAUSE) is not None:
        return Decision(r, False, "cannot be paused")
    if not r.is_running:
        return Decision(r, False, f"not running (state {r.state or 'unknown'})")
    if (r.provisioning_state or "Succeeded") != "Succeeded":
        return Decision(r, False, f"provisioning state {r.provisioning_state}: an operation is under way")
    if series is None:
        return Decision(r, False, f"no utilization metric{': ' + metric_error if metric_error else ''}; kept running")
    start = now - idle_for
    points = [p for p in series.since(start).points if p.peak is not None]
    if not points:
        return Decision(r, False, f"no metric data in the last {window}; kept running")
    first = points[0].at
    if first > start + grain * 2:
        return Decision(r, False, f"metric data covers only the last {describe(now - first)} of {window}; kept running")
    gap = next(((a, b) for a, b in zip(points, points[1:]) if b.at - a.at > grain * 2), None)
    if gap is not None:
        return Decision(r, False, f"metric gap from {gap[0].at:%H:%M}Z to {gap[1].at:%H:%M}Z; kept running")
    if now - points[-1].at > grain * 2 + timedelta(minutes=5):
        return Decision(r, False, f"no metric data since {points[-1].at:%Y-%m-%d %H:%M}Z; kept running")
    busy = next((p for p in points if p.peak is not None and p.peak >= threshold), None)
    peak = max(p.peak for p in points if p.peak is not None)
    if busy is not None:
        return Decision(r, False, f"busy: {busy.peak:.1f} % at {busy.at:%Y-%m-%d %H:%M}Z >= {threshold:g} %", peak)
    return Decision(r, True, f"idle: peak {peak:.1f} % over the last {window} ({len(points)} points) < {threshold:g} %", peak)
