"""Profiles: `loom profile add|use|list|show`, env overrides with the Azure CLI's names, and
config errors that name the file, the key and the problem."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from loom_tui.azure.profiles import AZURE_CLI_CLIENT_ID, effective_profile
from loom_tui.config import Profile

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SUB = "291bba3f-e0a5-47bc-a099-3bdcb2a50a05"


def test_env_overrides_and_flags_win() -> None:
    p = Profile(name="p", tenant_id="contoso.onmicrosoft.com", subscriptions=["a"])
    env = {"AZURE_TENANT_ID": TENANT, "AZURE_SUBSCRIPTION_ID": SUB, "AZURE_CLIENT_ID": "c"}
    eff, src = effective_profile(p, env=env)
    assert (eff.tenant_id, eff.subscriptions, eff.client_id) == (TENANT, [SUB], "c")
    assert src == {"tenant_id": "env AZURE_TENANT_ID", "client_id": "env AZURE_CLIENT_ID", "subscriptions": "env AZURE_SUBSCRIPTION_ID"}
    eff, src = effective_profile(p, env=env, flags={"tenant_id": "flag.example", "subscriptions": None})
    assert eff.tenant_id == "flag.example" and src["tenant_id"] == "flag" and eff.subscriptions == [SUB]
    assert p.tenant_id == "contoso.onmicrosoft.com"  # the original is untouched


def test_add_use_list_show(loom, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = loom("profile", "add", "gov", "--cloud", "AzureUSGovernment", "--tenant", TENANT, "--subscription", SUB,
                          "--store", "cosmos", "--cosmos-endpoint", "https://acct.documents.azure.us:443/", "--admin-group-id",
                          "0b5fe924-9a61-425c-96af-cfe6e287ca2d", "--read-only", "--use")
    assert code == 0, err
    text = Path(os.environ["LOOM_CONFIG"]).read_text()
    assert 'default_profile = "gov"' in text and "read_only = true" in text
    code, out, _ = loom("profile", "list")
    assert "* gov" in out.replace("  ", " ") or "*  gov" in out
    code, out, _ = loom("profile", "show", "--json")
    shown = json.loads(out)
    assert shown["profile"]["cloud"] == "AzureUSGovernment"
    assert shown["profile"]["effective_client_id"] == AZURE_CLI_CLIENT_ID
    assert shown["overridden"] == {}
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", "72ac930a-f34e-42d8-b06d-dc2a9e12ed71")
    code, out, _ = loom("profile", "show", "gov", "--tenant", "fabrikam.onmicrosoft.com", "--json")
    shown = json.loads(out)
    assert shown["profile"]["tenant_id"] == "fabrikam.onmicrosoft.com"
    assert shown["profile"]["subscriptions"] == ["72ac930a-f34e-42d8-b06d-dc2a9e12ed71"]
    assert shown["overridden"] == {"tenant_id": "flag", "subscriptions": "env AZURE_SUBSCRIPTION_ID"}
    code, out, _ = loom("profile", "use", "local")
    assert code == 0
    assert 'default_profile = "local"' in Path(os.environ["LOOM_CONFIG"]).read_text()


@pytest.mark.parametrize(
    "argv,key,problem",
    [
        (["--cloud", "Atlantis"], "profiles.bad.cloud", "no cloud named 'Atlantis'"),
        (["--subscription", "not-a-guid"], "profiles.bad.subscriptions", "must be subscription GUIDs"),
        (["--admin-group-id", "admins"], "profiles.bad.admin_group_id", "must be a GUID"),
        (["--store", "cosmos"], "profiles.bad.cosmos_endpoint", "is required"),
    ],
)
def test_add_refuses_bad_values_and_writes_nothing(loom, argv: list[str], key: str, problem: str) -> None:
    code, _, err = loom("profile", "add", "bad", *argv)
    assert code == 2
    assert os.environ["LOOM_CONFIG"] in err and key in err and problem in err
    assert not Path(os.environ["LOOM_CONFIG"]).exists()


def test_add_twice_needs_replace_and_use_unknown(loom) -> None:
    assert loom("profile", "add", "a", "--tenant", TENANT)[0] == 0
    code, _, err = loom("profile", "add", "a")
    assert code == 5 and "already exists (use --replace)" in err  # a conflict
    assert loom("profile", "add", "a", "--replace", "--cloud", "USSec")[0] == 0
    code, _, err = loom("profile", "use", "nope")
    assert code == 3 and "default_profile" in err and "no profile named 'nope'" in err  # not found


def test_invalid_file_is_reported_with_file_and_key(loom) -> None:
    cfg = Path(os.environ["LOOM_CONFIG"])
    cfg.write_text('[profiles.x]\ncredential = "password"\n')
    code, _, err = loom("profile", "show", "x")
    assert code == 2 and f"{cfg}: profiles.x.credential: must be one of" in err
    cfg.write_text('[profiles.x]\nread_only = "yes"\n')
    code, _, err = loom("profile", "list")
    assert code == 2 and "profiles.x.read_only: must be true or false" in err
