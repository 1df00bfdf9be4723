"""``loom migrate`` is the web console's backfill (scripts/csa-loom/backfill-workspace-tid.mjs):
workspaces filed under their owner's object id that lack ``tid``/``ownerOid`` are counted by
``loom doctor`` and filled in place by ``loom migrate`` — never moved between partitions (tenant
admins, dry run by default, audited, idempotent, refused in read-only); another tenant's
workspaces are never shown nor touched."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import AsyncIterator

import pytest

from loom_tui.services.directory import DirectoryUser, StaticDirectory
from loom_tui.services.doctor import OK, WARN, Report
from loom_tui.services.errors import Forbidden, ReadOnlyError
from loom_tui.services.v1tenant import V1TenantService, doctor_check
from loom_tui.store.port import DocumentStore
from tests.store.conftest import close_store, open_store
from tests.support import webconsole as wc
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

from .test_webconsole_data import as_user

OTHER_TENANT = "99999999-0000-4000-8000-0000000000bb"
DIRECTORY = StaticDirectory([DirectoryUser(u.oid, u.upn, u.name) for u in (wc.ADMIN, wc.CREATOR, wc.MEMBER, wc.LEGACY_OWNER)])
STRANGER_OID = "0b000000-0000-4000-8000-0000000000ff"


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    s = await open_store(request.param, request, tmp_path)
    try:
        await wc.load(s)
        await s.upsert_many("workspaces", [
            # a v1 workspace of someone this tenant's directory does not know: left alone
            {"id": "v1-stranger", "tenantId": STRANGER_OID, "name": "Stranger's", "createdBy": "x@elsewhere.example"},
            # HEAD: its tid names this tenant, its tenantId an object id
            {"id": "head-tid", "tenantId": STRANGER_OID, "tid": wc.TENANT, "name": "Head Tid", "createdBy": "y@elsewhere.example"},
            # another tenant's real workspace (and one whose tid names another tenant): never touched
            {"id": "other-1", "tenantId": OTHER_TENANT, "name": "Other tenant", "createdBy": wc.LEGACY_OWNER.upn},
            {"id": "other-2", "tenantId": wc.LEGACY_OWNER.oid, "tid": OTHER_TENANT, "name": "Other tid"},
        ])
        yield s
    finally:
        await close_store(s)


def service(store: DocumentStore, *, admin: bool = True, read_only: bool = False) -> V1TenantService:
    ctx = as_user(store, wc.ADMIN if admin else wc.CREATOR, tenant_admin=admin, read_only=read_only)
    return V1TenantService(ctx.scoped, ctx.gate, DIRECTORY)


async def test_scan_counts_what_the_tenant_can_claim(store):
    scan = await service(store).scan()
    assert sorted(w.id for w in scan.adoptable) == sorted([wc.WS_LEGACY, "head-tid"])
    assert scan.unrecognised == 2  # the stranger's, and the other tenant's (an id is not a user of ours)
    legacy = next(w for w in scan.adoptable if w.id == wc.WS_LEGACY)
    assert (legacy.owner_oid, legacy.name, legacy.fills) == (wc.LEGACY_OWNER.oid, "Legacy Space", ("tid", "ownerOid"))
    assert next(w for w in scan.adoptable if w.id == "head-tid").fills == ("ownerOid",)
    report = Report()
    await doctor_check(report, as_user(store, wc.ADMIN, tenant_admin=True).v1tenant)
    # the tenant's default directory (none for this tenant) ties only the HEAD document (its tid)
    check = report.checks[-1]
    assert (check.area, check.status) == ("data", WARN)
    assert "4 workspace(s) filed under an owner's object id lack tid or ownerOid" in check.detail
    assert "1 of this tenant's users" in check.detail and "3 not recognised" in check.detail and "loom migrate" in check.fix
    ok = Report()
    await doctor_check(ok, as_user(store, wc.CREATOR).v1tenant)  # not an admin: not looked at
    assert ok.checks[-1].status == OK and "tenant admin" in ok.checks[-1].detail


async def test_dry_run_changes_nothing_then_apply_fills_in_place_once(store):
    admin = as_user(store, wc.ADMIN, tenant_admin=True)
    before = await store.get("workspaces", wc.LEGACY_OWNER.oid, wc.WS_LEGACY)
    dry = await service(store).migrate()
    assert not dry.applied and sorted(w.id for w in dry.adopted) == sorted([wc.WS_LEGACY, "head-tid"])
    assert await store.get("workspaces", wc.LEGACY_OWNER.oid, wc.WS_LEGACY) == before

    done = await service(store).migrate(apply=True)
    assert done.applied and sorted(w.id for w in done.adopted) == sorted([wc.WS_LEGACY, "head-tid"])
    # in place: the same partition (the owner's oid), every field kept, tid and ownerOid added
    filled = await store.get("workspaces", wc.LEGACY_OWNER.oid, wc.WS_LEGACY)
    original = next(d for d in wc.WORKSPACES if d["id"] == wc.WS_LEGACY)
    assert {k: filled[k] for k in original} == original
    assert (filled["tenantId"], filled["tid"], filled["ownerOid"]) == (wc.LEGACY_OWNER.oid, wc.TENANT, wc.LEGACY_OWNER.oid)
    assert await store.get("workspaces", wc.TENANT, wc.WS_LEGACY) is None  # nothing moved into the tenant partition
    head = await store.get("workspaces", STRANGER_OID, "head-tid")
    assert (head["tenantId"], head["tid"], head["ownerOid"]) == (STRANGER_OID, wc.TENANT, STRANGER_OID)
    events = [e async for e in store.iterate("audit-log", f"tenant-settings:{wc.TENANT}")]
    backfills = [e for e in events if e["action"] == "workspace.backfill"]
    assert sorted(e["diff"]["workspaceId"][1] for e in backfills) == sorted([wc.WS_LEGACY, "head-tid"])
    assert all(e["tenantId"] == wc.TENANT and e["upn"] == admin.session.upn for e in backfills)
    # idempotent: nothing left to fill, nothing else touched
    again = await service(store).migrate(apply=True)
    assert again.adopted == [] and again.unrecognised == 2
    for pk, id in ((STRANGER_OID, "v1-stranger"), (OTHER_TENANT, "other-1"), (wc.LEGACY_OWNER.oid, "other-2")):
        doc = await store.get("workspaces", pk, id)
        assert doc is not None and "ownerOid" not in doc
    assert (await store.get("workspaces", wc.LEGACY_OWNER.oid, "other-2"))["tid"] == OTHER_TENANT


async def test_a_field_the_document_has_is_never_changed(store):
    await store.upsert("workspaces", {"id": "half", "tenantId": wc.LEGACY_OWNER.oid, "ownerOid": "someone-else", "name": "Half"})
    await service(store).migrate(apply=True)
    doc = await store.get("workspaces", wc.LEGACY_OWNER.oid, "half")
    assert (doc["ownerOid"], doc["tid"]) == ("someone-else", wc.TENANT)


async def test_only_tenant_admins_and_never_in_read_only(store):
    with pytest.raises(Forbidden):
        await service(store, admin=False).scan()
    with pytest.raises(Forbidden):
        await as_user(store, wc.CREATOR).scoped.admin_foreign_workspaces().__anext__()
    with pytest.raises(ReadOnlyError):
        await service(store, read_only=True).migrate(apply=True)
    assert len((await service(store, read_only=True).migrate()).adopted) == 2  # a dry run reads only
    assert "tid" not in await store.get("workspaces", wc.LEGACY_OWNER.oid, wc.WS_LEGACY)


# -- the commands, as an operator runs them (embedded store, demo tenant) -------------------------
from tests.support.cli import loom  # noqa: E402


@pytest.mark.fresh_data  # `loom seed` makes the store; no cost database (its files' modes are issue 22's)
def test_doctor_and_migrate_commands(tmp_path):
    import asyncio

    from loom_tui.local.demo import DEMO_USERS
    from loom_tui.store.sqlite import SqliteStore

    assert loom("seed").returncode == 0
    owner_oid = DEMO_USERS[2][0]

    async def put_v1() -> None:
        s = SqliteStore(os.environ["LOOM_DATA_DIR"])
        await s.open()
        await s.upsert("workspaces", {"id": "v1-demo", "tenantId": owner_oid, "name": "Old v1 space", "createdBy": "someone"})
        await s.close()

    asyncio.run(put_v1())
    doctor = json.loads(loom("doctor", "--json", "--timeout", "0.2").stdout)
    data = [c for c in doctor["checks"] if c["area"] == "data"]
    assert data and data[0]["status"] == "WARN" and "1 workspace(s) filed under an owner's object id" in data[0]["detail"]
    dry = loom("migrate")
    assert dry.returncode == 0 and "v1-demo" in dry.stdout and "dry run" in dry.stdout
    refused = loom("--read-only", "migrate", "--apply")
    assert refused.returncode != 0 and "read-only" in refused.stderr
    applied = json.loads(loom("migrate", "--apply", "--json").stdout)
    assert [w["id"] for w in applied["filled"]] == ["v1-demo"]
    assert json.loads(loom("migrate", "--apply", "--json").stdout)["filled"] == []

    async def read_back() -> dict:
        s = SqliteStore(os.environ["LOOM_DATA_DIR"])
        await s.open()
        try:
            return await s.get("workspaces", owner_oid, "v1-demo")
        finally:
            await s.close()

    doc = asyncio.run(read_back())
    assert doc["tenantId"] == owner_oid and doc["ownerOid"] == owner_oid and doc["tid"]  # still in the owner's partition
    doctor = json.loads(loom("doctor", "--json", "--timeout", "0.2").stdout)
    assert [c["status"] for c in doctor["checks"] if c["area"] == "data"] == ["OK"]
