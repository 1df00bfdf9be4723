"""Wizard drafts in the store: saved after every step, so a dropped session resumes where it was.

One document per draft in the tenant's ``loom-dlz`` partition (kind ``draft``; loom's own container:
the console's ``landing-zones`` holds only its ``LandingZone`` documents, and a draft loom wrote
there before is read from there until it is saved again, then moved); several can
exist, one per domain (the domain step refuses a domain another draft holds, and says whose).
Drafts are per user: each operator lists and resumes their own (``owner``: the object id); a
draft saved before drafts had owners belongs to whoever saved it last.  Reached only through the
tenant-scoped store.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import AsyncIterator, Callable

from loom_tui.domain.clock import now_iso
from loom_tui.services.stamps import stamp
from loom_tui.store.query import Query, eq
from loom_tui.store.scoped import ScopedStore

from .steps import Wizard

CONTAINER = "loom-dlz"
LEGACY = "landing-zones"  # where loom kept drafts before (read, and moved on the next save)


@dataclass(frozen=True)
class DraftRow:
    wizard: Wizard
    updated_at: str
    updated_by: str
    seq: int = 0
    owner: str = ""  # the object id of whose draft it is


def _doc_id(draft_id: str) -> str:
    return f"draft:{draft_id}"


class DraftService:
    def __init__(self, scoped: ScopedStore, require_writable: Callable[[str], None]) -> None:
        self.scoped = scoped
        self.require_writable = require_writable

    def new(self) -> Wizard:
        return Wizard(draft_id=uuid.uuid4().hex[:12])

    async def save(self, w: Wizard) -> None:
        self.require_writable("saving a DLZ draft")
        s = self.scoped.session
        await self.scoped.tenant_upsert(CONTAINER, {"id": _doc_id(w.draft_id), "kind": "draft", **w.to_doc(),
                                                    "updatedAt": now_iso(), "seq": stamp(), "updatedBy": s.upn, "owner": s.user_oid})
        await _drop_legacy(self.scoped, _doc_id(w.draft_id), "draft")

    async def get(self, draft_id: str) -> Wizard | None:
        for container in (CONTAINER, LEGACY):
            doc = await self.scoped.tenant_get(container, _doc_id(draft_id))
            if doc and doc.get("kind") == "draft":
                return Wizard.from_doc(doc)
        return None

    async def all(self) -> list[DraftRow]:
        """Every draft of the tenant (every user's), newest first."""
        rows = []
        async for d in legacy_and_own(self.scoped, "draft"):
            rows.append(DraftRow(Wizard.from_doc(d), str(d.get("updatedAt") or ""), str(d.get("updatedBy") or ""), int(d.get("seq") or 0),
                                 str(d.get("owner") or "")))
        rows.sort(key=lambda r: (r.seq, r.updated_at), reverse=True)  # seq: saves in the same millisecond keep their order
        return rows

    def _mine(self, r: DraftRow) -> bool:
        s = self.scoped.session
        return r.owner == s.user_oid if r.owner else r.updated_by.lower() == s.upn.lower()

    async def list(self) -> list[DraftRow]:
        """The signed-in operator's drafts, newest first."""
        return [r for r in await self.all() if self._mine(r)]

    async def latest(self) -> Wizard | None:
        """The draft to resume: the operator's most recently saved one that is not finished."""
        for r in await self.list():
            if r.wizard.step != "done":
                return r.wizard
        return None

    async def domains_of_others(self, draft_id: str) -> set[str]:
        return set(await self.owners_of_others(draft_id))

    async def owners_of_others(self, draft_id: str) -> dict[str, str]:
        """domain -> who holds it, for every other unfinished draft in the tenant (anyone's)."""
        return {r.wizard.answers.domain: ("your" if self._mine(r) else f"{r.updated_by}'s")
                for r in await self.all() if r.wizard.draft_id != draft_id and r.wizard.answers.domain and r.wizard.step != "done"}

    async def delete(self, draft_id: str) -> None:
        self.require_writable("deleting a DLZ draft")
        from loom_tui.errors import NotFoundError
        from loom_tui.store.errors import NotFound

        gone = await _drop_legacy(self.scoped, _doc_id(draft_id), "draft")
        try:
            await self.scoped.tenant_delete(CONTAINER, _doc_id(draft_id))
        except NotFound:
            if not gone:
                raise NotFoundError(f"no draft {draft_id!r}") from None


async def legacy_and_own(scoped: ScopedStore, kind: str) -> AsyncIterator[dict]:
    """Every document of ``kind`` in ``loom-dlz``, then those still in ``landing-zones`` (written
    there by an older loom) that ``loom-dlz`` does not hold."""
    seen: set[str] = set()
    async for d in scoped.tenant_iter(CONTAINER, Query((eq("kind", kind),))):
        seen.add(d["id"])
        yield d
    async for d in scoped.tenant_iter(LEGACY, Query((eq("kind", kind),))):
        if d["id"] not in seen:
            yield d


async def _drop_legacy(scoped: ScopedStore, doc_id: str, kind: str) -> bool:
    """Remove loom's old document ``doc_id`` of ``kind`` from ``landing-zones`` (never a console
    document); whether there was one."""
    from loom_tui.store.errors import NotFound

    old = await scoped.tenant_get(LEGACY, doc_id)
    if not old or old.get("kind") != kind:
        return False
    try:
        await scoped.tenant_delete(LEGACY, doc_id)
    except NotFound:
        return False
    return True
