"""ctrl+c / ctrl+d at a headless prompt (the delete confirmation) on a real pseudo-terminal: the
command ends at once (the FIRST ctrl+c), with a clear line, its exit code, nothing deleted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.field.ptyrun import PtyProcess, plain

LOOM = [sys.executable, "-m", "loom_tui.cli"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(TERM="xterm", PYTHONPATH=os.getcwd())
    return env


def _workspace(name: str) -> str:
    r = subprocess.run([*LOOM, "workspaces", "create", "--name", name, "-o", "json"], capture_output=True, text=True, env=_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["id"]


def _exists(ws: str) -> bool:
    return subprocess.run([*LOOM, "workspaces", "show", ws], capture_output=True, text=True, env=_env(), timeout=120).returncode == 0


@pytest.mark.parametrize("key, status, says", [
    ("\x03", 130, "interrupted (ctrl+c); nothing was changed"),
    ("\x04", 1, "no answer (end of input); nothing was changed"),
])
def test_ctrl_c_and_ctrl_d_at_the_delete_prompt_end_cleanly(key, status, says):
    ws = _workspace(f"Prompt {ord(key)}")
    p = PtyProcess([*LOOM, "workspaces", "delete", ws], env=_env())
    try:
        p.wait_for("Type the workspace name to delete it", timeout=60)
        time.sleep(0.3)  # the prompt is waiting in input()
        os.write(p.master, key.encode())
        p.proc.wait(15)  # one key is enough: a swallowed first ctrl+c would leave it waiting here
    finally:
        p.kill()
    out = plain(p.output)
    assert p.proc.returncode == status, out
    assert f"loom: {says}" in out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    # the message starts on its own line, not after the prompt
    assert any(line.strip() == f"loom: {says}" for line in out.replace("\r", "").splitlines()), out
    assert _exists(ws)
