"""One workspace, opened with enter from the list: Items, Members, Audit and Comments panes.

Panes are switched with plain keys (``i`` ``m`` ``a`` ``c``); each pane carries its own keys, so
the footer shows what can be done where the focus is.  What the operator may do comes from
``services.roles.allowed_actions`` for this workspace, loaded on open; until it is known nothing
that writes is offered.  The App's read-only gate is asked first, always (``LoomApp.allows``).
Opening stamps ``lastAccessedAt`` (the service limits that to once per few minutes).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import ContentSwitcher, Input, Static

from loom_tui.services.roles import Action
from loom_tui.domain.text import visible

from loom_tui.screens.base import AreaScreen
from loom_tui.screens.workspaces.pane import Pane

# every data-changing action of the panes, and the role grant it needs
PERMS = {
    "item_new": Action.EDIT_ITEMS,
    "item_rename": Action.EDIT_ITEMS,
    "item_move": Action.EDIT_ITEMS,
    "item_delete": Action.EDIT_ITEMS,
    "folder_new": Action.EDIT_FOLDERS,
    "folder_rename": Action.EDIT_FOLDERS,
    "folder_delete": Action.EDIT_FOLDERS,
    "member_add": Action.MANAGE_MEMBERS,
    "member_role": Action.MANAGE_MEMBERS,
    "member_remove": Action.MANAGE_MEMBERS,
    "comment_add": Action.COMMENT,
}
PANES = (("items", "i", "Items"), ("members", "m", "Members"), ("audit", "a", "Audit"), ("comments", "c", "Comments"))


class WorkspaceDetailScreen(AreaScreen):
    DEFAULT_CSS = """
    WorkspaceDetailScreen #detail-title, WorkspaceDetailScreen #detail-tabs { height: 1; }
    WorkspaceDetailScreen #panes { height: 1fr; }
    WorkspaceDetailScreen VirtualTable { overflow-x: hidden; }
    WorkspaceDetailScreen Pane { height: 1fr; }
    WorkspaceDetailScreen Pane Input { border: none; height: 1; padding: 0 1; background: $boost; }
    WorkspaceDetailScreen Pane Input:focus { border: none; background: $accent 30%; }
    WorkspaceDetailScreen Pane .pane-status, WorkspaceDetailScreen Pane #items-status, WorkspaceDetailScreen Pane #members-status { height: 1; padding: 0 1; color: $text-muted; }
    """
    AREA = "Workspaces"
    WRITES = frozenset(PERMS)
    BINDINGS = [
        # the pane keys are spelled out in the tab line above the panes; the footer keeps the pane's own
        *(Binding(key, f"pane('{name}')", label, show=False, id=f"detail.{name}") for name, key, label in PANES),
        Binding("escape", "back", "Back", show=False, id="detail.back"),
        Binding("ctrl+r,r", "reload", "Refresh", show=False, id="detail.reload"),
    ]

    def __init__(self, workspace_id: str, name: str = "", *, item_id: str | None = None,
                 restore: dict[str, str] | None = None) -> None:
        super().__init__()
        self.open_item_id = item_id  # opened for one item (a notification about it): its comments
        self.restore = restore  # what a dropped connection left open here (a prompt, a comment draft)
        self.workspace_id = workspace_id
        self.workspace_name = name
        self.allowed: set[str] = set()
        self.role_known = False  # set once allowed_actions has answered
        self.role = "…"
        self.pane = "items"
        self.selected_item: dict | None = None

    def compose_body(self) -> ComposeResult:
        from loom_tui.screens.workspaces.items import ItemsPane
        from loom_tui.screens.workspaces.members import MembersPane
        from loom_tui.screens.workspaces.trails import AuditPane, CommentsPane

        yield Static("", id="detail-title", markup=False)
        yield Static("", id="detail-tabs", markup=False)
        with ContentSwitcher(initial="items", id="panes"):
            yield ItemsPane(id="items")
            yield MembersPane(id="members")
            yield AuditPane(id="audit")
            yield CommentsPane(id="comments")

    def on_mount(self) -> None:
        super().on_mount()
        self._tabs()
        self._title()
        self.open()
        if self.open_item_id:
            self._open_item()
        if self.restore:
            self._restore(self.restore)

    def _restore(self, saved: dict[str, str]) -> None:
        from textual.widgets import Input

        if saved.get("form") == "prompt":
            pane = "members" if str(saved.get("prompt", "")).startswith("member.") else "items"
            self.action_pane(pane)
            self.query_one(f"#{pane}", Pane).reopen(saved)  # type: ignore[attr-defined]
        elif saved.get("form") == "detail":
            if saved.get("pane") in dict((n, n) for n, _, _ in PANES) and not self.open_item_id:
                self.action_pane(saved["pane"])
            if saved.get("text"):
                self.query_one("#comment-input", Input).value = saved["text"]

    def resume_form(self) -> dict[str, str]:
        """Saved by the terminal guard when the connection drops: the pane, the item whose
        comments are open and a comment being typed."""
        from textual.widgets import Input

        out = {"form": "detail", "workspace_id": self.workspace_id, "workspace_name": self.workspace_name, "pane": self.pane}
        if self.selected_item:
            out["item_id"] = str(self.selected_item.get("id", ""))
        typed = self.query_one("#comment-input", Input).value if self.query("#comment-input") else ""
        if typed:
            out["text"] = typed
        return out

    @work(exit_on_error=False, group="detail-item")
    async def _open_item(self) -> None:
        item = await self.ctx.items.get(self.workspace_id, self.open_item_id or "")
        self.selected_item = item.doc  # as the items table's rows: the stored document
        self.action_pane("comments")

    # -- gate ------------------------------------------------------------------------------
    def permits(self, action: str) -> bool:
        if not self.loom.allows(self, action):
            return False
        need = PERMS.get(action)
        if need is None or not self.role_known:
            # before the role is known a quick key still works; the services refuse what the
            # role does not allow, with a message (nothing is written)
            return True
        return need in self.allowed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.permits(action)

    # -- loading ---------------------------------------------------------------------------
    @work(exclusive=True, exit_on_error=False, group="detail-open")
    async def open(self) -> None:
        # the pane's rows load while the role is looked up (reads need no role beyond seeing the
        # workspace, which the services check); write keys appear once the role is known
        self.query_one(f"#{self.pane}", Pane).activate()
        self.workspace_name = (await self.ctx.workspaces.get(self.workspace_id)).name
        role = (await self.ctx.roles.role_in(self.workspace_id)).value
        allowed = await self.ctx.roles.allowed_actions(self.workspace_id)
        # the role, what it allows and that both are known change together: no await between them,
        # so nothing (a key, a test) can see the role without its grants
        self.role, self.allowed, self.role_known = role, allowed, True
        self._title()
        self.refresh_bindings()
        for pane in self.query(Pane):
            pane.refresh_bindings()
        self.query_one("#comments").refresh_writable()  # type: ignore[attr-defined]
        self._touch()

    FAILURES = {
        "_open_item": ("the item is not there any more", "warning"),
        "open": "could not open the workspace",
    }

    def worker_failed(self, worker, error: BaseException) -> bool:
        # stamping the access time is incidental: never in the operator's way (the log has it)
        return worker.name == "_touch"

    @work(exit_on_error=False, group="detail-touch")
    async def _touch(self) -> None:
        await self.ctx.workspaces.touch(self.workspace_id)

    def _title(self) -> None:
        t = Text(" " + visible(self.workspace_name or self.workspace_id), style="bold")
        t.append(f"  · your role: {self.role}", style="")
        if "items.edit" not in self.allowed:
            t.append(" · read only here" if self.allowed else "", style="italic")
        self.query_one("#detail-title", Static).update(t)

    def _tabs(self) -> None:
        t = Text(" ")
        for name, key, label in PANES:
            if name == self.pane:
                t.append(f"[{key} {label}]", style="bold reverse")
            else:
                t.append(f" {key} {label} ")
            t.append(" ")
        self.query_one("#detail-tabs", Static).update(t)

    def item_selected(self, item: dict | None) -> None:
        self.selected_item = item

    # -- actions ---------------------------------------------------------------------------
    def action_pane(self, name: str) -> None:
        self.pane = name
        self.query_one(ContentSwitcher).current = name
        self._tabs()
        self.query_one(f"#{name}", Pane).activate()

    def action_reload(self) -> None:
        self.open()
        self.query_one(f"#{self.pane}", Pane).reload()

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.value:
            focused.value = ""
            return
        if self.pane != "items" and isinstance(focused, Input):
            self.query_one(f"#{self.pane}", Pane).activate()
            return
        self.app.pop_screen()
