"""Issue 13: the headless list sorts by every column the console's sort picker offers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

LOOM = [sys.executable, "-m", "loom_tui.cli"]


from tests.support.cli import loom


def test_list_sorts_by_domain_both_ways():
    assert loom("seed").returncode == 0
    up = loom("workspaces", "list", "--sort", "domain", "--asc", "-o", "json")
    assert up.returncode == 0, up.stderr
    domains = [w.get("domain") or "" for w in json.loads(up.stdout)["workspaces"]]
    assert domains == sorted(domains) and len(set(domains)) > 2
    down = loom("workspaces", "list", "--sort", "domain", "-o", "json")
    assert [w.get("domain") or "" for w in json.loads(down.stdout)["workspaces"]] == sorted(domains, reverse=True)
