"""``loom seed`` (and ``loom demo-azure reset``) put the demo Azure's estate back as seeded: what a
rehearsal changed in the data dir's state is gone, for every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from loom_tui.demo_azure.state import State, state_path
from tests.support.cli import loom, loom_process


def _loom(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LOOM_CONFIG": str(tmp_path / "none.toml"), "LOOM_STATE_DIR": str(tmp_path / "state")}
    return loom("--data-dir", str(tmp_path), *args, env=env)  # in this process (tests/support/cli.py)


def _loom_process(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """Another process, as the operator's second terminal is (and this test's event loop runs)."""
    env = {**os.environ, "LOOM_CONFIG": str(tmp_path / "none.toml"), "LOOM_STATE_DIR": str(tmp_path / "state")}
    return loom_process("--data-dir", str(tmp_path), *args, env=env)


def _pause_everything(tmp_path) -> tuple[State, list[str]]:
    state = State(state_path(tmp_path))
    caps = [c["id"] for c in state.list(type="Microsoft.Fabric/capacities")]
    for cid in caps:
        state.patch(cid, {"properties": {"state": "Paused"}})
    state.fail_action("fabric.resume")
    return state, caps


def test_loom_seed_resets_the_demo_azure(tmp_path) -> None:
    state, caps = _pause_everything(tmp_path)
    r = _loom(tmp_path, "seed", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["demo_azure_reset"] is True
    states = sorted(state.get(c)["properties"]["state"] for c in caps)  # the same open connection sees it
    assert states.count("Paused") == 2 and states.count("Active") == 4
    assert state.take_action_fault("fabric.resume", caps[0]) is None
    state.close()


def test_demo_azure_reset_command(tmp_path) -> None:
    state, caps = _pause_everything(tmp_path)
    r = _loom(tmp_path, "demo-azure", "reset")
    assert r.returncode == 0, r.stderr
    assert "reset" in r.stdout
    assert sorted(state.get(c)["properties"]["state"] for c in caps).count("Active") == 4
    state.close()


async def test_faults_injected_from_another_process_reach_the_running_server(demo) -> None:
    """What an operator (or a tmux test) does to rehearse failures against a console already running."""
    from tests.demo_azure.conftest import get_json

    data_dir = demo.state.path.parent.parent
    sub = demo.subscriptions[0]
    r = _loom_process(data_dir, "demo-azure", "inject", "resource_groups.list", "429", "--variant", "x-ms-retry-after-ms", "--seconds", "2")
    assert r.returncode == 0, r.stderr
    status, body, headers = await get_json(demo, f"/subscriptions/{sub}/resourceGroups?api-version=2022-09-01")
    assert status == 429 and headers["x-ms-retry-after-ms"] == "2000" and body["error"]["code"] == "TooManyRequests"
    assert (await get_json(demo, f"/subscriptions/{sub}/resourceGroups?api-version=2022-09-01"))[0] == 200  # consumed
    r = _loom_process(data_dir, "demo-azure", "fail", "fabric.suspend", "--code", "CapacityLocked", "--message", "locked by policy")
    assert r.returncode == 0, r.stderr
    cap = next(c["id"] for c in demo.state.list(type="Microsoft.Fabric/capacities") if c["properties"]["state"] == "Active")
    status, body, _ = await get_json(demo, cap + "/suspend?api-version=2023-11-01", method="POST")
    assert status == 409 and body["error"] == {"code": "CapacityLocked", "message": "locked by policy"}
    assert _loom_process(data_dir, "demo-azure", "inject", "resources.list", "nonsense").returncode == 2
    r = _loom_process(data_dir, "demo-azure", "routes", "--top", "0")  # more than a page of routes since Graph
    assert "fabric.suspend" in r.stdout and "resources.get_by_id" in r.stdout
    _loom_process(data_dir, "demo-azure", "inject", "subscriptions.list", "503", "--times", "3")
    assert _loom_process(data_dir, "demo-azure", "clear").returncode == 0
    assert (await get_json(demo, "/subscriptions?api-version=2022-12-01"))[0] == 200
