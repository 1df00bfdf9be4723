"""Issue 24 defects 4, 5 and the CLI items of 19; issue 22 item 2 (CSV formulas) at the command
line: ``loom`` run in this process (``tests/support/cli.py``), on the local profile."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from tests.support.cli import loom

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _ok(*args: str) -> subprocess.CompletedProcess:
    r = loom(*args)
    assert r.returncode == 0, r.stderr
    return r


def test_machine_formats_return_every_workspace_and_top_limits():
    """`loom workspaces list -o csv` gave 100 of 3,040 workspaces, with no word on stderr."""
    _ok("seed", "--workspaces", "3000", "--items-per-workspace", "0", "--audit-days", "0")
    rows = list(csv.DictReader(io.StringIO(_ok("workspaces", "list", "-o", "csv").stdout)))
    assert len(rows) == 3040 and len({r["id"] for r in rows}) == 3040
    listed = json.loads(_ok("workspaces", "list", "-o", "json").stdout)
    assert isinstance(listed, list) and len(listed) == 3040  # a bare array, as az prints
    assert len(yaml.safe_load(_ok("workspaces", "list", "-o", "yaml").stdout)) == 3040
    assert len(_ok("workspaces", "list", "-o", "tsv").stdout.splitlines()) == 3041
    assert len(json.loads(_ok("workspaces", "list", "-o", "json", "--top", "7").stdout)) == 7
    table = _ok("workspaces", "list")
    assert len(table.stdout.splitlines()) == 102 and "100 of 3,040 workspaces" in table.stdout.splitlines()[-1]
    assert table.stderr == ""
    assert len(_ok("workspaces", "list", "--top", "0").stdout.splitlines()) == 3042
    # --limit, the old name, still limits
    assert len(json.loads(_ok("workspaces", "list", "-o", "json", "--limit", "3").stdout)) == 3


def test_query_and_yaml_on_commands_that_print_data():
    paused = _ok("capacity", "list", "--query", "[?state=='Paused'].name", "-o", "tsv").stdout.split()
    every = json.loads(_ok("capacity", "list", "-o", "json").stdout)
    assert paused and sorted(paused) == sorted(r["name"] for r in every if r["state"] == "Paused")
    assert all(r["utilization24hUnit"] == "Percent" for r in every)  # utilization24h has a unit
    names = _ok("workspaces", "list", "--query", "[].name", "-o", "json").stdout
    assert len(json.loads(names)) == 40
    shown = yaml.safe_load(_ok("usage", "-o", "yaml").stdout)
    assert shown["cards"]["workspaces"] == 40
    assert _ok("usage", "--query", "cards.workspaces", "-o", "tsv").stdout == "40\n"
    bad = loom("workspaces", "list", "--query", "[?name=='x'")
    assert bad.returncode == 2 and "--query" in bad.stderr


def test_every_command_that_prints_data_takes_query_top_and_yaml():
    from loom_tui.cli import _subparsers, build_parser

    leaves = [c for c in _subparsers(build_parser()) if c._defaults.get("handler")]
    for leaf in leaves:
        opts = leaf._option_string_actions
        if "-o" in opts:
            assert "--query" in opts and "--top" in opts, leaf.prog
            assert "yaml" in opts["-o"].choices, leaf.prog


def test_capacity_type_by_provider_and_a_hint_when_nothing_matches():
    fabric = json.loads(_ok("capacity", "list", "--type", "fabric", "-o", "json").stdout)
    assert len(fabric) == 6 and {r["type"] for r in fabric} == {"Microsoft.Fabric/capacities"}
    none = loom("capacity", "list", "--type", "fabrics")
    assert none.returncode == 0
    assert "no resource of type 'fabrics'" in none.stderr and "capacities (Microsoft.Fabric/capacities)" in none.stderr


def test_one_sort_convention_ascending_unless_desc():
    names = [w["name"] for w in json.loads(_ok("workspaces", "list", "--sort", "name", "-o", "json").stdout)]
    assert names == sorted(names, key=str.lower)
    down = [w["name"] for w in json.loads(_ok("workspaces", "list", "--sort", "name", "--desc", "-o", "json").stdout)]
    assert down == names[::-1]
    old = loom("workspaces", "list", "--sort", "name", "--asc", "-o", "json")
    assert old.returncode == 0 and [w["name"] for w in json.loads(old.stdout)] == names
    assert "--asc is deprecated" in old.stderr
    accessed = [w["lastAccessedAt"] or "" for w in json.loads(_ok("workspaces", "list", "-o", "json").stdout)]
    assert accessed == sorted(accessed, reverse=True)  # without --sort: the console's order, newest first
    caps = [r["name"].lower() for r in json.loads(_ok("capacity", "list", "--desc", "-o", "json").stdout)]
    assert caps == sorted(caps, reverse=True)


def test_csv_times_are_iso_8601():
    ws = list(csv.DictReader(io.StringIO(_ok("workspaces", "list", "-o", "csv").stdout)))
    assert all(ISO.match(w["lastAccessedAt"]) for w in ws if w["lastAccessedAt"])
    events = list(csv.DictReader(io.StringIO(_ok("audit", "--top", "20", "-o", "csv").stdout)))
    assert events and all(ISO.match(e["at"]) for e in events)
    tsv = _ok("audit", "--top", "5", "-o", "tsv").stdout.splitlines()
    col = tsv[0].split("\t").index("at")
    assert all(ISO.match(line.split("\t")[col]) for line in tsv[1:])


def test_one_document_is_one_document():
    made = json.loads(_ok("workspaces", "create", "--name", "Plural check", "-o", "json").stdout)
    r = _ok("workspaces", "delete", made["id"], "--yes")
    n = r.stdout.split(" and ", 1)[1].split()[0]
    assert r.stdout.strip().endswith(f"{n} document in it" if n == "1" else f"{n} documents in it")
    assert "1 documents" not in r.stdout


def test_dlz_plan_refusals_are_one_json_object(tmp_path):
    answers = tmp_path / "dlz.toml"
    answers.write_text('boundary = "commercial"\ndomain = "Not A Domain!"\n')
    r = loom("dlz", "plan", "--answers", str(answers), "-o", "json")
    assert r.returncode == 2
    body = json.loads(r.stderr)
    assert body["error"]["code"] == "invalid" and body["error"]["problems"]
    assert all(set(p) == {"field", "message"} for p in body["error"]["problems"])


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_spreadsheet_formulas_are_neutralised(fmt):
    name = "=cmd|' /C calc'!A0"
    _ok("workspaces", "create", "--name", name)
    out = _ok("workspaces", "list", "-o", fmt, "--top", "0").stdout
    rows = list(csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
    cells = [r["name"] for r in rows if "cmd" in r["name"]]
    assert cells == ["'" + name]
    assert not any(r["name"].startswith(("=", "+", "-", "@")) for r in rows)
    assert name in [w["name"] for w in json.loads(_ok("workspaces", "list", "-o", "json").stdout)]  # JSON keeps it as it is
