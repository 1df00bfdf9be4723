"""`loom login|whoami|logout` headless, against the local device-authorization server in a thread.

The server's script answers "pending" first, so the command really polls."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.support.device_auth_server import USER_OID


def _config(server, **extra) -> None:
    values = {"store": "cosmos", "cosmos_endpoint": "https://127.0.0.1:1/", "cloud": "Lab", "tenant_id": server.tenant,
              "admin_group_id": "0b5fe924-9a61-425c-96af-cfe6e287ca2d", **extra}
    lines = ['default_profile = "lab"', "[profiles.lab]"] + [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    Path(os.environ["LOOM_CONFIG"]).write_text("\n".join(lines) + "\n")


def test_login_whoami_logout(loom, device_auth_thread) -> None:
    server = device_auth_thread
    server.script = ["pending", "success"]
    _config(server)
    code, out, err = loom("login", "--allow-unencrypted-token-cache")
    assert code == 0, err
    user_code = server.device_requests and out.split("enter the code ")[1].split()[0]
    assert len(user_code) == 8
    assert "signed in as ada@contoso.example (Ada Lovelace)" in out
    assert "unencrypted token cache (mode 0600)" in out
    assert "keyring is not available" in err  # announced ...
    assert server.polls == 2
    code, out, err = loom("whoami", "--json", "--allow-unencrypted-token-cache")
    assert code == 0, err
    me = json.loads(out)
    assert me["user_oid"] == USER_OID and me["tenant_admin"] is True and me["credential"] == "device-code"
    assert "keyring" not in err  # ... once
    code, out, err = loom("logout", "--allow-unencrypted-token-cache")
    assert code == 0 and "signed out ada@contoso.example" in out
    code, out, err = loom("whoami", "--allow-unencrypted-token-cache")
    assert code == 1 and "Not signed in" in err
    # no token, device code or secret in anything printed or written, beyond the user code
    state = Path(os.environ["LOOM_STATE_DIR"])
    written = [p for p in state.rglob("*") if p.is_file() and not p.name.startswith("msal_token_cache")]
    texts = [out, err] + [p.read_text(errors="replace") for p in written]
    for secret in server.issued_tokens:
        assert not any(secret in t for t in texts)


def test_profile_allows_plain_cache_and_env_tenant(loom, device_auth_thread, monkeypatch) -> None:
    server = device_auth_thread
    _config(server, allow_unencrypted_token_cache=True, tenant_id="contoso.example")
    monkeypatch.setenv("AZURE_TENANT_ID", server.tenant)  # env wins over the file
    code, out, err = loom("login")
    assert code == 0, err
    assert "unencrypted token cache" in out


def test_login_errors_are_plain_sentences(loom, device_auth_thread) -> None:
    server = device_auth_thread
    server.script = ["declined"]
    _config(server)
    code, out, err = loom("login")
    assert code == 2 and "declined in the browser" in err
    assert "kept in memory" in err  # no keyring, plain file not allowed: told so
    code, _, err = loom("login", "--tenant", "00000000-0000-0000-0000-00000000dead")
    assert code == 2 and "tenant was not found" in err


def test_login_for_other_credential_kinds_explains(loom, device_auth_thread) -> None:
    _config(device_auth_thread, credential="azure-cli")
    code, _, err = loom("login")
    assert code == 2 and "az login" in err
