"""Azure Monitor metric answers as plain points (pure).

``GET {resourceId}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnames=..&
timespan=..&interval=PT1H&aggregation=Average,Maximum`` answers ``value[].timeseries[].data[]``
with one ``timeStamp`` and one field per aggregation; a time grain with no data has no
aggregation fields at all (not zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from loom_tui.domain.clock import parse_iso

TYPE = "Microsoft.Insights/metrics"  # its api-version is picked per cloud (azure/api_versions.py)


@dataclass(frozen=True)
class Point:
    at: datetime
    average: float | None
    maximum: float | None

    @property
    def peak(self) -> float | None:
        return self.maximum if self.maximum is not None else self.average


@dataclass(frozen=True)
class Series:
    metric: str
    unit: str
    points: tuple[Point, ...]

    def average(self) -> float | None:
        vals = [p.average for p in self.points if p.average is not None]
        return round(sum(vals) / len(vals), 2) if vals else None

    def since(self, start: datetime) -> "Series":
        return Series(self.metric, self.unit, tuple(p for p in self.points if p.at >= start))


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def parse(body: dict[str, Any], metric: str) -> Series | None:
    """The named metric's series (several timeseries — dimension values — merged per timestamp:
    the largest average and maximum win); None when the answer holds no such metric."""
    for value in body.get("value") or []:
        name = (value.get("name") or {}).get("value") or ""
        if name.lower() != metric.lower():
            continue
        merged: dict[datetime, tuple[float | None, float | None]] = {}
        for ts in value.get("timeseries") or []:
            for d in ts.get("data") or []:
                try:
                    at = parse_iso(str(d.get("timeStamp")))
                except ValueError:
                    continue
                avg, mx = _num(d.get("average")), _num(d.get("maximum"))
                old = merged.get(at)
                if old is not None:
                    avg = max((x for x in (old[0], avg) if x is not None), default=None)
                    mx = max((x for x in (old[1], mx) if x is not None), default=None)
                merged[at] = (avg, mx)
        points = tuple(Point(at, a, m) for at, (a, m) in sorted(merged.items()))
        return Series(name, str(value.get("unit") or ""), points)
    return None


def timespan(end: datetime, hours: float) -> str:
    start = end - timedelta(hours=hours)
    f = "%Y-%m-%dT%H:%M:%SZ"
    return f"{start.astimezone(timezone.utc).strftime(f)}/{end.astimezone(timezone.utc).strftime(f)}"


def interval_for(hours: float) -> str:
    """A grain that gives at most ~170 points: 5 min up to 12 h, hourly up to 7 d, else daily."""
    if hours <= 12:
        return "PT5M"
    if hours <= 24 * 7:
        return "PT1H"
    return "P1D"
