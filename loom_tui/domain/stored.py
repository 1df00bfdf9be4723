"""Reading a stored document's fields into a typed row (Workspace, Item, Folder, Member, Comment):
one rule for what the web console may have written there instead — a missing field is empty, an
odd-typed one is read as text, literally (made visible only where it is shown)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def stored_text(value: Any) -> str:
    """A stored value as text, literally ('' when absent)."""
    return "" if value is None else str(value)


def optional_text(value: Any) -> str | None:
    """A stored value as text, or None when it is absent or empty (no parent, no ETag, ...)."""
    return None if value in (None, "") else str(value)


def stamps(doc: dict[str, Any]) -> dict[str, Any]:
    """The fields every typed row keeps of its document's history: who made it and when, when it
    last changed, and the ETag an edit is conditional on."""
    return {"created_by": stored_text(doc.get("createdBy")), "created_at": stored_text(doc.get("createdAt")),
            "updated_at": stored_text(doc.get("updatedAt")), "etag": optional_text(doc.get("_etag"))}


@dataclass(frozen=True, kw_only=True)
class StoredRow:
    """What every typed row of a stored document holds besides its own fields: its history
    (:func:`stamps`) and the document itself (``doc``, left out of equality and repr).  The web
    console writes these documents too and may add fields loom does not know: every write starts
    from ``doc``, so they are kept.  ``doc`` is the store's dict; read it, never change it in place."""

    created_by: str = ""
    created_at: str = ""
    updated_at: str = ""
    etag: str | None = None  # the store's ``_etag``: the version an edit is conditional on
    doc: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
