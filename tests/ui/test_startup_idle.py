"""The console is idle soon after it starts: the second look at orphaned operations (another
host's, once its heartbeat has stood still for STALE seconds) waits on a timer, not in a worker
asleep for 31 s, which kept every start 'busy' that long (and every Pilot test waiting on it)."""

from __future__ import annotations

from loom_tui.app import LoomApp

from .helpers import until_idle, wait_ready


async def test_the_app_is_idle_soon_after_start():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await until_idle(pilot, timeout=15)
        assert not [w for w in app.workers if w.group == "operations" and not w.is_finished]
