"""``loom audit`` and ``loom notifications``, run as a user runs them (the real entry point)."""

from __future__ import annotations

import csv
import io
import json

from .test_workspaces_cli import loom


def test_audit_of_the_tenant_filters_by_user_action_and_time():
    r = loom("audit", "--limit", "0", "-o", "json")
    assert r.returncode == 0, r.stderr
    everything = json.loads(r.stdout)  # a bare array of every event
    assert len(everything) > 500  # past 500: the demo's 30 days
    ats = [e["at"] for e in everything]
    assert ats == sorted(ats, reverse=True)
    assert all(e["workspace"] and e["workspace"] != e["workspaceId"] for e in everything[:20])  # names, not ids
    runs = json.loads(loom("audit", "--action", "item.run", "--json").stdout)
    assert len(runs) == sum(1 for e in everything if e["action"] == "item.run") > 0
    assert {e["action"] for e in runs} == {"item.run"}
    dana = json.loads(loom("audit", "--user", "DANA", "--action", "item", "--json").stdout)
    assert dana and all(e["upn"].startswith("dana.steward@") and e["action"].startswith("item.") for e in dana)
    recent = json.loads(loom("audit", "--since", "3d", "--json").stdout)
    assert 0 < len(recent) < len(everything)
    table = loom("audit", "--limit", "5")
    assert table.returncode == 0 and "WHEN" in table.stdout and f"5 of {len(everything):,} events" in table.stdout
    rows = list(csv.DictReader(io.StringIO(loom("audit", "--limit", "3", "-o", "csv").stdout)))
    assert len(rows) == 3 and rows[0]["action"] and rows[0]["workspace"]
    bad = loom("audit", "--since", "last tuesday")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "is not a day or a time" in bad.stderr


def test_audit_of_one_workspace_is_for_its_members_and_the_tenant_one_for_admins():
    ws = json.loads(loom("workspaces", "list", "--limit", "1", "--json").stdout)[0]
    one = json.loads(loom("audit", "--workspace", ws["name"], "--limit", "0", "--json").stdout)
    assert one and {e["workspaceId"] for e in one} == {ws["id"]}


def test_notifications_all_and_unread():
    r = loom("notifications", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)  # a bare array
    assert sum(not n["read"] for n in data) == 5 and len(data) == 12
    unread = json.loads(loom("notifications", "--unread", "-o", "json").stdout)
    assert len(unread) == 5 and not any(n["read"] for n in unread)
    table = loom("notifications", "--unread")
    assert table.stdout.count("unread") >= 5 and "5 shown · 5 unread" in table.stdout
