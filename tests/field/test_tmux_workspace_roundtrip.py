"""A workspace round-trip in the real ``loom`` command inside tmux: create, edit, search, pin, delete."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.support.tmux import Tmux, tmux  # noqa: F401  (fixture)

from .conftest import loom_bin

pytestmark = pytest.mark.tmux
NAME = "Tmux Roundtrip [x]"


def _headless(*args: str) -> dict:
    out = subprocess.run([loom_bin(), *args], capture_output=True, text=True, env=os.environ.copy(), timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_create_edit_search_pin_delete_in_tmux(tmux: Tmux) -> None:
    s = tmux.start([loom_bin()], cols=100, rows=30, term="xterm-256color", env={})
    s.wait_for("Active", timeout=30)
    # create
    s.send("n")
    s.wait_for("New workspace")
    s.type(NAME)
    s.send("C-s")
    s.wait_for("created workspace")
    s.wait_for("New workspace", gone=True)
    # search finds it (and only it)
    s.send("/")
    s.type("roundtrip")
    s.wait_for("1 workspace ·")
    s.send("Enter")
    s.wait_for("› " + NAME)
    # edit the description
    s.send("e")
    s.wait_for("Edit workspace")
    s.send("Tab")
    s.type("edited in tmux")
    s.send("C-s")
    s.wait_for("saved workspace")
    s.wait_for("Edit workspace", gone=True)
    # pin
    s.send("p")
    s.wait_for("pinned")
    # the headless command sees what the console wrote
    shown = _headless("workspaces", "show", NAME, "--json")
    assert shown["description"] == "edited in tmux"
    # delete: type the name (focus starts in the name field), then enter
    s.send("d")
    s.wait_for("Type the name to confirm")
    s.type(NAME)
    s.send("Enter")
    s.wait_for("deleted workspace")
    s.wait_for("0 workspaces", timeout=10)
    listed = _headless("workspaces", "list", "--search", "roundtrip", "--json")
    assert listed == []
    s.send("C-q")
