"""Writes that span documents: unique names under concurrency (both adapters), by-name lookups
that match several refuse, a full disk (SQLite's own SQLITE_FULL, not a mock) and kill -9 leave
work that repair finishes, every invariant checked afterwards."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from loom_tui.config import Profile
from loom_tui.domain.workspace import Workspace
from loom_tui.domain.session import Session
from loom_tui.local.demo import DEMO_SESSION, DEMO_TENANT, seed_demo
from loom_tui.wiring import context as make_context
from loom_tui.wiring import open_context
from loom_tui.services.errors import ConflictError, ValidationError
from loom_tui.services.workspaces.items import ItemInput
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.store.errors import StoreError
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

from .invariants import broken_invariants

ADMIN = DEMO_SESSION


async def _contexts(kind: str, request, tmp_path: Path, n: int):
    if kind == "sqlite":
        first = await open_context(Profile(), data_dir=str(tmp_path / "race"))
        rest = [await open_context(Profile(), data_dir=str(tmp_path / "race")) for _ in range(n - 1)]
        return [first, *rest], None
    from loom_tui.store.cosmos import CosmosStore

    server = request.getfixturevalue("cosmos_server")
    db = f"r{uuid.uuid4().hex[:12]}"
    stores = [CosmosStore(server.endpoint, server.key, database=db, verify_tls=False) for _ in range(n)]
    await stores[0].init_with_key()
    for s in stores:
        await s.open()
    return [make_context(profile=Profile(), store=s, session=ADMIN) for s in stores], stores[0]


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def test_racing_creates_never_make_case_insensitive_duplicates(kind, request, tmp_path) -> None:
    ctxs, dropper = await _contexts(kind, request, tmp_path, 2)
    try:
        for i in range(20):
            a, b = ctxs
            results = await asyncio.gather(a.workspaces.create(WorkspaceInput(name=f"Race {i}")),
                                           b.workspaces.create(WorkspaceInput(name=f"RACE {i}")), return_exceptions=True)
            made = [r for r in results if isinstance(r, Workspace)]
            refused = [r for r in results if isinstance(r, ValidationError)]
            assert len(made) == 1 and len(refused) == 1, results
        for i in range(20):
            from loom_tui.store.query import Query, eq

            assert len(await ctxs[0].scoped.workspaces_in_tenant(Query((eq("nameLower", f"race {i}"),)), max_items=5)) == 1
    finally:
        if dropper is not None:
            await dropper.drop_database()
        for c in ctxs:
            await c.close()


async def test_a_rename_takes_the_name_and_frees_the_old_one(ctx) -> None:
    a = await ctx.workspaces.create(WorkspaceInput(name="Alpha space"))
    await ctx.workspaces.update(a.id, {"name": "Beta space"}, etag=None)
    b = await ctx.workspaces.create(WorkspaceInput(name="alpha SPACE"))  # the old name is free again
    with pytest.raises(ValidationError, match="already exists"):
        await ctx.workspaces.update(b.id, {"name": "BETA space"}, etag=None)
    await ctx.workspaces.delete(a.id)
    await ctx.workspaces.update(b.id, {"name": "beta space"}, etag=None)  # freed by the delete


async def test_a_by_name_lookup_matching_several_refuses_with_the_ids(ctx) -> None:
    one = await ctx.workspaces.create(WorkspaceInput(name="Twin name"))
    # another writer stored a second workspace under the same name (loom itself refuses that)
    two = {k: v for k, v in one.doc.items() if not k.startswith("_")}
    two["id"] = str(uuid.uuid4())
    await ctx.store.upsert("workspaces", two)
    with pytest.raises(ConflictError) as err:
        await ctx.workspaces.find("twin NAME")
    assert one.id in str(err.value) and two["id"] in str(err.value)
    assert (await ctx.workspaces.find(one.id)).id == one.id  # an id is never ambiguous


def test_headless_delete_by_an_ambiguous_name_deletes_nothing(tmp_path) -> None:
    async def setup():
        c = await open_context(Profile())
        one = await c.workspaces.create(WorkspaceInput(name="Dup name"))
        two = {k: v for k, v in one.doc.items() if not k.startswith("_")}
        two["id"] = str(uuid.uuid4())
        await c.store.upsert("workspaces", two)
        await c.close()
        return one.id, two["id"]

    ids = asyncio.run(setup())
    loom = str(Path(sys.executable).parent / "loom")
    out = subprocess.run([loom, "workspaces", "delete", "dup name", "--yes"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 5 and all(i in out.stderr for i in ids) and "Traceback" not in out.stderr
    listed = subprocess.run([loom, "workspaces", "list", "--search", "dup name", "--json"], capture_output=True, text=True, timeout=60)
    assert len(json.loads(listed.stdout)) == 2  # a bare array


async def test_deleting_shows_in_the_list_and_repair_finishes_it(ctx) -> None:
    from loom_tui.domain.workspace import WorkspaceView

    ws = await ctx.workspaces.create(WorkspaceInput(name="Half deleted"))
    await ctx.items.create(ws.id, ItemInput("notebook", "n1"))
    doc = (await ctx.scoped.workspace(ws.id)).doc
    await ctx.store.upsert("workspaces", {**doc, "state": "Deleting", "updatedAt": "2020-01-01T00:00:00.000Z"})
    rows = await ctx.workspaces.window(WorkspaceView(search="half deleted"), 0, 10)
    assert [r.state for r in rows] == ["Deleting"]
    report = await ctx.repair.run(min_age_s=0)
    assert any("finished deleting" in line for line in report.fixed)
    assert await ctx.store.get("workspaces", doc["tenantId"], ws.id) is None
    assert await ctx.store.count("items", ws.id) == 0


async def test_disk_full_mid_create_then_repair_leaves_every_invariant(tmp_path) -> None:
    """SQLite's max_page_count makes the database really full (SQLITE_FULL) after a few pages."""
    data = str(tmp_path / "full")
    ctx = await open_context(Profile(), data_dir=data)
    try:
        store = ctx.store
        pages = await store._run(lambda c: c.execute("PRAGMA page_count").fetchone()[0])  # noqa: SLF001
        failures = 0
        for i in range(40):
            await store._run(lambda c, n=pages + 2 + i // 3: c.execute(f"PRAGMA max_page_count = {n}"))  # noqa: SLF001
            try:
                ws = await ctx.workspaces.create(WorkspaceInput(name=f"Full {i} " + "x" * 200, description="d" * 1500))
                for k in range(3):
                    await ctx.items.create(ws.id, ItemInput("lakehouse" if k % 2 else "notebook", f"it {k} " + "y" * 150,
                                                            description="z" * 1500))
            except StoreError as exc:
                failures += 1
                assert "full" in str(exc).lower()
        assert failures > 0, "the store never filled up"
        await store._run(lambda c: c.execute("PRAGMA max_page_count = 1073741823"))  # noqa: SLF001  space again
        await ctx.repair.run(min_age_s=0, full=True)
        assert await broken_invariants(ctx, "Full ") == []
        again = await ctx.repair.run(min_age_s=0, full=True)  # idempotent
        assert again.fixed == [] and again.skipped == []
    finally:
        await ctx.close()


WRITER = textwrap.dedent("""
    import asyncio, sys
    from loom_tui.config import Profile
    from loom_tui.wiring import open_context
    from loom_tui.services.workspaces.items import ItemInput
    from loom_tui.services.workspaces.service import WorkspaceInput

    async def main():
        ctx = await open_context(Profile(), data_dir=sys.argv[1])
        print("ready", flush=True)
        i = 0
        while True:
            ws = await ctx.workspaces.create(WorkspaceInput(name=f"Killed {sys.argv[2]} {i}"))
            for k in range(4):
                await ctx.items.create(ws.id, ItemInput("lakehouse" if k % 2 else "notebook", f"item {k}"))
            print("done", i, flush=True)
            i += 1

    asyncio.run(main())
""")


def test_kill_9_during_creates_then_repair_leaves_every_invariant(tmp_path) -> None:
    data = str(tmp_path / "killed")
    for round_ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, data, str(round_)], stdout=subprocess.PIPE, text=True,
                                cwd=str(Path(__file__).resolve().parents[2]))
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().startswith("ready")
            done = 0
            target = 2 + round_  # kill it a little later each round, in the middle of some write
            while done < target:
                line = proc.stdout.readline()
                assert line, "the writer died by itself"
                done += line.startswith("done")
            time.sleep(0.01 * round_)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(10)

    async def check():
        ctx = await open_context(Profile(), data_dir=data, repair=False)
        try:
            await ctx.repair.run(min_age_s=0, full=True)
            problems = await broken_invariants(ctx, "Killed ")
            again = await ctx.repair.run(min_age_s=0, full=True)
            return problems, again
        finally:
            await ctx.close()

    problems, again = asyncio.run(check())
    assert problems == []
    assert again.fixed == [] and again.skipped == []


def test_loom_repair_command() -> None:
    loom = str(Path(sys.executable).parent / "loom")
    first = subprocess.run([loom, "repair", "--json"], capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert '"skipped": []' in first.stdout
    again = subprocess.run([loom, "repair"], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "nothing to repair" in again.stdout
    ro = subprocess.run([loom, "--read-only", "repair"], capture_output=True, text=True, timeout=120)
    assert ro.returncode == 4 and "read-only" in ro.stderr


async def test_repair_names_work_it_leaves_to_a_live_writer(ctx) -> None:
    """An intent younger than --min-age is not touched, but it is named with its age, and the
    command exits 1 while it remains (a crash a moment ago must not read as "nothing to repair")."""
    from loom_tui.services.journal import Journal

    ws = await ctx.workspaces.create(WorkspaceInput(name="Young intent"))
    await Journal(ctx.scoped).begin("item.create", {"workspaceId": ws.id, "docs": [], "events": []})
    report = await ctx.repair.run(min_age_s=3600)
    assert report.fixed == [] and len(report.left) == 1
    assert report.left[0].startswith(f"item.create {ws.id}: left to a live writer (") and report.left[0].endswith(" s old)")
    assert report.to_dict()["left"] == report.left


def test_loom_repair_exits_1_while_work_is_left(tmp_path) -> None:
    from loom_tui.services.journal import Journal
    from tests.support.cli import loom

    async def young_intent() -> str:
        c = await open_context(Profile())
        try:
            ws = await c.workspaces.create(WorkspaceInput(name="Young intent CLI"))
            await Journal(c.scoped).begin("item.create", {"workspaceId": ws.id, "docs": [], "events": []})
            return ws.id
        finally:
            await c.close()

    wid = asyncio.run(young_intent())
    r = loom("repair", "--min-age", "3600")
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"left     item.create {wid}: left to a live writer (" in r.stdout and "1 left to a live writer" in r.stdout
    assert json.loads(loom("repair", "--min-age", "3600", "-o", "json").stdout)["left"][0].startswith(f"item.create {wid}")
    assert loom("repair", "--min-age", "0").returncode == 0  # once old enough, it is finished


@pytest.mark.fresh_data
async def test_a_fresh_demo_seed_is_consistent(tmp_path) -> None:
    """Every lakehouse of the seeded demo tenant has its SQL endpoint and every itemCount is right:
    a full repair right after seeding finds nothing to fix."""
    c = await open_context(Profile(), data_dir=str(tmp_path / "seeded"))
    try:
        report = await c.repair.run(min_age_s=0, full=True)
        assert report.fixed == [] and report.skipped == []
    finally:
        await c.close()
