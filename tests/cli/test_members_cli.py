"""``loom members add|list|remove`` write the web console's ``workspace-roles`` grants, the member
resolved through the demo tenant's Microsoft Graph (the local profile's demo Azure serves it)."""

from __future__ import annotations

import json
import uuid

from loom_tui.local.demo import DEMO_DOMAIN, DEMO_GROUPS, DEMO_USERS
from tests.support.cli import loom


def _workspace() -> str:
    r = loom("workspaces", "create", "--name", f"grants {uuid.uuid4().hex[:8]}", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["id"]


def test_add_by_upn_and_group_name_list_and_remove():
    ws = _workspace()
    kim_oid = next(oid for oid, alias, _ in DEMO_USERS if alias == "kim.scientist")
    engineers = next(oid for oid, name, _ in DEMO_GROUPS if name == "Data Engineers")
    r = loom("members", "add", ws, f"kim.scientist@{DEMO_DOMAIN}", "--role", "Member", "--json")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert (got["principalId"], got["principalType"], got["role"], got["source"]) == (kim_oid, "User", "Member", "workspace-roles")
    r = loom("members", "add", ws, "Data Engineers", "--role", "viewer")
    assert r.returncode == 0 and f"Group {engineers}" in r.stdout and "Viewer" in r.stdout, r.stderr
    listed = {m.get("principalId"): m for m in json.loads(loom("members", "list", ws, "--json").stdout)}
    assert listed[kim_oid]["role"] == "Member" and listed[engineers]["principalType"] == "Group"
    assert loom("members", "remove", ws, "Data Engineers").returncode == 0
    listed = {m.get("principalId") for m in json.loads(loom("members", "list", ws, "--json").stdout)}
    assert engineers not in listed and kim_oid in listed


def test_unknown_and_ambiguous_members_are_refused_with_a_sentence():
    ws = _workspace()
    r = loom("members", "add", ws, f"nobody@{DEMO_DOMAIN}")
    assert r.returncode == 3 and f"no user nobody@{DEMO_DOMAIN}" in r.stderr, (r.returncode, r.stderr)
    r = loom("members", "add", ws, "Contractors")
    ids = [oid for oid, name, _ in DEMO_GROUPS if name == "Contractors"]
    assert r.returncode == 5 and all(i in r.stderr for i in ids), (r.returncode, r.stderr)
    assert [m for m in json.loads(loom("members", "list", ws, "--json").stdout) if m.get("source")] == []
