"""The workspace detail screen driven with Pilot: items, folders, members, audit, comments, roles."""

from __future__ import annotations

import pytest

from loom_tui.app import LoomApp
from loom_tui.config import Profile
from loom_tui.domain.session import Session
from loom_tui.local.demo import DEMO_DOMAIN, DEMO_USERS
from loom_tui.screens.workspaces.item_type_picker import ItemTypePicker
from loom_tui.screens.modals.prompt import ChoicePrompt, TextPrompt
from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen
from loom_tui.wiring import open_context
from loom_tui.services.workspaces.items import ItemInput
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import screen_text, until_idle, wait_for, wait_ready

USERS = {alias: (oid, name) for oid, alias, name in DEMO_USERS}


def upn(alias: str) -> str:
    return f"{alias}@{DEMO_DOMAIN}"


def session_of(alias: str) -> Session:
    from loom_tui.local.demo import DEMO_TENANT

    oid, name = USERS[alias]
    return Session(tenant_id=DEMO_TENANT, user_oid=oid, upn=upn(alias), display_name=name, source="test")


async def open_detail(pilot, workspace_id: str) -> WorkspaceDetailScreen:
    app = pilot.app
    await app.push_screen(WorkspaceDetailScreen(workspace_id))
    screen = app.screen
    assert isinstance(screen, WorkspaceDetailScreen)
    await wait_for(pilot, lambda: screen.allowed or screen.role != "…")
    await wait_for(pilot, lambda: screen.query_one("#items-table", VirtualTable).row_count == 0 or screen.query_one("#items-table", VirtualTable).row(0) is not None)
    return screen


def items_table(app) -> VirtualTable:
    return app.screen.query_one("#items-table", VirtualTable)


async def fresh_workspace(app, name: str = "Detail space") -> dict:
    return await app.ctx.workspaces.create(WorkspaceInput(name=name, description="for detail tests"))


async def type_into(pilot, text: str) -> None:
    """Set a prompt's field (characters Pilot cannot press are set directly) and submit."""
    field = pilot.app.screen.query_one("#prompt-input")
    field.value = text
    await pilot.press("enter")


async def test_enter_opens_the_detail_and_stamps_last_access():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        table = app.screen.query_one(VirtualTable)
        await pilot.press("G")  # the least recently accessed: its stamp is old
        await wait_for(pilot, lambda: table.current is not None)
        row = table.current
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceDetailScreen))
        await wait_for(pilot, lambda: items_table(app).row_count == row["itemCount"] and "Items" in screen_text(app))
        await wait_for(pilot, lambda: app.screen.allowed)
        doc = await app.ctx.workspaces.get(row["id"])
        await wait_for(pilot, lambda: True)
        for _ in range(40):
            doc = await app.ctx.workspaces.get(row["id"])
            if doc.doc["lastAccessedAt"] != row["lastAccessedAt"]:
                break
            await pilot.pause(0.05)
        assert doc.doc["lastAccessedAt"] > row["lastAccessedAt"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, WorkspaceDetailScreen))


async def test_create_item_by_typing_the_type_makes_the_lakehouse_pair():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app)
        screen = await open_detail(pilot, ws.id)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ItemTypePicker))
        for ch in "lakeh":
            await pilot.press(ch)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await type_into(pilot, "sales [bold]lake[/]")
        await wait_for(pilot, lambda: app.screen is screen and items_table(app).row_count == 2)
        await wait_for(pilot, lambda: items_table(app).row(1) is not None)
        names = sorted(items_table(app).row(i)["displayName"] for i in range(2))
        assert names == ["sales [bold]lake[/]", "sales [bold]lake[/] (SQL endpoint)"]
        assert "sales [bold]lake[/]" in screen_text(app)
        assert (await app.ctx.workspaces.get(ws.id)).item_count == 2


async def test_type_picker_by_category_and_bad_name_keeps_the_prompt():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app)
        await open_detail(pilot, ws.id)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ItemTypePicker))
        await pilot.press("ctrl+right")  # the first category
        picker = app.screen
        first_category = picker.categories[0]
        assert first_category in screen_text(app)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        # (control characters cannot get into a field at all: SafeInput shows them as escapes)
        await type_into(pilot, "x" * 300)
        await wait_for(pilot, lambda: "at most" in screen_text(app).lower())
        assert isinstance(app.screen, TextPrompt)
        assert await app.ctx.items.count(ws.id) == 0
        await pilot.press("escape")


async def choose_folder(pilot, screen, folder_id: str) -> None:
    """Walk the folder tree with the keyboard until ``folder_id`` is chosen."""
    pane = screen.query_one("#items")
    tree = screen.query_one("#folder-tree")
    await wait_for(pilot, lambda: tree.root.children and len(tree.root.children) > 2)
    if not tree.has_focus:
        await pilot.press("tab")
    assert tree.has_focus
    await pilot.press("home")
    for _ in range(6):
        if pane.current_folder() == folder_id:
            return
        await pilot.press("down")
    raise AssertionError("folder not reachable in the tree")


async def test_rename_move_and_delete_an_item_and_folders():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app)
        item = await app.ctx.items.create(ws.id, ItemInput("notebook", "nb one"))
        screen = await open_detail(pilot, ws.id)
        await wait_for(pilot, lambda: items_table(app).row(0) is not None)
        # folder: create at the root
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await type_into(pilot, "Reports")
        await wait_for(pilot, lambda: app.screen is screen and "Reports" in screen_text(app))
        # rename the item (e: edit its name)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await type_into(pilot, "nb renamed")
        await wait_for(pilot, lambda: app.screen is screen and items_table(app).row(0) is not None and items_table(app).row(0)["displayName"] == "nb renamed")
        # move it into Reports
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: "moved nb renamed to Reports" in screen_text(app))
        folder = (await app.ctx.folders.list(ws.id))[0]
        assert (await app.ctx.items.get(ws.id, item.id)).folder_id == folder.id
        # rename the folder: choose it in the tree first
        await choose_folder(pilot, screen, folder.id)
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await type_into(pilot, "Old reports")
        await wait_for(pilot, lambda: app.screen is screen and "Old reports" in screen_text(app))
        # delete the folder: the item moves to the root
        await choose_folder(pilot, screen, folder.id)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("enter")  # Cancel is first
        await wait_for(pilot, lambda: app.screen is screen and "nothing was deleted" in screen_text(app))
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: "1 items and 0 folders moved to the root" in screen_text(app))
        assert (await app.ctx.items.get(ws.id, item.id)).folder_id is None
        assert await app.ctx.folders.list(ws.id) == []
        # delete the item
        items_table(app).focus()
        await wait_for(pilot, lambda: items_table(app).row(0) is not None)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: items_table(app).row_count == 0)
        assert await app.ctx.items.count(ws.id) == 0
        # the audit pane shows what was just done
        await pilot.press("a")
        await wait_for(pilot, lambda: "deleted notebook nb renamed" in screen_text(app))
        text = screen_text(app)
        assert "item.delete" in text and "folder.delete" in text


async def test_members_add_change_role_remove_and_implicit_admin_refusal():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app)
        screen = await open_detail(pilot, ws.id)
        await pilot.press("m")
        members = screen.query_one("#members-table", VirtualTable)
        await wait_for(pilot, lambda: members.row_count == 1 and members.row(0) is not None)
        assert "(creator)" in screen_text(app)
        # the creator can be neither demoted nor removed: not offered on their row (footer, ? and
        # the palette read the same bindings), and a key pressed anyway answers in one line
        await wait_for(pilot, lambda: "Add member" in screen_text(app))
        assert "Remove" not in screen_text(app) and "Change role" not in screen_text(app)
        assert screen.query_one("MembersPane").check_action("member_remove", ()) is False
        await pilot.press("e")  # e: edit the role
        await wait_for(pilot, lambda: "created this workspace: their role stays admin" in screen_text(app))
        await pilot.press("d")
        await wait_for(pilot, lambda: "created this workspace: they cannot be removed" in screen_text(app))
        assert app.screen is screen and "Error" not in screen_text(app)
        # add kim as Member: a workspace-roles grant, resolved through the demo Azure's Graph
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("up", "up", "enter")  # Member (the picker starts on Viewer)
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await type_into(pilot, "nobody by this name")
        # not found through Graph: said in the prompt, nothing written
        await wait_for(pilot, lambda: "named 'nobody by this name'" in str(app.screen.query_one("#prompt-error").render()))
        assert await app.ctx.grants.list(ws.id) == []
        await type_into(pilot, upn("kim.scientist"))
        await wait_for(pilot, lambda: app.screen is screen and members.row_count == 2)
        await wait_for(pilot, lambda: members.row(1) is not None)

        def kim_row() -> int:
            return [i for i in range(members.row_count) if (members.row(i) or {}).get("name") == "Kim Scientist"][0]

        kim = members.row(kim_row())
        assert kim["role"] == "Member" and kim["principalType"] == "User" and kim["source"] == "workspace-roles"
        grants = await app.ctx.grants.list(ws.id)
        assert [(g.principal_id, g.role) for g in grants] == [(kim["principalId"], "Member")]
        # change kim's role to Viewer: on kim's row both are offered
        members.cursor_row = kim_row()
        await wait_for(pilot, lambda: "Remove" in screen_text(app) and "Change role" in screen_text(app))
        await pilot.press("e")  # e: edit the role
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("down", "down", "enter")  # from Member, where the picker starts
        await wait_for(pilot, lambda: "is now Viewer" in screen_text(app))
        assert [g.role for g in await app.ctx.grants.list(ws.id)] == ["Viewer"]
        # remove kim
        await wait_for(pilot, lambda: members.row_count == 2 and members.row(kim_row()) is not None)
        members.cursor_row = kim_row()
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: members.row_count == 1)
        assert await app.ctx.grants.list(ws.id) == []
        assert [m.upn for m in await app.ctx.members.list(ws.id)] == [app.ctx.session.upn_key]


async def test_comment_with_mention_notifies_that_member(tmp_path):
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app)
        await app.ctx.members.add(ws.id, upn("dana.steward"), "viewer")
        await app.ctx.items.create(ws.id, ItemInput("report", "q3 report"))
        screen = await open_detail(pilot, ws.id)
        await wait_for(pilot, lambda: items_table(app).row(0) is not None and screen.selected_item is not None)
        await pilot.press("c")
        await wait_for(pilot, lambda: "0 comments on q3 report" in screen_text(app))
        await pilot.press("n")
        field = screen.query_one("#comment-input")
        assert field.has_focus
        field.value = f"please check @{upn('dana.steward')} [red]now[/]"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "notified dana.steward" in screen_text(app))
        await wait_for(pilot, lambda: "[red]now[/]" in screen_text(app))
    dana = await open_context(Profile(), session=session_of("dana.steward"))
    try:
        notes = await dana.notifications.newest()
        assert any("q3 report" in n["body"] and "[red]now[/]" in n["body"] for n in notes)
    finally:
        await dana.close()


async def _role_app(alias: str, workspace_name: str, role: str | None, *, read_only: bool = False):
    """A context for ``alias`` on the demo store, and a workspace where they hold ``role``."""
    admin = await open_context(Profile())
    ws = await admin.workspaces.create(WorkspaceInput(name=workspace_name))
    await admin.items.create(ws.id, ItemInput("notebook", "n1"))
    if role:
        await admin.members.add(ws.id, upn(alias), role)
    await admin.close()
    ctx = await open_context(Profile(), session=session_of(alias), read_only=read_only)
    return LoomApp(context=ctx), ws


def visible_keys(app) -> set[str]:
    return {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}


@pytest.mark.parametrize("role, can_edit, can_members", [("viewer", False, False), ("contributor", True, False), ("admin", True, True)])
async def test_roles_decide_what_is_offered(role, can_edit, can_members):
    app, ws = await _role_app("sam.analyst", f"{role} space", role)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_detail(pilot, ws.id)
        await wait_for(pilot, lambda: screen.role == role)
        for action in ("item_new", "item_rename", "item_delete", "folder_new"):
            assert screen.permits(action) is can_edit, action
        assert screen.permits("member_add") is can_members
        assert ("item_new" in visible_keys(app)) is can_edit
        if can_edit:
            await wait_for(pilot, lambda: "New item" in screen_text(app))
        else:
            await wait_for(pilot, lambda: "i Items" in screen_text(app))
            assert "New item" not in screen_text(app)
        await pilot.press("m")
        await wait_for(pilot, lambda: screen.query_one("#members-table", VirtualTable).row_count > 0)
        assert ("Add member" in screen_text(app)) is can_members
        if not can_members:
            assert "cannot manage members" in screen_text(app)
        # a key that is hidden does nothing
        await pilot.press("n")
        await until_idle(pilot)
        assert isinstance(app.screen, ChoicePrompt) is can_members


async def test_read_only_hides_every_write_even_for_an_admin():
    app, ws = await _role_app("sam.analyst", "ro space", "admin", read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_detail(pilot, ws.id)
        await wait_for(pilot, lambda: screen.role == "admin")
        assert not any(screen.permits(a) for a in screen.WRITES)
        assert not (visible_keys(app) & screen.WRITES)
        await pilot.press("n", "N", "d")
        await until_idle(pilot)
        assert app.screen is screen
        await pilot.press("c")
        assert not screen.query_one("#comment-input").display


BAD = [
    "[bold]b[/bold] [link=http://x]l[/link] [/]",
    "\u202eevil\u200bzero\u200dwidth",
    "emoji 🚀📊 CJK 数据湖テスト",
    "x" * 10_000,
]


async def test_bad_text_in_items_members_comments_shows_literally():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app, "[red]ws[/red]数据")
        # a bidi override in a name is refused on write; another writer can still store one
        stored = (await app.ctx.scoped.workspace(ws.id)).doc
        await app.ctx.store.upsert("workspaces", {**stored, "name": "[red]ws[/red]\u202e数据"})
        for i, name in enumerate(BAD[:3]):
            made = await app.ctx.items.create(ws.id, ItemInput("notebook", f"placeholder {i}"))
            raw = await app.ctx.store.get("items", ws.id, made.id)
            await app.ctx.store.upsert("items", {**raw, "displayName": name, "displayNameLower": name.lower()})
        await app.ctx.folders.create(ws.id, "[b]fold[/b]🚀")
        item = await app.ctx.items.create(ws.id, ItemInput("report", "a" * 240))
        await app.ctx.comments.add(ws.id, item.id, "y" * 3000 + " \u202e [i]c[/i]")
        screen = await open_detail(pilot, ws.id)
        await wait_for(pilot, lambda: items_table(app).row(3) is not None)
        text = screen_text(app)
        assert "[bold]b[/b" in text and "[b]fold[/b]" in text and "\\u202e" in text
        assert "\x1b" not in text
        table = items_table(app)
        table.cursor_row = [i for i in range(table.row_count) if table.row(i)["id"] == item.id][0]
        await wait_for(pilot, lambda: screen.selected_item is not None and screen.selected_item["id"] == item.id)
        await pilot.press("a")
        await wait_for(pilot, lambda: "created notebook" in screen_text(app))
        await pilot.press("c")
        await wait_for(pilot, lambda: "1 comment on" in screen_text(app))
        await pilot.press("m")
        await wait_for(pilot, lambda: "(creator)" in screen_text(app))
        # a 10,000-character search leaves the layout and the app intact
        await pilot.press("i")
        screen.query_one("#items-search").value = BAD[3]
        await wait_for(pilot, lambda: items_table(app).row_count == 0 and "No items here." in screen_text(app))
        assert len(screen_text(app).splitlines()) == 24


@pytest.mark.demo_today("2026-11-26")
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_detail(snap_compare, monkeypatch, size):

    async def ready(pilot):
        await wait_ready(pilot)
        pilot.app.clear_notifications()
        page = await pilot.app.ctx.workspaces.page(max_items=100)
        ws = sorted(page.items, key=lambda w: w.name)[0]
        await open_detail(pilot, ws.id)
        await wait_for(pilot, lambda: items_table(pilot.app).row(0) is not None)
        await until_idle(pilot)

    assert snap_compare(LoomApp(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("choice, expect_name", [("o", "mine now"), ("r", "theirs now")])
async def test_item_rename_conflict_shows_both_versions_and_lets_the_operator_choose(choice, expect_name):
    from loom_tui.screens.modals.edit_conflict import EditConflictDialog

    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app)
        item = await app.ctx.items.create(ws.id, ItemInput("notebook", "nb base"))
        screen = await open_detail(pilot, ws.id)
        await wait_for(pilot, lambda: items_table(app).row(0) is not None)
        await app.ctx.items.rename(ws.id, item.id, "theirs now", etag=item.etag)  # someone else, meanwhile
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one("#prompt-input").value = ""
        await type_into(pilot, "mine now")
        await wait_for(pilot, lambda: isinstance(app.screen, EditConflictDialog))
        text = screen_text(app)
        assert "mine now" in text and "theirs now" in text
        await pilot.press(choice)
        await wait_for(pilot, lambda: not isinstance(app.screen, EditConflictDialog))
        if choice == "r":
            await wait_for(pilot, lambda: "kept their version" in screen_text(app))
            await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert (await app.ctx.items.get(ws.id, item.id)).display_name == expect_name


async def test_item_searches_are_remembered_and_offered_with_up():
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app, "History space")
        await app.ctx.items.create(ws.id, ItemInput("notebook", "orders etl"))
        await open_detail(pilot, ws.id)
        await wait_for(pilot, lambda: items_table(app).row(0) is not None)
        await pilot.press("slash")
        for ch in "orders":
            await pilot.press(ch)
        await pilot.press("enter")
        for _ in range(40):
            if await app.ctx.prefs.recent_searches("items"):
                break
            await pilot.pause(0.05)
        box = app.screen.query_one("#items-search")
        box.value = ""
        await pilot.press("slash")
        await wait_for(pilot, lambda: box.history == ["orders"])
        await pilot.press("up")
        assert box.value == "orders"


async def test_role_pickers_start_on_viewer_for_a_new_member_and_on_the_current_role():
    """Issue 24 item 10: least privilege first when adding, the member's own role when changing."""
    from textual.widgets import OptionList

    def picked() -> str:
        prompt = app.screen
        return prompt.choices[prompt.query_one(OptionList).highlighted][1]

    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app)
        await app.ctx.members.add(ws.id, upn("kim.scientist"), "contributor")
        screen = await open_detail(pilot, ws.id)
        await pilot.press("m")
        members = screen.query_one("#members-table", VirtualTable)
        await wait_for(pilot, lambda: members.row_count == 2 and members.row(1) is not None)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        assert picked() == "Viewer"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        members.cursor_row = [i for i in range(2) if members.row(i)["upn"] == upn("kim.scientist")][0]
        await wait_for(pilot, lambda: "Change role" in screen_text(app))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        assert picked() == "contributor"


async def test_rename_puts_the_cursor_after_the_name_and_typing_appends():
    """Issue 24 item 17: the pre-filled name is not selected (typing replaced it all): the cursor
    is at its end, so a key typed right away appends."""
    from .test_typeahead import burst

    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app)
        await app.ctx.items.create(ws.id, ItemInput("notebook", "nb one"))
        await open_detail(pilot, ws.id)
        await wait_for(pilot, lambda: items_table(app).row(0) is not None)
        burst(app, "e", "2")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt)
                       and app.screen.query_one("#prompt-input").value != "nb one")
        field = app.screen.query_one("#prompt-input")
        assert field.value == "nb one2"
        assert field.cursor_position == len(field.value) and field.selection.is_empty


async def test_a_group_is_granted_by_name_and_an_ambiguous_name_lists_each():
    """Issue 19 item 2 in the TUI: the members pane grants a group by its display name (Graph), and
    a name two groups share is refused with both named, nothing written."""
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        ws = await fresh_workspace(app)
        screen = await open_detail(pilot, ws.id)
        await pilot.press("m")
        members = screen.query_one("#members-table", VirtualTable)
        await wait_for(pilot, lambda: members.row_count == 1 and members.row(0) is not None)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("enter")  # Viewer, where the picker starts
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await type_into(pilot, "Contractors")
        error = lambda: str(app.screen.query_one("#prompt-error").render())  # noqa: E731
        await wait_for(pilot, lambda: "2 principals are named 'Contractors'" in error())
        assert "9a000002-0000-4000-8000-000000000003" in error() and "9a000002-0000-4000-8000-000000000004" in error()
        assert await app.ctx.grants.list(ws.id) == []
        await type_into(pilot, "9a000002-0000-4000-8000-000000000004")  # the object id settles it
        await wait_for(pilot, lambda: app.screen is screen and members.row_count == 2)
        grants = await app.ctx.grants.list(ws.id)
        assert [(g.principal_type, g.role, g.name) for g in grants] == [("Group", "Viewer", "Contractors")]
        await wait_for(pilot, lambda: "Contractors (Group)" in screen_text(app))
