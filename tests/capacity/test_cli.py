"""``loom capacity ...`` as an operator runs it: the real entry point in a subprocess, on the
local profile, which starts the demo Azure on this machine (lazily, through the wiring)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

LOOM = [sys.executable, "-m", "loom_tui.cli"]
KEYS = {"id", "name", "type", "resourceGroup", "subscriptionId", "location", "sku", "provisioningState", "state",
        "monthToDateCost", "currency", "utilization24h"}


from tests.support.cli import loom


def test_list_show_and_filters():
    r = loom("capacity", "list", "-o", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) > 40 and all(KEYS <= set(row) for row in rows)
    assert "\x1b" not in r.stdout
    fabric = json.loads(loom("capacity", "list", "--type", "capacities", "--dlz", "finance", "--json").stdout)
    assert [f["name"] for f in fabric] == ["fccsaloomfinance"] and fabric[0]["state"] == "Active"
    assert fabric[0]["monthToDateCost"] > 0 and fabric[0]["currency"] == "USD"  # the demo's cost data
    # the demo Azure publishes no portal: no made-up link, said plainly
    assert fabric[0]["portalUrl"] is None and fabric[0]["portalNote"] == "no portal for this cloud"
    table = loom("capacity", "list", "--dlz", "research")
    assert "fccsaloomresearch" in table.stdout and "Paused" in table.stdout and "as of" in table.stdout
    shown = json.loads(loom("capacity", "show", fabric[0]["id"], "-o", "json").stdout)
    assert shown["arm"]["properties"]["state"] == "Active" and shown["tags"]["loomDomain"] == "finance"
    missing = loom("capacity", "show", "nope")
    assert missing.returncode == 3 and "no resource 'nope'" in missing.stderr
    assert loom("capacity", "list", "--sort", "bogus").returncode == 2


def test_pause_resume_scale_and_their_refusals():
    r = loom("capacity", "pause", "fccsaloomhr")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "fccsaloomhr is Paused" and "confirm: succeeded" in r.stderr
    again = json.loads(loom("capacity", "pause", "fccsaloomhr", "-o", "json").stdout)
    assert again["changed"] is False and again["state"] == "Paused"
    bad = loom("capacity", "scale", "fccsaloomhr", "--sku", "F3")
    assert bad.returncode == 2 and "F2048" in bad.stderr
    ro = loom("--read-only", "capacity", "resume", "fccsaloomhr")
    assert ro.returncode == 4 and "read-only" in ro.stderr
    wrong = loom("capacity", "pause", "kv-loom-hr-dlz")
    assert wrong.returncode == 2 and "cannot be paused" in wrong.stderr
    r = loom("capacity", "resume", "fccsaloomhr")
    assert r.returncode == 0 and r.stdout.strip() == "fccsaloomhr is Active"


def test_dr_exits_1_when_anything_is_red_and_pause_idle_dry_run():
    r = loom("capacity", "dr")
    assert r.returncode == 1
    assert "FAIL" in r.stdout and "az keyvault update --name kv-loom-sales-dlz" in r.stdout
    checks = json.loads(loom("capacity", "dr", "-o", "json").stdout)
    assert {c["status"] for c in checks} == {"OK", "FAIL"}
    idle = loom("capacity", "pause-idle", "--idle-for", "2h", "--dry-run")
    assert idle.returncode == 0, idle.stderr
    assert "dry run: nothing paused" in idle.stdout and "PAUSE fccsaloomsales" in idle.stdout and "KEEP  fccsaloomfinance" in idle.stdout
    assert loom("capacity", "pause-idle", "--idle-for", "2 weeks").returncode == 2
    assert "Active" in json.loads(loom("capacity", "list", "--type", "capacities", "--dlz", "sales", "--json").stdout)[0]["state"]
    refused = loom("capacity", "pause-dlz", "sales")  # stdin is not a terminal
    assert refused.returncode == 2 and "--yes" in refused.stderr
