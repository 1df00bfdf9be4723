"""Issue 24 defect 2: ``loom operations wait`` takes an orphaned DLZ deployment over, as the console
does (one takeover path for both), instead of failing it with "interrupted … start it again"."""

from __future__ import annotations

import json

from tests.dlz.test_cli_dlz import GOOD, loom
from tests.support.cli import loom_process


def test_operations_wait_takes_over_an_orphaned_dlz_deployment(tmp_path):
    answers = tmp_path / "dlz.toml"
    answers.write_text(GOOD.replace("logistics", "shipping").replace("10.1.0.0/16", "10.4.0.0/16"))
    started = loom_process("dlz", "deploy", "--answers", str(answers), "--yes", "--no-wait")  # ends, leaving its operation
    assert started.returncode == 0, started.stderr
    op_id = started.stdout.strip().splitlines()[-1]
    assert json.loads(loom("dlz", "show", "shipping", "--json").stdout)["state"] != "deployed"  # the process left mid-way
    waited = loom_process("operations", "wait", op_id, "-o", "json")  # a process of its own, that never opened Setup
    assert waited.returncode == 0, waited.stderr
    op = json.loads(waited.stdout)
    assert op["state"] == "succeeded" and [s["state"] for s in op["steps"]] == ["succeeded"] * 7
    shown = json.loads(loom("dlz", "show", "shipping", "--json").stdout)
    assert shown["state"] == "deployed" and shown["peering"]["spoke-to-hub"] == "Connected" and len(shown["dnsLinks"]) == 17
