"""Issue 22 item 13: Ctrl+C while a request to the demo Azure is in flight exits 130 at once (it took
10 s and exited 1 with an empty "unexpected error:"), the demo Azure stopped without waiting for
the request."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from loom_tui.demo_azure.state import State, state_path


def test_ctrl_c_during_a_request_exits_130_at_once() -> None:
    from tests.support.cli import loom

    loom("demo-azure", "reset", check=True)
    state = State(state_path(Path(os.environ["LOOM_DATA_DIR"])), seed=False)
    try:
        state.inject_fault("fabric.capacities.list_all", "timeout")  # the request hangs for 30 s
        proc = subprocess.Popen([sys.executable, "-m", "loom_tui.cli", "capacity", "list"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=os.environ.copy(), stdin=subprocess.DEVNULL)
        try:
            for _ in range(600):  # until the request is in flight (the fault was taken)
                row = state._db.execute("SELECT remaining FROM route_faults WHERE route='fabric.capacities.list_all'").fetchone()
                if row is not None and row[0] == 0:
                    break
                assert proc.poll() is None, proc.communicate()
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=20)  # a guard: well before the hung request would answer
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    finally:
        state.close()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "unexpected error" not in err
