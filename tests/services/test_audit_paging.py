"""The audit trail reads on past 500 events, and filters by user, action and time — on both
adapters, for one workspace and (tenant admins) the whole tenant."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator

import pytest

from loom_tui.errors import Forbidden, ValidationError
from loom_tui.services.audit_filter import AuditFilter, since_iso
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.store.port import DocumentStore
from tests.store.conftest import close_store, open_store
from tests.support import webconsole as wc
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

from .test_webconsole_data import as_user

N = 620


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    s = await open_store(request.param, request, tmp_path)
    try:
        await wc.load(s)
        yield s
    finally:
        await close_store(s)


async def test_the_trail_pages_past_500_and_filters(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    member = as_user(store, wc.MEMBER)
    ws = await admin.workspaces.create(WorkspaceInput(name="Busy"))
    ref = await admin.scoped.workspace(ws.id)
    await admin.members.add(ws.id, wc.MEMBER.upn, "contributor")
    events = [admin.audit.event(item_type="notebook", action="item.run" if i % 3 else "item.update", summary=f"run {i}")
              for i in range(N)]
    for i, e in enumerate(events):
        await admin.audit.write(ref, f"item-{i % 7}", e)
    total = await admin.audit.workspace_count(ws.id)
    assert total == N + 2  # the create and the member add
    seen, token = [], None
    while True:
        page = await admin.audit.workspace_page(ws.id, max_items=250, continuation=token)
        seen += page.items
        token = page.continuation
        if not token:
            break
    assert len(seen) == total and len({e["id"] for e in seen}) == total
    assert [e["at"] for e in seen] == sorted((e["at"] for e in seen), reverse=True)
    # by action (a prefix), by user (part of the UPN, any case)
    updates = AuditFilter(action="item.update")
    assert await admin.audit.workspace_count(ws.id, updates) == len(range(0, N, 3))
    assert await admin.audit.workspace_count(ws.id, AuditFilter(action="member")) == 1
    by_user = AuditFilter(user=wc.ADMIN.upn.split("@")[0].upper())
    assert await admin.audit.workspace_count(ws.id, by_user) == total
    assert await admin.audit.workspace_count(ws.id, AuditFilter(user="nobody-like-this")) == 0
    assert await admin.audit.workspace_count(ws.id, AuditFilter(since="2999-01-01")) == 0
    # a member reads the workspace's trail; the tenant's is for tenant admins
    assert await member.audit.workspace_count(ws.id, updates) == len(range(0, N, 3))
    with pytest.raises(Forbidden):
        await member.audit.tenant_page(updates)
    assert await admin.audit.tenant_count(AuditFilter(action="item.run")) >= N - len(range(0, N, 3))


def test_since_takes_days_times_and_spans():
    from datetime import datetime, timezone

    now = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
    assert since_iso("7d", now) == "2026-11-21T12:00:00"
    assert since_iso("2026-11-01") == "2026-11-01"
    assert since_iso("2026-11-01T09:30") == "2026-11-01T09:30:00"
    with pytest.raises(ValidationError, match="is not a day or a time"):
        since_iso("last tuesday")
