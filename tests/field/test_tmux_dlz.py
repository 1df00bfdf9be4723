"""The DLZ wizard in the real ``loom`` command inside tmux at 80×24: the session drops at the
network step and a new one resumes there; then on to validate, deploy and done, and the headless
command sees the DLZ."""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest

from tests.support.tmux import Tmux, tmux  # noqa: F401  (fixture)

from .conftest import loom_bin

pytestmark = pytest.mark.tmux


def test_setup_wizard_resumes_after_a_drop_and_deploys(tmux: Tmux) -> None:
    s = tmux.start([loom_bin()], cols=80, rows=24, term="xterm-256color", env={})
    s.wait_for("Active", timeout=30)
    s.send("5")
    s.wait_for("step 1 of 11", timeout=60)
    time.sleep(0.5)
    s.send("Enter")
    s.wait_for("Compliance boundary")
    time.sleep(0.5)
    s.send("Enter")  # Commercial
    s.wait_for("Subscription mode")
    time.sleep(0.5)
    s.send("Down")
    s.send("Enter")  # multi-sub
    s.wait_for("Subscription and region")
    s.wait_for("DLZ West", timeout=60)
    time.sleep(0.5)
    for _ in range(3):
        s.send("Down")
    s.send("Enter")  # the empty DLZ subscription
    s.wait_for("Region (enter chooses)")
    time.sleep(0.5)
    s.send("Enter")  # eastus2, the boundary's default
    s.wait_for("step 5 of 11")
    time.sleep(0.5)
    s.type("logistics")
    s.wait_for("saloomlogistics")
    time.sleep(0.3)
    s.send("Enter")
    s.wait_for("step 6 of 11")
    time.sleep(0.5)
    s.send("Enter")  # F8
    s.wait_for("10.1.0.0/16 is free")
    time.sleep(1.0)  # the draft is saved after the step (a worker)
    s.kill()  # the SSH session drops

    s = tmux.start([loom_bin()], cols=80, rows=24, term="xterm-256color", env={})
    s.wait_for("Resume the DLZ wizard in DLZ at Network", timeout=30)  # the area, the step and the draft
    s.wait_for("typed in the address", timeout=10)  # and what was typed there
    time.sleep(0.3)
    s.send("y")
    s.wait_for("step 7 of 11", timeout=60)  # the wizard resumed at the network step, answers kept
    s.wait_for("10.1.0.0/16 is free", timeout=60)
    time.sleep(0.5)
    s.send("Enter")
    s.wait_for("[held] Private DNS Zone Contributor", timeout=60)
    time.sleep(0.5)
    s.send("Enter")
    s.wait_for("step 9 of 11")
    s.wait_for("template spec csa-loom-landing-zone", timeout=60)
    time.sleep(0.5)
    s.send("e")  # the admin group is asked (everything else is read from the estate)
    s.wait_for("Template parameter")
    time.sleep(0.3)
    s.type("5a5a0000-0000-4000-8000-00000000ad01")
    s.send("Enter")
    s.wait_for("← asked", timeout=60)
    time.sleep(0.5)
    s.send("v")
    s.wait_for("to create, 0 to modify, 0 to delete", timeout=90)
    time.sleep(0.5)
    s.send("Enter")
    s.wait_for("DLZ logistics is deployed.", timeout=240)
    s.wait_for("hub→spoke Connected, spoke→hub Connected")
    out = subprocess.run([loom_bin(), "dlz", "show", "logistics", "--json"], capture_output=True, text=True, env=os.environ.copy(),
                         timeout=120)
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    assert shown["state"] == "deployed" and len(shown["dnsLinks"]) == 17
    assert "csa-loom-post-deploy-bootstrap.yml" in shown["bootstrap"]["command"]
    s.send("C-q")
