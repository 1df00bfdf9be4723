"""--read-only refuses every write, the ones outside the store too (issue 22 item 6): a cost import
(local.duckdb) and every change to the demo Azure's state exit 4 and change nothing; importing cost
changes the tenant's chargeback, so a viewer is refused as well."""

from __future__ import annotations

import json

from tests.conftest import shared_fixture
from tests.support.cli import loom

SAMPLE = str(shared_fixture("cost", "focus-1.0-sample-microsoft-51.csv"))


def test_cost_import_is_refused_read_only_and_to_a_viewer():
    before = loom("cost", "show", "--timeframe", "30d", "--json").stdout
    ro = loom("--read-only", "cost", "import", SAMPLE)
    assert ro.returncode == 4 and "read-only" in ro.stderr and ro.stdout == ""
    viewer = loom("--as", "viewer", "cost", "import", SAMPLE)
    assert viewer.returncode == 4 and "only tenant admins can import" in viewer.stderr
    assert loom("cost", "show", "--timeframe", "30d", "--json").stdout == before  # nothing imported
    ok = loom("cost", "import", SAMPLE, "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["rows"] == 51


def test_demo_azure_changes_are_refused_read_only():
    for args in (("inject", "resources.list", "429"), ("fail", "fabric.suspend"), ("delay", "resources.list", "2"),
                 ("clear",), ("reset",)):
        r = loom("--read-only", "demo-azure", *args)
        assert r.returncode == 4 and "read-only" in r.stderr, (args, r.stderr)
    r = loom("capacity", "list", "-o", "json")  # no 429 was injected: no throttling line
    assert r.returncode == 0 and "throttled" not in r.stderr
