"""Air-gapped install: build the wheelhouse with scripts/wheelhouse.sh, then install loom-tui from it
into a fresh venv with the index disabled and no pip configuration, and run it.

Slow (about half a minute: one venv, ~37 wheels); pip's own cache keeps the build step fast."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO
from .ptyrun import PtyProcess

pytestmark = pytest.mark.slow

ISOLATED = {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTEST_", "VIRTUAL_ENV"))}
    env.update(extra)
    return env


def test_install_from_wheelhouse_without_an_index(tmp_path: Path) -> None:
    house = tmp_path / "wheelhouse"
    build = subprocess.run(["bash", str(REPO / "scripts" / "wheelhouse.sh"), "--out", str(house)],
                           env={**os.environ, "PYTHON": sys.executable}, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    wheels = {p.name.split("-")[0].lower() for p in house.glob("*.whl")}
    assert {"loom_tui", "textual", "azure_core", "msal", "aiohttp", "platformdirs"} <= wheels

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(house), "loom-tui"],
                             env=_env(**ISOLATED), capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]

    run = subprocess.run([str(venv / "bin" / "loom"), "--version"], env=_env(LOOM_STATE_DIR=str(tmp_path / "state")),
                         capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("loom-tui 0.1.0")
    assert "textual " in run.stdout and "(not installed)" not in run.stdout
    # it is the venv's copy that ran, not the checkout
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import loom_tui; print(loom_tui.__file__)"],
                           capture_output=True, text=True, timeout=60, cwd=tmp_path).stdout
    assert str(venv) in where

    # and the console itself starts from the installed copy (styles and demo data were packaged)
    p = PtyProcess([str(venv / "bin" / "loom")], env=_env(TERM="xterm-256color", LOOM_STATE_DIR=str(tmp_path / "state"),
                                                         LOOM_DATA_DIR=str(tmp_path / "data"), LOOM_CONFIG=str(tmp_path / "none.toml")))
    try:
        p.wait_for("Active", timeout=60)
    finally:
        p.kill()
