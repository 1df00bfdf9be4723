"""Capacity pauses that say what they stop (issue 24 item 12): pausing a capacity first names the
workspaces it serves, those opened in the last hour and its load, and calls a busy one BUSY;
auto-pause's picks are paused from its list after one confirmation that lists each and why."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.domain.fabric_assignment import served_by

from .helpers import screen_text, until_idle, wait_for
from .test_capacity import names, open_capacity, shown


async def test_pausing_a_capacity_names_what_it_serves_and_a_recently_used_one_is_busy():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        r = screen.inventory.find("fccsaloomfinance")
        workspaces = [ws async for ws in app.ctx.scoped.tenant_workspaces_iter()]
        served = served_by(r.id, r.name, r.tags, workspaces)
        assert served, "the demo's finance capacity serves the finance workspaces"
        await app.ctx.workspaces.touch(served[0].workspace_id, min_interval_s=0)  # opened just now
        await pilot.press("slash", *"fccsaloomfinance", "enter")
        await wait_for(pilot, lambda: names(screen) == ["fccsaloomfinance"])
        await pilot.press("p")
        await wait_for(pilot, lambda: "Pause BUSY Fabric capacity fccsaloomfinance?" in screen_text(app))
        text = " ".join(screen_text(app).split())
        assert f"It serves {len(served)} workspace(s):" in text and "Opened in the last hour:" in text
        assert "Load not known: Azure Monitor has no metric" in text
        await pilot.press("enter")  # Cancel first: nothing paused
        await until_idle(pilot)
        assert screen.inventory.find("fccsaloomfinance").state == "Active"


async def test_auto_pause_pauses_what_it_picked_after_one_confirmation():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: "auto-pause would pick" in screen_text(app), timeout=30)
        cands = app.screen
        await wait_for(pilot, lambda: bool(cands.decisions))
        picked = sorted(d.resource.name for d in cands.decisions if d.pause and not d.resource.is_paused)
        assert picked, "the demo estate has idle capacity"
        # the Why column is cut at 120 columns too: the cursor row's reason is under the table, whole
        first = cands.decisions[0]
        await wait_for(pilot, lambda: shown(app, "#ap-why") == f"{first.resource.name}: {first.verdict} — {first.reason}")
        await pilot.press("down")
        await wait_for(pilot, lambda: shown(app, "#ap-why").startswith(f"{cands.decisions[1].resource.name}: "))
        await pilot.press("p")
        await wait_for(pilot, lambda: f"Pause the {len(picked)} capacit" in screen_text(app))
        text = screen_text(app)
        assert all(n in text for n in picked[:3])
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: "auto-pause picked" in screen_text(app), timeout=60)
        inv = await app.ctx.capacity.inventory()
        assert all(inv.find(n).is_paused for n in picked)
        assert screen is not None
