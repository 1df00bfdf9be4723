"""The item list of a workspace on Cosmos DB: sorted reads work on containers without composite
indexes (as the web console creates them), head and tail of the list included."""

from __future__ import annotations

import uuid

import pytest

from loom_tui.config import Profile
from loom_tui.domain.workspace import WorkspaceView
from loom_tui.local.demo import DEMO_SESSION, seed_demo
from loom_tui.wiring import context as make_context
from loom_tui.services.workspaces.items import ItemSort, ItemView
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

pytestmark = pytest.mark.cosmos


@pytest.mark.parametrize("sort", list(ItemSort))
async def test_item_views_read_head_and_tail_on_cosmos(cosmos_server, sort):  # noqa: F811
    from loom_tui.store.cosmos import CosmosStore

    store = CosmosStore(cosmos_server.endpoint, cosmos_server.key, database=f"i{uuid.uuid4().hex[:12]}", verify_tls=False)
    await store.init_with_key()
    await store.open()
    try:
        await seed_demo(store, workspaces=1, items_per_workspace=25, audit_days=0)
        ctx = make_context(profile=Profile(), store=store, session=DEMO_SESSION)
        ws = (await ctx.workspaces.window(WorkspaceView(), 0, 1))[0]
        view = ItemView(sort=sort)
        total = await ctx.items.count(ws.id, view)
        head = await ctx.items.window(ws.id, view, 0, 10, total=total)
        tail = await ctx.items.window(ws.id, view, total - 10, 10, total=total)
        assert total >= 25 and len(head) == 10 and len(tail) == 10
        key = sort.value
        values = [r.doc.get(key) for r in head + tail]
        # ascending by the chosen field across head and tail; a missing value (an item at the root
        # has no folderId) sorts lowest, as Cosmos DB orders undefined and null
        assert values == sorted(values, key=lambda v: (v is not None, v if v is not None else ""))
        assert not {r.id for r in head} & {r.id for r in tail}
    finally:
        await store.drop_database()
        await store.close()
