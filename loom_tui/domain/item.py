"""An item of a workspace as the services hand it out (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .stored import StoredRow, optional_text, stamps, stored_text


@dataclass(frozen=True)
class Item(StoredRow):
    """The fields loom reads of an item, typed (its history and document: :class:`StoredRow`)."""

    id: str
    item_type: str
    display_name: str
    description: str = ""
    folder_id: str | None = None  # None: the workspace's root
    sql_endpoint_for: str | None = None  # a lakehouse's SQL endpoint: the lakehouse's id

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> "Item":
        """The item of a stored document, whoever wrote it: missing fields are empty, odd-typed
        ones are read as text (a ``state`` that is not an object points at no lakehouse)."""
        state = doc.get("state")
        twin_of = state.get("sqlEndpointFor") if isinstance(state, dict) else None
        return cls(
            id=stored_text(doc.get("id")), item_type=stored_text(doc.get("itemType")),
            display_name=stored_text(doc.get("displayName")), description=stored_text(doc.get("description")),
            folder_id=optional_text(doc.get("folderId")), sql_endpoint_for=optional_text(twin_of) if twin_of else None,
            **stamps(doc), doc=doc,
        )
