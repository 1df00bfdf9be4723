"""One path for a worker's error: loom's own errors go to the flash line, anything else to the error
dialog, and both to the log; the text is shown literally, never as markup."""

from __future__ import annotations

import logging

from loom_tui.app import LoomApp
from loom_tui.errors import ServiceError
from loom_tui.screens.modals.error import ErrorDialog
from loom_tui.screens.workspaces.screen import WorkspacesScreen
from loom_tui.store.errors import StoreUnavailable
from loom_tui.widgets.flash import FlashLine

from .helpers import screen_text, wait_for, wait_ready

MARKUP = "[bold red]boom[/] from Azure"


def flash_text(screen) -> str:
    return screen.query_one(FlashLine).last


def workspaces(app) -> WorkspacesScreen:
    screen = app.screen
    assert isinstance(screen, WorkspacesScreen)
    return screen


async def test_a_service_error_goes_to_the_flash_line_literally_and_to_the_log(caplog):
    caplog.set_level(logging.WARNING, logger="loom.ui")
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        screen = workspaces(app)

        async def fails() -> None:
            raise ServiceError(MARKUP)

        screen.run_worker(fails, name="probe", exit_on_error=False)
        await wait_for(pilot, lambda: MARKUP in flash_text(screen))
        assert flash_text(screen) == f"error: probe failed: {MARKUP}"
        assert not isinstance(app.screen, ErrorDialog)
        assert any(r.name == "loom.ui" and MARKUP in r.getMessage() for r in caplog.records)


async def test_a_store_error_in_a_screen_worker_names_what_failed(caplog, monkeypatch):
    caplog.set_level(logging.WARNING, logger="loom.ui")
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        screen = workspaces(app)

        async def count(view) -> int:
            raise StoreUnavailable(MARKUP)

        monkeypatch.setattr(app.ctx.workspaces, "count", count)
        await pilot.press("r")
        await wait_for(pilot, lambda: MARKUP in flash_text(screen))
        assert flash_text(screen) == f"error: could not read workspaces: {MARKUP}"
        assert any(MARKUP in r.getMessage() for r in caplog.records if r.name == "loom.ui")


async def test_an_unexpected_error_opens_the_error_dialog_and_is_logged_with_its_traceback(caplog, monkeypatch):
    caplog.set_level(logging.WARNING, logger="loom.ui")
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)

        async def count(view) -> int:
            raise RuntimeError(MARKUP)

        monkeypatch.setattr(app.ctx.workspaces, "count", count)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert app.screen.message == MARKUP
        assert app.screen.title_text == "could not read workspaces"
        records = [r for r in caplog.records if r.name == "loom.ui" and r.levelno == logging.ERROR]
        assert records and records[0].exc_info and MARKUP in records[0].getMessage()
        assert app.is_running  # the worker's error did not end the app


async def test_a_failure_that_was_swallowed_is_now_seen(monkeypatch):
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        screen = workspaces(app)

        async def allowed_actions(workspace_id: str) -> set:
            raise ServiceError("the role service is down")

        monkeypatch.setattr(app.ctx.roles, "allowed_actions", allowed_actions)
        screen.row_allowed.clear()
        await pilot.press("down")
        await wait_for(pilot, lambda: "the role service is down" in flash_text(screen))
        assert "could not read your role" in flash_text(screen)
        row = screen.query_one("#ws-table").current
        assert screen.row_allowed[row["id"]] == set()  # nothing the role may do is offered


async def test_a_pane_worker_error_reaches_the_detail_screens_flash_line_and_keeps_the_typed_comment(monkeypatch):
    from loom_tui.services.workspaces.items import ItemInput
    from loom_tui.services.workspaces.service import WorkspaceInput

    from .test_workspace_detail import items_table, open_detail

    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await app.ctx.workspaces.create(WorkspaceInput(name="worker errors"))
        await app.ctx.items.create(ws.id, ItemInput("report", "q4 report"))
        screen = await open_detail(pilot, ws.id)
        await wait_for(pilot, lambda: items_table(app).row(0) is not None and screen.selected_item is not None)
        await pilot.press("c")
        await wait_for(pilot, lambda: "0 comments on q4 report" in screen_text(app))

        async def add(*args, **kw):
            raise ServiceError(MARKUP)

        monkeypatch.setattr(app.ctx.comments, "add", add)
        await pilot.press("n")
        field = screen.query_one("#comment-input")
        field.value = "a comment worth keeping"
        await pilot.press("enter")
        await wait_for(pilot, lambda: MARKUP in flash_text(screen))
        assert flash_text(screen) == f"error: comment not posted: {MARKUP}"
        assert field.value == "a comment worth keeping"


async def test_an_unexpected_error_in_a_pane_opens_the_error_dialog(monkeypatch):
    from loom_tui.services.workspaces.service import WorkspaceInput

    from .test_workspace_detail import open_detail

    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await app.ctx.workspaces.create(WorkspaceInput(name="worker errors 2"))
        await open_detail(pilot, ws.id)

        async def rows(workspace_id):
            raise KeyError("principalId")

        monkeypatch.setattr(app.ctx.grants, "rows", rows)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert app.screen.title_text == "could not read members"


async def test_a_polling_panel_says_its_error_on_its_status_line_not_in_a_dialog_each_second(monkeypatch, caplog):
    from loom_tui.screens.operations import OperationsPanel

    caplog.set_level(logging.WARNING, logger="loom.ui")
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)

        async def recent(*args, **kw):
            raise RuntimeError(MARKUP)

        monkeypatch.setattr(app.ctx.operations, "recent", recent)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OperationsPanel))
        await wait_for(pilot, lambda: f"could not read operations: {MARKUP}" in screen_text(app))
        await wait_for(pilot, lambda: sum(r.levelno == logging.ERROR for r in caplog.records if r.name == "loom.ui") >= 2)
        assert isinstance(app.screen, OperationsPanel)  # read twice, failed twice: no dialog


async def test_a_notifications_error_shows_on_the_panels_status_line(monkeypatch):
    from loom_tui.screens.notifications import NotificationsPanel

    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)

        async def newest(*args, **kw):
            raise ServiceError(MARKUP)

        monkeypatch.setattr(app.ctx.notifications, "newest", newest)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, NotificationsPanel))
        await wait_for(pilot, lambda: f"could not read notifications: {MARKUP}" in screen_text(app))


async def test_the_capacity_inventory_says_how_long_it_tried_and_stops_loading(monkeypatch):
    from loom_tui.screens.capacity.screen import CapacityScreen

    from .test_capacity import open_capacity

    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)

        async def portal():
            raise ServiceError(MARKUP)

        monkeypatch.setattr(app.ctx.capacity, "portal", portal)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: MARKUP in flash_text(screen))
        assert isinstance(app.screen, CapacityScreen)
        assert flash_text(screen).startswith("error: could not read the inventory (") and flash_text(screen).endswith(f" s): {MARKUP}")
        assert not screen.busy


async def test_a_capacity_detail_part_says_its_error_in_its_place(monkeypatch):
    from loom_tui.screens.capacity.detail import CapacityDetail

    from .test_capacity import open_capacity, shown

    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_capacity(pilot)

        async def recent_operations(resource):
            raise ServiceError(MARKUP)

        monkeypatch.setattr(app.ctx.capacity, "recent_operations", recent_operations)
        app.push_screen(CapacityDetail(screen.rows[0], screen.portal))
        await wait_for(pilot, lambda: isinstance(app.screen, CapacityDetail) and MARKUP in shown(app, "#detail-ops"))
        assert shown(app, "#detail-ops") == f"could not read: {MARKUP}"
        assert isinstance(app.screen, CapacityDetail)  # no dialog for loom's own error


async def test_a_failed_cost_read_keeps_what_was_shown_and_stops_loading(monkeypatch):
    import loom_tui.screens.cost.load as cost_load

    from .test_cost import open_cost

    monkeypatch.setenv("LOOM_DEMO_TODAY", "2026-11-20")
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_cost(pilot)
        shown_before = screen.page

        async def load_page(*args, **kw):
            raise ServiceError(MARKUP)

        monkeypatch.setattr(cost_load, "load_page", load_page)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: MARKUP in flash_text(screen))
        assert flash_text(screen) == f"error: cost: {MARKUP}"
        await wait_for(pilot, lambda: not screen.busy)
        assert screen.page is shown_before


async def test_setup_starts_a_new_draft_when_the_drafts_cannot_be_read(monkeypatch):
    from loom_tui.screens.dlz.screen import DlzScreen
    from loom_tui.services.dlz.drafts import DraftService

    async def fails(self):
        raise ServiceError(MARKUP)

    monkeypatch.setattr(DraftService, "list", fails)
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await pilot.press("5")
        await wait_for(pilot, lambda: isinstance(app.screen, DlzScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.wizard is not None and MARKUP in flash_text(screen), timeout=90)
        assert flash_text(screen) == f"error: could not read the drafts: {MARKUP}"
        assert screen.wizard.step == screen.svc.drafts.new().step  # a new draft, at its first step


async def test_a_prompt_keeps_a_refused_value_and_an_unforeseen_error_is_no_longer_silent():
    from textual.app import App

    from loom_tui.errors import ValidationError
    from loom_tui.screens.modals.prompt import TextPrompt

    calls: list[str] = []

    async def submit(text: str) -> str:
        calls.append(text)
        if text == "bad":
            raise ValidationError("name", MARKUP)
        raise RuntimeError("a bug")

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(TextPrompt("Rename", "Name", submit))

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt) and app.screen.is_mounted)
        prompt = app.screen
        field = prompt.query_one("#prompt-input")
        field.value = "bad"
        await pilot.press("enter")
        await wait_for(pilot, lambda: MARKUP in str(prompt.query_one("#prompt-error").render()))
        assert app.screen is prompt and field.value == "bad"
        field.value = "boom"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert app.screen.message == "a bug"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is prompt)
        assert field.value == "boom"  # still there to correct


async def test_a_page_the_table_could_not_read_takes_the_same_path(monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="loom.ui")
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        screen = workspaces(app)

        async def window(*args, **kw):
            raise StoreUnavailable(MARKUP)

        monkeypatch.setattr(app.ctx.workspaces, "window", window)
        await pilot.press("r")
        await wait_for(pilot, lambda: MARKUP in flash_text(screen))
        assert flash_text(screen) == f"error: could not read workspaces: {MARKUP}"
        assert any(MARKUP in r.getMessage() for r in caplog.records if r.name == "loom.ui")


async def test_an_app_worker_error_is_a_literal_notification(monkeypatch):
    import loom_tui.wiring as context

    async def open_context(*args, **kw):
        raise ServiceError(MARKUP)

    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        monkeypatch.setattr(context, "open_context", open_context)
        app.switch_persona("contributor")
        wanted = f"could not switch to contributor: {MARKUP}"
        await wait_for(pilot, lambda: any(n.message == wanted and not n.markup for n in app._notifications))  # noqa: SLF001
        assert app.context_is_ready  # the console goes on as the same user
