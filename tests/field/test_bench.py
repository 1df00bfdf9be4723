"""The benchmark suite runs end to end (one round) and writes the JSON shape the README documents.
No timing is asserted — speed is reported as ratios by bench/run.py, not tested here — but the
TUI entry must not import the Azure SDKs (the embedded default starts without them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO


def test_bench_startup_one_round(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {**os.environ, "LOOM_BENCH_ROUNDS": "1"}
    r = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--only", "startup", "--json", str(out)],
                       env=env, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-3000:]
    data = json.loads(out.read_text())
    for metric in ("startup_first_frame_s", "startup_baseline_s", "startup_rows_s", "import_time_s", "import_time_app_s"):
        assert isinstance(data[metric], float) and data[metric] > 0, metric
    assert data["baselines"]["startup_first_frame_s"] == "startup_baseline_s"
    assert data["app_import_azure_modules"] == 0, "importing loom_tui.app loads Azure SDK modules"
    assert "startup_first_frame_s" in r.stdout and "ratio" in r.stdout  # the printed table


def test_bench_rejects_unknown_names() -> None:
    r = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--only", "no_such_bench"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "invalid choice" in r.stderr
