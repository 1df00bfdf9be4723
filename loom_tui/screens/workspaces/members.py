"""The Members pane: who is in the workspace, with which role; add, change role, remove.

Members are the web console's ``workspace-roles`` grants (services/grants.py): a user, group or
service principal, given by UPN, object id or display name and resolved through Microsoft Graph,
with the console's roles (Admin, Member, Contributor, Viewer).  The legacy ``workspace-permissions``
bindings (by UPN, loom's roles) are listed beside them and can still be changed or removed.

The creator is an implicit admin: the table says so, and on their row "Remove" and "Change role"
are not offered (the keys leave the footer, ``?`` and the palette); a key pressed anyway gets one
line saying why (nothing is changed).  Contributors and viewers see the list
only — the keys are hidden by the role gate of the detail screen.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from loom_tui.domain.member import Member
from loom_tui.services.workspaces.grants import CONSOLE_ROLE_NAMES, is_grant
from loom_tui.services.roles import MEMBER_ROLES
from loom_tui.widgets.table_header import TableHeader
from loom_tui.widgets.virtual_table import Column, VirtualTable
from loom_tui.domain.text import visible

from loom_tui.screens.modals.prompt import ChoicePrompt, TextPrompt, confirm
from loom_tui.screens.modals.sort_picker import SortPicker, picked, sort_words
from loom_tui.screens.workspaces.pane import Pane

def _who(row: dict) -> str:
    return str(row.get("upn") or row.get("principalId") or "")


def _name(row: dict) -> str:
    kind = row.get("principalType") or "User"
    return str(row.get("name") or "") + ("" if kind == "User" else f" ({kind})")


COLUMNS = [
    Column("upn", "UPN or id", 0, min_width=16, cut="middle", render=_who),
    Column("name", "Name", 16, render=_name),
    Column("role", "Role", 17, render=lambda r: (r.get("role") or "") + (" (creator)" if r.get("creator") or r.get("implicit") else "")),
    Column("addedAt", "Added", 10, render=lambda r: (r.get("addedAt") or "")[:10]),
]
ROLE_CHOICES = [(r, r) for r in MEMBER_ROLES]  # a legacy binding's (loom's roles)
GRANT_CHOICES = [(r, r) for r in CONSOLE_ROLE_NAMES]  # a grant's (the console's roles)
CREATOR_KEPT = ("member_remove", "member_role")  # what the rules forbid on the creator's row
SORT_LABEL = {"upn": "UPN", "name": "name", "role": "role", "addedAt": "added"}
# by what a role may do: Admin, then write (Member / loom's contributor), then read
ROLE_ORDER = {"Admin": 0, "admin": 0, "Member": 1, "contributor": 1, "Contributor": 2, "Viewer": 3, "viewer": 3}


def sort_value(row: dict, key: str) -> tuple:
    """Sort value of a member row: text case-insensitively, roles by rank, missing values last."""
    value = _who(row) if key == "upn" else row.get(key)
    if key == "role":
        return (0, ROLE_ORDER.get(str(value), len(ROLE_ORDER)), "")
    if value in (None, ""):
        return (1, 0, "")
    return (0, 0, str(value).lower())


class MembersPane(Pane):
    BINDINGS = [
        Binding("s", "sort", "Sort", id="members.sort", tooltip="pick the column; the same one again reverses"),
        Binding("enter", "describe", "Describe", show=False, id="members.describe", tooltip="every field and the raw JSON"),
        Binding("n", "member_add", "Add member", id="members.add"),
        Binding("e", "member_role", "Change role", id="members.role", tooltip="edit the member's role"),
        Binding("d", "member_remove", "Remove", id="members.remove"),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.rows: list[dict] = []
        self.sort: tuple[str, bool] = ("upn", False)

    FAILURES = {"reload": "could not read members", "action_member_role": "role not changed",
                "action_member_remove": "not removed"}

    def compose(self) -> ComposeResult:
        yield Static("", id="members-status", markup=False)
        yield TableHeader("members-table")
        yield VirtualTable(COLUMNS, self._fetch, id="members-table", empty_text="No members.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CREATOR_KEPT and self._on_creator():
            return False  # not offered: the rules keep the creator an admin member
        return super().check_action(action, parameters)

    def _on_creator(self) -> bool:
        try:
            row = self.table.current
        except Exception:
            return False
        return bool(row and (row.get("creator") or row.get("implicit")))

    def on_key(self, event) -> None:
        """A key of an action not offered on the creator's row still gets an answer (one line)."""
        for binding in self.BINDINGS:
            if binding.action in CREATOR_KEPT and event.key in binding.key.split(",") and self._on_creator():
                row = self.table.current or {}
                self._refuse_on_creator(row, "they cannot be removed" if binding.action == "member_remove" else "their role stays admin")
                event.stop()
                return

    def on_virtual_table_cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        self.refresh_bindings()  # the creator's row offers neither Remove nor Change role

    def _refuse_on_creator(self, row: dict, what: str) -> bool:
        if row.get("creator") or row.get("implicit"):
            self.detail.flash(f"{visible(row.get('upn'))} created this workspace: {what}", "warning")
            return True
        return False

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#members-table", VirtualTable)

    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return self.rows[offset : offset + limit]

    def activate(self) -> None:
        self.table.focus()
        self.reload()

    @work(exclusive=True, exit_on_error=False, group="members")
    async def reload(self, keep_cursor: bool = True) -> None:
        self.rows = [m.row() for m in await self.ctx.grants.rows(self.detail.workspace_id)]  # the table's rows
        self._show(keep_cursor)

    def _show(self, keep_cursor: bool = False) -> None:
        key, descending = self.sort
        present = [r for r in self.rows if sort_value(r, key)[0] == 0]
        absent = [r for r in self.rows if sort_value(r, key)[0] != 0]  # missing values last, either way
        present.sort(key=lambda r: (sort_value(r, key), str(r.get("upn", "")).lower()), reverse=descending)
        self.rows = present + absent
        self.table.sorted_by = self.sort
        self.table.reset(len(self.rows), keep_cursor=keep_cursor)
        self.refresh_bindings()
        self.query_one(TableHeader).refresh_header()
        note = "" if self.detail.permits("member_add") else " · your role cannot manage members"
        count = f"{len(self.rows)} member{'s' if len(self.rows) != 1 else ''}"
        sort = " · sort: " + sort_words(SORT_LABEL[key], descending)
        self.query_one("#members-status", Static).update(Text(visible(count + sort + note)))

    def action_sort(self) -> None:
        """The sort picker: every column; the current one again reverses."""

        def chosen(key: str | None) -> None:
            if key is not None:
                self.sort = picked(*self.sort, key, ("addedAt",))
                self._show()

        self.app.push_screen(SortPicker(list(SORT_LABEL.items()), *self.sort), chosen)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_describe()

    def action_describe(self) -> None:
        """The describe view of the member under the cursor: every field in full, the raw JSON."""
        from loom_tui.screens.modals.describe import DescribeScreen

        row = self._row()
        if row is not None:
            title = _who(row) if row.get("upn") else f"{row.get('name') or ''} ({_who(row)})"
            self.app.push_screen(DescribeScreen(f"member {title}", row))

    def on_virtual_table_columns_changed(self) -> None:
        self.query_one(TableHeader).refresh_header()

    def _row(self) -> dict | None:
        row = self.table.current
        if row is None:
            self.detail.flash("no member selected", "warning")
        return row

    @work(exit_on_error=False, group="members-write")
    async def action_member_add(self) -> None:
        # least privilege first: the picker starts on viewer
        role = await self.app.push_screen_wait(ChoicePrompt("Add member", "Role of the new member:", GRANT_CHOICES,
                                                            start=CONSOLE_ROLE_NAMES.index("Viewer")))
        if role is None:
            return
        await self._add_member(role)

    @work(exit_on_error=False, group="members-write")
    async def reopen(self, saved: dict[str, str]) -> None:
        """Reopen the add-member prompt a dropped connection closed, with what had been typed."""
        if saved.get("prompt") == "member.add" and saved.get("role") in CONSOLE_ROLE_NAMES:
            await self._add_member(saved["role"], saved.get("text", ""))

    async def _add_member(self, role: str, typed: str | None = None) -> None:
        ws = self.detail.workspace_id

        async def add(who: str) -> Member:
            return await self.ctx.grants.grant(ws, who, role)

        added = await self.app.push_screen_wait(TextPrompt(f"Add member as {role}", "A UPN (name@contoso.com), an object id, or a group name", add,
                                                         resume={"prompt": "member.add", "workspace_id": ws, "role": role}, typed=typed))
        if added:
            self.detail.flash(f"granted {visible(added.name)} ({visible(added.principal_type)}) {role}", "ok")
            self.reload(keep_cursor=True)

    @work(exit_on_error=False, group="members-write")
    async def action_member_role(self) -> None:
        row = self._row()
        if row is None or self._refuse_on_creator(row, "their role stays admin"):
            return
        # the picker starts on the member's current role; a grant takes the console's roles
        choices = GRANT_CHOICES if is_grant(row) else ROLE_CHOICES
        values = [v for _, v in choices]
        role = await self.app.push_screen_wait(ChoicePrompt(f"Role of {_who(row)}", f"now: {row.get('role')}", choices,
                                                            start=values.index(row["role"]) if row.get("role") in values else 0))
        if role is None:
            return
        if is_grant(row):  # a re-grant of the same principal changes its role (the console's upsert)
            await self.ctx.grants.grant(self.detail.workspace_id, str(row["principalId"]), role, principal_type=row.get("principalType"))
        else:
            await self.ctx.members.set_role(self.detail.workspace_id, row["upn"], role, etag=row.get("_etag"))
        self.detail.flash(f"{visible(_who(row))} is now {role}", "ok")
        self.reload(keep_cursor=True)

    @work(exit_on_error=False, group="members-write")
    async def action_member_remove(self) -> None:
        row = self._row()
        if row is None or self._refuse_on_creator(row, "they cannot be removed"):
            return
        who = _who(row) if not is_grant(row) else f"{row.get('name') or row.get('principalId')} ({row.get('principalType')})"
        if not await self.app.push_screen_wait(confirm("Remove member", f"Remove {who} ({row.get('role')}) from this workspace?", "Remove")):
            self.detail.flash("nobody was removed")
            return
        if is_grant(row):
            await self.ctx.grants.revoke(self.detail.workspace_id, str(row["principalId"]), principal_type=row.get("principalType"))
        else:
            await self.ctx.members.remove(self.detail.workspace_id, row["upn"])
        self.detail.flash(f"removed {visible(who)}", "ok")
        self.reload(keep_cursor=True)
