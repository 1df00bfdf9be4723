"""No secret leaks: the Cosmos key masked in every output; every file 0600, every folder 0700,
whoever creates it first; doctor checks them all."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
LOOM = str(Path(sys.executable).parent / "loom")


def _loom(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LOOM, *args], capture_output=True, text=True, env=os.environ.copy(), timeout=60)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _add_cosmos_profile() -> None:
    cfg = Path(os.environ["LOOM_CONFIG"])
    cfg.write_text('[profiles.prod]\nstore = "cosmos"\ncosmos_endpoint = "https://acct.documents.azure.com:443/"\n'
                   f'cosmos_key = "{KEY}"\ntenant_id = "0b5fe924-9a61-425c-96af-cfe6e287ca2d"\n')
    os.chmod(cfg, 0o600)


@pytest.mark.parametrize("args", [("profile", "list"), ("profile", "list", "--json"), ("profile", "show", "prod"),
                                  ("profile", "show", "prod", "--json")])
def test_profile_outputs_never_print_the_key(args: tuple[str, ...]) -> None:
    _add_cosmos_profile()
    out = _loom(*args)
    assert out.returncode == 0, out.stderr
    assert KEY not in out.stdout and KEY[:12] not in out.stdout and KEY not in out.stderr
    if "--json" in args and args[1] == "list":
        prod = next(p for p in json.loads(out.stdout) if p["name"] == "prod")
        assert prod["cosmos_key"] == "(set; not shown)"


def test_profile_repr_hides_the_key() -> None:
    from loom_tui.config import Profile

    assert KEY not in repr(Profile(name="p", store="cosmos", cosmos_key=KEY))


def test_profile_add_and_use_keep_config_and_backup_owner_only() -> None:
    _add_cosmos_profile()
    cfg = Path(os.environ["LOOM_CONFIG"])
    out = _loom("profile", "add", "other", "--store", "cosmos", "--cosmos-endpoint", "https://b.documents.azure.com:443/",
                "--tenant", "0b5fe924-9a61-425c-96af-cfe6e287ca2d")
    assert out.returncode == 0, out.stderr
    assert _loom("profile", "use", "other").returncode == 0
    bak = cfg.with_name(cfg.name + ".bak")
    assert bak.exists() and KEY in bak.read_text()
    assert _mode(cfg) == 0o600 and _mode(bak) == 0o600


def test_a_fresh_config_folder_is_created_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "fresh" / "loom" / "config.toml"
    monkeypatch.setenv("LOOM_CONFIG", str(cfg))
    out = _loom("profile", "add", "p", "--store", "cosmos", "--cosmos-endpoint", "https://b.documents.azure.com:443/",
                "--tenant", "0b5fe924-9a61-425c-96af-cfe6e287ca2d")
    assert out.returncode == 0, out.stderr
    assert _mode(cfg) == 0o600 and _mode(cfg.parent) == 0o700 and _mode(cfg.parent.parent) == 0o700


def test_rotated_logs_stay_owner_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from loom_tui import logs

    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    old = os.umask(0o022)
    try:
        path = logs.setup_logging("debug")
        assert path is not None
        log = logging.getLogger("loom.test")
        for i in range(200):
            log.warning("line %d %s", i, "x" * 40)
    finally:
        os.umask(old)
        logging.getLogger().removeHandler(logs._handler)  # noqa: SLF001
        logs._handler.close()  # noqa: SLF001
        logs._handler = None  # noqa: SLF001
    files = sorted(path.parent.glob(path.name + "*"))
    assert len(files) > 1, files  # it rotated
    assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
    assert _mode(path.parent) == 0o700


def test_token_cache_creates_the_state_dir_owner_only(tmp_path: Path) -> None:
    from loom_tui.azure.token_cache import open_token_cache

    state = tmp_path / "new-state" / "loom"
    old = os.umask(0o022)
    try:
        handle = open_token_cache(allow_unencrypted=True, directory=state, try_encrypted=False)
    finally:
        os.umask(old)
    assert _mode(state) == 0o700 and _mode(state.parent) == 0o700
    assert handle.path is not None and _mode(handle.path) == 0o600
    for f in state.iterdir():
        assert _mode(f) == 0o600, f


async def test_doctor_flags_a_loose_backup_and_rotated_log() -> None:
    from loom_tui.services.doctor import run_doctor

    _add_cosmos_profile()
    cfg = Path(os.environ["LOOM_CONFIG"])
    bak = cfg.with_name(cfg.name + ".bak")
    bak.write_text(cfg.read_text())
    os.chmod(bak, 0o644)
    state = Path(os.environ["LOOM_STATE_DIR"])
    state.mkdir(mode=0o700, exist_ok=True)
    rotated = state / "loom.log.1"
    rotated.write_text("old log\n")
    os.chmod(rotated, 0o644)
    report = await run_doctor(profile="local", timeout=0.5)
    check = next(c for c in report.checks if c.name == "owner-only files")
    assert check.status == "FAIL" and str(bak) in check.detail and str(rotated) in check.detail
    os.chmod(bak, 0o600)
    os.chmod(rotated, 0o600)
    report = await run_doctor(profile="local", timeout=0.5)
    assert next(c for c in report.checks if c.name == "owner-only files").status == "OK"


async def test_cost_files_loom_makes_are_owner_only(tmp_path) -> None:
    """The cost database (and its folder), the demo export and the Cost screen's exports are made
    0600/0700 like every other file loom writes, so doctor's owner-only check passes on them
    (issue 22 item 7)."""
    from loom_tui.config import Profile
    from loom_tui.private_files import loose
    from loom_tui.screens.cost.export import export_page
    from loom_tui.screens.cost.load import load_page
    from loom_tui.screens.cost.model import ViewState
    from loom_tui.wiring import open_context
    from loom_tui.services.doctor import OK, Report, check_owner_only

    old = os.umask(0o022)  # an operator's usual umask: files would be 644 unless loom makes them private
    try:
        data = tmp_path / "data"
        ctx = await open_context(Profile(), data_dir=str(data))
        try:
            await ctx.cost.ensure_seeded()
            page = await load_page(ctx.cost, ViewState(), with_idle=False)
            for fmt in ("csv", "json"):
                export_page(page, fmt, ctx.cost.db_path.parent / "exports")
        finally:
            await ctx.close()
    finally:
        os.umask(old)
    cost_dir = data / "cost"
    assert (cost_dir / "exports").is_dir() and any((cost_dir / "demo-export").iterdir())
    assert loose(data) == []
    report = Report()
    check_owner_only(report, Profile(), str(data))
    assert [c.status for c in report.checks if c.name == "owner-only files"] == [OK]
