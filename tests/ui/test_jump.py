"""Jump by name (issue 24, beyond the anchors): `:` finds a workspace, a resource, a landing zone
or an operation by its name, and enter opens it."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.screens.capacity.screen import CapacityScreen
from loom_tui.screens.capacity.detail import CapacityDetail
from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen

from .helpers import run_palette, wait_for, wait_ready
from .test_capacity import open_capacity


async def test_colon_jumps_to_a_workspace_a_resource_and_a_landing_zone_by_name():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await run_palette(pilot, "Workspace Risk Streaming")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen))
        assert app.screen.workspace_name.startswith("Risk Streaming")
        await pilot.press("escape")
        # resources: from the inventory Capacity read in this run
        await open_capacity(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: app.current_mode == "workspaces")
        await run_palette(pilot, "Resource fccsaloomhr")
        await wait_for(pilot, lambda: isinstance(app.screen, CapacityDetail) and app.screen.resource.name == "fccsaloomhr")
        await pilot.press("escape")
        # a landing zone loom recorded: Capacity, filtered to it
        from loom_tui.demo_azure.estate import DOMAIN_PLACEMENT, dlz_rg
        from loom_tui.services.dlz.registry import CONTAINER

        await app.ctx.scoped.tenant_upsert(CONTAINER, {"id": "dlz:research", "kind": "dlz", "domain": "research", "state": "deployed",
                                                       "subscriptionId": DOMAIN_PLACEMENT["research"][0],
                                                       "resourceGroup": dlz_rg("research")})
        await pilot.press("1")
        await wait_for(pilot, lambda: app.current_mode == "workspaces")
        await run_palette(pilot, "Landing zone research")
        await wait_for(pilot, lambda: isinstance(app.screen, CapacityScreen) and app.screen.view.dlz == "research")
        screen = app.screen
        await wait_for(pilot, lambda: screen.rows and all(r.dlz == "research" for r in screen.rows))


async def test_colon_jumps_to_an_operation_by_its_kind_and_target():
    from loom_tui.screens.operations import OperationScreen

    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)
        r = screen.inventory.find("fccsaloomhr")
        await app.ctx.capacity.set_running(r, False)  # an operation, run and recorded
        await run_palette(pilot, "operation fccsaloomhr")
        await wait_for(pilot, lambda: isinstance(app.screen, OperationScreen))
        assert app.screen.op_id and "fccsaloomhr" in (await app.ctx.operations.require(app.screen.op_id)).target


async def test_stored_text_in_a_jump_hit_is_shown_literally():
    """A hit's help is Textual markup: a workspace id with brackets and escapes shows as written."""
    from textual.command import CommandPalette

    from loom_tui.widgets.jump import JumpTo

    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        ws = await app.ctx.workspaces.find("Risk Streaming 16")
        doc = (await app.ctx.scoped.workspace(ws.id)).doc
        doc["name"] = "Risk [bold]x[/bold] \x1b]52;c;QUFB\x07"
        await app.ctx.store.upsert("workspaces", doc)
        await pilot.press("colon")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen.is_mounted)
        provider = JumpTo(app.screen, None)
        hits = [h async for h in provider.search("workspace risk [bold]")]
        assert hits and all("\x1b" not in str(h.match_display) for h in hits)
