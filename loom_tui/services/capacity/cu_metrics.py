"""CU figures of Fabric capacities from the Fabric Capacity Metrics semantic model, through Power
BI's ``executeQueries`` (``azure/powerbi.py``), where the profile names the model's dataset
(``capacity_metrics_dataset``: ``datasetId`` or ``groupId/datasetId``).

The model is Microsoft's app and its tables are not a documented API: loom sends ``QUERY`` below
(``{since}`` becomes a DAX ``DATETIME(...)``) and reads three columns from the answer, by name:
``Capacity`` (the capacity's name or ARM id), ``Time`` and ``CU %`` (percent of the capacity's
CU, per timepoint).  Where the installed version of the model names its tables differently, put
a query that returns those three columns in the profile's ``capacity_metrics_query``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

QUERY = """EVALUATE
SELECTCOLUMNS(
    FILTER('Capacity utilization', 'Capacity utilization'[Timepoint] >= {since}),
    "Capacity", 'Capacity utilization'[Capacity name],
    "Time", 'Capacity utilization'[Timepoint],
    "CU %", 'Capacity utilization'[CU %]
)"""


@dataclass(frozen=True)
class CuSeries:
    capacity: str
    points: tuple[tuple[datetime, float], ...]

    def peak(self, since: datetime) -> float | None:
        values = [v for at, v in self.points if at >= since]
        return max(values) if values else None


def dax_datetime(at: datetime) -> str:
    at = at.astimezone(timezone.utc)
    return f"DATETIME({at.year}, {at.month}, {at.day}, {at.hour}, {at.minute}, {at.second})"


def query_for(since: datetime, template: str | None = None) -> str:
    return (template or QUERY).replace("{since}", dax_datetime(since))


def _column(row: dict[str, Any], name: str) -> Any:
    """A column by name, however the answer qualifies it (``[CU %]``, ``T[CU %]``)."""
    for key, value in row.items():
        bare = key.rsplit("[", 1)[-1].rstrip("]") if "[" in key else key
        if bare.lower() == name.lower():
            return value
    return None


def _time(value: Any) -> datetime | None:
    try:
        at = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


def parse(rows: list[dict[str, Any]]) -> dict[str, CuSeries]:
    """Capacity (lower case) -> its CU % series; rows without the three columns are skipped."""
    points: dict[str, list[tuple[datetime, float]]] = {}
    names: dict[str, str] = {}
    for row in rows:
        cap, at, cu = _column(row, "Capacity"), _time(_column(row, "Time")), _column(row, "CU %")
        if not isinstance(cap, str) or at is None or not isinstance(cu, (int, float)) or isinstance(cu, bool):
            continue
        key = cap.strip().lower()
        names.setdefault(key, cap)
        points.setdefault(key, []).append((at, float(cu)))
    return {k: CuSeries(names[k], tuple(sorted(v))) for k, v in points.items()}


def for_capacity(series: dict[str, CuSeries], capacity_id: str, name: str) -> CuSeries | None:
    return series.get(name.lower()) or series.get(capacity_id.lower())


async def read(clients: Any, profile: Any, cloud_name: str, since: datetime) -> dict[str, CuSeries]:
    """Every capacity's CU % since ``since`` from the profile's Capacity Metrics dataset."""
    from loom_tui.azure.powerbi import execute_query, for_cloud

    api = for_cloud(cloud_name, getattr(profile, "powerbi_endpoint", None))
    rows = await execute_query(clients, api, profile.capacity_metrics_dataset, query_for(since, profile.capacity_metrics_query))
    return parse(rows)
