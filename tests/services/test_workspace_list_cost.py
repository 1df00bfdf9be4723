"""What a Workspaces screen load costs on Cosmos.  Workspaces are filed under their owners'
object ids (as the web console files them), so the list is one cross-partition count and one
cross-partition window, bound to the workspaces the user owns or is granted; the grants are found
with one cross-partition lookup per sharing container (workspace-permissions by the indexed
``upn``, workspace-roles by ``principalId``), cached for the next loads; the request units come
from the recorded charges."""

from __future__ import annotations

import uuid

import pytest

from loom_tui.config import Profile
from loom_tui.domain.session import Session
from loom_tui.domain.workspace import WorkspaceView
from loom_tui.local.demo import seed_demo
from loom_tui.wiring import context as make_context
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

pytestmark = pytest.mark.cosmos
TENANT = "7d1e6c2a-0000-4000-8000-00000000de70"
LEE = Session(tenant_id=TENANT, user_oid="aa000001-0000-4000-8000-000000000003", upn="lee.engineer@contoso-demo.example",
              display_name="Lee Engineer", is_tenant_admin=False, source="test")


@pytest.fixture
async def cosmos(cosmos_server):  # noqa: F811
    from loom_tui.store.cosmos import CosmosStore

    store = CosmosStore(cosmos_server.endpoint, cosmos_server.key, database=f"w{uuid.uuid4().hex[:12]}", verify_tls=False)
    await store.init_with_key()
    await store.open()
    await seed_demo(store, workspaces=12, items_per_workspace=2, audit_days=0)
    yield store
    await store.drop_database()
    await store.close()


@pytest.mark.parametrize("view", [WorkspaceView(), WorkspaceView(search="streaming"), WorkspaceView(mine=True)])
async def test_a_list_load_is_four_requests_and_then_one(cosmos, view):
    ctx = make_context(profile=Profile(), store=cosmos, session=LEE)
    ctx.scoped.bindings_ttl_s = 3600  # the cache's reuse is the point, not its 10 s on a loaded machine
    calls_before = dict(cosmos.charges.by_operation)
    mark = cosmos.charges.mark()
    total = await ctx.workspaces.count(view)
    rows = await ctx.workspaces.window(view, 0, 100)
    ru, calls = cosmos.charges.since(mark)
    ops = {op for op, v in cosmos.charges.by_operation.items() if op not in calls_before or v != calls_before[op]}
    assert len(rows) == total
    # the shared-workspace lookups (workspace-permissions, the console's workspace-roles), one count,
    # one window: workspaces are filed under their owners, so the list reads across partitions
    assert calls == 4
    assert sorted(op for op in ops if "cross" in op) == ["count_cross_partition", "query_cross_partition"]
    assert cosmos.charges.by_operation["query_cross_partition"] > calls_before.get("query_cross_partition", 0)
    # the next load (a keystroke of a search) reuses the grants: one window
    calls_before = dict(cosmos.charges.by_operation)
    mark = cosmos.charges.mark()
    assert len(await ctx.workspaces.window(view, 0, 100)) == total
    assert cosmos.charges.since(mark)[1] == 1
    assert cosmos.charges.by_operation.get("query_cross_partition") == calls_before.get("query_cross_partition")
    assert ru > 0  # charges are recorded from the server's x-ms-request-charge header
    # Lee sees only the workspaces he owns or is a member of
    assert all(r.owner_oid == LEE.user_oid or LEE.upn in r.doc["memberUpns"] for r in rows)
