"""A member of a workspace as the services hand it out (no I/O here).

Two kinds of record say who is a member: loom's legacy bindings (``workspace-permissions``, by
UPN, roles admin / contributor / viewer) and the web console's grants (``workspace-roles``, by
principal id, roles Admin / Member / Contributor / Viewer).  :class:`Member` reads either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .stored import optional_text as _optional, stored_text

BINDINGS = "workspace-permissions"
GRANTS = "workspace-roles"


@dataclass(frozen=True)
class Member:
    """The fields loom reads of a member, typed, with the stored document beside them (``doc``,
    left out of equality and repr; writes start from it).  ``doc`` is the store's dict; read it,
    never change it in place."""

    id: str  # the record's: ``<workspaceId>:<upn>`` (a binding), ``<workspaceId>:<principalId>`` (a grant)
    upn: str | None  # a binding's UPN (lower-case as loom writes it); None for a grant
    name: str
    role: str
    source: str = BINDINGS  # BINDINGS or GRANTS
    principal_id: str | None = None  # a grant's principal (a binding's user object id when recorded)
    principal_type: str | None = None  # a grant's: User | Group | ServicePrincipal
    creator: bool = False  # the workspace's creator: always its admin (no removal, no demotion)
    implicit: bool = False
    added_by: str = ""
    added_at: str = ""
    etag: str | None = None
    doc: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_binding(cls, doc: dict[str, Any], *, creator: bool = False) -> "Member":
        """A legacy binding (or the owner's row the service makes for a console-created workspace)."""
        return cls(id=stored_text(doc.get("id")), upn=_optional(doc.get("upn")), name=stored_text(doc.get("name")), role=stored_text(doc.get("role")),
                   principal_id=_optional(doc.get("userOid")), creator=creator, implicit=bool(doc.get("implicit")),
                   added_by=stored_text(doc.get("addedBy")), added_at=stored_text(doc.get("addedAt")),
                   etag=_optional(doc.get("_etag")), doc=doc)

    @classmethod
    def from_grant(cls, doc: dict[str, Any]) -> "Member":
        """A console grant: named by its principal, not by UPN."""
        return cls(id=stored_text(doc.get("id")), upn=None, name=stored_text(doc.get("displayName")), role=stored_text(doc.get("role")), source=GRANTS,
                   principal_id=_optional(doc.get("principalId")), principal_type=_optional(doc.get("principalType")),
                   added_by=stored_text(doc.get("addedBy")), added_at=stored_text(doc.get("addedAt")),
                   etag=_optional(doc.get("_etag")), doc=doc)

    @property
    def is_grant(self) -> bool:
        return self.source == GRANTS

    def row(self) -> dict[str, Any]:
        """The member as a row of the members list (the members pane, ``loom members list``): a
        binding is its document with ``creator``; a grant is named by its principal, ``upn`` None."""
        if not self.is_grant:
            return {**self.doc, "creator": self.creator}
        g = self.doc
        return {"upn": None, "name": g.get("displayName"), "role": g.get("role"), "addedBy": g.get("addedBy"), "addedAt": g.get("addedAt"),
                "principalId": g.get("principalId"), "principalType": g.get("principalType"), "source": GRANTS, "_etag": g.get("_etag")}
