"""Shared test set-up: every test gets its own data, config and state directories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEMO_SPEED = "20"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LOOM_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("LOOM_STATE_DIR", str(tmp_path / "state"))
    # the demo Azure's simulated time, and loom's waits on it, run this many times real time
    # (subprocesses and tmux runs inherit it); a test that needs operator speed sets it to 1
    monkeypatch.setenv("LOOM_DEMO_SPEED", DEMO_SPEED)
    for var in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_SUBSCRIPTION_ID", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)


def shared_fixture(*parts: str) -> Path:
    """A file under ../shared/fixtures (skips the test when shared/ is not beside the repo)."""
    path = SHARED.joinpath("fixtures", *parts)
    if not path.exists():
        pytest.skip(f"shared fixture missing: {path}")
    return path
