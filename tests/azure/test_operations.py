"""Long-running operations against the local ARM server: LRO polling (Location and
Azure-AsyncOperation), progress as an async iterator, ARM's error kept in full, cancel, read-only,
and an operation that survives a killed process (``kill -9``) and resumes on the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loom_tui.azure.lro import poll, poll_url
from loom_tui.domain.operation import Operation
from loom_tui.services.errors import ReadOnlyError
from loom_tui.services.operations import owner_gone
from tests.azure.conftest import lab_context
from tests.support.arm_server import ArmServer
from tests.support.threaded import serve_in_thread

REPO = Path(__file__).resolve().parents[2]
SUB = "00000000-0000-0000-0000-000000000001"
LINK = f"/subscriptions/{SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.dfs.core.windows.net/virtualNetworkLinks/link-1"
DEPLOYMENT = f"/subscriptions/{SUB}/providers/Microsoft.Resources/deployments/dlz-1"


@pytest.fixture
def arm_ops(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """The ARM server over https in its own thread (a subprocess can reach it too), trusted
    through REQUESTS_CA_BUNDLE (inherited by subprocesses)."""
    with serve_in_thread(ArmServer(tls=True, tmp=tmp_path)) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
        yield server


async def link_and_deploy(handle):
    await handle.begin("link", "PUT", LINK, "2024-06-01", json={"location": "global", "properties": {}})
    state = await handle.begin("deploy", "PUT", DEPLOYMENT, "2025-04-01", json={"properties": {"mode": "Incremental"}})
    return {"deployment": state.status}


async def test_lro_poll_follows_location_to_the_end(arm_ops, tmp_path) -> None:
    arm_ops.lro_polls = 3
    ctx = await lab_context(tmp_path / "db", arm_ops)
    try:
        clients = await ctx.azure()
        resp = await clients.send("PUT", LINK, "2024-06-01", json={"location": "global"})
        assert resp.status == 202
        seen = []
        final = await poll(clients, poll_url(resp), on_progress=seen.append, pace=ctx.pace)
    finally:
        await ctx.close()
    assert [s.outcome for s in seen] == ["running"] * 3 + ["succeeded"]
    assert final.outcome == "succeeded" and final.body["name"]  # the resource, as the final Location answer


async def test_an_operation_runs_its_steps_and_reports_progress(arm_ops, tmp_path) -> None:
    arm_ops.lro_polls = 2
    ctx = await lab_context(tmp_path / "db", arm_ops)
    try:
        op = await ctx.operations.start("test.dlz", DEPLOYMENT, steps=["link", "deploy"], run=link_and_deploy)
        assert op.running and op.started_by == ctx.session.upn and [s.state for s in op.steps] == ["pending", "pending"]
        snapshots = [o async for o in ctx.operations.watch(op.id)]
        stored = await ctx.operations.get(op.id)
    finally:
        await ctx.close()
    final = snapshots[-1]
    assert final.state == "succeeded" and final.result == {"deployment": "Succeeded"} and final.error is None
    assert [s.state for s in final.steps] == ["succeeded", "succeeded"] and final.progress == 1.0
    assert final.finished_at and final.poll_url is None
    polled = {o.poll_url for o in snapshots if o.poll_url}
    assert any("/_operations/" in u for u in polled)  # the URL was stored while it was polled
    assert any(o.steps[0].state == "running" for o in snapshots)  # progress was seen on the way
    assert stored == final  # what the store holds is what the watcher saw


async def test_arm_errors_end_the_operation_with_the_message_in_full(arm_ops, tmp_path) -> None:
    ctx = await lab_context(tmp_path / "db", arm_ops)
    try:
        async def bad(handle):
            await handle.begin("call", "PUT", f"/subscriptions/{SUB}/providers/Microsoft.Nothing/things/[x]", "2024-01-01", json={})

        op = await ctx.operations.start("test.bad", "x", steps=["call", "after"], run=bad)
        final = await ctx.operations.wait(op.id)
    finally:
        await ctx.close()
    assert final.state == "failed"
    assert final.error.code == "NotFoundInTestServer" and final.error.status == 404
    assert "Microsoft.Nothing/things/[x]" in final.error.message
    assert [s.state for s in final.steps] == ["failed", "pending"]


async def test_cancel_a_running_operation(arm_ops, tmp_path) -> None:
    arm_ops.lro_polls = 10_000
    ctx = await lab_context(tmp_path / "db", arm_ops)
    try:
        op = await ctx.operations.start("test.slow", LINK, steps=["link"], run=lambda h: h.begin("link", "PUT", LINK, "2024-06-01", json={}))
        await ctx.operations.until_polling(op.id)
        final = await ctx.operations.cancel(op.id)
    finally:
        await ctx.close()
    assert final.state == "cancelled" and final.steps[0].state == "cancelled"
    assert "Azure has no cancel for this operation" in final.error.message


async def test_steps_moved_by_concurrent_tasks_all_land(arm_ops, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A runner whose steps move from concurrent tasks (the DLZ's 17 DNS links at once) while the
    heartbeat beats: every change lands, none is overwritten by a stale copy, and a burst of this
    process's own writes is never taken for another process taking the operation over (which left
    the operation 'running' with nobody driving it: a watcher waited for ever)."""
    import asyncio

    import loom_tui.services.operations as operations

    monkeypatch.setattr(operations, "HEARTBEAT", 0.001)
    names = [f"s{i}" for i in range(24)]

    async def run(handle):
        async def one(name: str) -> None:
            for k in range(4):
                await handle.step(name, "running", progress=k / 4, message=f"{name} {k}")
            await handle.step(name, "succeeded", message=f"{name} done")

        await asyncio.gather(*(one(n) for n in names))
        return "ok"

    ctx = await lab_context(tmp_path / "db", arm_ops)
    try:
        op = await ctx.operations.start("test.many", "many", steps=names, run=run)
        final = await asyncio.wait_for(ctx.operations.wait(op.id), 60)
    finally:
        await ctx.close()
    assert final.state == "succeeded" and final.result == "ok"
    assert [(s.state, s.message) for s in final.steps] == [("succeeded", f"{n} done") for n in names]


async def test_read_only_refuses_to_start(arm_ops, tmp_path) -> None:
    ctx = await lab_context(tmp_path / "db", arm_ops, read_only=True)
    try:
        with pytest.raises(ReadOnlyError):
            await ctx.operations.start("test.x", "x", steps=["a"], run=link_and_deploy)
        assert await ctx.operations.recent() == []
    finally:
        await ctx.close()


async def test_closing_leaves_it_running_and_the_next_process_resumes_it(arm_ops, tmp_path) -> None:
    arm_ops.lro_polls = 10_000
    ctx = await lab_context(tmp_path / "db", arm_ops)
    op = await ctx.operations.start("test.slow", LINK, steps=["link"], run=lambda h: h.begin("link", "PUT", LINK, "2024-06-01", json={}))
    await ctx.operations.until_polling(op.id)
    await ctx.close()  # the process ends: nothing is cancelled
    ctx2 = await lab_context(tmp_path / "db", arm_ops)
    try:
        left = await ctx2.operations.require(op.id)
        assert left.running and left.poll_url
        assert not owner_gone(left)  # this very process owned it: not an orphan
        # pretend the owner was another process on this host that died
        await ctx2.scoped.tenant_replace("operations", {**left.to_doc(ctx2.scoped.tid), "owner": f"{os.uname().nodename}:{dead_pid()}"},
                                         if_match=left.etag)
        arm_ops.lro_polls = 0
        for st in arm_ops._ops.values():
            st["left"] = 1
        resumed = await ctx2.operations.resume_orphans()
        assert [o.id for o in resumed] == [op.id]
        final = await ctx2.operations.wait(op.id)
    finally:
        await ctx2.close()
    assert final.state == "succeeded" and final.steps[0].state == "succeeded"


def dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


CHILD = """
import asyncio, sys
from tests.azure.conftest import lab_context
LINK = {link!r}

async def main():
    ctx = await lab_context({db!r})
    op = await ctx.operations.start("test.link", LINK, steps=["link"],
                                    run=lambda h: h.begin("link", "PUT", LINK, "2024-06-01", json={{}}))
    print(op.id, flush=True)
    await ctx.operations.wait(op.id)
    print("finished", flush=True)

asyncio.run(main())
"""


async def test_an_operation_survives_kill_9_and_resumes_on_the_next_start(arm_ops, tmp_path) -> None:
    arm_ops.lro_polls = 40  # about 2 s of polling: the server says Retry-After: 0, loom waits its 1 s floor at the tests' pace (20x)
    ctx = await lab_context(tmp_path / "db", arm_ops)  # registers the cloud for the child too
    await ctx.close()
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(link=LINK, db=str(tmp_path / "db"))], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        op_id = child.stdout.readline().strip()
        assert op_id, child.stderr.read()
        ctx = await lab_context(tmp_path / "db")
        try:
            for _ in range(200):  # until the child has the ARM operation's URL stored and has polled it
                op = await ctx.operations.require(op_id)
                if op.poll_url and len(arm_ops.calls_to("operations")) >= 2:
                    break
                time.sleep(0.05)
            assert op.poll_url and op.owner.endswith(f":{child.pid}")
        finally:
            await ctx.close()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    polls_by_child = len(arm_ops.calls_to("operations"))
    assert child.returncode == -signal.SIGKILL

    ctx = await lab_context(tmp_path / "db")  # the next start
    try:
        left = await ctx.operations.require(op_id)
        assert left.running and left.steps[0].state == "running"  # the kill left it running in the store
        assert owner_gone(left)  # its owner is a dead pid on this host
        resumed = await ctx.operations.resume_orphans()
        assert [o.id for o in resumed] == [op_id]
        final = await ctx.operations.wait(op_id)
    finally:
        await ctx.close()
    assert final.state == "succeeded" and final.steps[0].state == "succeeded" and final.error is None
    assert len(arm_ops.calls_to("operations")) > polls_by_child  # this process polled the rest
    assert final.owner != left.owner


def test_operation_documents_round_trip() -> None:
    op = Operation("i", "k", "t", "u", "2026-11-28T08:00:00.000Z")
    assert Operation.from_doc(op.to_doc("tid")) == op
    assert op.to_doc("tid")["tenantId"] == "tid"
