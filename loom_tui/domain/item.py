"""An item of a workspace as the services hand it out (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .text import stored_text


@dataclass(frozen=True)
class Item:
    """The fields loom reads of an item, typed, with the stored document beside them (``doc``,
    left out of equality and repr).  The web console writes items too and may add fields loom does
    not know: every write starts from the stored document, so they are kept.  ``doc`` is the
    store's dict; read it, never change it in place."""

    id: str
    item_type: str
    display_name: str
    description: str = ""
    folder_id: str | None = None  # None: the workspace's root
    sql_endpoint_for: str | None = None  # a lakehouse's SQL endpoint: the lakehouse's id
    created_by: str = ""
    created_at: str = ""
    updated_at: str = ""
    etag: str | None = None  # the store's ``_etag``: the version an edit is conditional on
    doc: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> "Item":
        """The item of a stored document, whoever wrote it: missing fields are empty, odd-typed
        ones are read as text (a ``state`` that is not an object points at no lakehouse)."""
        state = doc.get("state")
        twin_of = state.get("sqlEndpointFor") if isinstance(state, dict) else None
        folder, etag = doc.get("folderId"), doc.get("_etag")
        return cls(
            id=stored_text(doc.get("id")), item_type=stored_text(doc.get("itemType")),
            display_name=stored_text(doc.get("displayName")), description=stored_text(doc.get("description")),
            folder_id=stored_text(folder) if folder not in (None, "") else None,
            sql_endpoint_for=stored_text(twin_of) if twin_of else None,
            created_by=stored_text(doc.get("createdBy")), created_at=stored_text(doc.get("createdAt")),
            updated_at=stored_text(doc.get("updatedAt")), etag=None if etag is None else str(etag), doc=doc,
        )
