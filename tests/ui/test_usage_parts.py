"""The Usage screen shows each part as soon as it is counted: the cards, items by type and the
activity while the slowest part (most active items, idle workspaces) is still being counted."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from loom_tui.app import LoomApp
from loom_tui.screens.usage import ActiveItems, Card, UsageScreen
from loom_tui.services.usage import UsageService
from loom_tui.widgets.bars import ActivityColumns, BarList

from .helpers import wait_for, wait_ready
from .test_usage import FIXED_NOW, oracle, rendered

__all__ = ["FIXED_NOW"]


@pytest.fixture(autouse=True)
def _pinned_demo_day(monkeypatch):
    monkeypatch.setenv("LOOM_DEMO_TODAY", FIXED_NOW.date().isoformat())


class SlowAudit(UsageService):
    """The real service; its per-item count of the window waits at a gate."""

    def __init__(self, scoped, gate: asyncio.Event, clock) -> None:
        super().__init__(scoped, clock)
        self.gate = gate

    async def _audit(self, since: datetime, until: datetime):
        await self.gate.wait()
        return await super()._audit(since, until)


async def test_cards_and_lists_show_before_the_report_is_whole():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.context_is_ready)
        gate = asyncio.Event()
        app.ctx.usage = SlowAudit(app.ctx.scoped, gate, lambda: FIXED_NOW)
        want = await oracle(app.ctx.store, FIXED_NOW)
        await wait_ready(pilot)
        await pilot.press("3")
        await wait_for(pilot, lambda: isinstance(app.screen, UsageScreen))
        screen = app.screen
        cards = lambda: {c.id: c.value_text for c in screen.query(Card)}  # noqa: E731
        await wait_for(pilot, lambda: cards()["card-events"] != "…" and cards()["card-items"] != "…"
                       and cards()["card-workspaces"] != "…")
        # the report is not whole yet: the gate holds the per-item count
        assert screen.busy and screen.report is None and not gate.is_set()
        assert cards() == {"card-workspaces": f"{want['workspaces']:,}", "card-items": f"{want['items']:,}",
                           "card-types": f"{len(want['types']):,}", "card-events": f"{want['events']:,}",
                           "card-idle": "…"}
        assert rendered(screen.query_one("#by-type", BarList)).strip() not in ("", "…")
        assert f"total {want['events']:,}" in rendered(screen.query_one("#activity", ActivityColumns))
        assert screen.query_one("#most-active", ActiveItems).rows == []
        gate.set()
        await wait_for(pilot, lambda: screen.report is not None)
        assert screen.report.computed_at == FIXED_NOW.astimezone(timezone.utc)
        assert cards()["card-idle"] == f"{len(want['idle']):,}"
        assert screen.query_one("#most-active", ActiveItems).rows
