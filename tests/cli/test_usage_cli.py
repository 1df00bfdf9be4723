"""``loom usage``: the Usage area's numbers headless, in every output format."""

from __future__ import annotations

import csv
import io
import json

from .test_workspaces_cli import loom


def test_usage_cards_views_and_formats():
    r = loom("usage", "-o", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    cards = data["cards"]
    assert cards["workspaces"] == len(json.loads(loom("workspaces", "list", "--json").stdout))
    assert cards["idleWorkspaces30d"] == len(data["idle"]) > 0  # the demo has idle workspaces
    assert sum(b["items"] for b in data["types"]) == cards["items"]
    assert len(data["activity"]) == 30
    table = loom("usage")
    assert "idleWorkspaces30d:" in table.stdout and "\x1b" not in table.stdout
    idle = list(csv.DictReader(io.StringIO(loom("usage", "--view", "idle", "-o", "csv").stdout)))
    assert [row["id"] for row in idle] == [w["id"] for w in data["idle"]]
    assert all(row["lastAccessedAt"] == "never" or row["lastAccessedAt"] < cards["since"][:16].replace("T", " ") for row in idle)
    md = loom("usage", "--view", "types", "-o", "markdown").stdout
    assert md.startswith("| Type") and md.count("\n") >= 3
    tsv = loom("usage", "--view", "activity", "-o", "tsv").stdout.splitlines()
    assert tsv[0] == "day\tevents" and len(tsv) == 31


def test_usage_is_for_tenant_admins():
    r = loom("--as", "contributor", "usage")
    assert r.returncode == 4 and r.stderr.count("\n") == 1 and "tenant admins" in r.stderr
