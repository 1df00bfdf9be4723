"""Every storage error and every unreadable input: one clear line, the right exit code, no traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

LOOM = str(Path(sys.executable).parent / "loom")


def _loom(*args, env: dict | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([LOOM, *args], capture_output=True, env={**os.environ, **(env or {})}, timeout=90)


def _one_clear_line(out: subprocess.CompletedProcess[bytes], code: int, words: str) -> None:
    err = out.stderr.decode("utf-8", "replace")
    assert out.returncode == code, (out.returncode, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert words in err, err


def test_a_damaged_store_file() -> None:
    data = Path(os.environ["LOOM_DATA_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    (data / "loom.db").write_bytes(b"this is not an sqlite database" * 100)
    _one_clear_line(_loom("workspaces", "list"), 1, "damaged")


def test_data_dir_pointing_at_a_file(tmp_path: Path) -> None:
    f = tmp_path / "plainfile"
    f.write_text("x")
    _one_clear_line(_loom("workspaces", "list", env={"LOOM_DATA_DIR": str(f)}), 1, "is a file")
    _one_clear_line(_loom("--data-dir", str(f / "deeper"), "workspaces", "list"), 1, "is a file")


def test_a_locked_store(monkeypatch: pytest.MonkeyPatch) -> None:
    from loom_tui.store import sqlite as adapter
    from tests.support.cli import loom_bytes

    # the message and the exit code are the point, not the 30 s an operator's loom waits first
    monkeypatch.setattr(adapter, "_BUSY_TIMEOUT_MS", 1_000)
    assert loom_bytes("workspaces", "list").returncode == 0  # create it
    db = Path(os.environ["LOOM_DATA_DIR"]) / "loom.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        _one_clear_line(loom_bytes("workspaces", "create", "--name", "blocked"), 1, "locked")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_arguments_that_are_not_utf8() -> None:
    out = subprocess.run([LOOM.encode(), b"workspaces", b"show", b"caf\xe9"], capture_output=True, timeout=60)
    _one_clear_line(out, 2, "argument 3 is not valid UTF-8")


@pytest.mark.parametrize("content,words", [
    (b'[profiles.x]\nstore = "caf\xe9"\n', "not valid UTF-8"),
    (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
])
def test_unreadable_config_files(content: bytes, words: str) -> None:
    cfg = Path(os.environ["LOOM_CONFIG"])
    cfg.write_bytes(content)
    _one_clear_line(_loom("workspaces", "list"), 2, words)
