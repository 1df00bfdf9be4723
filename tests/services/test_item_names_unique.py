"""Item names are unique per type within a workspace, ignoring case (Fabric refuses duplicates):
on create and on rename, on both adapters, over the web console's own documents."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator

import pytest

from loom_tui.errors import NameTaken
from loom_tui.services.workspaces.items import ItemInput
from loom_tui.store.port import DocumentStore
from tests.store.conftest import close_store, open_store
from tests.support import webconsole as wc
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

from .test_webconsole_data import as_user


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    s = await open_store(request.param, request, tmp_path)
    try:
        await wc.load(s)
        yield s
    finally:
        await close_store(s)


async def count_named(admin, name: str) -> int:
    ws = await admin.scoped.workspace(wc.WS_SALES)
    page = await admin.scoped.ws_query(ws, "items", max_items=1000)
    return sum(1 for d in page.items if d["displayName"].lower() == name.lower())


async def test_create_refuses_a_name_its_type_already_has_in_any_case(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    # the web console's notebook "Revenue Notebook"
    with pytest.raises(NameTaken) as err:
        await admin.items.create(wc.WS_SALES, ItemInput("notebook", "REVENUE notebook"))
    assert err.value.field == "displayName" and err.value.exit_code == 5
    assert str(err.value) == "Name 'REVENUE notebook' is taken: this workspace already has a notebook of that name"
    assert await count_named(admin, "Revenue Notebook") == 1
    # another type may share the name; the same type in another workspace too
    report = await admin.items.create(wc.WS_SALES, ItemInput("report", "Revenue Notebook"))
    assert report.item_type == "report"
    await admin.items.create(wc.WS_OPS, ItemInput("notebook", "Revenue Notebook"))


async def test_a_lakehouse_needs_its_sql_endpoints_name_free_among_warehouses(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    await admin.items.create(wc.WS_SALES, ItemInput("warehouse", "Fresh (SQL endpoint)"))
    with pytest.raises(NameTaken, match="already has a warehouse"):
        await admin.items.create(wc.WS_SALES, ItemInput("lakehouse", "fresh"))
    assert await count_named(admin, "fresh") == 0


async def test_rename_refuses_a_taken_name_but_allows_a_change_of_case(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    other = await admin.items.create(wc.WS_SALES, ItemInput("notebook", "Costs"))
    with pytest.raises(NameTaken):
        await admin.items.rename(wc.WS_SALES, other.id, "revenue NOTEBOOK")
    renamed = await admin.items.rename(wc.WS_SALES, wc.ITEM_NOTEBOOK, "REVENUE NOTEBOOK")  # itself, other case
    assert renamed.display_name == "REVENUE NOTEBOOK"
    lake = await admin.items.create(wc.WS_SALES, ItemInput("lakehouse", "lake_one"))
    await admin.items.create(wc.WS_SALES, ItemInput("lakehouse", "lake_two"))
    with pytest.raises(NameTaken):
        await admin.items.rename(wc.WS_SALES, lake.id, "LAKE_TWO")
    assert (await admin.items.rename(wc.WS_SALES, lake.id, "Lake_One")).display_name == "Lake_One"
