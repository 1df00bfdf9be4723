"""A billing currency is untrusted text (issue 22 item 1): import refuses one that is not ISO
4217-shaped, and one already in the cost database (imported before that check, or from another
source) reaches neither the terminal nor a pipe raw — Cost screen and `loom cost show` alike."""

from __future__ import annotations

from datetime import date

from loom_tui.app import LoomApp
from loom_tui.local.cost import db
from loom_tui.screens.cost.screen import CostScreen
from tests.support.cli import loom
from tests.ui.helpers import screen_text, until_idle, wait_for, wait_ready

HOSTILE = "U\x1b]52;c;QUFB\x1b\\\x1b[2J\u202e"


def _plant(db_path) -> None:
    with db.connect(db_path) as con:
        con.execute("INSERT INTO cost (date, actual, amortized, currency, source, file_id) VALUES (?, 5, 5, ?, 'exports', 999)",
                    [date(2026, 11, 19), HOSTILE])


async def test_cost_screen_and_cost_show_print_a_hostile_currency_escaped(monkeypatch):
    monkeypatch.setenv("LOOM_DEMO_TODAY", "2026-11-20")
    app = LoomApp()
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot)
        await app.ctx.cost.ensure_seeded()
        _plant(app.ctx.cost.db_path)
        await pilot.press("4")
        await wait_for(pilot, lambda: isinstance(app.screen, CostScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.page is not None and not screen.busy, 60)
        assert HOSTILE in screen.page.currencies
        await pilot.press("c")  # the view of that currency: title, chart, gauge, status
        await until_idle(pilot)
        await wait_for(pilot, lambda: screen.page.currency == HOSTILE and not screen.busy, 60)
        text = screen_text(app)
        assert "\x1b" not in text and "\u202e" not in text and "\\x1b]52" in text



def test_cost_show_prints_a_hostile_currency_escaped_in_every_format():
    import os
    from pathlib import Path

    assert loom("cost", "show", "--timeframe", "mtd").returncode == 0  # the demo's export imported
    _plant(Path(os.environ["LOOM_DATA_DIR"]) / "cost" / "local.duckdb")
    for fmt in ("table", "csv", "tsv", "json", "yaml"):
        r = loom("cost", "show", "--by", "service", "--timeframe", "mtd", "-o", fmt)
        assert r.returncode == 0, r.stderr
        assert "\x1b" not in r.stdout and "\u202e" not in r.stdout, fmt
