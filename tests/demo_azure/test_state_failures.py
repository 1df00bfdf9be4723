"""The demo Azure's state file failing under it (issue 22 item 17): a damaged file and a full disk
are named with the file and what to do, exit 1, instead of "unexpected error" or a bare 500."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from loom_tui.demo_azure.state import State, state_path
from loom_tui.demo_azure.state_errors import DemoStateDamaged, DemoStateFull
from tests.support.cli import loom


def _loom(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LOOM_CONFIG": str(tmp_path / "none.toml"), "LOOM_STATE_DIR": str(tmp_path / "state")}
    return loom("--data-dir", str(tmp_path), *args, env=env)  # in this process (tests/support/cli.py)


def test_a_damaged_state_file_is_named_with_how_to_rebuild_it(tmp_path):
    path = state_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not SQLite\x00" * 512)
    with pytest.raises(DemoStateDamaged) as err:
        State(path)
    assert str(path) in str(err.value) and f"mv {path} {path}.damaged" in str(err.value)
    r = _loom(tmp_path, "capacity", "list")
    assert r.returncode == 1 and str(path) in r.stderr and "unexpected" not in r.stderr.lower()
    path.rename(path.with_suffix(".damaged"))  # as the message says: a fresh estate at the next start
    assert _loom(tmp_path, "capacity", "list", "-o", "json").returncode == 0


def test_a_full_disk_while_it_writes_is_named_and_changes_nothing(tmp_path):
    state = State(state_path(tmp_path))
    cap = state.list(type="Microsoft.Fabric/capacities")[0]
    before = cap["properties"]["state"]
    # SQLite's own limit on the file's pages: the next page it needs fails as a full disk does (SQLITE_FULL)
    pages = state._db.execute("PRAGMA page_count").fetchone()[0]
    state._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DemoStateFull) as err:
        state.patch(cap["id"], {"properties": {"state": "Paused", "padding": "x" * 200_000}})
    assert str(state_path(tmp_path)) in str(err.value) and "Free space" in str(err.value)
    assert state.get(cap["id"])["properties"]["state"] == before  # rolled back
    state.close()
