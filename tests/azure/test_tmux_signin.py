"""End to end in a real terminal: the real ``loom`` command in tmux signs in with a device code from
the local device-authorization server and lands on Workspaces with the signed-in user in the header.

Set-up as an air-gapped operator would do it: a custom cloud registered with ``loom cloud register
--metadata-url`` from the (local) ARM server, whose metadata names the (local) authorization server
as the sign-in endpoint; a site CA bundle trusting both (``REQUESTS_CA_BUNDLE``); a profile with
``store = "cosmos"`` on the local Cosmos DB protocol server.  The profile carries that server's
account key (``cosmos_key``) so the store does not depend on the sign-in; sign-in still runs for
the session (tenant, user) and the subscription picker.  The test plays the person at the
verification page: it reads the user code off the pane and approves exactly that code.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest

from tests.azure.lab import lab_config, loom_exe, scan_for_secrets, state_files, threaded_lab
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)
from tests.support.device_auth_server import TENANT
from tests.support.tmux import tmux  # noqa: F401  (fixture)

pytestmark = [pytest.mark.tmux, pytest.mark.cosmos]

USER_CODE = re.compile(r"\b[BCDFGHJKLMNPQRSTVWXZ]{8}\b")


def test_sign_in_in_tmux_lands_on_workspaces(tmux, tmp_path: Path, cosmos_server) -> None:
    with threaded_lab(tmp_path) as lab:
        lab_config(cloud="Lab", tenant=TENANT, cosmos_endpoint=cosmos_server.endpoint, database=f"tmux{uuid.uuid4().hex[:8]}",
                   cosmos_key=cosmos_server.key)
        s = tmux.start([loom_exe(), "--log-level", "debug"], cols=100, rows=30, env=lab.env)
        pane = s.wait_for("Sign in to Azure", timeout=30)
        pane = s.wait_for("/devicelogin", timeout=20)
        assert "Lab · tenant " + TENANT in pane
        codes = USER_CODE.findall(pane)
        assert len(codes) == 1, pane
        assert lab.auth.approve(codes[0])  # the code on screen is the one the server issued
        pane = s.wait_for("Choose a subscription", timeout=20)
        s.wait_for("Example Subscription2", timeout=20)
        s.send("Enter")
        pane = s.wait_for("ada@contoso.example", timeout=30)
        assert "[1 Workspaces]" in pane and "lab: Lab, Cosmos DB" in pane, pane
        shown = [pane]
        s.send("C-q")
        s.wait_for("Workspaces", gone=True, timeout=10)
        # nothing secret reached the screen or the logs of this debug-level run (the token cache
        # file holds tokens by design: it is checked for its mode instead)
        state = Path(os.environ["LOOM_STATE_DIR"])
        cache = state / "msal_token_cache.json"
        assert cache.exists() and (cache.stat().st_mode & 0o777) == 0o600
        texts = {"pane": "\n".join(shown), **state_files(state, skip=(cache.name,))}
        assert "loom.log" in texts and texts["loom.log"].strip()
        assert scan_for_secrets(texts, lab.auth.secrets()) == []
        assert scan_for_secrets({k: v for k, v in texts.items() if k != "pane"}, [codes[0]]) == []
