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
    up = loom("workspaces", "list", "--sort", "domain", "-o", "json")  # ascending unless --desc, as every loom list
    assert up.returncode == 0, up.stderr
    domains = [w.get("domain") or "" for w in json.loads(up.stdout)]
    assert domains == sorted(domains) and len(set(domains)) > 2
    down = loom("workspaces", "list", "--sort", "domain", "--desc", "-o", "json")
    assert [w.get("domain") or "" for w in json.loads(down.stdout)] == sorted(domains, reverse=True)
