"""``loom demo-azure serve`` as a real process: it prints where it listens, answers the real SDK
behind its secret, and Ctrl+C (SIGINT) stops it cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from loom_tui.demo_azure.estate import ADMIN_RG, ADMIN_SUB


def _start(tmp_path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "LOOM_DATA_DIR": str(tmp_path), "LOOM_CONFIG": str(tmp_path / "none.toml"),
           "LOOM_STATE_DIR": str(tmp_path / "state")}
    return subprocess.Popen([sys.executable, "-m", "loom_tui.cli", "demo-azure", "serve", *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


async def test_serve_prints_the_endpoint_and_stops_on_ctrl_c(tmp_path) -> None:
    from azure.mgmt.resource.resources.aio import ResourceManagementClient

    from tests.demo_azure.conftest import SecretCredential

    proc = _start(tmp_path, "--json")
    try:
        info = json.loads(proc.stdout.readline())
        assert info["arm_endpoint"].startswith("https://127.0.0.1:") and os.path.isfile(info["ca_bundle"])
        async with ResourceManagementClient(SecretCredential(info["secret"]), ADMIN_SUB, base_url=info["arm_endpoint"],
                                            credential_scopes=[info["arm_endpoint"] + ".default"],
                                            connection_verify=info["ca_bundle"]) as client:
            assert [g.name async for g in client.resource_groups.list()] == [ADMIN_RG]
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "demo Azure stopped" in err and "Traceback" not in err


def test_serve_prints_a_profile_snippet(tmp_path) -> None:
    proc = _start(tmp_path)
    try:
        lines = [proc.stdout.readline() for _ in range(14)]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    text = "".join(lines)
    assert "demo Azure (on this machine): https://127.0.0.1:" in text
    assert "loom cloud register LoomDemoAzure" in text and str(tmp_path) in text  # the CA bundle lives in the data dir
    assert "Authorization: Bearer " in text and "LOOM_DEMO_AZURE_SECRET" not in text  # no variable nothing reads
    assert proc.returncode == 0
