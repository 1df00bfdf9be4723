"""loom's own requests, held to the official specs (issue 21): every call the Capacity, Cost,
Budgets and Setup areas make on the demo Azure — path, method, api-version, required query
parameters, body — and the answers they got, validated against the operation's spec.  A call to a
route without a spec file fails here (the few not yet kept are named in ``pending.py``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.specs.pending import split
from tests.specs.test_demo_routes import NOT_IN_SPECS
from tests.support.specs import check, record


@pytest.fixture
async def world(tmp_path):
    from loom_tui.config import Profile
    from loom_tui.wiring import open_context
    from loom_tui.wiring import DemoAzure

    ctx = await open_context(Profile(), data_dir=str(tmp_path / "data"))
    clients = await ctx.azure()
    handle = next(o.handle for o in ctx._owned if isinstance(o, DemoAzure))  # noqa: SLF001
    rec = record(handle.server)
    try:
        yield ctx, clients, rec
    finally:
        await ctx.close()


# held elsewhere (status URLs, the metadata document, Power BI); the catch-all GET is held to the
# spec of the type it names, like any other call
PROTOCOL = set(NOT_IN_SPECS) - {"resources.get_by_id"}


def problems_of(rec) -> list[str]:
    counted, _ = split([p for x in rec.exchanges if x.route not in PROTOCOL for p in check(x)])
    return list(dict.fromkeys(counted))


async def test_capacity_and_budgets_requests_are_what_the_specs_accept(world) -> None:
    ctx, clients, rec = world
    inv = await ctx.capacity.inventory()
    await ctx.capacity.dr(inv.rows)
    await ctx.capacity.decisions(inv.rows, idle_for=timedelta(hours=2))
    await ctx.capacity.set_running(inv.find("adxloommarketing"), False)
    await ctx.capacity.set_running(inv.find("fccsaloommarketing"), True)
    await ctx.capacity.scale(inv.find("fccsaloomhr"), "F16")
    from loom_tui.services.cost.budgets import parse_thresholds

    scope = next(s for s in ctx.budgets.scopes() if "/resourceGroups/" not in s)
    await ctx.budgets.create(scope, "spec-held", Decimal(250), thresholds=parse_thresholds(["80", "100:forecasted"], ["ops@contoso.example"]))
    await ctx.budgets.list(scope)
    await ctx.budgets.delete(scope, "spec-held")
    called = {x.route for x in rec.exchanges}
    assert {"fabric.update", "kusto.stop", "fabric.resume", "metrics.list", "budgets.put", "budgets.delete"} <= called
    assert not problems_of(rec), "\n".join(problems_of(rec))


async def test_cost_queries_are_what_the_specs_accept(world) -> None:
    """Cost's live source (every scope, a next-link chain, a scope without data) and budgets'
    checks, held to Query_Usage 2024-08-01."""
    ctx, clients, rec = world
    result = await ctx.cost.refresh_live("actual")
    assert result.rows > 0
    queries = [x for x in rec.exchanges if x.route == "cost.query"]
    assert len(queries) >= 5 and {x.status for x in queries} >= {200}
    assert not problems_of(rec), "\n".join(problems_of(rec))


async def test_a_dlz_deploy_sends_what_the_specs_accept(world) -> None:
    from tests.dlz.test_flow_demo import answers

    from loom_tui.services.dlz.service import DlzService

    ctx, clients, rec = world
    svc = DlzService(ctx)
    f = await svc.facts()
    plan, f = await svc.plan(answers(f), f)
    runner = await svc.runner(plan, f, poll_seconds=0.3)
    assert await runner.run() is True
    assert {"deployments.validate", "deployments.whatif", "deployments.put", "network.dns_links.put"} <= {x.route for x in rec.exchanges}
    assert not problems_of(rec), "\n".join(problems_of(rec))


async def test_a_body_the_spec_refuses_fails() -> None:
    """loom's budget body as sent passes; the same body without a contact list (which the
    Consumption spec requires) does not — the check is on the body, not on loom's good manners."""
    from datetime import date

    from loom_tui.azure.budgets import Budget, Threshold, to_body
    from tests.support.specs import Exchange

    scope = "/subscriptions/de700000-0000-4000-8000-0000000000d1"
    b = Budget(scope, "b", Decimal(100), "Monthly", date(2026, 12, 1), None,
               (Threshold("Actual_GreaterThanOrEqualTo_80_Percent", Decimal(80), "Actual", ("ops@contoso.example",)),))
    path = scope + "/providers/Microsoft.Consumption/budgets/b"

    def sent(body):
        return Exchange("budgets.put", "PUT", path, {"api-version": "2024-08-01"}, body, 201, {}, {**body, "id": path, "name": "b"})

    assert check(sent(to_body(b))) == []
    body = to_body(b)
    del body["properties"]["notifications"]["Actual_GreaterThanOrEqualTo_80_Percent"]["contactEmails"]
    assert any("'contactEmails' is a required property" in p for p in check(sent(body)))
