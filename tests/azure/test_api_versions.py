"""API versions per cloud (issue 21): loom reads each provider's api-versions once per run and
sends the newest that both it and the cloud know; a cloud that offers only older ones (the demo
Azure's ``lagging`` cloud, as a sovereign or custom cloud would) runs every area."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from loom_tui.azure import api_versions
from loom_tui.azure.errors import ArmError



class Reply:
    def __init__(self, body):
        self.body = body


class FakeClients:
    """Answers Providers_Get from a table; counts the reads (the unit under test is the picking)."""

    def __init__(self, registry: dict[str, dict[str, list[str]]] | None = None, refuse: bool = False):
        self.registry = registry or {}
        self.refuse = refuse
        self.reads: list[str] = []

    async def send(self, method: str, path: str, api_version: str | None = None, json=None):
        self.reads.append(path)
        if self.refuse:
            raise ArmError(403, "AuthorizationFailed", "no read on the provider")
        ns = path.rsplit("/", 1)[-1]
        types = self.registry.get(ns, {})
        return Reply({"namespace": ns, "resourceTypes": [{"resourceType": t, "apiVersions": v} for t, v in types.items()]})


async def test_the_newest_version_both_know_is_sent_and_the_provider_is_read_once() -> None:
    c = FakeClients({"Microsoft.Fabric": {"capacities": ["2099-01-01", "2026-08-01", "2025-01-15-preview", "2023-11-01"]},
                     "Microsoft.Kusto": {"clusters": ["2023-08-15", "2022-12-29"]}})
    path = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Fabric/capacities/x"
    assert await api_versions.pick(c, "Microsoft.Fabric/capacities", path=path) == "2026-08-01"  # 2099: loom does not know it
    assert await api_versions.pick(c, "Microsoft.Kusto/clusters", path=path) == "2023-08-15"  # a lagging cloud: the older one
    for _ in range(3):
        await api_versions.pick(c, "Microsoft.Fabric/capacities", path=path)
    assert c.reads == ["/subscriptions/s1/providers/Microsoft.Fabric", "/subscriptions/s1/providers/Microsoft.Kusto"]
    assert api_versions.chosen(c) == {"microsoft.fabric/capacities": "2026-08-01", "microsoft.kusto/clusters": "2023-08-15"}
    # before any subscription is known: the tenant-scope read
    assert await api_versions.pick(c, "Microsoft.Resources/subscriptions") == "2022-12-01"
    assert c.reads[-1] == "/providers/Microsoft.Resources"


async def test_an_unreadable_provider_gets_the_newest_and_no_common_version_is_refused_with_both_lists() -> None:
    assert await api_versions.pick(FakeClients(refuse=True), "Microsoft.Kusto/clusters", path="/subscriptions/s") == "2024-04-13"
    old = FakeClients({"Microsoft.Kusto": {"clusters": ["2019-11-09", "2019-05-15"]}})
    with pytest.raises(api_versions.NoSupportedVersion) as err:
        await api_versions.pick(old, "Microsoft.Kusto/clusters", path="/subscriptions/s")
    assert "2019-11-09" in str(err.value) and "2024-04-13, 2023-08-15" in str(err.value)


def test_at_least_two_versions_per_type_where_the_specs_have_two() -> None:
    single = {t for t, v in api_versions.SUPPORTED.items() if len(v) < 2}
    # Synapse has one stable version (2021-06-01; the others are previews); role assignments have
    # one stable version with today's shape (2022-04-01)
    assert single == {"microsoft.synapse/workspaces", "microsoft.synapse/workspaces/sqlpools",
                      "microsoft.synapse/workspaces/bigdatapools", "microsoft.authorization/roleassignments"}
    assert all(list(v) == sorted(v, reverse=True) for v in api_versions.SUPPORTED.values())


async def test_the_demo_cloud_refuses_a_version_it_does_not_offer_as_arm_does(tmp_path) -> None:
    from loom_tui.demo_azure.launcher import start_demo_azure
    from tests.demo_azure.conftest import get_json

    handle = start_demo_azure(tmp_path / "d", api_versions="lagging")
    try:
        sub = handle.subscriptions[0]
        status, body, _ = await get_json(handle, f"/subscriptions/{sub}/providers/Microsoft.Fabric/capacities?api-version=2026-08-01")
        assert status == 400 and body["error"]["code"] == "NoRegisteredProviderFound"
        assert "The supported api-versions are '2023-11-01'" in body["error"]["message"]
        status, body, _ = await get_json(handle, f"/subscriptions/{sub}/providers/Microsoft.Fabric?api-version=2021-04-01")
        assert status == 200 and body["namespace"] == "Microsoft.Fabric"
        assert body["resourceTypes"] == [{"resourceType": "capacities", "locations": body["resourceTypes"][0]["locations"],
                                          "apiVersions": ["2023-11-01"], "capabilities": "None"}]
    finally:
        handle.stop()


@pytest.fixture
async def lagging(tmp_path, monkeypatch):
    """The local profile on a demo Azure whose cloud offers only older api-versions."""
    from loom_tui.config import Profile
    from loom_tui.wiring import open_context
    from loom_tui.wiring import DemoAzure

    monkeypatch.setenv("LOOM_DEMO_API_VERSIONS", "lagging")
    ctx = await open_context(Profile(), data_dir=str(tmp_path / "data"))
    clients = await ctx.azure()
    handle = next(o.handle for o in ctx._owned if isinstance(o, DemoAzure))  # noqa: SLF001
    try:
        yield ctx, clients, handle
    finally:
        await ctx.close()


async def test_a_lagging_cloud_runs_capacity_cost_and_budgets(lagging) -> None:
    ctx, clients, handle = lagging
    inv = await ctx.capacity.inventory()
    assert not inv.partial, [f.line() for f in inv.failures]
    kusto = inv.find("adxloommarketing")
    assert kusto.state == "Running" and kusto.utilization_24h is not None
    assert (await ctx.capacity.set_running(kusto, False)).result["state"] == "Stopped"
    fabric = inv.find("fccsaloomhr")
    assert (await ctx.capacity.scale(fabric, "F16")).result["sku"] == "F16"
    from loom_tui.services.cost.budgets import parse_thresholds

    scope = next(s for s in ctx.budgets.scopes() if "/resourceGroups/" not in s)
    b = await ctx.budgets.create(scope, "lagging", Decimal(100), thresholds=parse_thresholds(["80"], ["ops@contoso.example"]))
    assert b.etag and [x.name for x in await ctx.budgets.list(scope)] == ["lagging"]
    from loom_tui.services.cost.model import Query

    per = await ctx.cost.resources(Query(by="resource", source="live"))
    assert per and all(rows for rows in per.values())
    picked = api_versions.chosen(clients)
    assert picked["microsoft.fabric/capacities"] == "2023-11-01" and picked["microsoft.kusto/clusters"] == "2023-08-15"
    assert picked["microsoft.consumption/budgets"] == "2023-05-01" and picked["microsoft.insights/metrics"] == "2023-10-01"
    assert picked["microsoft.resources/resourcegroups"] == "2020-06-01"
    assert picked["microsoft.costmanagement/query"] == "2023-11-01"
    refused = [c for c in handle.server.calls if c.route != "metadata" and c.query.get("api-version") in ("2026-08-01", "2024-08-01")]
    assert not refused  # nothing was sent at a version the cloud does not offer


async def test_a_lagging_cloud_deploys_a_dlz(lagging) -> None:
    from tests.dlz.test_flow_demo import answers

    from loom_tui.services.dlz.runner import STAGES
    from loom_tui.services.dlz.service import DlzService

    ctx, clients, handle = lagging
    svc = DlzService(ctx)
    f = await svc.facts()
    plan, f = await svc.plan(answers(f), f)
    runner = await svc.runner(plan, f, poll_seconds=0.3)
    assert await runner.run() is True, runner.stages
    assert [s for s in STAGES if runner.stages[s]["state"] == "succeeded"] == list(STAGES)
    picked = api_versions.chosen(clients)
    assert picked["microsoft.resources/deployments"] == "2025-04-01"
    assert picked["microsoft.network/virtualnetworks/virtualnetworkpeerings"] == "2023-09-01"
    assert picked["microsoft.network/privatednszones/virtualnetworklinks"] == "2020-06-01"
