"""``wiring.resolve_profile`` gives the profile as it will be used: flags > AZURE_* environment >
file; the local profile is untouched and its start-up path loads nothing from Azure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from loom_tui.wiring import resolve_profile

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
ENV_TENANT = "8f70baf1-1f6e-46a2-a1ff-238dac1ebfb7"
SUB = "291bba3f-e0a5-47bc-a099-3bdcb2a50a05"
ENV_SUB = "72ac930a-f34e-42d8-b06d-dc2a9e12ed71"


def _write(text: str) -> Path:
    path = Path(os.environ["LOOM_CONFIG"])
    path.write_text(text, encoding="utf-8")
    return path


AZ = f"""
default_profile = "az"
[profiles.az]
store = "cosmos"
cosmos_endpoint = "https://acct.documents.azure.com:443/"
tenant_id = "{TENANT}"
subscriptions = ["{SUB}"]
"""


def test_file_then_env_then_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    _write(AZ)
    p = resolve_profile()
    assert (p.tenant_id, p.subscriptions, p.client_id) == (TENANT, [SUB], None)
    monkeypatch.setenv("AZURE_TENANT_ID", ENV_TENANT)
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", ENV_SUB)
    monkeypatch.setenv("AZURE_CLIENT_ID", "04b07795-8ddb-461a-bbee-02f9e1bf7b46")
    p = resolve_profile("az")
    assert (p.tenant_id, p.subscriptions, p.client_id) == (ENV_TENANT, [ENV_SUB], "04b07795-8ddb-461a-bbee-02f9e1bf7b46")
    p = resolve_profile("az", flags={"tenant_id": "fabrikam.onmicrosoft.com", "subscriptions": None})
    assert p.tenant_id == "fabrikam.onmicrosoft.com" and p.subscriptions == [ENV_SUB]
    # an explicit env mapping replaces os.environ (used by tests and by callers that sanitise it)
    assert resolve_profile("az", env={}).tenant_id == TENANT


def test_local_profile_ignores_azure_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_TENANT_ID", ENV_TENANT)
    p = resolve_profile()
    assert p.name == "local" and p.tenant_id is None


PROBE = r"""
import asyncio, sys
import loom_tui.app
from loom_tui.wiring import resolve_profile
from loom_tui.wiring import open_context

async def main():
    ctx = await open_context(resolve_profile())
    await ctx.close()

asyncio.run(main())
print(sorted(m for m in sys.modules if m.startswith(("azure", "msal", "loom_tui.azure"))))
"""


def test_local_start_up_imports_nothing_from_azure(tmp_path: Path) -> None:
    env = {**os.environ, "AZURE_TENANT_ID": ENV_TENANT}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
    # the probe can see an import: an Azure profile's resolution does load the override module
    _write(AZ)
    probe = "import sys; from loom_tui.wiring import resolve_profile; resolve_profile(); print('loom_tui.azure.profiles' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "True", out.stderr
