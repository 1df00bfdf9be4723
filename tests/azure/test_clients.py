"""``AzureClients``: the run's one transport, the concurrency bound, the longest-retry-after
throttle policy, generic ARM calls and ARM's errors — real SDK clients against the local ARM
server over https (no SDK mocking)."""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate

import pytest
from aiohttp import web

from loom_tui.azure.arm import list_subscriptions, list_tenants
from loom_tui.azure.clients import AzureClients
from loom_tui.azure.errors import ArmError, ArmForbidden, ArmNotFound
from loom_tui.azure.throttle import Throttled, retry_after, service_name
from tests.azure.conftest import StaticCredential, arm_cloud
from tests.support.arm_server import RETRY_AFTER_VARIANTS, ArmServer, Fault

MULTI = "multi"  # a 429 carrying several retry-after headers at once (the longest: 2 s in x-ms-retry-after-ms)
MULTI_HEADERS = {"Retry-After": "1", "x-ms-retry-after-ms": "2000", "retry-after-ms": "500",
                 "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after": "1"}
FORBIDDEN = ("The client 'ops@contoso.example' with object id '11111111-2222-3333-4444-555555555555' does not have authorization "
             "to perform action 'Microsoft.Resources/subscriptions/resourceGroups/read' over scope "
             "'/subscriptions/sub-1/resourceGroups/[rg]' or the scope is invalid. If access was recently granted, please refresh your credentials.")


class CountingArm(ArmServer):
    """The ARM server, counting requests in flight and the client connections they came on, with
    two extra answers: several retry-after headers at once, and ARM's 403 for a missing role."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.in_flight = 0
        self.peak = 0
        self.peers: set[tuple] = set()
        self.multi_left = 0

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        if request.transport is not None:
            self.peers.add(request.transport.get_extra_info("peername"))
        try:
            if "forbidden" in request.path:
                return web.json_response({"error": {"code": "AuthorizationFailed", "message": FORBIDDEN}}, status=403)
            if self.multi_left and request.path.rstrip("/") == "/subscriptions":
                self.multi_left -= 1
                return web.json_response({"error": {"code": "TooManyRequests", "message": "slow down"}}, status=429, headers=MULTI_HEADERS)
            return await super()._dispatch(request)
        finally:
            self.in_flight -= 1


@pytest.fixture
async def arm_count(tmp_path, monkeypatch: pytest.MonkeyPatch):
    server = CountingArm(tls=True, tmp=tmp_path)
    await server.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
    try:
        yield server
    finally:
        await server.stop()


def make(server, **kw) -> AzureClients:
    return AzureClients(StaticCredential(), arm_cloud(server), **kw)


# ------------------------------------------------------------------ retry-after parsing


def test_the_longest_header_wins() -> None:
    assert retry_after(MULTI_HEADERS) == (2.0, "x-ms-retry-after-ms")
    assert retry_after({"Retry-After": "30", "x-ms-ratelimit-microsoft.costmanagement-entity-retry-after": "45"}) == (
        45.0, "x-ms-ratelimit-microsoft.costmanagement-entity-retry-after")
    assert retry_after({"Content-Type": "application/json"}) is None
    assert retry_after({"Retry-After": "soon"}) is None


def test_retry_after_as_an_http_date() -> None:
    now = time.time()
    assert retry_after({"Retry-After": formatdate(now + 20, usegmt=True)}, now=now)[0] == pytest.approx(20, abs=1)
    assert retry_after({"Retry-After": formatdate(now - 20, usegmt=True)}, now=now)[0] == 0


def test_service_names() -> None:
    assert service_name("x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after", "https://m/x") == "Cost Management"
    assert service_name("x-ms-ratelimit-microsoft.consumption-retry-after", "https://m/x") == "Consumption"
    assert service_name("retry-after", "https://m/subscriptions/s/providers/Microsoft.Fabric/capacities/c") == "Microsoft Fabric"
    assert service_name("retry-after", "https://m/subscriptions/s/providers/Microsoft.SomeNewThing/x") == "Some New Thing"
    assert service_name(None, "https://m/subscriptions") == "Azure Resource Manager"


# ------------------------------------------------------------------ throttling end to end


@pytest.mark.parametrize("variant", sorted(RETRY_AFTER_VARIANTS))
async def test_each_retry_after_variant_is_waited_for_and_reported(arm_count, variant: str) -> None:
    arm_count.inject("subscriptions.list", Fault("429", variant=variant, seconds=3))
    events: list[Throttled] = []
    async with make(arm_count, max_wait=0.05) as clients:  # capped so the test does not wait 3 s eleven times
        clients.on_throttle(events.append)
        subs = await list_subscriptions(clients)
    assert len(subs) == 2
    assert len(arm_count.calls_to("subscriptions.list")) == 2
    if variant == "none":
        # no header: exponential back-off, reported all the same (issue 24 item 13: no silent wait)
        (event,) = events
        assert event.header == "" and event.reason == "HTTP 429" and event.attempt == 1
        assert event.message.startswith("HTTP 429 from Azure Resource Manager, retry 1 ")
        return
    (event,) = events
    expected = 0 if variant == "retry-after-http-date" else 3  # the server's HTTP date is "now"
    assert event.asked == pytest.approx(expected, abs=1)
    assert event.status == 429 and event.attempt == 1
    assert 0 <= event.seconds <= 0.05 * 1.1 + 1e-9  # capped, jitter at most 10 %
    if variant.startswith("costmanagement"):
        assert event.service == "Cost Management"
        assert event.message.startswith("throttled by Cost Management, retrying in ")
    elif variant == "consumption":
        assert event.service == "Consumption"
    else:
        assert event.service == "Azure Resource Manager"


async def test_several_headers_at_once_the_longest_is_waited_for(arm_count) -> None:
    arm_count.multi_left = 1
    events: list[Throttled] = []
    async with make(arm_count) as clients:
        clients.on_throttle(events.append)
        t0 = time.monotonic()
        await list_subscriptions(clients)
        waited = time.monotonic() - t0
    assert [(e.asked, e.header) for e in events] == [(2.0, "x-ms-retry-after-ms")]
    assert waited >= 2.0  # the longest (2 s), not the first (Retry-After: 1) nor the shortest (0.5 s)
    assert events[0].message == f"throttled by Azure Resource Manager, retrying in {round(events[0].seconds)} s"


@pytest.mark.serial  # asserts a time limit the operator is promised: measured alone
async def test_the_wait_is_capped(arm_count) -> None:
    arm_count.inject("subscriptions.list", Fault("429", variant="retry-after-seconds", seconds=120))
    events: list[Throttled] = []
    async with make(arm_count, max_wait=0.2) as clients:
        clients.on_throttle(events.append)
        t0 = time.monotonic()
        await list_subscriptions(clients)
    assert time.monotonic() - t0 < 5
    assert events[0].asked == 120 and events[0].seconds <= 0.22


async def test_tries_are_bounded_and_the_arm_error_kept(arm_count) -> None:
    arm_count.inject("subscriptions.list", Fault("429", variant="retry-after-ms", seconds=0.01), times=10)
    async with make(arm_count, retry_total=2) as clients:
        with pytest.raises(ArmError) as info:
            await list_subscriptions(clients)
    assert info.value.status == 429 and info.value.arm_code == "TooManyRequests"
    assert len(arm_count.calls_to("subscriptions.list")) == 3  # the first try and two retries


# ------------------------------------------------------------------ one transport, one bound


async def test_fan_out_of_50_stays_within_the_bound_on_one_session(arm_count) -> None:
    arm_count.delay("resource_groups.list", 0.05)
    async with make(arm_count, concurrency=4) as clients:
        subs = [f"sub-{i}" for i in range(5)]

        async def groups(i: int) -> list[str]:
            return [g.name async for g in clients.resources(subs[i % 5]).resource_groups.list()]

        results = await asyncio.gather(*(groups(i) for i in range(50)))
        session = clients.session
        assert len(clients._clients) == 5  # cached per (kind, subscription)
        assert clients.resources("sub-0") is clients.resources("sub-0")
    assert all(r == ["RG1", "RG2"] for r in results)
    assert arm_count.peak <= 4 and clients.bound.peak <= 4
    assert arm_count.peak >= 2  # it did run in parallel
    assert len(arm_count.peers) <= 4  # 50 calls over five clients: at most four connections, all from one session
    assert session.closed


async def test_default_bound_is_eight(arm_count) -> None:
    arm_count.delay("resource_groups.list", 0.05)
    async with make(arm_count) as clients:
        await asyncio.gather(*(clients.send("GET", f"/subscriptions/sub-{i}/resourcegroups", "2021-04-01") for i in range(50)))
    assert 2 <= arm_count.peak <= 8
    assert len(arm_count.peers) <= 8


async def test_clients_are_closed_with_the_run(arm_count) -> None:
    clients = make(arm_count)
    await list_tenants(clients)
    rm = clients.resources("sub-1")
    session = clients.session
    await clients.close()
    assert session.closed and clients.closed and clients._clients == {}
    with pytest.raises(RuntimeError, match="closed"):
        clients.resources("sub-2")
    with pytest.raises(Exception):
        await rm.resource_groups.list().__anext__()
    await clients.close()  # idempotent


# ------------------------------------------------------------------ send / pages / errors


async def test_send_and_pages_follow_next_link(arm_count) -> None:
    arm_count.page_size = 1
    async with make(arm_count) as clients:
        resp = await clients.send("GET", "/subscriptions/291bba3f-e0a5-47bc-a099-3bdcb2a50a05", api_version="2022-12-01")
        tenants = [t["tenantId"] async for t in clients.pages("/tenants", "2022-12-01")]
    assert resp.status == 200 and resp.body["subscriptionId"] == "291bba3f-e0a5-47bc-a099-3bdcb2a50a05"
    assert len(tenants) == 2 and len(arm_count.calls_to("tenants.list")) == 2
    assert all(c.query.get("api-version") == "2022-12-01" for c in arm_count.calls_to("tenants.list"))
    assert all(c.authorization == "Bearer static-test-token" for c in arm_count.calls)


async def test_arm_errors_keep_code_and_full_message(arm_count) -> None:
    async with make(arm_count) as clients:
        with pytest.raises(ArmNotFound) as nf:
            await clients.send("GET", "/subscriptions/nope", "2022-12-01")
        with pytest.raises(ArmForbidden) as fb:
            await clients.send("GET", "/subscriptions/sub-1/resourceGroups/forbidden", "2021-04-01")
    assert nf.value.status == 404 and nf.value.arm_code == "SubscriptionNotFound"
    assert fb.value.status == 403 and fb.value.arm_code == "AuthorizationFailed"
    assert fb.value.message == FORBIDDEN  # in full: the action and the scope the role is missing for
    assert str(fb.value) == "AuthorizationFailed: " + FORBIDDEN


async def test_a_foreign_host_never_gets_the_token(arm_count) -> None:
    async with make(arm_count) as clients:
        with pytest.raises(ArmError, match="refusing to send"):
            await clients.send("GET", "https://attacker.example/subscriptions", "2022-12-01")
    assert arm_count.calls == []


async def test_a_custom_cloud_is_reached_through_its_own_endpoint_and_scope(arm_count) -> None:
    cred = StaticCredential()
    async with AzureClients(cred, arm_cloud(arm_count)) as clients:
        await list_subscriptions(clients)
    assert cred.scopes[0] == (arm_count.url + "/.default",)
