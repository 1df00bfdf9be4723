"""A full headless run at ``--log-level debug`` leaks no secret: ``loom login`` (device code approved
at the local authorization server), ``whoami``, Workspaces on Cosmos DB through the signed-in AAD
credential (refresh-token grant for the Cosmos scope), a service-principal profile whose client
secret the authorization server refuses, and ``logout``.  Then every file in the state directory
(log, rotated logs, markers) and every captured stdout/stderr is searched for each access, refresh
and ID token and device code the server issued, the client secret and the Cosmos key.  The user
code may appear on the terminal (that is its purpose), never in a file.  The token cache file holds
tokens by design: it is excluded from the scan and checked for mode 0600 instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.azure.lab import lab_config, loom_exe, run_loom, scan_for_secrets, state_files, threaded_lab
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)
from tests.support.device_auth_server import TENANT

pytestmark = pytest.mark.cosmos

CLIENT_SECRET = "Zq8~loomTestClientSecret-" + uuid.uuid4().hex
SP_CLIENT_ID = "5a7d3e11-7c1b-4c55-9a36-2d1f6f0b9c41"


def _login(env: dict[str, str], approve) -> tuple[str, str, str]:
    """Run ``loom login``, approve the code it prints, return (stdout, stderr, user code)."""
    proc = subprocess.Popen([loom_exe(), "--log-level", "debug", "login"], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()  # "To sign in, open URL and enter the code CODE"
    match = re.search(r"enter the code (\S+)", first)
    assert match, first
    assert approve(match.group(1))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return first + out, err, match.group(1)


def test_a_debug_run_leaks_no_token_code_or_secret(tmp_path: Path, cosmos_server) -> None:
    state = Path(os.environ["LOOM_STATE_DIR"])
    with threaded_lab(tmp_path) as lab:
        lab_config(cloud="Lab", tenant=TENANT, cosmos_endpoint=cosmos_server.endpoint, database=f"leak{uuid.uuid4().hex[:8]}")
        # a second profile that signs in as a service principal from the environment
        with open(os.environ["LOOM_CONFIG"], "a", encoding="utf-8") as f:
            f.write('\n[profiles.sp]\nstore = "local"\ncloud = "Lab"\ncredential = "environment"\n')
        env = {**lab.env, "AZURE_CLIENT_SECRET": CLIENT_SECRET}
        outputs: dict[str, str] = {}

        out, err, user_code = _login(env, lab.auth.approve)
        outputs["login.out"], outputs["login.err"] = out, err
        assert "signed in as ada@contoso.example" in out

        steps = [
            ("whoami", ["whoami", "--json"], 0),
            ("create", ["workspaces", "create", "--name", "Leak check"], 0),
            ("list", ["workspaces", "list"], 0),
            ("sp", ["--profile", "sp", "whoami"], 1),
            ("logout", ["logout"], 0),
        ]
        sp_env = {**env, "AZURE_TENANT_ID": TENANT, "AZURE_CLIENT_ID": SP_CLIENT_ID}
        for name, argv, want in steps:
            r = run_loom("--log-level", "debug", *argv, env=sp_env if name == "sp" else env)
            outputs[f"{name}.out"], outputs[f"{name}.err"] = r.stdout, r.stderr
            assert r.returncode == want, (name, r.stdout, r.stderr)
        assert "Leak check" in outputs["list.out"]
        assert "not signed in" in outputs["sp.err"].lower() or "environment" in outputs["sp.err"]
        # the run did what the scan is about: the Cosmos scope was fetched with the refresh token,
        # the service principal's secret was sent to the authorization server (and refused)
        assert any("https://127.0.0.1/.default" in r.get("scope", "") for r in lab.auth.token_requests)
        assert any(r.get("client_secret") == CLIENT_SECRET for r in lab.auth.token_requests)

    cache = state / "msal_token_cache.json"
    assert cache.exists() and (cache.stat().st_mode & 0o777) == 0o600
    files = state_files(state, skip=(cache.name,))
    assert files.get("loom.log", "").count("\n") > 20  # debug level really logged (MSAL, azure-core, ours)
    secrets = [*lab.auth.secrets(), CLIENT_SECRET, cosmos_server.key]
    assert len(lab.auth.secrets()) >= 6
    assert scan_for_secrets({**files, **outputs}, secrets) == []
    assert scan_for_secrets(files, [user_code]) == []
    assert [k for k, v in outputs.items() if user_code in v] == ["login.out"]  # shown once, where the operator needs it
