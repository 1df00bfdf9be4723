"""The budgets view in Cost (issue 24, beyond the anchors): `B` lists the budgets of the profile's
scopes with spend and forecast against the amount; `n` creates one, `e` changes its amount, `d`
deletes it (the name typed), `c` runs the alert check — on the demo Azure's Consumption routes."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.screens.cost.budgets import BudgetsScreen

from .helpers import screen_text, wait_for
from .test_cost import open_cost
from .test_workspaces_screen import type_text


async def test_budgets_are_listed_created_changed_checked_and_deleted():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_cost(pilot)
        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, BudgetsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: not screen.reading, timeout=30)
        before = len(screen.budgets)
        await pilot.press("n")
        await wait_for(pilot, lambda: "New budget" in screen_text(app))
        await type_text(pilot, "ops-budget 1000 ops@contoso.example")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "saved budget ops-budget (1,000.00)" in screen_text(app), timeout=30)
        await wait_for(pilot, lambda: any(b.name == "ops-budget" for b in screen.budgets) and len(screen.budgets) == before + 1)
        b = next(b for b in screen.budgets if b.name == "ops-budget")
        assert [f"{t.threshold.normalize():f} {t.threshold_type}" for t in b.thresholds] == ["80 Actual", "100 Forecasted"]
        # to the new budget's row, then its amount
        table = screen.query_one("VirtualTable")
        table.cursor_row = screen.budgets.index(b)
        await wait_for(pilot, lambda: screen.current is not None and screen.current.name == "ops-budget")
        await wait_for(pilot, lambda: "ops-budget at /subscriptions/" in screen_text(app))  # the cursor budget, whole
        await pilot.press("e")
        await wait_for(pilot, lambda: "Amount of ops-budget" in screen_text(app))
        await pilot.press(*["backspace"] * 8)
        await type_text(pilot, "2500")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(x.name == "ops-budget" and x.amount == 2500 for x in screen.budgets), timeout=30)
        await pilot.press("c")
        await wait_for(pilot, lambda: "budget(s) checked" in screen_text(app), timeout=30)
        table.cursor_row = next(i for i, x in enumerate(screen.budgets) if x.name == "ops-budget")
        await wait_for(pilot, lambda: screen.current is not None and screen.current.name == "ops-budget")
        await pilot.press("d")
        await wait_for(pilot, lambda: "Delete budget" in screen_text(app))
        await type_text(pilot, "ops-budget")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "deleted budget ops-budget" in screen_text(app), timeout=30)
        await wait_for(pilot, lambda: not any(x.name == "ops-budget" for x in screen.budgets))


async def test_a_bad_budget_is_refused_with_the_rule_and_nothing_is_created():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_cost(pilot)
        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, BudgetsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: not screen.reading, timeout=30)
        before = len(screen.budgets)
        await pilot.press("n")
        await wait_for(pilot, lambda: "New budget" in screen_text(app))
        await type_text(pilot, "x 12abc ops@contoso.example")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "is not a number" in screen_text(app))
        assert len(screen.budgets) == before
