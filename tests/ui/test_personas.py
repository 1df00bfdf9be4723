"""Personas in the console: ``LoomApp(persona=...)`` (``loom --as``) and the palette's "Persona: …"
entries, each seeing what that role sees."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import create_demo_store, screen_text, wait_for, wait_ready


async def test_console_as_a_viewer_sees_a_viewers_workspaces_and_no_usage():
    await create_demo_store()
    app = LoomApp(persona="viewer")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        assert app.ctx.session.upn.startswith("ravi.viewer@") and not app.ctx.session.is_tenant_admin
        await wait_for(pilot, lambda: "ravi.viewer@" in screen_text(app))
        seen = await app.ctx.workspaces.count()
        assert 0 < seen < 40
        await pilot.press("3")  # Usage: the tenant admin's
        await wait_for(pilot, lambda: "tenant admins only" in screen_text(app))


async def test_the_palette_switches_persona_and_every_area_starts_again():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Persona: viewer", "Persona: contributor", "Persona: admin"} <= set(commands)
        assert "Persona: tenant-admin" not in commands  # the one you are
        await wait_for(pilot, lambda: app.screen.query(VirtualTable) and app.screen.query_one(VirtualTable).row_count == 40)
        app.switch_persona("contributor")
        await wait_for(pilot, lambda: app.context_is_ready and app.ctx.session.upn.startswith("sam.analyst@"))
        await wait_ready(pilot)
        want = await app.ctx.workspaces.count()
        assert want < 40
        await wait_for(pilot, lambda: app.screen.query(VirtualTable) and app.screen.query_one(VirtualTable).row_count == want)
        assert "sam.analyst@" in screen_text(app)
        assert "Persona: tenant-admin" in [c.title for c in app.get_system_commands(app.screen)]


async def test_cost_tells_a_viewer_it_is_for_tenant_admins_and_offers_no_import_or_export():
    """Issue 24 item 6: what the CLI says (cost is tenant-wide, only tenant admins see it), not
    "No cost in this period"; Import and Export are not offered."""
    await create_demo_store()
    app = LoomApp(persona="viewer")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: getattr(app.screen, "AREA", "") == "Cost")
        await wait_for(pilot, lambda: "only tenant admins can see them" in screen_text(app))
        text = screen_text(app)
        assert "No cost in this period" not in text
        assert "Import" not in text and "Export" not in text
        assert not app.screen.check_action("export", ()) and not app.screen.check_action("import_exports", ())
