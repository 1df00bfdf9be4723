"""The Capacity area in the real ``loom`` inside tmux at 80x24 with 16 colours: key 2 starts the
demo Azure on this machine and lists the estate; pause a capacity through its confirmation; the
headless command sees the new state; the DR view says FAIL in words."""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest

from tests.support.tmux import Tmux, tmux  # noqa: F401  (fixture)

from .conftest import loom_bin

pytestmark = pytest.mark.tmux


def test_capacity_in_tmux(tmux: Tmux) -> None:
    s = tmux.start([loom_bin()], cols=80, rows=24, term="xterm", env={})
    s.wait_for("Active", timeout=90)  # the first start seeds the demo tenant
    s.send("2")
    s.wait_for("fccsaloomfinance", timeout=60)
    s.wait_for("CU-eq. 24 h", timeout=30)
    screen = s.wait_for("%", timeout=30)  # utilization arrived
    assert "Fabric cap." in screen and "Paused" in screen
    time.sleep(0.5)  # the enriched rows have just been drawn; type like a person would
    s.send("/")
    s.wait_for("/ Filter ^r Refresh")  # the filter has the focus
    s.type("fccsaloomhr")
    s.wait_for("1 of ")
    s.send("Enter")
    time.sleep(0.3)
    s.send("p")
    s.wait_for("Pause Fabric capacity fccsaloomhr?")
    s.send("Down")
    s.send("Enter")
    s.wait_for("fccsaloomhr is Paused", timeout=60)
    out = subprocess.run([loom_bin(), "capacity", "show", "fccsaloomhr", "-o", "json"], capture_output=True, text=True,
                         env=os.environ.copy(), timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["state"] == "Paused"
    s.send("Escape")
    s.wait_for("filter: fccsaloomhr", gone=True)  # (a key right after Escape would arrive as alt+key)
    s.send("h")  # DR posture ("d" deletes on every screen)
    s.wait_for("checked live", timeout=30)
    assert "FAIL" in s.wait_for("kv-loom-sales-dlz")
