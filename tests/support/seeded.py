"""A seeded data folder per test worker, copied into each test's own.

A first start of ``loom`` on the local profile seeds the demo tenant into the embedded store,
creates the demo Azure's state and its certificates, and builds the cost database from the demo
export: about two CPU-seconds that hundreds of tests used to pay again.  :class:`SeedCache` does
that first start once per worker (in a subprocess, exactly as an operator's first ``loom`` does)
for each pinned demo day (``LOOM_DEMO_TODAY``: the demo data is dated from it), and a test gets a
copy of the result in its own ``LOOM_DATA_DIR`` just before its body runs — unless that folder
already exists (a fixture made it) or the test is marked ``fresh_data`` (it checks the first
start itself).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# the commands of a first start that fill the data folder: the store and its demo tenant, the demo
# Azure (state + certificates), the cost database from the demo export
FIRST_START = (("workspaces", "list", "--limit", "1"), ("capacity", "list", "-o", "json"), ("cost", "show", "--by", "domain"))


class SeedCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._built: dict[str, Path] = {}

    def folder(self, today: str | None) -> Path:
        """The seeded data folder for demo day ``today`` (None: the real today), built on first use."""
        key = today or "today"
        if key not in self._built:
            self._built[key] = self._build(key, today)
        return self._built[key]

    def _build(self, key: str, today: str | None) -> Path:
        base = self.root / key
        data = base / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOOM_")}
        env.update({"LOOM_DATA_DIR": str(data), "LOOM_CONFIG": str(base / "config.toml"), "LOOM_STATE_DIR": str(base / "state"),
                    "LOOM_DEMO_SPEED": os.environ.get("LOOM_DEMO_SPEED", "1")})
        if today:
            env["LOOM_DEMO_TODAY"] = today
        for argv in FIRST_START:
            done = subprocess.run([sys.executable, "-m", "loom_tui.cli", *argv], capture_output=True, text=True, env=env,
                                  timeout=300, stdin=subprocess.DEVNULL)
            if done.returncode != 0:
                raise RuntimeError(f"seeding the shared test data folder failed: loom {' '.join(argv)}: {done.stderr}")
        return data

    def copy_into(self, target: Path, today: str | None) -> None:
        shutil.copytree(self.folder(today), target, symlinks=True)
