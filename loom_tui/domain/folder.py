"""A folder of a workspace as the services hand it out (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .stored import StoredRow, optional_text, stamps, stored_text


@dataclass(frozen=True)
class Folder(StoredRow):
    """The fields loom reads of a folder, typed (its history and document: :class:`StoredRow`)."""

    id: str
    name: str
    parent: str | None = None  # None: at the workspace's root

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> "Folder":
        """The folder of a stored document, whoever wrote it: missing fields are empty, odd-typed
        ones are read as text."""
        return cls(id=stored_text(doc.get("id")), name=stored_text(doc.get("name")), parent=optional_text(doc.get("parent")),
                   **stamps(doc), doc=doc)
