"""Wizard drafts in the store: saved after every step, so a dropped session resumes where it was.

One document per draft in the tenant's ``landing-zones`` partition (kind ``draft``); several can
exist, one per domain (the domain step refuses a domain another draft holds).  Reached only
through the tenant-scoped store.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Callable

from loom_tui.domain.clock import now_iso
from loom_tui.services.stamps import stamp
from loom_tui.store.query import Query, eq
from loom_tui.store.scoped import ScopedStore

from .steps import Wizard

CONTAINER = "landing-zones"


@dataclass(frozen=True)
class DraftRow:
    wizard: Wizard
    updated_at: str
    updated_by: str
    seq: int = 0


def _doc_id(draft_id: str) -> str:
    return f"draft:{draft_id}"


class DraftService:
    def __init__(self, scoped: ScopedStore, require_writable: Callable[[str], None]) -> None:
        self.scoped = scoped
        self.require_writable = require_writable

    def new(self) -> Wizard:
        return Wizard(draft_id=uuid.uuid4().hex[:12])

    async def save(self, w: Wizard) -> None:
        self.require_writable("saving a setup draft")
        s = self.scoped.session
        await self.scoped.tenant_upsert(CONTAINER, {"id": _doc_id(w.draft_id), "kind": "draft", **w.to_doc(),
                                                    "updatedAt": now_iso(), "seq": stamp(), "updatedBy": s.upn})

    async def get(self, draft_id: str) -> Wizard | None:
        doc = await self.scoped.tenant_get(CONTAINER, _doc_id(draft_id))
        return Wizard.from_doc(doc) if doc and doc.get("kind") == "draft" else None

    async def list(self) -> list[DraftRow]:
        rows = []
        async for d in self.scoped.tenant_iter(CONTAINER, Query((eq("kind", "draft"),))):
            rows.append(DraftRow(Wizard.from_doc(d), str(d.get("updatedAt") or ""), str(d.get("updatedBy") or ""), int(d.get("seq") or 0)))
        rows.sort(key=lambda r: (r.seq, r.updated_at), reverse=True)  # seq: saves in the same millisecond keep their order
        return rows

    async def latest(self) -> Wizard | None:
        """The draft to resume: the most recently saved one that is not finished."""
        for r in await self.list():
            if r.wizard.step != "done":
                return r.wizard
        return None

    async def domains_of_others(self, draft_id: str) -> set[str]:
        return {r.wizard.answers.domain for r in await self.list() if r.wizard.draft_id != draft_id and r.wizard.answers.domain
                and r.wizard.step != "done"}

    async def delete(self, draft_id: str) -> None:
        self.require_writable("deleting a setup draft")
        from loom_tui.errors import NotFoundError
        from loom_tui.store.errors import NotFound

        try:
            await self.scoped.tenant_delete(CONTAINER, _doc_id(draft_id))
        except NotFound:
            raise NotFoundError(f"no draft {draft_id!r}") from None
