"""A comment on an item as the services hand it out (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .stored import stored_text


@dataclass(frozen=True)
class Comment:
    """The fields loom reads of a comment, typed, with the stored document beside them (``doc``,
    left out of equality and repr).  ``doc`` is the store's dict; read it, never change it in place."""

    id: str
    body: str
    upn: str = ""  # the author's
    author_name: str = ""
    author_oid: str = ""
    mentions: tuple[str, ...] = ()  # the UPNs the body mentions (lower-case)
    created_at: str = ""
    doc: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> "Comment":
        """The comment of a stored document, whoever wrote it: missing fields are empty, odd-typed
        ones are read as text (mentions that are not a list are none)."""
        mentions = doc.get("mentions")
        return cls(
            id=stored_text(doc.get("id")), body=stored_text(doc.get("body")), upn=stored_text(doc.get("upn")),
            author_name=stored_text(doc.get("authorName")), author_oid=stored_text(doc.get("authorOid")),
            mentions=tuple(stored_text(m) for m in mentions) if isinstance(mentions, list) else (),
            created_at=stored_text(doc.get("createdAt")), doc=doc,
        )


@dataclass(frozen=True)
class CommentPage:
    """One page of an item's comments and the token of the next (None: the last page)."""

    items: list[Comment]
    continuation: str | None = None
