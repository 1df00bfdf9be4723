"""A folder of a workspace as the services hand it out (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .text import stored_text


@dataclass(frozen=True)
class Folder:
    """The fields loom reads of a folder, typed, with the stored document beside them (``doc``,
    left out of equality and repr; every write starts from it, so fields the web console added
    are kept).  ``doc`` is the store's dict; read it, never change it in place."""

    id: str
    name: str
    parent: str | None = None  # None: at the workspace's root
    created_by: str = ""
    created_at: str = ""
    updated_at: str = ""
    etag: str | None = None  # the store's ``_etag``: the version a rename is conditional on
    doc: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> "Folder":
        """The folder of a stored document, whoever wrote it: missing fields are empty, odd-typed
        ones are read as text."""
        parent, etag = doc.get("parent"), doc.get("_etag")
        return cls(
            id=stored_text(doc.get("id")), name=stored_text(doc.get("name")),
            parent=stored_text(parent) if parent not in (None, "") else None,
            created_by=stored_text(doc.get("createdBy")), created_at=stored_text(doc.get("createdAt")),
            updated_at=stored_text(doc.get("updatedAt")), etag=None if etag is None else str(etag), doc=doc,
        )
