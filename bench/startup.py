"""Start-up: ``loom`` on the demo tenant to its first painted frame vs a bare Textual app (header,
table, footer), measured alternately in the same run, median of N rounds (``LOOM_BENCH_ROUNDS``,
default 7); ``startup_rows_s`` to the first demo workspace rows painted (the "Active" badge); and
import times of ``loom_tui`` and of the TUI entry ``loom_tui.app``.

Goal (issue 5): startup_first_frame_s / startup_baseline_s <= 1.3.  ``app_import_azure_modules``
counts Azure SDK / MSAL modules loaded by importing the TUI entry: it must stay 0 (lazy imports).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _firstframe import first_frame_s  # noqa: E402

BASELINES = {
    "startup_first_frame_s": "startup_baseline_s",
    "startup_rows_s": "startup_baseline_s",
    "import_time_app_s": "import_time_baseline_s",
}

LOOM = "import loom_tui"
APP = "import loom_tui.app"
BASE = "from textual.app import App; from textual.widgets import DataTable, Footer, Header"
IMPORT_PROBE = """
import sys, time
t = time.perf_counter()
{module}
print(time.perf_counter() - t)
print(sum(1 for m in sys.modules if m.startswith(("azure", "msal"))))
"""


def _rounds() -> int:
    return max(1, int(os.environ.get("LOOM_BENCH_ROUNDS", "7")))


def _import(statement: str, env: dict[str, str]) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", IMPORT_PROBE.format(module=statement)], env=env, capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    return float(out[0]), int(out[1])


def run() -> dict[str, float]:
    loom = str(Path(sys.executable).parent / "loom")
    with tempfile.TemporaryDirectory(prefix="loom-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LOOM_", "NO_COLOR", "TEXTUAL_"))}
        env.update(TERM="xterm-256color", LOOM_DATA_DIR=f"{tmp}/data", LOOM_CONFIG=f"{tmp}/config.toml", LOOM_STATE_DIR=f"{tmp}/state")
        # the demo tenant exists before the first timed start: we time starting, not seeding
        subprocess.run([loom, "seed"], env=env, capture_output=True, check=True, timeout=120)
        loom_times, rows_times, base_times = [], [], []
        for _ in range(_rounds()):
            loom_times.append(first_frame_s([loom], env))
            base_times.append(first_frame_s([sys.executable, str(HERE / "_baseline_app.py")], env))
            rows_times.append(first_frame_s([loom], env, until=b"Active"))
        imports = {name: [] for name in (LOOM, APP, BASE)}
        azure_at_app_import = 0
        for _ in range(_rounds()):
            for name in imports:
                seconds, azure = _import(name, env)
                imports[name].append(seconds)
                if name == APP:
                    azure_at_app_import = max(azure_at_app_import, azure)
    return {
        "startup_first_frame_s": statistics.median(loom_times),
        "startup_baseline_s": statistics.median(base_times),
        "startup_rows_s": statistics.median(rows_times),
        "import_time_s": statistics.median(imports[LOOM]),
        "import_time_app_s": statistics.median(imports[APP]),
        "import_time_baseline_s": statistics.median(imports[BASE]),
        "app_import_azure_modules": float(azure_at_app_import),
    }
