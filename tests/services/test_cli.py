"""The real ``loom items`` / ``loom members`` commands, in a subprocess, on a seeded local store."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.cli import loom as run_loom


def loom(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_loom(*args, check=check)


@pytest.fixture
def ws_id() -> str:
    out = json.loads(loom("workspaces", "list", "--mine", "--limit", "1", "--json").stdout)
    return out[0]["id"]


def test_items_list_create_delete(ws_id):
    listed = json.loads(loom("items", "list", ws_id, "--json").stdout)  # a bare array of every item
    count = json.loads(loom("workspaces", "show", ws_id, "--json").stdout)["itemCount"]
    assert len(listed) == count >= 30
    root = json.loads(loom("items", "list", ws_id, "--folder", "root", "--json").stdout)
    assert {i["id"] for i in root} == {i["id"] for i in listed if i["folderId"] is None}
    by_type = json.loads(loom("items", "list", ws_id, "--type", listed[0]["itemType"], "--sort", "created", "--desc", "--json").stdout)
    assert len(by_type) == sum(i["itemType"] == listed[0]["itemType"] for i in listed)
    assert [i["createdAt"] for i in by_type] == sorted((i["createdAt"] for i in by_type), reverse=True)
    look_alike = loom("items", "create", ws_id, "--type", "lakehouse", "--name", "[red]sales[/] \u202e", check=False)
    assert look_alike.returncode == 2 and "invisible" in look_alike.stderr and "\u202e" not in look_alike.stderr
    created = json.loads(loom("items", "create", ws_id, "--type", "lakehouse", "--name", "[red]sales[/] ok", "--json").stdout)
    assert created["displayName"] == "[red]sales[/] ok"
    table = loom("items", "list", ws_id, "--search", "[red]sales").stdout
    assert "[red]sales[/] ok (SQL endpoint)" in table and "2 of 2 items" in table  # markup literal
    bad = loom("items", "create", ws_id, "--type", "notebook", "--name", "\x1b[31mred", check=False)
    assert bad.returncode == 2 and "control characters" in bad.stderr and "\x1b" not in bad.stderr
    refused = loom("items", "delete", ws_id, created["id"], check=False)  # stdin is not a terminal
    assert refused.returncode == 2 and "--yes" in refused.stderr
    gone = json.loads(loom("items", "delete", ws_id, created["id"], "--yes", "--json").stdout)
    assert gone == {"deleted": created["id"], "items_removed": 2}
    assert len(json.loads(loom("items", "list", ws_id, "--json").stdout)) == count


def test_members_list_add_remove(ws_id):
    members = json.loads(loom("members", "list", ws_id, "--json").stdout)
    creator = [m for m in members if m["implicit"]][0]
    assert creator["upn"] == "ops.admin@contoso-demo.example" and creator["role"] == "admin"
    outsider = "kim.scientist@contoso-demo.example"
    if any(m["upn"] == outsider for m in members):
        loom("members", "remove", ws_id, outsider)
    added = json.loads(loom("members", "add", ws_id, outsider, "--role", "contributor", "--json").stdout)
    # a workspace-roles grant in the console's roles: loom's old "contributor" is the console's Member
    assert added["role"] == "Member" and added["name"] == "Kim Scientist" and added["principalType"] == "User"
    again = loom("members", "add", ws_id, outsider, "--role", "viewer").stdout  # a re-grant changes the role
    assert "granted" in again and "Viewer" in again
    no = loom("members", "remove", ws_id, creator["upn"], check=False)
    assert no.returncode == 5 and "cannot be removed" in no.stderr  # a conflict with the rules
    assert no.stderr.count("\n") == 1 and no.stderr.startswith("loom: ") and "Error" not in no.stderr  # one clear line
    assert creator["creator"] is True and not any(m["creator"] for m in members if m is not creator)
    loom("members", "remove", ws_id, outsider)
    assert outsider not in loom("members", "list", ws_id).stdout


def test_read_only_flag_refuses_writes(ws_id):
    proc = loom("--read-only", "items", "create", ws_id, "--type", "notebook", "--name", "x", check=False)
    assert proc.returncode == 4 and "read-only" in proc.stderr  # refused
