"""What only the Cosmos DB adapter has: throttling, transport failures, profiles, SQL text.

The contract itself (same answers as SQLite) lives in test_contract.py.
"""

from __future__ import annotations

import socket
import time
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loom_tui.config import Profile
from loom_tui.store.cosmos import CosmosStore, count_sql, select_sql
from loom_tui.store.errors import StoreUnavailable, Throttled
from loom_tui.store.factory import make_store
from loom_tui.store.query import AnyOf, Filter, Op, Order, Query

from .throttle_proxy import ThrottleProxy

pytestmark = pytest.mark.cosmos


def _db() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def proxy(cosmos_server):
    p = ThrottleProxy(cosmos_server.port)
    await p.start()
    yield p
    await p.stop()


async def _open(endpoint: str, key: str, **kw) -> CosmosStore:
    store = CosmosStore(endpoint, key, database=_db(), verify_tls=False, **kw)
    await store.init_with_key()
    await store.open()
    return store


async def test_a_429_is_retried_after_the_servers_retry_after(proxy, cosmos_server):
    store = await _open(proxy.endpoint, cosmos_server.key, throttle_retries=3)
    try:
        await store.create("workspaces", {"id": "w1", "tenantId": "t1"})
        proxy.retry_after_ms = 150
        proxy.throttle(2, "/docs/w1")
        before = proxy.attempts("/docs/w1")
        started = time.monotonic()
        doc = await store.get("workspaces", "t1", "w1")
        elapsed = time.monotonic() - started
        assert doc is not None and doc["id"] == "w1"
        assert proxy.throttled == 2
        assert proxy.attempts("/docs/w1") - before == 3  # two 429s, then the answer
        assert elapsed >= 0.3  # waited the server's x-ms-retry-after-ms each time
        assert store.charges.by_operation["get"] >= 2.0  # 0.5 + 0.5 for the 429s + 1 for the read
    finally:
        await store.drop_database()
        await store.close()


async def test_a_429_that_persists_raises_throttled_after_bounded_retries(proxy, cosmos_server):
    store = await _open(proxy.endpoint, cosmos_server.key, throttle_retries=2, throttle_max_wait_s=5)
    try:
        proxy.throttle(1000, "/docs")
        before = proxy.attempts("/docs")
        with pytest.raises(Throttled) as info:
            await store.upsert("workspaces", {"id": "w1", "tenantId": "t1"})
        assert proxy.attempts("/docs") - before == 3  # first try + 2 retries, then give up
        assert "429" in str(info.value)
        with pytest.raises(Throttled):
            await store.query("workspaces", "t1")
    finally:
        proxy.throttle(0)
        await store.drop_database()
        await store.close()


async def test_upsert_many_stops_the_whole_batch_on_failure(proxy, cosmos_server):
    import asyncio

    store = await _open(proxy.endpoint, cosmos_server.key, throttle_retries=1, throttle_max_wait_s=1, max_concurrency=4)
    try:
        proxy.throttle(1000, "/docs")
        docs = [{"id": f"d{i}", "workspaceId": "w"} for i in range(200)]
        with pytest.raises(Throttled):
            await store.upsert_many("items", docs)
        settled = len(proxy.seen)
        await asyncio.sleep(0.3)
        # nothing new starts behind the error: at most the requests already on the wire when it was
        # raised (bounded by max_concurrency=4) reach the proxy afterwards — a loaded machine may
        # deliver those late, a batch that went on writing would send up to 200
        assert len(proxy.seen) <= settled + 4
        assert proxy.attempts("/docs") < 200  # it stopped early instead of trying every document
    finally:
        proxy.throttle(0)
        await store.drop_database()
        await store.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_unreachable_endpoint_is_store_unavailable(cosmos_server):
    store = CosmosStore(f"https://127.0.0.1:{_closed_port()}/", cosmos_server.key, database=_db(), verify_tls=False, connection_retries=0)
    with pytest.raises(StoreUnavailable) as info:
        await store.open()
    assert "cannot be reached" in str(info.value)
    with pytest.raises(StoreUnavailable):
        await store.get("workspaces", "t1", "x")  # never opened


@pytest.mark.parametrize("verify", [True, False])
async def test_tls_verification_follows_the_profile(cosmos_server, verify):
    """connection_verify reaches the SDK's connection policy — and, unless the store is told it
    talks to the local emulator, verification really happens on this loopback host (azure-cosmos
    would skip it for localhost/127.0.0.1): the test server's self-signed certificate is refused."""
    store = await _open(cosmos_server.endpoint, cosmos_server.key)
    await store.drop_database()
    await store.close()
    store.verify_tls, store.emulator = verify, True
    await store.init_with_key()
    await store.open()
    try:
        assert store._client.client_connection.connection_policy.DisableSSLVerification is (not verify)
    finally:
        await store.drop_database()
        await store.close()
    store.emulator = False
    if verify:
        with pytest.raises(StoreUnavailable, match="(?i)certificate"):
            await store.open()
    else:
        await store.init_with_key()
        await store.open()
        await store.drop_database()
    await store.close()


async def test_from_profile_and_factory(cosmos_server):
    profile = Profile(
        name="test",
        store="cosmos",
        cosmos_endpoint=cosmos_server.endpoint,
        cosmos_database=_db(),
        cosmos_key=cosmos_server.key,
        cosmos_verify_tls=False,
    )
    store = make_store(profile)
    assert isinstance(store, CosmosStore)
    assert store.describe() == f"Cosmos DB 127.0.0.1:{cosmos_server.port}/{profile.cosmos_database}"
    await store.init_with_key()
    async with store:
        await store.upsert("user-prefs", {"id": "prefs", "userId": "u1", "theme": "dark"})
        assert (await store.get("user-prefs", "u1", "prefs"))["theme"] == "dark"
        await store.drop_database()
    with pytest.raises(StoreUnavailable):
        CosmosStore.from_profile(Profile(store="cosmos", cosmos_endpoint=cosmos_server.endpoint))  # no key, no credential


async def test_open_is_idempotent_and_keeps_data(cosmos_server):
    name = _db()
    first = CosmosStore(cosmos_server.endpoint, cosmos_server.key, database=name, verify_tls=False)
    await first.init_with_key()
    async with first:
        await first.create("workspaces", {"id": "w1", "tenantId": "t1"})
    second = CosmosStore(cosmos_server.endpoint, cosmos_server.key, database=name, verify_tls=False)
    async with second:
        assert await second.get("workspaces", "t1", "w1") is not None
        await second.drop_database()


async def test_two_order_terms_without_composite_index_fall_back_to_the_first(cosmos_server):
    """The web console's containers have no composite indexes: a multi-field ORDER BY is refused
    by Cosmos, and the adapter then orders that container by the first field only (same rows)."""
    store = await _open(cosmos_server.endpoint, cosmos_server.key)
    try:
        docs = [{"id": f"d{i}", "workspaceId": "w", "x": i % 3, "y": i} for i in range(9)]
        await store.upsert_many("items", docs)
        q = Query((), (Order("x", True), Order("y")))
        first = await store.query("items", "w", q, max_items=4)
        assert "items" in store._single_order  # noqa: SLF001 - the refusal was seen and remembered
        rest = await store.query("items", "w", q, max_items=10, continuation=first.continuation)
        rows = first.items + rest.items
        assert sorted(r["id"] for r in rows) == sorted(d["id"] for d in docs)
        assert [r["x"] for r in rows] == sorted((d["x"] for d in docs), reverse=True)
        window = await store.window("items", "w", q, 6, 3)
        assert [r["x"] for r in window] == [0, 0, 0]
    finally:
        await store.drop_database()
        await store.close()


# -- the SQL text never depends on values --------------------------------------------------------
scalars = st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans())
fields = st.sampled_from(["name", "value", "order", "meta.kind", "a.b.c", "select"])
ops = st.sampled_from([Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE, Op.CONTAINS, Op.STARTSWITH, Op.HAS])


@st.composite
def filters(draw) -> tuple[Filter, Filter]:
    """The same filter twice with two different values."""
    f, op = draw(fields), draw(ops)
    if draw(st.booleans()):
        n = draw(st.integers(1, 4))
        a, b = draw(st.lists(scalars, min_size=n, max_size=n)), draw(st.lists(scalars, min_size=n, max_size=n))
        return Filter(f, Op.IN, a), Filter(f, Op.IN, b)
    return Filter(f, op, draw(scalars)), Filter(f, op, draw(scalars))


@settings(max_examples=200, deadline=None)
@given(st.lists(filters(), min_size=1, max_size=4), st.text(max_size=20), st.text(max_size=20), st.booleans())
def test_sql_text_depends_on_fields_never_on_values(pairs, pk1, pk2, grouped):
    conds1, conds2 = [a for a, _ in pairs], [b for _, b in pairs]
    if grouped:
        conds1, conds2 = [AnyOf(tuple(conds1))], [AnyOf(tuple(conds2))]
    q1, q2 = Query(tuple(conds1), (Order("name", True),)), Query(tuple(conds2), (Order("name", True),))
    sql1, params1 = select_sql("items", pk1 or "p", q1)
    sql2, params2 = select_sql("items", pk2 or "q", q2)
    assert sql1 == sql2  # values only ever travel as @parameters
    assert count_sql("items", pk1 or "p", q1)[0] == count_sql("items", pk2 or "q", q2)[0]
    assert params1[0] == {"name": "@p0", "value": pk1 or "p"}
    assert sql1.startswith('SELECT * FROM c WHERE c["workspaceId"] = @p0 AND ')
    assert sql1.endswith(' ORDER BY c["name"] DESC')
