"""Issue 22 item 10: a live owner's operation is never taken over because of clock skew or a slow
heartbeat.  Staleness is judged by missed heartbeats as the taker itself measures them (its own
monotonic clock), never by comparing another host's wall clock with ours."""

from __future__ import annotations

import asyncio
import time

import pytest

from loom_tui.domain.operation import Operation, Step
from loom_tui.services import operation_owners
from loom_tui.services.operation_owners import Liveness
from tests.azure.conftest import lab_context
from tests.azure.test_operations import arm_ops  # noqa: F401  (a fixture)

SKEW = 45.0  # the other host's clock runs this far behind ours: its heartbeats look 45 s old here


def elsewhere(op_id: str = "op-elsewhere") -> Operation:
    return Operation(op_id, "test.remote", "t", "ops.admin@contoso-demo.example", "2026-11-27T09:00:00.000Z",
                     steps=(Step("wait", "running"),), owner="another-host:4242", heartbeat_at=time.time() - SKEW)


async def beat(ctx, op_id: str, stop: asyncio.Event) -> None:
    """The other host's owner, alive: a heartbeat every 50 ms, stamped with its (skewed) clock."""
    while not stop.is_set():
        doc = await ctx.scoped.tenant_get("operations", op_id)
        try:
            await ctx.scoped.tenant_replace("operations", {**doc, "heartbeatAt": time.time() - SKEW}, if_match=doc["_etag"])
        except Exception:  # noqa: BLE001 — a race with the taker's read is fine
            pass
        await asyncio.sleep(0.05)


async def test_a_beating_owner_on_a_skewed_host_is_not_taken_over_a_silent_one_is(arm_ops, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(operation_owners, "STALE", 0.5)
    owner_ctx = await lab_context(tmp_path / "db", arm_ops)
    taker = await lab_context(tmp_path / "db")
    stop = asyncio.Event()
    try:
        await owner_ctx.scoped.tenant_create("operations", elsewhere().to_doc(owner_ctx.scoped.tid))
        beating = asyncio.create_task(beat(owner_ctx, "op-elsewhere", stop))
        for _ in range(12):  # 1.2 s: well past STALE, but the heartbeat keeps moving
            assert await taker.operations.resume_orphans() == []
            await asyncio.sleep(0.1)
        stop.set()
        await beating
        taken: list = []
        for _ in range(30):  # silent now: gone once STALE passes on the taker's own clock
            taken = await taker.operations.resume_orphans()
            if taken:
                break
            await asyncio.sleep(0.1)
        assert [o.id for o in taken] == ["op-elsewhere"]
    finally:
        stop.set()
        await taker.close()
        await owner_ctx.close()


def test_liveness_never_reads_the_heartbeat_as_a_time() -> None:
    now = [1000.0]
    live = Liveness(clock=lambda: now[0])
    op = elsewhere()
    for skew in (-3600.0, 0.0, 3600.0):  # whatever the other host's clock says
        op = Operation(**{**op.__dict__, "heartbeat_at": time.time() + skew})
        assert not live.gone(op)  # a new heartbeat: alive
    now[0] += operation_owners.STALE - 1
    assert not live.gone(op)
    now[0] += 2
    assert live.gone(op)  # the same heartbeat for STALE seconds of our clock


@pytest.mark.parametrize("owner", ["", None])
def test_an_ownerless_running_record_counts_as_silent(owner) -> None:
    now = [0.0]
    live = Liveness(clock=lambda: now[0])
    op = Operation(**{**elsewhere().__dict__, "owner": owner, "heartbeat_at": None})
    assert not live.gone(op)
    now[0] += operation_owners.STALE
    assert live.gone(op)
