"""Capacity: the inventory's fan-out and the first rows of the Capacity area, on the demo Azure.

``capacity_fanout_ratio``: the inventory's first rows, runtime state included, of one subscription
with 20 Loom resource groups (``inventory.list_rows``: the subscription's groups, its resources
and the Fabric / ADX / Synapse provider lists at once, then each Loom workspace's SQL pools) with
150 ms added to EVERY request, divided by one such request's time (``capacity_one_request_s``),
both in this run.  Run at the default concurrency bound (8: a fan-out never opens more than 8
connections), at 24 (``capacity_fanout_ratio_c24``) and with 60 groups at 8
(``capacity_fanout_ratio_60rg``: the number of sequential round trips does not grow with the
groups).  Goal (issue 9): <= 2.  ``capacity_scan_s``: the whole scan of the same subscription, the
24 h utilization of every resource that has a metric included (one Azure Monitor call each).

``capacity_first_rows_s``: the real ``loom`` in tmux (80x24), key ``2`` pressed once the
workspaces are painted, to the first capacity row on screen (pane read every 20 ms); this includes
starting the demo Azure (it starts when an area first needs Azure).  Baseline: the bare Textual app's first frame
(``capacity_startup_baseline_s``, as in ``startup.py``), same run, median of N rounds
(``LOOM_BENCH_ROUNDS``, default 5).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _firstframe import first_frame_s  # noqa: E402

BASELINES = {
    "capacity_fanout_s": "capacity_one_request_s",
    "capacity_fanout_c24_s": "capacity_one_request_s",
    "capacity_fanout_60rg_s": "capacity_one_request_s",
    "capacity_scan_s": "capacity_one_request_s",
    "capacity_first_rows_s": "capacity_startup_baseline_s",
}
LATENCY = 0.15
GROUPS = 20


def _rounds(default: int = 5) -> int:
    return int(os.environ.get("LOOM_BENCH_ROUNDS", default))


def _add_groups(handle, sub: str, n: int) -> list[str]:
    """Add resource groups (each with one Key Vault) to the demo estate until ``sub`` has ``n``
    Loom groups."""
    from loom_tui.demo_azure.estate import DEMO_TENANT

    have = [r["name"] for r in handle.state.list(sub=sub, type="microsoft.resources/resourcegroups")
            if r["name"].lower().startswith("rg-csa-loom-")]
    names = list(have)
    i = 0
    while len(names) < n:
        name = f"rg-csa-loom-dlz-bench{i:02d}-eastus2"
        i += 1
        if name in names:
            continue
        rg = f"/subscriptions/{sub}/resourceGroups/{name}"
        handle.state.put({"id": rg, "name": name, "type": "Microsoft.Resources/resourceGroups", "location": "eastus2",
                          "tags": {"loomTenantId": DEMO_TENANT}, "properties": {"provisioningState": "Succeeded"}})
        handle.state.put({"id": f"{rg}/providers/Microsoft.KeyVault/vaults/kv-bench{i:02d}", "name": f"kv-bench{i:02d}",
                          "type": "Microsoft.KeyVault/vaults", "location": "eastus2", "tags": {},
                          "properties": {"provisioningState": "Succeeded", "enableSoftDelete": True}})
        names.append(name)
    return names


async def _fanout() -> dict[str, float]:
    from loom_tui.azure.clients import AzureClients
    from loom_tui.demo_azure.estate import DLZ_SUBS
    from loom_tui.demo_azure.launcher import start_demo_azure
    from loom_tui.services.capacity import apis
    from loom_tui.services.capacity.inventory import list_rows, scan
    from loom_tui.services.capacity.scope import Scope
    from loom_tui.wiring import StaticBearer, demo_cloud

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="loom-bench-capacity-") as tmp:
        handle = await asyncio.to_thread(start_demo_azure, tmp)
        try:
            sub = DLZ_SUBS[0]
            groups = await asyncio.to_thread(_add_groups, handle, sub, GROUPS)
            for name in handle.server.route_names():
                handle.server.delay(name, LATENCY)
            for n, bound, key in ((GROUPS, 8, "capacity_fanout_s"), (GROUPS, 24, "capacity_fanout_c24_s"),
                                  (3 * GROUPS, 8, "capacity_fanout_60rg_s")):
                if n > len(groups):
                    groups = await asyncio.to_thread(_add_groups, handle, sub, n)
                clients = AzureClients(StaticBearer(handle.secret), demo_cloud(handle.arm_endpoint), concurrency=bound,
                                       extra_ca=handle.ca_bundle)
                try:
                    await clients.send("GET", apis.resources_in(sub, groups[-1]))  # warm: TLS, token, client
                    if key == "capacity_fanout_s":
                        one = []
                        for _ in range(_rounds()):
                            t0 = time.perf_counter()
                            await clients.send("GET", apis.resources_in(sub, groups[-1]))
                            one.append(time.perf_counter() - t0)
                        out["capacity_one_request_s"] = statistics.median(one)
                    times = []
                    for _ in range(_rounds(3)):
                        t0 = time.perf_counter()
                        inv = await list_rows(clients, [sub], Scope.build(None, [], []))
                        times.append(time.perf_counter() - t0)
                        assert len(inv.targets) == n and not inv.failures, (len(inv.targets), inv.failures)
                        assert all(r.state for r in inv.rows if r.pausable), "runtime state in the first rows"
                    out[key] = statistics.median(times)
                    if key == "capacity_fanout_s":  # the whole scan: + 24 h utilization per resource (no cost source)
                        times = []
                        for _ in range(_rounds(3)):
                            t0 = time.perf_counter()
                            async for inv in scan(clients, [sub], Scope.build(None, [], [])):
                                pass
                            times.append(time.perf_counter() - t0)
                        out["capacity_scan_s"] = statistics.median(times)
                finally:
                    await clients.close()
        finally:
            await asyncio.to_thread(handle.stop)
    out["capacity_fanout_ratio"] = out["capacity_fanout_s"] / out["capacity_one_request_s"]
    out["capacity_fanout_ratio_c24"] = out["capacity_fanout_c24_s"] / out["capacity_one_request_s"]
    out["capacity_fanout_ratio_60rg"] = out["capacity_fanout_60rg_s"] / out["capacity_one_request_s"]
    out["capacity_scan_ratio"] = out["capacity_scan_s"] / out["capacity_one_request_s"]
    return out


def _first_rows_s(loom: str, env: dict[str, str], *, timeout: float = 60.0) -> float:
    """The real ``loom`` in tmux (80x24): once the workspaces are painted, press 2; seconds from the
    key to the first capacity row on screen (the pane is read every 20 ms)."""
    import shlex
    import uuid

    sock, name = f"loom-bench-{uuid.uuid4().hex[:8]}", "cap"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", *args], capture_output=True, text=True, timeout=10).stdout

    command = "exec env -i " + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items()) + " " + shlex.quote(loom)
    tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
    try:
        start = time.perf_counter()
        while "Active" not in tmux("capture-pane", "-p", "-t", name):
            if time.perf_counter() - start > timeout:
                raise TimeoutError("the console did not show the workspaces")
            time.sleep(0.05)
        time.sleep(1.0)  # a person looks before pressing a key
        tmux("send-keys", "-t", name, "2")
        t_key = time.perf_counter()
        while "fccsaloom" not in tmux("capture-pane", "-p", "-t", name):
            if time.perf_counter() - t_key > timeout:
                raise TimeoutError("no capacity rows: " + tmux("capture-pane", "-p", "-t", name))
            time.sleep(0.02)
        return time.perf_counter() - t_key
    finally:
        tmux("kill-server")


def run() -> dict[str, float]:
    out = asyncio.run(_fanout())
    loom = str(Path(sys.executable).parent / "loom")
    with tempfile.TemporaryDirectory(prefix="loom-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LOOM_", "NO_COLOR", "TEXTUAL_"))}
        env.update(TERM="xterm-256color", LOOM_DATA_DIR=f"{tmp}/data", LOOM_CONFIG=f"{tmp}/config.toml", LOOM_STATE_DIR=f"{tmp}/state")
        subprocess.run([loom, "seed"], env=env, capture_output=True, check=True, timeout=120)
        rows, base = [], []
        for i in range(_rounds()):
            # a state dir per round: the killed console of a round leaves a resume offer behind
            rows.append(_first_rows_s(loom, {**env, "LOOM_STATE_DIR": f"{tmp}/state{i}"}))
            base.append(first_frame_s([sys.executable, str(HERE / "_baseline_app.py")], env))
    out["capacity_first_rows_s"] = statistics.median(rows)
    out["capacity_startup_baseline_s"] = statistics.median(base)
    return out


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k}: {v:.4f}")
