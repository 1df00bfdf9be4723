"""Field tests: real processes, real terminals (pty/tmux), real files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes a minute or more (builds a wheelhouse); runs in CI")


def loom_bin() -> str:
    """The venv's real ``loom`` entry point (what an operator runs)."""
    path = VENV_BIN / "loom"
    if not path.exists():
        pytest.skip(f"no loom entry point at {path}")
    return str(path)


def child_env(**extra: str) -> dict[str, str]:
    """The test's environment (isolated LOOM_* dirs from tests/conftest.py) plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env.update(extra)
    return env
