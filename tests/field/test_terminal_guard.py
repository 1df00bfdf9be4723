"""The SSH-drop exit: a Textual app on a pty that loses its terminal saves state and exits within 2 s."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from .conftest import child_env
from .ptyrun import PtyProcess

TINY = Path(__file__).with_name("tiny_app.py")
LIMIT_S = 2.0


def _start(tmp_path: Path, *, controlling: bool = True) -> PtyProcess:
    env = child_env(TERM="xterm-256color", PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    p = PtyProcess([sys.executable, str(TINY)], env=env, controlling=controlling)
    p.wait_for("tiny app ready", timeout=20)
    time.sleep(0.3)  # let on_mount install the guard
    return p


def _wait_exit(p: PtyProcess, limit: float) -> float:
    t0 = time.perf_counter()
    try:
        p.proc.wait(limit + 3)
    except Exception:
        p.kill()
        raise AssertionError(f"still running {limit + 3:g} s after losing the terminal")
    return time.perf_counter() - t0


def _saved(tmp_path: Path) -> dict:
    file = Path(os.environ["LOOM_STATE_DIR"]) / "resume.json"
    assert file.exists(), "no resume state saved"
    return json.loads(file.read_text())


@pytest.mark.serial  # asserts a time limit the operator is promised: measured alone
def test_sighup_saves_state_and_exits_fast(tmp_path: Path) -> None:
    p = _start(tmp_path)
    try:
        os.kill(p.proc.pid, signal.SIGHUP)
        took = _wait_exit(p, LIMIT_S)
    finally:
        p.kill()
    assert took < LIMIT_S, f"exit took {took:.2f} s"
    state = _saved(tmp_path)
    assert state["area"] == "tiny" and state["reason"] == "SIGHUP"
    assert state["form"] == {"name": "half-typed name"}  # the secret-looking field was dropped


@pytest.mark.serial  # asserts a time limit the operator is promised: measured alone
def test_vanished_tty_without_signal_is_noticed(tmp_path: Path) -> None:
    # Not the terminal's session leader: closing the terminal sends no SIGHUP, as when the app runs
    # under a wrapper that swallowed it.  Only the poll can notice.
    p = _start(tmp_path, controlling=False)
    try:
        p.close_master()
        took = _wait_exit(p, LIMIT_S)
    finally:
        p.kill()
    assert took < LIMIT_S, f"exit took {took:.2f} s"
    assert _saved(tmp_path)["reason"] == "terminal lost"


@pytest.mark.serial  # asserts a time limit the operator is promised: measured alone
def test_idle_guard_does_not_spin(tmp_path: Path) -> None:
    p = _start(tmp_path)
    try:
        ticks = os.sysconf("SC_CLK_TCK")

        def cpu() -> float:
            fields = Path(f"/proc/{p.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / ticks

        before, t0 = cpu(), time.perf_counter()
        time.sleep(2.0)
        used = (cpu() - before) / (time.perf_counter() - t0)
        assert p.proc.poll() is None, "the guard fired although the terminal is fine"
        assert used < 0.25, f"idle app used {used:.0%} of a core"
    finally:
        p.kill()
