"""The headless commands, run as a user runs them (``loom ARGS`` in-process: see tests/support/cli.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.cli import loom


@pytest.mark.fresh_data
def test_list_seeds_the_demo_tenant_on_first_start():
    r = loom("workspaces", "list", "--json", "--limit", "0")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data) == 40  # a bare array of every workspace
    # one tenant; each filed under its owner's object id, as the web console files them
    assert all(w["tid"] == data[0]["tid"] and w["tenantId"] == w["ownerOid"] for w in data)


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "Name is required"),
        ("   ", "Name is required"),
        ("x" * 10_000, "at most 256"),
        ("bad\x1b[31mred", "control characters"),
        ("tab\there", "control characters"),
    ],
)
def test_bad_names_exit_non_zero_and_write_nothing(name, message):
    before = len(json.loads(loom("workspaces", "list", "--json", "--limit", "0").stdout))
    r = loom("workspaces", "create", "--name", name)
    assert r.returncode != 0
    assert message in r.stderr
    assert len(json.loads(loom("workspaces", "list", "--json", "--limit", "0").stdout)) == before


def test_markup_names_are_stored_and_printed_literally():
    name = "[bold]x[/] [link=http://e]y[/link] 数据 🚀"
    r = loom("workspaces", "create", "--name", name, "--json")
    assert r.returncode == 0, r.stderr
    created = json.loads(r.stdout)
    assert created["name"] == name
    shown = loom("workspaces", "list", "--search", "[bold]")
    assert name in shown.stdout
    assert "1 of 1" in shown.stdout


def test_duplicate_name_is_refused_case_insensitively():
    assert loom("workspaces", "create", "--name", "Dup Space").returncode == 0
    r = loom("workspaces", "create", "--name", "dup space")
    assert r.returncode != 0 and "already exists" in r.stderr


def test_create_update_show_delete_round_trip():
    created = json.loads(loom("workspaces", "create", "--name", "Round Trip", "--capacity", "F64", "--json").stdout)
    assert created["capacity"] == "F64"
    r = loom("workspaces", "update", created["id"], "--description", "edited", "--json")
    assert json.loads(r.stdout)["description"] == "edited"
    shown = json.loads(loom("workspaces", "show", "Round Trip", "--json").stdout)
    assert shown["id"] == created["id"]
    r = loom("workspaces", "delete", created["id"])  # no --yes and no terminal: refused
    assert r.returncode != 0 and "--yes" in r.stderr
    r = loom("workspaces", "delete", created["id"], "--yes", "--json")
    assert r.returncode == 0, r.stderr
    assert loom("workspaces", "show", created["id"]).returncode != 0


def test_read_only_refuses_writes_and_writes_nothing():
    loom("workspaces", "list")  # seed first
    r = loom("--read-only", "workspaces", "create", "--name", "nope")
    assert r.returncode != 0 and "read-only" in r.stderr
    assert "nope" not in loom("workspaces", "list", "--limit", "0").stdout


def test_version_names_the_sdks():
    r = loom("--version")
    assert r.returncode == 0
    for pkg in ("loom-tui", "textual", "azure-cosmos", "azure-identity", "msal"):
        assert pkg in r.stdout


def test_seed_generates_scale_data_deterministically():
    r = loom("seed", "--workspaces", "30", "--items-per-workspace", "5", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["workspaces"] == 30
    again = loom("seed", "--workspaces", "30", "--items-per-workspace", "5", "--json")
    assert again.returncode == 0
    total = len(json.loads(loom("workspaces", "list", "--json").stdout))
    assert total == 40 + 30  # same seed, same ids: upserted, not duplicated


def test_seed_rejects_negative_counts():
    r = loom("seed", "--workspaces", "-1")
    assert r.returncode != 0 and "negative" in r.stderr


def test_unknown_profile_is_a_clear_error():
    r = loom("--profile", "nope", "workspaces", "list")
    assert r.returncode != 0
    assert "no profile named 'nope'" in r.stderr


def test_capacity_and_domain_are_checked_headless():
    r = loom("workspaces", "create", "--name", "Lol Space", "--capacity", "lol", "--domain", "Bad Domain!!")
    assert r.returncode == 2 and r.stderr.startswith("loom: Capacity 'lol' is not a capacity SKU")
    assert "Traceback" not in r.stderr and "ValidationError" not in r.stderr
    r = loom("workspaces", "create", "--name", "Lol Space", "--capacity", "F8", "--domain", "Bad Domain!!")
    assert r.returncode == 2 and "Domain 'Bad Domain!!' is not one of this tenant's domains" in r.stderr
    assert "--new-domain" in loom("workspaces", "create", "--help").stdout
    r = loom("workspaces", "create", "--name", "Lol Space", "--domain", "new-dom", "--new-domain", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["domain"] == "new-dom"
    r = loom("workspaces", "update", "Lol Space", "--capacity", "trial")
    assert r.returncode == 2 and "Capacity 'trial' is not a capacity SKU" in r.stderr
