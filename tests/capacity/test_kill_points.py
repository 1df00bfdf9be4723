"""Issue 22's acceptance for long-running operations: a ``kill -9`` at each point of a capacity
pause, and ``--no-wait`` followed by ``operations wait``, on the local profile, end with the
record matching Azure's state within the deadline, in every case.

Each ``loom`` process runs its own demo Azure on a new port (the estate is shared through the data
directory), so these are real processes: the one killed, and the ``loom operations wait`` that
takes its operation over."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loom_tui.config import Profile
from loom_tui.demo_azure.state import State, state_path
from loom_tui.wiring import open_context
from tests.support.cli import loom as loom_here
from tests.support.cli import loom_process

NAME = "fccsaloomfinance"
SPEED = 20.0  # tests/conftest.py's LOOM_DEMO_SPEED


def data_dir() -> Path:
    return Path(os.environ["LOOM_DATA_DIR"])


def estate() -> State:
    loom_here("demo-azure", "reset", check=True)  # seeded now, shared with every loom process of this data dir
    return State(state_path(data_dir()), seed=False)


def capacity_id(state: State) -> str:
    return next(r["id"] for r in state.list(type="microsoft.fabric/capacities") if r["name"] == NAME)


async def _ops() -> list:
    ctx = await open_context(Profile(), data_dir=str(data_dir()))
    try:
        return await ctx.operations.recent()
    finally:
        await ctx.close()


def operation(until, timeout: float = 120):
    """The newest operation once ``until(op)`` holds (read from the store, as another process would)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ops = asyncio.run(_ops())
        if ops and until(ops[0]):
            return ops[0]
        time.sleep(0.1)
    raise AssertionError(f"no operation reached the point: {ops}")


def step_running(i: int):
    return lambda op: op.steps[i].state == "running"


def polling(op) -> bool:
    return bool(op.poll_url) and op.poll_step == 1


def kill_at(state: State, point) -> str:
    proc = subprocess.Popen([sys.executable, "-m", "loom_tui.cli", "capacity", "pause", NAME], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=os.environ.copy(), stdin=subprocess.DEVNULL)
    try:
        op = point(state)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return op.id


def reading_state(state: State):
    state.set_delay("fabric.capacities.get", 30)
    op = operation(lambda o: o.kind == "capacity.pause" and step_running(0)(o))
    state.set_delay("fabric.capacities.get", 0)
    return op


def sending(state: State):
    state.set_delay("fabric.suspend", 30)
    op = operation(lambda o: o.kind == "capacity.pause" and step_running(1)(o))
    state.set_delay("fabric.suspend", 0)
    return op


def following_the_status(state: State):
    state.set_action_time("fabric.suspend", 60 / SPEED)  # a minute of Pausing
    return operation(lambda o: o.kind == "capacity.pause" and polling(o))


def confirming(state: State):
    state.set_action_time("fabric.suspend", 20 / SPEED)
    op = operation(lambda o: o.kind == "capacity.pause" and polling(o))
    state.set_delay("fabric.capacities.get", 30)  # the confirm read hangs
    op = operation(lambda o: step_running(2)(o))
    state.set_delay("fabric.capacities.get", 0)
    return op


@pytest.mark.parametrize("point", [reading_state, sending, following_the_status, confirming])
def test_a_pause_killed_at_each_point_ends_matching_azure(point) -> None:
    state = estate()
    try:
        rid = capacity_id(state)
        assert state.get(rid)["properties"]["state"] == "Active"
        op_id = kill_at(state, point)
        waited = loom_here("operations", "wait", op_id, "-o", "json")  # the taker (its owner, killed, is a dead pid)
        assert waited.returncode == 0, waited.stderr
        record = json.loads(waited.stdout)
        azure = state.get(rid)["properties"]["state"]
    finally:
        state.close()
    assert record["state"] == "succeeded" and record["result"]["state"] == azure == "Paused"
    assert all(s["state"] == "succeeded" for s in record["steps"])


def test_no_wait_then_operations_wait_ends_matching_azure() -> None:
    state = estate()
    try:
        rid = capacity_id(state)
        state.set_action_time("fabric.suspend", 30 / SPEED)
        started = loom_process("capacity", "pause", NAME, "--no-wait")  # a process of its own: it ends, leaving the operation
        assert started.returncode == 0, started.stderr
        op_id = started.stdout.strip().splitlines()[-1]
        left = asyncio.run(_ops())[0]
        assert left.id == op_id and left.running and left.poll_url and not left.poll_url.startswith("https://")  # stored relative
        waited = loom_here("operations", "wait", op_id, "-o", "json")
        azure = state.get(rid)["properties"]["state"]
    finally:
        state.close()
    assert waited.returncode == 0, waited.stderr
    record = json.loads(waited.stdout)
    assert record["state"] == "succeeded" and record["result"]["state"] == azure == "Paused"
