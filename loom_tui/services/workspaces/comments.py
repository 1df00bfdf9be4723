"""Comments on an item: add and list; ``@upn`` mentions notify the people named.

A mention notifies only a *member of the workspace* (it is looked up in the workspace's member
bindings, so a comment cannot be used to message strangers or to probe who exists).  The
member's object id — the notification's partition — comes from the binding when it was recorded
there, else from the user directory port.  Mentions nobody could be notified for are returned in
``CommentResult.unresolved`` so the UI can say so instead of pretending.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loom_tui.domain.clock import now_iso
from loom_tui.domain.comment import Comment, CommentPage
from loom_tui.domain.text import clean_text
from loom_tui.store.query import Order, Query

from loom_tui.services.audit import AuditService
from loom_tui.services.directory import Directory
from loom_tui.errors import NotFoundError, ValidationError
from loom_tui.services.roles import Action, permission_id
from loom_tui.services.stamps import stamp

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore

    from loom_tui.services.roles import Gate

BODY_MAX = 4000
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
EXCERPT = 140


def mentions_in(body: str) -> list[str]:
    """Distinct mentioned UPNs (lower-case), in order of first appearance."""
    seen: dict[str, None] = {}
    for m in MENTION.finditer(body):
        seen.setdefault(m.group(1).lower(), None)
    return list(seen)


@dataclass
class CommentResult:
    comment: Comment
    notified: list[str] = field(default_factory=list)  # UPNs that got a notification
    unresolved: list[str] = field(default_factory=list)  # mentioned, but not a member or not in the directory


class CommentService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate", directory: Directory) -> None:
        self.scoped = scoped
        self.gate = gate
        self.audit = AuditService(scoped)
        self.directory = directory

    async def list(self, workspace_id: str, item_id: str, *, newest_first: bool = False, max_items: int = 200,
                   continuation: str | None = None) -> CommentPage:
        """A page of an item's comments (oldest first, as a thread reads)."""
        ws = await self.scoped.workspace(workspace_id)
        if await self.scoped.ws_get(ws, "items", item_id) is None:
            raise NotFoundError(f"no item {item_id!r} in this workspace")
        q = Query(order_by=(Order("createdAt", newest_first), Order("seq", newest_first)))
        page = await self.scoped.item_query(ws, "comments", item_id, q, max_items=max_items, continuation=continuation)
        return CommentPage([Comment.from_doc(d) for d in page.items], page.continuation)

    async def add(self, workspace_id: str, item_id: str, body: str) -> CommentResult:
        self.gate.require_writable("commenting")
        ws = await self.scoped.workspace(workspace_id)
        await self.gate.require(ws, Action.COMMENT)
        item = await self.scoped.ws_get(ws, "items", item_id)
        if item is None:
            raise NotFoundError(f"no item {item_id!r} in this workspace")
        text = clean_text("comment", body, max_len=BODY_MAX)
        if not text:
            raise ValidationError("comment", "is empty")
        s = self.scoped.session
        mentioned = mentions_in(text)
        doc = {
            "id": str(uuid.uuid4()),
            "itemType": item.get("itemType"),
            "body": text,
            "authorOid": s.user_oid,
            "upn": s.upn,
            "authorName": s.display_name,
            "mentions": mentioned,
            "createdAt": now_iso(),
            "seq": stamp(),  # orders comments written in the same millisecond
        }
        stored = await self.scoped.item_write(ws, "comments", item_id, doc)
        result = CommentResult(Comment.from_doc(stored))
        for upn in mentioned:
            if upn == s.upn_key:
                continue  # mentioning yourself notifies nobody
            oid = await self._member_oid(ws, upn)
            if oid is None:
                result.unresolved.append(upn)
                continue
            excerpt = text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"
            await self.scoped.notify(oid, {
                "id": str(uuid.uuid4()),
                "title": f"{s.display_name} mentioned you",
                "body": f"On {item.get('displayName')} in {ws.doc.get('name')}: {excerpt}",
                "severity": "info",
                "link": f"/workspaces/{ws.id}/items/{item_id}",
                "workspaceId": ws.id,
                "itemId": item_id,
                "read": False,
                "createdAt": now_iso(),
            })
            result.notified.append(upn)
        await self.audit.record(ws, item_id=item_id, item_type=item.get("itemType", ""), action="item.comment",
                                summary=f"commented on {item.get('displayName')}",
                                changes={"comment": [None, stored["id"]], "mentions": [None, mentioned]} if mentioned else {"comment": [None, stored["id"]]})
        return result

    async def _member_oid(self, ws, upn: str) -> str | None:
        binding = await self.scoped.ws_get(ws, "workspace-permissions", permission_id(ws.id, upn))
        if binding is None:
            return None
        if binding.get("userOid"):
            return binding["userOid"]
        user = await self.directory.by_upn(upn)
        return user.oid if user else None
