"""``loom cost ...`` as a user runs it: the real entry point in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import shared_fixture

LOOM = [sys.executable, "-m", "loom_tui.cli"]


from tests.support.cli import loom


def test_show_json_has_the_issue_shape_and_adds_up():
    r = loom("cost", "show", "--by", "domain", "--timeframe", "30d", "--json")
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["currency"] == "USD" and body["from"] == "2026-10-22" and body["to"] == "2026-11-20"
    assert abs(sum(x["cost"] for x in body["rows"]) + body["unallocated"] - body["total"]) < 0.05
    assert {"key", "name", "cost"} <= set(body["rows"][0])


def test_table_csv_markdown_and_no_control_characters():
    table = loom("cost", "show", "--by", "service", "--timeframe", "last-month")
    assert table.returncode == 0 and "(unallocated)" in table.stdout and "(total)" in table.stdout
    csv_out = loom("cost", "daily", "--timeframe", "7d", "-o", "csv").stdout.splitlines()
    assert csv_out[0] == "currency,day,cost" and len(csv_out) == 8
    md = loom("cost", "anomalies", "--timeframe", "30d", "-o", "markdown").stdout
    assert md.startswith("| day | kind |") and "new-service" in md
    assert "\x1b" not in table.stdout + md


def test_import_then_errors_name_the_file_line_and_column(tmp_path):
    ok = loom("cost", "import", str(shared_fixture("cost", "focus-1.0-sample-microsoft-51.csv")), "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["rows"] == 51
    again = json.loads(loom("cost", "import", str(shared_fixture("cost", "focus-1.0-sample-microsoft-51.csv")), "--json").stdout)
    assert again["rows"] == 0 and again["files"][0]["skipped"]
    bad = tmp_path / "bad.csv"
    bad.write_text("ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency\n2026-11-01,1,1,USD\n2026-11-02,x1,1,USD\n")
    r = loom("cost", "import", str(bad))
    assert r.returncode == 2 and r.stdout == ""
    assert f"{bad}: line 3, column BilledCost: is not a number: 'x1'; nothing was imported" in r.stderr


def test_bad_arguments():
    assert loom("cost", "show", "--by", "nope").returncode == 2
    r = loom("cost", "show", "--from", "2026-11-02", "--to", "2026-11-01")
    assert r.returncode == 2 and "before" in r.stderr
    live = json.loads(loom("cost", "show", "--source", "live", "--timeframe", "30d", "--json").stdout)
    exports = json.loads(loom("cost", "show", "--timeframe", "30d", "--json").stdout)
    assert abs(live["total"] - exports["total"]) < 0.01  # the demo Azure answers with the export's cost


def test_where_with_an_unknown_dimension_is_refused_naming_the_dimensions():
    r = loom("cost", "show", "--where", "workspce=abc")
    assert r.returncode == 2 and r.stdout == ""
    assert "unknown dimension 'workspce'" in r.stderr and "workspace, domain" in r.stderr
    assert loom("cost", "show", "--where", "tag:team=data", "--json").returncode == 0
