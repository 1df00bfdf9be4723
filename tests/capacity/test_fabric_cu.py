"""Fabric auto-pause with the Fabric Capacity Metrics semantic model (issue 21): its CU figures read
through Power BI's executeQueries (the demo Azure answers in the API's documented shape), the
reason shown either way."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from loom_tui.azure import powerbi
from loom_tui.demo_azure.routes.powerbi import DATASET, WORKSPACE
from loom_tui.services.capacity import cu_metrics
from tests.capacity.test_actions import _idle_store
from tests.demo_azure.conftest import get_json



def test_columns_are_read_however_the_answer_qualifies_them() -> None:
    rows = [{"[Capacity]": "fcA", "[Time]": "2026-12-04T10:00:00", "[CU %]": 3.5},
            {"T[Capacity]": "FCA", "T[Time]": "2026-12-04T10:00:30Z", "T[CU %]": 7},
            {"[Capacity]": "fcB", "[Time]": "not a time", "[CU %]": 1}, {"[Capacity]": "fcB", "[Time]": "2026-12-04T10:00:00", "[CU %]": None}]
    got = cu_metrics.parse(rows)
    assert set(got) == {"fca"} and got["fca"].peak(datetime(2026, 12, 4, tzinfo=timezone.utc)) == 7.0
    assert got["fca"].peak(datetime(2026, 12, 5, tzinfo=timezone.utc)) is None
    assert "DATETIME(2026, 12, 4, 10, 0, 0)" in cu_metrics.query_for(datetime(2026, 12, 4, 10, tzinfo=timezone.utc))


def test_dataset_forms_and_cloud_endpoints() -> None:
    assert powerbi.dataset_path("abc") == "/v1.0/myorg/datasets/abc/executeQueries"
    assert powerbi.dataset_path("g/abc") == "/v1.0/myorg/groups/g/datasets/abc/executeQueries"
    with pytest.raises(ValueError):
        powerbi.dataset_path("a/b/c")
    assert powerbi.for_cloud("AzureUSGovernment").endpoint == "https://api.powerbigov.us"
    with pytest.raises(powerbi.PowerBiUnavailable, match="powerbi_endpoint"):
        powerbi.for_cloud("USSec")


async def test_the_demo_answers_execute_queries_as_the_api_documents(demo) -> None:
    since = datetime.now(timezone.utc) - timedelta(minutes=10)
    body = powerbi.request_body(cu_metrics.query_for(since))
    status, got, _ = await get_json(demo, f"/v1.0/myorg/groups/{WORKSPACE}/datasets/{DATASET}/executeQueries", method="POST", json=body)
    assert status == 200 and set(got) == {"results"} and set(got["results"][0]) == {"tables"}
    rows = got["results"][0]["tables"][0]["rows"]
    assert rows and set(rows[0]) == {"[Capacity]", "[Time]", "[CU %]"}
    names = {r["[Capacity]"] for r in rows}
    assert "fccsaloomfinance" in names and "fccsaloommarketing" not in names  # a paused capacity uses no CU
    status, got, _ = await get_json(demo, f"/v1.0/myorg/datasets/{DATASET}/executeQueries", method="POST",
                                    json=powerbi.request_body("EVALUATE 'Some other table'"))
    assert status == 400 and got["error"]["code"] == "DatasetExecuteQueriesError"
    status, got, _ = await get_json(demo, "/v1.0/myorg/datasets/nope/executeQueries", method="POST", json=body)
    assert status == 404 and got["error"]["code"] == "ItemNotFound"


async def test_cu_figures_decide_with_the_workspaces_and_say_so(open_ctx, demo) -> None:
    ctx = await open_ctx(capacity_metrics_dataset=f"{WORKSPACE}/{DATASET}", powerbi_endpoint=demo.arm_endpoint.rstrip("/"))
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=1)
    await _idle_store(ctx, now, opened="marketing", audited="research")  # both paused: every running capacity's workspaces idle
    rows = (await ctx.capacity.inventory()).rows
    got = {d.resource.name: d for d in await ctx.capacity.decisions(rows, idle_for=timedelta(hours=2), threshold=5, now=now)}
    # finance's load profile is busy: its workspaces are idle in the store, its CU is not
    assert not got["fccsaloomfinance"].pause and "CU peak" in got["fccsaloomfinance"].reason
    assert "(Capacity Metrics) >= 5 %" in got["fccsaloomfinance"].reason
    assert got["fccsaloomsales"].pause and "(Capacity Metrics) < 5 %" in got["fccsaloomsales"].reason
    assert "no audit event" in got["fccsaloomsales"].reason
    asked = [c for c in demo.server.calls if c.route == "powerbi.execute_queries"]
    assert len(asked) == 1  # one query for every capacity


async def test_a_dataset_that_cannot_be_read_is_said_and_the_store_decides(open_ctx, demo) -> None:
    ctx = await open_ctx(capacity_metrics_dataset="00000000-0000-0000-0000-000000000000", powerbi_endpoint=demo.arm_endpoint.rstrip("/"))
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=1)
    await _idle_store(ctx, now, opened="finance", audited="hr")
    rows = (await ctx.capacity.inventory()).rows
    got = {d.resource.name: d for d in await ctx.capacity.decisions(rows, idle_for=timedelta(hours=2), threshold=5, now=now)}
    assert got["fccsaloomsales"].pause and "not read from the Capacity Metrics model" in got["fccsaloomsales"].reason
    assert "ItemNotFound" in got["fccsaloomsales"].reason
