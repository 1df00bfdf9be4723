"""The operations panel: ``o`` from any area, running and recent operations (any process's),
progress and elapsed time in words and numbers, ARM's error text in full and literal, ``enter``
opens one, cancel hidden in read-only mode; in ``?`` and the palette."""

from __future__ import annotations

import time

from loom_tui.app import LoomApp
from loom_tui.domain.operation import Operation, OperationError, Step
from loom_tui.screens.modals.help import HelpScreen
from loom_tui.screens.operations import OperationScreen, OperationsPanel
from loom_tui.screens.modals.prompt import ChoicePrompt
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import run_palette, screen_text, until_idle, wait_for, wait_ready

FORBIDDEN = ("The client 'ops@contoso.example' with object id '1111' does not have authorization to perform action "
             "'Microsoft.Fabric/capacities/suspend/action' over scope '/subscriptions/s/resourceGroups/[rg]/providers/"
             "Microsoft.Fabric/capacities/fab1' or the scope is invalid.")
TARGET = "/subscriptions/s/resourceGroups/rg-csa-loom-dlz-finance-eastus2/providers/Microsoft.Fabric/capacities/fabfinance"


def sample_ops() -> list[Operation]:
    return [
        Operation("op-failed", "capacity.pause", TARGET, "ops.admin@contoso-demo.example", "2026-11-27T09:00:00.000Z", state="failed",
                  steps=(Step("suspend", "failed", 0.0, "Failed"),), finished_at="2026-11-27T09:00:12.000Z",
                  error=OperationError("AuthorizationFailed", FORBIDDEN + "\nsecond line \x1b[31m[red]", 403)),
        Operation("op-done", "capacity.resume", TARGET.replace("fabfinance", "fab[b]hr"), "ops.admin@contoso-demo.example",
                  "2026-11-27T08:00:00.000Z", state="succeeded", steps=(Step("resume", "succeeded", 1.0),),
                  finished_at="2026-11-27T08:01:05.000Z"),
    ]


async def store_ops(app, ops: list[Operation]) -> None:
    for op in ops:
        await app.ctx.scoped.tenant_upsert("operations", op.to_doc(app.ctx.session.tenant_id))


def running_elsewhere() -> Operation:
    """Running in another (live) loom process: shown, never taken over."""
    return Operation("op-running", "deploy.dlz", "/subscriptions/s/providers/Microsoft.Resources/deployments/dlz-sales",
                     "dana@contoso-demo.example", "2026-11-27T10:00:00.000Z",
                     steps=(Step("validate", "succeeded", 1.0), Step("deploy", "running", 0.4, "InProgress"), Step("peer")),
                     owner="another-host:4242", heartbeat_at=time.time() + 3600, poll_url="https://127.0.0.1:1/_operations/x")


async def open_panel(pilot) -> OperationsPanel:
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, OperationsPanel))
    panel = pilot.app.screen
    await wait_for(pilot, lambda: panel.query_one(VirtualTable).row_count > 0 and panel.query_one(VirtualTable).row(0) is not None)
    return panel


async def test_o_opens_the_panel_from_any_area_with_the_error_in_full():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert "local: local store, demo tenant │ ops.admin@contoso-demo.example │ demo Azure (on this machine) │" in screen_text(app)
        assert not app.ctx.azure_started  # said, not started: the demo Azure starts when an area needs it
        await store_ops(app, [*sample_ops(), running_elsewhere()])
        await pilot.press("3")  # Usage
        await until_idle(pilot)
        panel = await open_panel(pilot)
        table = panel.query_one(VirtualTable)
        assert table.row(0).id == "op-running"  # running first
        text = screen_text(app)
        assert "1 running · showing 3" in text
        assert "running" in text and "succeeded" in text and "failed" in text  # states in words
        assert "47%" in text  # overall: 1 of 3 steps done + 0.4 of the running one
        assert "fab[b]hr" in text  # data with brackets shown literally
        await pilot.press("down")  # the failed one: ARM's error in the detail lines
        await wait_for(pilot, lambda: "AuthorizationFailed (HTTP 403)" in screen_text(app))
        assert "Microsoft.Fabric/capacities/suspend/action" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OperationScreen) and "steps" in screen_text(app))
        text = screen_text(app)
        assert "1. suspend — failed" in text
        assert "or the scope is invalid." in text  # the whole message, wrapped, not cut
        assert "\\x1b[31m[red]" in text  # the escape made visible, the brackets literal
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, OperationsPanel))
        await pilot.press("o")  # o closes it again
        await wait_for(pilot, lambda: not isinstance(app.screen, (OperationsPanel, OperationScreen)))
        # never taken over: its owner is alive elsewhere
        assert (await app.ctx.operations.require("op-running")).owner == "another-host:4242"


async def test_cancel_is_hidden_in_read_only_mode():
    from loom_tui.config import Profile
    from loom_tui.wiring import open_context

    writer = await open_context(Profile())  # read-only mode creates nothing: the store and the operation exist first
    await writer.scoped.tenant_upsert("operations", running_elsewhere().to_doc(writer.session.tenant_id))
    await writer.close()
    app = LoomApp(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        panel = await open_panel(pilot)
        assert not panel.check_action("cancel", ())
        await pilot.press("c")
        await until_idle(pilot)
        assert not (await app.ctx.operations.require("op-running")).cancel_requested


async def test_cancel_of_another_process_operation_is_requested():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await store_ops(app, [running_elsewhere()])
        panel = await open_panel(pilot)
        await pilot.press("c")  # asks first (issue 24 item 19): Cancel (keep it) is focused
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt) and "Cancel this operation?" in screen_text(app))
        await pilot.press("enter")  # the first choice keeps it running
        await wait_for(pilot, lambda: app.screen is panel)
        assert not (await app.ctx.operations.require("op-running")).cancel_requested
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: "cancel requested:" in screen_text(app))
        for _ in range(100):
            if (await app.ctx.operations.require("op-running")).cancel_requested:
                break
            await pilot.pause(0.05)
        assert (await app.ctx.operations.require("op-running")).cancel_requested  # its owner cancels at its next heartbeat


async def test_operations_in_help_and_palette():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert ("o", "Operations") in app.screen.keys
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await run_palette(pilot, "operations")
        await wait_for(pilot, lambda: isinstance(app.screen, OperationsPanel))
        assert "No operations yet." in screen_text(app)
