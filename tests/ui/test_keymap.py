"""Keys can be remapped in the config file by binding id (Posting-style)."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.screens.workspace_form import WorkspaceForm
from loom_tui.widgets.header import LoomHeader

from .helpers import wait_for, wait_ready


async def test_config_keys_table_remaps_bindings(tmp_path, monkeypatch):
    cfg = tmp_path / "keys.toml"
    cfg.write_text('[keys]\n"area.cost" = "f4"\n"ws.new" = "ctrl+n"\n')
    monkeypatch.setenv("LOOM_CONFIG", str(cfg))
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, WorkspaceForm))
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.screen.query(LoomHeader) and app.screen.query_one(LoomHeader).area == "Cost")


def test_a_bad_keys_table_names_the_file_and_key(tmp_path):
    from loom_tui.config import ConfigError, load_config

    cfg = tmp_path / "k.toml"
    cfg.write_text('[keys]\n"ws.new" = 5\n')
    try:
        load_config(cfg)
    except ConfigError as exc:
        assert exc.key == "keys" and str(cfg) in str(exc)
    else:
        raise AssertionError("a bad keys table was accepted")
