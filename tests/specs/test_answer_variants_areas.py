"""The demo Azure's answer variants (``answers.py``) through the areas that meet them (issue 21):
a DLZ deploy whatever validate, what-if and the deployment PUT answer; cost paging whatever the
next links look like (the default port written out included: issue 21 item 4)."""

from __future__ import annotations

import ssl
import socket
from datetime import date, timedelta
from decimal import Decimal

import pytest

from loom_tui.demo_azure.answers import Answers


@pytest.fixture
async def deploy_world(tmp_path, request, monkeypatch):
    from loom_tui.config import Profile
    from loom_tui.wiring import open_context
    from loom_tui.wiring import DemoAzure

    monkeypatch.setenv("LOOM_DEMO_ANSWERS", request.param)
    ctx = await open_context(Profile(), data_dir=str(tmp_path / "data"))
    await ctx.azure()
    handle = next(o.handle for o in ctx._owned if isinstance(o, DemoAzure))  # noqa: SLF001
    try:
        yield ctx, handle, request.param
    finally:
        await ctx.close()


DEPLOY_VARIANTS = ["deployments.validate=202-location", "deployments.whatif=202-location", "deployments.put=200",
                   "deployments.status=retry-after,retry-after=5", "random:7"]


@pytest.mark.parametrize("deploy_world", DEPLOY_VARIANTS, indirect=True, ids=DEPLOY_VARIANTS)
async def test_a_dlz_deploys_whatever_azure_answers(deploy_world) -> None:
    from tests.dlz.test_flow_demo import answers

    from loom_tui.services.dlz.runner import STAGES
    from loom_tui.services.dlz.service import DlzService

    ctx, handle, mode = deploy_world
    svc = DlzService(ctx)
    f = await svc.facts()
    plan, f = await svc.plan(answers(f), f)
    runner = await svc.runner(plan, f, poll_seconds=0.3)
    assert await runner.run() is True, (mode, runner.stages)
    assert [s for s in STAGES if runner.stages[s]["state"] == "succeeded"] == list(STAGES)
    assert runner.what_if.create >= 20 and runner.what_if.modify == 0 and runner.what_if.delete == 0
    pins = Answers.parse(mode).pins
    assert all((p, v) in handle.server.answers.picked for p, v in pins.items()), handle.server.answers.picked


def _port_443_free() -> str:
    """Why 443 on loopback cannot be listened on here ("" when it can)."""
    s = socket.socket()
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 443))
    except OSError as exc:
        return f"cannot listen on 127.0.0.1:443 here ({exc.strerror})"
    finally:
        s.close()
    return ""


async def _cost_pages(tmp_path, *, port: int, answers: str) -> tuple[int, Decimal, list[str]]:
    from loom_tui.azure.clients import AzureClients
    from loom_tui.azure.cost_query import CostQuery, Limiter, QueryStats, run_query
    from loom_tui.demo_azure.launcher import start_demo_azure
    from loom_tui.wiring import StaticBearer, demo_cloud

    handle = start_demo_azure(tmp_path / "d", port=port, answers=answers)
    handle.server.cost_page_rows = 10
    clients = AzureClients(StaticBearer(handle.secret), demo_cloud(handle.arm_endpoint), extra_ca=handle.ca_bundle)
    try:
        today = date(2026, 11, 20)
        q = CostQuery(f"/subscriptions/{handle.subscriptions[1]}", "actual", today - timedelta(days=30), today,
                      (("Dimension", "ResourceId"),), "None")
        stats = QueryStats()
        rows = [r async for r in run_query(clients, q, Limiter(), stats)]
        links = [c.path for c in handle.server.calls if c.route == "cost.query"]
        return stats.pages, sum((r.cost for r in rows), Decimal(0)), links
    finally:
        await clients.close()
        handle.stop()


async def test_cost_paging_follows_every_next_link(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LOOM_DEMO_TODAY", "2026-11-20")
    pages, total, _ = await _cost_pages(tmp_path, port=0, answers="links=port")  # a non-default port: links as written
    assert pages >= 3 and total > 0


async def test_cost_paging_follows_next_links_with_the_default_port_written_out(tmp_path, monkeypatch) -> None:
    why = _port_443_free()
    if why:
        pytest.skip(why)
    monkeypatch.setenv("LOOM_DEMO_TODAY", "2026-11-20")
    plain_pages, plain_total, _ = await _cost_pages(tmp_path / "plain", port=443, answers="")
    pages, total, _ = await _cost_pages(tmp_path / "port", port=443, answers="links=port")
    assert (pages, total) == (plain_pages, plain_total)
