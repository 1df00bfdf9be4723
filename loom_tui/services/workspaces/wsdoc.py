"""Small ETag-conditional edits of a workspace document (item count, member list), with retry.

Several sessions may create items or add members in the same workspace at once.  Each edit reads
the document, applies a pure function and writes it back ``if_match`` the ETag it read; on a
conflict it reads again and re-applies, so no concurrent increment or member is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from loom_tui.errors import NotFoundError

from loom_tui.services.etag_edit import ATTEMPTS, edit_with_etag

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore, WorkspaceRef



async def edit_workspace_doc(scoped: "ScopedStore", ws: "WorkspaceRef", change: Callable[[dict], dict | None]) -> dict:
    """Apply ``change`` (returns the new document, or None for "nothing to change") to the
    workspace's document, where it is filed."""

    def missing() -> dict:
        raise NotFoundError(f"no workspace {ws.id!r} in this tenant")

    async def write(current: dict) -> dict:
        new = change(dict(current))
        if new is None:
            return current
        return await scoped.workspace_replace(ws, new, if_match=current["_etag"])

    return await edit_with_etag(
        lambda: scoped.workspace_reread(ws), write, missing=missing,
        gave_up=f"the workspace kept changing; gave up after {ATTEMPTS} attempts — try again",
    )


async def add_to_item_count(scoped: "ScopedStore", ws: "WorkspaceRef", delta: int) -> dict:
    """Add ``delta`` to ``itemCount``.  A workspace document without one (the web console keeps
    none) gets the real count of its items instead (``delta`` is already in it)."""
    current = await scoped.workspace_reread(ws)
    counted: int | None = None
    if current is not None and not isinstance(current.get("itemCount"), int):
        counted = await scoped.ws_count(ws, "items")

    def change(doc: dict) -> dict:
        if isinstance(doc.get("itemCount"), int):
            doc["itemCount"] = max(0, doc["itemCount"] + delta)
        else:
            doc["itemCount"] = counted if counted is not None else max(0, delta)
        return doc

    return await edit_workspace_doc(scoped, ws, change)


async def set_member_upn(scoped: "ScopedStore", ws: "WorkspaceRef", upn_key: str, present: bool) -> dict:
    """Add or remove ``upn_key`` in ``memberUpns`` (kept sorted; it drives who sees the workspace)."""

    def change(doc: dict) -> dict | None:
        upns = list(doc.get("memberUpns") or [])
        if (upn_key in upns) == present:
            return None
        upns = sorted(set(upns) | {upn_key}) if present else [u for u in upns if u != upn_key]
        doc["memberUpns"] = upns
        return doc

    return await edit_workspace_doc(scoped, ws, change)
