"""``loom dlz plan|export|deploy|list|show`` on the local profile and its demo Azure (in-process; a real
process where one is killed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from loom_tui.demo_azure.estate_dlz import SPARE_SUB
from loom_tui.services.dlz.runner import STAGE_LABELS
from tests.support.cli import loom as run_loom
from tests.support.cli import loom_process


def loom(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_loom(*args, check=check)


GOOD = f'''boundary = "commercial"
mode = "multi-sub"
subscription_id = "{SPARE_SUB}"
region = "eastus2"
domain = "logistics"
capacity_sku = "F8"
address_space = "10.1.0.0/16"

[parameters]
adminEntraGroupId = "5a5a0000-0000-4000-8000-00000000ad01"
'''


def test_plan_export_deploy_list_show(tmp_path):
    answers = tmp_path / "dlz.toml"
    answers.write_text(GOOD)
    plan = json.loads(loom("dlz", "plan", "--answers", str(answers), "-o", "json").stdout)
    assert plan["resource_group"] == "rg-csa-loom-dlz-logistics-eastus2" and len(plan["dns_zones"]) == 17
    table = loom("dlz", "plan", "--answers", str(answers)).stdout
    assert "storage account" in table and plan["storage_account"] in table

    out = tmp_path / "export"
    loom("dlz", "export", "--answers", str(answers), "--out", str(out))
    params = json.loads((out / "dlz.parameters.json").read_text())["parameters"]
    assert params["spokeVnetCidr"] == {"value": "10.1.0.0/16"} and params["capacitySku"] == {"value": "F8"}
    assert params["adminEntraGroupId"] == {"value": "5a5a0000-0000-4000-8000-00000000ad01"}
    script = (out / "deploy.sh").read_text()
    assert "az group create" in script and "az deployment group create" in script and "--template-spec" in script
    assert script.count("az network private-dns link vnet create") == 17
    assert "--name peer-to-dlz-logistics" in script and "--name peer-to-admin-hub" in script
    assert not (out / "dlz.json").exists()  # a template spec is deployed by id: nothing to write

    refused = loom("dlz", "deploy", "--answers", str(answers), check=False)  # not a terminal, no --yes
    assert refused.returncode == 2 and "--yes" in refused.stderr
    done = loom("dlz", "deploy", "--answers", str(answers), "--yes")
    assert "deployed DLZ logistics" in done.stdout
    assert "Hub ↔ spoke peering: succeeded" in done.stderr and "Private DNS links: succeeded" in done.stderr

    listed = [d for d in json.loads(loom("dlz", "list", "-o", "json").stdout) if d["source"].startswith("recorded")]
    assert [d["domain"] for d in listed] == ["logistics"] and listed[0]["state"] == "deployed"
    shown = json.loads(loom("dlz", "show", "logistics", "--json").stdout)
    assert shown["peering"] == {"hub-to-spoke": "Connected", "spoke-to-hub": "Connected"} and len(shown["dnsLinks"]) == 17
    # the stages are the deployment's operation's steps (the record keeps none)
    op_id = done.stdout.rsplit("(operation ", 1)[1].split(")")[0]
    steps = json.loads(loom("operations", "show", op_id, "--json").stdout)["steps"]
    assert shown["stages"] == {s["name"]: {"state": "succeeded", "message": s["message"]} for s in steps} and len(steps) == 7
    assert listed[0]["stages"] == shown["stages"]
    table = loom("dlz", "show", "logistics").stdout
    assert "peering hub→spoke" in table
    deploy_row = next(ln for ln in table.splitlines() if "stage deploy" in ln)
    assert "succeeded deployment " in deploy_row and shown["stages"]["deploy"]["message"][:30] in deploy_row
    missing = loom("dlz", "show", "nope", check=False)
    assert missing.returncode != 0 and "no DLZ 'nope'" in missing.stderr
    # the same answers plan a re-run of it; the same domain elsewhere is refused now that it exists
    loom("dlz", "plan", "--answers", str(answers))
    answers.write_text(GOOD.replace('region = "eastus2"', 'region = "westus3"'))
    again = loom("dlz", "plan", "--answers", str(answers), check=False)
    assert again.returncode == 2 and "domain: a DLZ for domain 'logistics' already exists" in again.stderr


def test_plan_names_each_bad_answer(tmp_path):
    answers = tmp_path / "bad.toml"
    answers.write_text('boundary = "il5"\nmode = "multi-sub"\nsubscription_id = "nope"\nregion = "mars"\n'
                       'domain = "Bad_Name"\ncapacity_sku = "F3"\naddress_space = "10.0.0.0/8"\n')
    proc = loom("dlz", "plan", "--answers", str(answers), check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    for field in ("boundary:", "subscription_id:", "domain:", "capacity_sku:", "address_space:"):
        assert f"loom: {field}" in proc.stderr, field
    answers.write_text('boundary = "commercial"\ncolour = "red"\ndomain = 7\n')
    proc = loom("dlz", "plan", "--answers", str(answers), check=False)
    assert proc.returncode == 2 and "loom: colour: unknown key" in proc.stderr and "loom: domain: must be a string" in proc.stderr
    proc = loom("dlz", "plan", "--answers", str(tmp_path / "missing.toml"), check=False)
    assert proc.returncode == 2 and "cannot read" in proc.stderr


def test_no_wait_returns_and_running_deploy_again_finishes_it(tmp_path):
    answers = tmp_path / "dlz.toml"
    answers.write_text(GOOD.replace("logistics", "pricing").replace("10.1.0.0/16", "10.2.0.0/16"))
    # a process of its own: it ends (leaving its operation to be taken over) as soon as Azure accepted
    started = loom_process("dlz", "deploy", "--answers", str(answers), "--yes", "--no-wait")
    assert started.returncode == 0, started.stderr
    op_id = started.stdout.strip().splitlines()[-1]
    assert len(op_id) == 32 and "peering, DNS links and the record follow" in started.stderr
    assert json.loads(loom("dlz", "show", "pricing", "--json").stdout)["state"] != "deployed"  # the process left mid-way
    done = loom("dlz", "deploy", "--answers", str(answers), "--yes")
    assert f"already running as operation {op_id}" in done.stderr and "deployed DLZ pricing" in done.stdout
    # followed through the operation's events: one line per change of a stage, none said twice, every stage's end said
    lines = done.stderr.splitlines()
    assert len(lines) == len(set(lines))
    assert all(any(ln.startswith(f"{label}: succeeded") for ln in lines) for label in STAGE_LABELS.values())
    shown = json.loads(loom("dlz", "show", "pricing", "--json").stdout)
    assert shown["state"] == "deployed" and shown["peering"]["hub-to-spoke"] == "Connected"
    op = json.loads(loom("operations", "show", op_id, "--json").stdout)
    assert op["state"] == "succeeded" and [s["state"] for s in op["steps"]] == ["succeeded"] * 7


def test_a_killed_deploy_is_taken_over_by_the_next_one(tmp_path):
    import signal
    import time

    answers = tmp_path / "dlz.toml"
    answers.write_text(GOOD.replace("logistics", "claims").replace("10.1.0.0/16", "10.3.0.0/16"))
    proc = subprocess.Popen([sys.executable, "-m", "loom_tui.cli", "dlz", "deploy", "--answers", str(answers), "--yes"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(), stdin=subprocess.DEVNULL)
    seen = ""
    deadline = time.monotonic() + 240
    while "Deploy template: running" not in seen and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line
    assert "Deploy template: running" in seen, seen
    proc.send_signal(signal.SIGKILL)  # mid-deploy, no chance to clean up
    proc.wait(30)
    proc.stdout.close()
    proc.stderr.close()
    done = loom("dlz", "deploy", "--answers", str(answers), "--yes")
    assert "already running as operation" in done.stderr and "deployed DLZ claims" in done.stdout
    shown = json.loads(loom("dlz", "show", "claims", "--json").stdout)
    assert shown["state"] == "deployed" and len(shown["dnsLinks"]) == 17


def test_deploy_refuses_a_template_that_is_not_one(tmp_path):
    answers = tmp_path / "dlz.toml"
    answers.write_text(GOOD)
    compiled = tmp_path / "compiled.json"
    compiled.write_text("param domain string\n")  # Bicep, not compiled
    proc = loom("dlz", "deploy", "--answers", str(answers), "--template", str(compiled), "--yes", check=False)
    assert proc.returncode == 2 and "is not JSON" in proc.stderr and "az bicep build" in proc.stderr
    assert [d for d in json.loads(loom("dlz", "list", "-o", "json").stdout)
            if d["source"].startswith("recorded") or d["domain"] == "logistics"] == []  # nothing was deployed or recorded
