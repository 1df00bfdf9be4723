"""The demo estate's Azure Monitor metrics: 30 days, deterministic, computed (never stored).

Each resource has a load profile, from its name (the table below) or else from a stable hash of
its id: ``idle`` (under 2 % all the time: auto-pause picks it), ``busy`` (30-85 % in working
hours UTC, 10-25 % at night), ``nightly`` (batch loads at 01:00-05:00 UTC, about 1 % otherwise).
A value is a pure function of (resource id, metric, time grain, time), so every process and
every test sees the same numbers.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

HISTORY = timedelta(days=30)
PROFILES = ("idle", "busy", "nightly")
# names of the demo estate with a chosen profile (lower case); others by hash
LOAD: dict[str, str] = {
    "fccsaloomfinance": "busy", "fccsaloomsales": "idle", "fccsaloomhr": "idle", "fccsaloomsupplychain": "nightly",
    "fccsaloommarketing": "idle", "fccsaloomresearch": "idle",  # paused in the estate
    "sqlpool_gl": "busy", "sqlpool_inventory": "nightly", "sqlpool_experiments": "idle",
    "adxloommarketing": "idle", "adxloomresearch": "idle", "cosmos-csa-loom-admin": "busy",
}

# the load metric of each type (as Azure Monitor names them) and its unit.  Microsoft.Fabric has
# no Azure Monitor metrics in any cloud (its CU use is in the Fabric Capacity Metrics semantic
# model): a metrics request for a capacity is refused, as Azure Monitor refuses it.
METRICS: dict[str, dict[str, str]] = {
    "microsoft.synapse/workspaces/sqlpools": {"DWUUsedPercent": "Percent"},
    "microsoft.kusto/clusters": {"CPU": "Percent"},
    "microsoft.documentdb/databaseaccounts": {"NormalizedRUConsumption": "Percent"},
}

GRAINS = {"PT1M": timedelta(minutes=1), "PT5M": timedelta(minutes=5), "PT15M": timedelta(minutes=15), "PT30M": timedelta(minutes=30),
          "PT1H": timedelta(hours=1), "PT6H": timedelta(hours=6), "PT12H": timedelta(hours=12), "P1D": timedelta(days=1)}


def current() -> datetime:
    """The demo's "now": the real clock, or noon UTC of ``LOOM_DEMO_TODAY`` when that pins the
    demo's day (snapshot tests, reproducible screenshots), as the demo tenant does."""
    from loom_tui.domain.demo_day import now

    return now()


def _unit(*parts: str) -> float:
    """A stable number in [0, 1) from the parts."""
    h = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def resource_type(resource_id: str) -> str:
    """``Microsoft.Fabric/capacities`` from an id (nested types joined: workspaces/sqlPools)."""
    parts = resource_id.strip("/").split("/")
    try:
        i = [p.lower() for p in parts].index("providers")
    except ValueError:
        return ""
    ns, rest = parts[i + 1], parts[i + 2:]
    return "/".join([ns, *rest[0::2]]).lower()


def profile(resource_id: str) -> str:
    name = resource_id.rstrip("/").rsplit("/", 1)[-1].lower()
    if name in LOAD:
        return LOAD[name]
    if any(w in name for w in ("sandbox", "dev", "lab", "idle")):
        return "idle"
    return PROFILES[int(_unit(resource_id.lower()) * 1000) % 3]


def value(resource_id: str, metric: str, at: datetime) -> tuple[float, float]:
    """(average, maximum) in percent at ``at`` (the start of a grain)."""
    p = profile(resource_id)
    r = _unit(resource_id.lower(), metric, at.strftime("%Y%m%d%H%M"))
    hour = at.hour
    if p == "idle":
        avg = 0.2 + 1.3 * r
    elif p == "nightly":
        avg = 40 + 45 * r if 1 <= hour < 5 else 0.3 + 0.9 * r
    else:
        avg = 30 + 55 * r if 8 <= hour < 20 else 10 + 15 * r
    mx = min(100.0, avg * (1.1 + 0.3 * _unit(resource_id.lower(), metric, "max", at.isoformat())))
    return round(avg, 2), round(mx, 2)


def series(resource_id: str, metric: str, start: datetime, end: datetime, grain: timedelta, *, now: datetime | None = None) -> list[dict]:
    """The data points of [start, end) on grain boundaries, none older than 30 days or in the
    future; a grain's value is the average of its 5-minute values (the maximum their maximum)."""
    now = now or current()
    floor = now - HISTORY
    step = min(grain, timedelta(minutes=5)) if grain < timedelta(hours=1) else grain / 12 if grain <= timedelta(hours=6) else timedelta(hours=1)
    epoch = datetime(2000, 1, 1, tzinfo=timezone.utc)
    t = epoch + ((start - epoch) // grain) * grain
    out = []
    while t < end:
        if t >= floor - grain and t + grain <= now + grain:
            samples = []
            s = t
            while s < t + grain:
                if floor <= s <= now:
                    samples.append(value(resource_id, metric, s))
                s += step
            if samples:
                out.append({"timeStamp": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                            "average": round(sum(a for a, _ in samples) / len(samples), 2),
                            "maximum": round(max(m for _, m in samples), 2)})
            else:
                out.append({"timeStamp": t.strftime("%Y-%m-%dT%H:%M:%SZ")})  # no data: no aggregation fields, as Azure
        t += grain
    return out
