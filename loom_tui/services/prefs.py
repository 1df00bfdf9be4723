"""Per-user preferences (``user-prefs``) and search history (``search-history``).

Preferences are one document per user (id ``prefs``): list or tile view, pinned workspace ids,
the workspace list's sort.  Fields this module does not know (theme, dismissed hints written by
other parts) are kept as they are.  Edits are ETag-conditional and re-applied on a conflict, so
two terminals of the same user pinning at once both win.

Search history keeps the last :data:`HISTORY_LIMIT` distinct searches per scope ("workspaces",
"items"), offered newest first.  Searches are told apart case-insensitively after trimming; the
most recent spelling is kept.  Recording a search is incidental (it happens while typing), so in
read-only mode it is silently skipped — like stamping ``lastAccessedAt`` — while explicit
preference changes are refused with the read-only message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from loom_tui.domain.clock import now_iso
from loom_tui.domain.text import clean_name
from loom_tui.domain.workspace import SortKey
from loom_tui.store.errors import NotFound, PreconditionFailed
from loom_tui.store.query import Order, Query, eq

from loom_tui.errors import ValidationError
from loom_tui.services.etag_edit import edit_with_etag
from loom_tui.services.stamps import stamp

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore

    from loom_tui.services.roles import Gate

PREFS_ID = "prefs"
VIEW_MODES = ("list", "tile")
MAX_PINS = 200
HISTORY_LIMIT = 20
SEARCH_MAX = 256


@dataclass(frozen=True)
class Prefs:
    view_mode: str = "list"
    pinned: tuple[str, ...] = field(default_factory=tuple)
    sort: SortKey = SortKey.LAST_ACCESSED
    descending: bool = True

    @classmethod
    def from_doc(cls, doc: dict | None) -> "Prefs":
        doc = doc or {}
        sort = doc.get("sort") or {}
        saved = sort.get("key")
        raw = saved if isinstance(saved, str) else ""  # "" (none, or not text): SortKey refuses it like any unknown key
        try:
            key = SortKey({"nameLower": "name"}.get(raw, raw))  # the sort field before issue 14
        except ValueError:
            key = SortKey.LAST_ACCESSED
        mode = doc.get("viewMode")
        return cls(
            view_mode=mode if mode in VIEW_MODES else "list",
            pinned=tuple(p for p in (doc.get("pinned") or []) if isinstance(p, str)),
            sort=key,
            descending=bool(sort.get("descending", True)),
        )


def _history_id(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]


class PrefsService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate") -> None:
        self.scoped = scoped
        self.gate = gate

    # -- preferences -----------------------------------------------------------------------
    async def get(self) -> Prefs:
        return Prefs.from_doc(await self.scoped.user_get("user-prefs", PREFS_ID))

    async def _edit(self, change: Callable[[dict], dict]) -> Prefs:
        async def write(current: dict | None) -> Prefs:
            new = change(dict(current or {"id": PREFS_ID}))
            new["updatedAt"] = now_iso()
            if current is None:
                # first write for this user (the scoped store has no user_create: a race of two
                # first writes from the same user is the one case where the later one wins)
                return Prefs.from_doc(await self.scoped.user_upsert("user-prefs", new))
            return Prefs.from_doc(await self.scoped.user_replace("user-prefs", new, if_match=current["_etag"]))

        return await edit_with_etag(
            lambda: self.scoped.user_get("user-prefs", PREFS_ID), write,
            retry_on=(PreconditionFailed, NotFound), gave_up="your preferences kept changing elsewhere; try again",
        )

    async def set_view_mode(self, mode: str) -> Prefs:
        self.gate.require_writable("saving the view mode")
        if mode not in VIEW_MODES:
            raise ValidationError("viewMode", f"must be one of {', '.join(VIEW_MODES)}")
        return await self._edit(lambda d: {**d, "viewMode": mode})

    async def set_sort(self, key: SortKey, descending: bool) -> Prefs:
        self.gate.require_writable("saving the sort order")
        try:
            key = SortKey(key)
        except ValueError:
            raise ValidationError("sort", f"must be one of {', '.join(k.value for k in SortKey)}") from None
        return await self._edit(lambda d: {**d, "sort": {"key": key.value, "descending": bool(descending)}})

    async def pin(self, workspace_id: str) -> Prefs:
        self.gate.require_writable("pinning a workspace")
        await self.scoped.workspace(workspace_id)  # only what the user can see can be pinned

        def change(d: dict) -> dict:
            pins = [p for p in (d.get("pinned") or []) if p != workspace_id]
            if len(pins) >= MAX_PINS:
                raise ValidationError("pinned", f"at most {MAX_PINS} workspaces can be pinned")
            return {**d, "pinned": pins + [workspace_id]}

        return await self._edit(change)

    async def unpin(self, workspace_id: str) -> Prefs:
        self.gate.require_writable("unpinning a workspace")
        return await self._edit(lambda d: {**d, "pinned": [p for p in (d.get("pinned") or []) if p != workspace_id]})

    async def toggle_pin(self, workspace_id: str) -> Prefs:
        if workspace_id in (await self.get()).pinned:
            return await self.unpin(workspace_id)
        return await self.pin(workspace_id)

    # -- search history --------------------------------------------------------------------
    async def record_search(self, text: str, scope: str = "workspaces") -> bool:
        """Remember a search; True if recorded (False in read-only mode or for an empty search)."""
        term = clean_name("search", text, max_len=SEARCH_MAX, required=False)
        scope = clean_name("scope", scope, max_len=32)
        if not term or self.gate.read_only:
            return False
        key = term.casefold()
        await self.scoped.user_upsert("search-history", {
            "id": _history_id(scope, key), "scope": scope, "text": term, "key": key, "at": now_iso(), "seq": stamp(),
        })
        page = await self.scoped.user_query("search-history", self._history_query(scope), max_items=HISTORY_LIMIT + 50)
        for old in page.items[HISTORY_LIMIT:]:
            try:
                await self.scoped.user_delete("search-history", old["id"])
            except NotFound:
                pass
        return True

    @staticmethod
    def _history_query(scope: str) -> Query:
        return Query((eq("scope", scope),), (Order("seq", True),))

    async def recent_searches(self, scope: str = "workspaces", prefix: str = "") -> list[str]:
        """The remembered searches, newest first; with ``prefix``, only those starting with it."""
        page = await self.scoped.user_query("search-history", self._history_query(scope), max_items=HISTORY_LIMIT)
        start = prefix.strip().casefold()
        return [d["text"] for d in page.items if d.get("key", "").startswith(start)]
