"""The demo Azure's Azure Monitor route: the official response shape, 30 days of deterministic
load per resource (idle / busy / nightly), no values while a capacity is paused, Azure's errors
for an unknown metric or resource."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest

from loom_tui.demo_azure import estate_metrics as em
from loom_tui.demo_azure.estate import DLZ_SUBS
from loom_tui.services.capacity import metrics
from tests.demo_azure.conftest import demo, get_json  # noqa: F401  (fixture)

pytestmark = pytest.mark.asyncio

FABRIC = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/rg-csa-loom-dlz-finance-eastus2/providers/Microsoft.Fabric/capacities/fccsaloomfinance"
POOL = (f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/rg-csa-loom-dlz-finance-eastus2/providers/Microsoft.Synapse/workspaces/"
        "syn-loom-finance/sqlPools/sqlpool_gl")
IDLE = f"/subscriptions/{DLZ_SUBS[0]}/resourceGroups/rg-csa-loom-dlz-marketing-eastus2/providers/Microsoft.Kusto/clusters/adxloommarketing"
STOPPED = f"/subscriptions/{DLZ_SUBS[1]}/resourceGroups/rg-csa-loom-dlz-research-centralus/providers/Microsoft.Kusto/clusters/adxloomresearch"


def url(resource_id: str, metric: str, start: datetime, end: datetime, interval: str = "PT1H") -> str:
    span = f"{start:%Y-%m-%dT%H:%M:%SZ}/{end:%Y-%m-%dT%H:%M:%SZ}"
    return (f"{resource_id}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnames={metric}"
            f"&timespan={quote(span)}&interval={interval}&aggregation=Average,Maximum")


async def test_a_day_of_load_in_the_official_shape(demo):  # noqa: F811
    end = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(hours=24)
    status, body, _ = await get_json(demo, url(POOL, "DWUUsedPercent", start, end))
    assert status == 200 and body["interval"] == "PT1H" and body["value"][0]["unit"] == "Percent"
    assert body["value"][0]["name"] == {"value": "DWUUsedPercent", "localizedValue": "DWUUsedPercent"}
    s = metrics.parse(body, "DWUUsedPercent")
    assert len(s.points) == 24 and s.points[0].at == start
    expected = em.series(POOL, "DWUUsedPercent", start, end, timedelta(hours=1))
    assert [p.average for p in s.points] == [e["average"] for e in expected]
    assert em.profile(POOL) == "busy" and 20 < s.average() < 90


async def test_idle_resources_stay_low_and_paused_ones_have_no_values(demo):  # noqa: F811
    end = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    status, body, _ = await get_json(demo, url(IDLE, "CPU", end - timedelta(hours=2), end, "PT5M"))
    s = metrics.parse(body, "CPU")
    assert status == 200 and len(s.points) >= 23 and max(p.peak for p in s.points if p.peak is not None) < 2.5
    status, body, _ = await get_json(demo, url(STOPPED, "CPU", end - timedelta(hours=2), end, "PT5M"))
    s = metrics.parse(body, "CPU")
    assert status == 200 and s.points and all(p.average is None and p.maximum is None for p in s.points)


async def test_unknown_metric_or_resource_is_an_azure_error(demo):  # noqa: F811
    end = datetime.now(timezone.utc)
    status, body, _ = await get_json(demo, url(POOL, "Nope", end - timedelta(hours=1), end))
    assert status == 400 and "Failed to find metric configuration" in body["error"]["message"]
    status, body, _ = await get_json(demo, url(POOL + "x", "DWUUsedPercent", end - timedelta(hours=1), end))
    assert status == 404 and body["error"]["code"] == "ResourceNotFound"
    old = end - timedelta(days=40)
    status, body, _ = await get_json(demo, url(POOL, "DWUUsedPercent", old, old + timedelta(hours=3)))
    assert status == 200 and all("average" not in p for p in body["value"][0]["timeseries"][0]["data"])  # 30 days kept


async def test_fabric_capacities_have_no_azure_monitor_metric(demo):  # noqa: F811
    """Azure Monitor documents no metric for Microsoft.Fabric/capacities: the demo refuses every
    name for them, the invented CapacityUtilization included (issue 21)."""
    end = datetime.now(timezone.utc)
    for name in ("CapacityUtilization", "CU"):
        status, body, _ = await get_json(demo, url(FABRIC, name, end - timedelta(hours=1), end))
        assert status == 400 and "Failed to find metric configuration for provider: microsoft.fabric" in body["error"]["message"]
