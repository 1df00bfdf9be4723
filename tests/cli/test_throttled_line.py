"""Every headless command says when Azure throttles it: "throttled by …, retrying in N s" on stderr,
as the README promises (issue 22 item 18); stdout stays the data."""

from __future__ import annotations

import json

from tests.support.cli import loom


def test_capacity_list_says_it_was_throttled_on_stderr():
    assert loom("demo-azure", "inject", "resources.list", "429", "--seconds", "1").returncode == 0
    r = loom("capacity", "list", "-o", "json")
    assert r.returncode == 0, r.stderr
    assert "throttled by Azure Resource Manager, retrying in 1 s" in r.stderr
    assert isinstance(json.loads(r.stdout), list)  # the data is untouched by the line


def test_no_line_without_throttling():
    r = loom("capacity", "list", "-o", "json")
    assert r.returncode == 0 and "throttled" not in r.stderr
