"""The Cost area in the real ``loom`` command inside tmux at 80x24: key 4, the chargeback, a view
switch, a drill-down and back, and the headless command agreeing with what the screen shows."""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal

import pytest

from tests.support.tmux import Tmux, tmux  # noqa: F401  (fixture)

from .conftest import loom_bin

pytestmark = pytest.mark.tmux


def test_cost_area_in_tmux(tmux: Tmux) -> None:  # noqa: F811
    s = tmux.start([loom_bin()], cols=80, rows=24, term="xterm-256color", env={"LOOM_DEMO_TODAY": "2026-11-20"})
    s.wait_for("Active", timeout=30)
    s.send("4")
    s.wait_for("Cost by workspace", timeout=60)
    s.wait_for("MTD ", timeout=60)
    s.send("v")
    s.wait_for("by domain", timeout=60)
    s.wait_for("Finance", timeout=60)
    s.send("Enter")
    s.wait_for("Resources ›", timeout=60)
    s.send("Escape")
    s.wait_for("Cost by domain", timeout=60)
    out = subprocess.run([loom_bin(), "cost", "show", "--by", "domain", "--json"], capture_output=True, text=True,
                         env={**os.environ, "LOOM_DEMO_TODAY": "2026-11-20"}, timeout=120)
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout, parse_float=Decimal)  # every digit: rounded as the screen rounds
    top = body["rows"][0]
    s.wait_for(f"{top['cost']:,.2f}", timeout=10)  # the screen shows the same top amount
    s.send("C-q")
