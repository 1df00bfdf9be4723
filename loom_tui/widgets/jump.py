"""Jump by name from the palette (``:``): a workspace, a resource, a landing zone or an operation.

Typing two characters or more searches, as the palette's other entries are searched:

* workspaces by name, in the store (the Workspaces list's own search, pushed down);
* resources of the last inventory Capacity read in this run (none until Capacity was opened);
* the landing zones loom recorded (jump: Capacity, filtered to that DLZ);
* recent operations, by kind, target and who started them.

Names come from the store and Azure: they reach the palette as plain text (``Content``), never as
markup.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Callable

from textual.command import Hit, Hits, Provider
from textual.markup import escape

from loom_tui.domain.text import visible

MIN_QUERY = 2
PER_KIND = 6


class JumpTo(Provider):
    async def search(self, query: str) -> Hits:
        q = query.strip()
        app: Any = self.app
        if len(q) < MIN_QUERY or not getattr(app, "context_is_ready", False):
            return
        matcher = self.matcher(q)
        async for label, help_text, run in self._candidates(app, q):
            score = matcher.match(label)
            if score > 0:  # Textual parses a hit's help as markup: stored text goes in escaped and visible
                yield Hit(score, matcher.highlight(visible(label)), run, help=escape(visible(help_text)))

    async def _candidates(self, app: Any, typed: str) -> AsyncIterator[tuple[str, str, Callable[[], Any]]]:
        ctx = app.ctx
        q = _term(typed)
        if len(q) < MIN_QUERY:
            return
        for label, help_text, run in await _workspaces(app, ctx, q):
            yield label, help_text, run
        inv = getattr(ctx.capacity, "last_inventory", None)
        if inv is not None:
            hits = [r for r in inv.rows if q.lower() in r.name.lower()][:PER_KIND]
            for r in hits:
                yield f"Resource {r.name}", f"{r.type} · {r.dlz or '-'} · {r.resource_group}", _open_resource(app, r)
        try:
            from loom_tui.services.dlz.registry import DlzRegistry

            dlzs = await DlzRegistry(ctx.scoped, ctx.require_writable).list()
        except Exception:  # noqa: BLE001 - a jump list is a help: what cannot be read is left out
            dlzs = []
        for d in [d for d in dlzs if q.lower() in d.domain.lower()][:PER_KIND]:
            yield f"Landing zone {d.domain}", f"{d.state} · {d.resource_group} · Capacity filtered to it", _open_dlz(app, d.domain)
        try:
            ops = await ctx.operations.recent(50)
        except Exception:  # noqa: BLE001
            ops = []
        for op in [o for o in ops if q.lower() in f"{o.kind} {o.target} {o.started_by}".lower()][:PER_KIND]:
            name = op.target.rstrip("/").rsplit("/", 1)[-1] or op.target
            yield f"Operation {op.kind} {name}", f"{op.state} · started by {op.started_by} at {op.started_at}", _open_operation(app, op.id)


KINDS = ("workspace", "resource", "landing zone", "dlz", "operation")


def _term(typed: str) -> str:
    """What to look for: the typed text without a leading kind word ("workspace risk" -> "risk")."""
    low = typed.lower()
    for kind in KINDS:
        if low.startswith(kind + " "):
            return typed[len(kind) + 1:].strip()
    return typed.strip()


async def _workspaces(app: Any, ctx: Any, q: str) -> list[tuple[str, str, Callable[[], Any]]]:
    from loom_tui.domain.workspace import SortKey, WorkspaceView

    try:
        rows = await ctx.workspaces.window(WorkspaceView(search=q, sort=SortKey.NAME, descending=False), 0, PER_KIND)
    except Exception:  # noqa: BLE001
        return []
    return [(f"Workspace {ws.name}", f"workspace · {ws.id}", _open_workspace(app, ws)) for ws in rows]


def _open_workspace(app: Any, ws: Any) -> Callable[[], Any]:
    def run() -> None:
        from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen

        if app.current_mode != "workspaces":
            app.switch_mode("workspaces")
        app.push_screen(WorkspaceDetailScreen(ws.id, ws.name))

    return run


def _open_resource(app: Any, r: Any) -> Callable[[], Any]:
    async def run() -> None:
        from loom_tui.screens.capacity.detail import CapacityDetail

        if app.current_mode != "capacity":
            app.switch_mode("capacity")
        app.push_screen(CapacityDetail(r, await app.ctx.capacity.portal()))

    return run


def _open_dlz(app: Any, domain: str) -> Callable[[], Any]:
    def run() -> None:
        if app.current_mode != "capacity":
            app.switch_mode("capacity")
        app.call_after_refresh(lambda: getattr(app.screen, "filter_dlz", lambda _d: None)(domain))

    return run


def _open_operation(app: Any, op_id: str) -> Callable[[], Any]:
    def run() -> None:
        from loom_tui.screens.operations import OperationScreen

        app.push_screen(OperationScreen(op_id))

    return run
