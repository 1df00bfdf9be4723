"""Ids go to the clipboard with OSC 52 (the only clipboard over SSH)."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import screen_text, wait_for, wait_ready


async def test_y_copies_the_workspace_id_with_osc52():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        row = app.screen.query_one(VirtualTable).current
        await pilot.press("y")
        await wait_for(pilot, lambda: "copied id" in screen_text(app))
        assert app.clipboard == row["id"]


async def test_Y_copies_the_workspaces_console_page_or_says_there_is_none():
    """Issue 24 item 19: `Y` in Workspaces did nothing.  It copies the web console's page of the
    workspace when the profile names the console, and says plainly when it does not."""
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        row = app.screen.query_one(VirtualTable).current
        await pilot.press("Y")
        await wait_for(pilot, lambda: "names no web console" in screen_text(app))
        assert app.clipboard != row["id"]
        app.ctx.profile.console_url = "https://loom.contoso.example/"
        await pilot.press("Y")
        await wait_for(pilot, lambda: "copied link" in screen_text(app))
        assert app.clipboard == f"https://loom.contoso.example/workspaces/{row['id']}"


def test_console_url_must_be_an_address(tmp_path):
    import json

    import pytest

    from loom_tui.config import ConfigError, load_config

    cfg = tmp_path / "config.toml"
    cfg.write_text('[profiles.ops]\nconsole_url = "https://loom.contoso.example"\n')
    assert load_config(cfg).profiles["ops"].console_url == "https://loom.contoso.example"
    for bad in ("loom.contoso.example", "https://loom.contoso.example/\x1b]52;c;QUFB\x07", "javascript:alert(1)"):
        cfg.write_text(f"[profiles.ops]\nconsole_url = {json.dumps(bad)}\n")  # JSON's escapes are TOML's
        with pytest.raises(ConfigError, match="console_url.*https://"):
            load_config(cfg)
