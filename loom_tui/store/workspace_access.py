"""Who sees which workspace document: the web console's rule, as conditions both adapters run.

The console (``apps/fiab-console`` at commit 26890f87af734d9945149b0f2ad5dcba5aa692ac) files every
workspace under its OWNER's Entra object id: the partition key ``tenantId`` is the owner's oid,
``ownerOid`` repeats it and ``tid`` names the owner's Entra tenant (absent on documents written
before rel-T11).  ``listAccessibleWorkspaces`` (``lib/auth/workspace-access.ts``) lists:

* the caller's own partition (``tenantId = oid``), whatever its ``tid``;
* the workspaces a DIRECT ``workspace-roles`` grant names (``principalId = oid``, a
  ``principalType`` other than ``Group``; group grants open by id but are not listed), each
  dropped only when both the caller's tid and the document's ``tid`` are set and differ.

loom adds, each for a reason of its own:

* the legacy ``workspace-permissions`` bindings of the user (the console's older sharing
  container), under the same tid rule as a grant;
* loom's own older filing: documents loom wrote under the TENANT id (``tenantId = tid``) before it
  filed them as the console does.  Nobody's oid is the tenant id, so the console never lists them;
  loom lists them by its old rule (they name the user, or a grant or binding does) and keeps
  editing them where they are;
* tenant admins see the tenant's workspaces, as the console's admin inventory does, but only those
  POSITIVELY of this tenant (``tid`` = the session's tenant, or loom's filing under it): the admin
  inventory's ``SELECT * FROM c`` has no tenant boundary, and the console's admin-open bypass
  needs the positive match too (#3823).  A document without ``tid`` reaches an admin through
  ownership or a grant, or after ``loom migrate`` (the console's backfill) stamps it.
"""

from __future__ import annotations

from loom_tui.domain.session import Session

from .query import AllOf, AnyOf, Cond, Filter, Op, eq


def upns(session: Session) -> list[str]:
    """The user's UPN as signed in and lower-cased (bindings hold either)."""
    return sorted({session.upn_key, session.upn})


def owner_conds(session: Session) -> tuple[Filter, ...]:
    """A workspace document that names the user: loom's ``ownerOid`` / ``memberUpns``, or the
    web console's ``createdBy`` (its creator; a UPN, or an object id)."""
    return (
        eq("ownerOid", session.user_oid),
        Filter("memberUpns", Op.HAS, session.upn_key),
        Filter("createdBy", Op.IN, upns(session) + [session.user_oid]),
    )


def names_user(session: Session, doc: dict) -> bool:
    """:func:`owner_conds` evaluated on one document."""
    created = doc.get("createdBy")
    return (
        doc.get("ownerOid") == session.user_oid
        or session.upn_key in (doc.get("memberUpns") or [])
        or (isinstance(created, str) and created.strip().lower() in (session.upn_key, session.user_oid.lower()))
    )


def owned(session: Session) -> Filter:
    """The caller's own partition."""
    return eq("tenantId", session.user_oid)


def tid_allows(session: Session) -> AnyOf:
    """The console's tid boundary on a shared document: refused only when its ``tid`` is set
    (a non-empty string) and is not the caller's."""
    return AnyOf((Filter("tid", Op.IS_NULL, True), eq("tid", ""), eq("tid", session.tenant_id)))


def tid_allows_doc(session: Session, doc: dict) -> bool:
    tid = doc.get("tid")
    return not tid or tid == session.tenant_id


def of_tenant(session: Session) -> AnyOf:
    """Documents positively of the session's tenant: its ``tid``, or loom's filing under it."""
    return AnyOf((eq("tid", session.tenant_id), eq("tenantId", session.tenant_id)))


def tenant_confirmed(session: Session, doc: dict) -> bool:
    """:func:`of_tenant` on one document (the console's admin bypass: a positive tid match)."""
    return doc.get("tid") == session.tenant_id or doc.get("tenantId") == session.tenant_id


def legacy_visible(session: Session, shared_ids: list[str]) -> AllOf:
    """loom's older filing (under the tenant id): what names the user, or a grant or binding."""
    named: tuple[Filter, ...] = owner_conds(session)
    if shared_ids:
        named += (Filter("id", Op.IN, list(shared_ids)),)
    return AllOf((eq("tenantId", session.tenant_id), AnyOf(named)))


def listed(session: Session, shared_ids: list[str]) -> Cond:
    """The workspace documents listed for ``session``; ``shared_ids`` are the workspaces its
    direct grants and legacy bindings name (:meth:`WorkspaceDocs.shared_workspace_ids`)."""
    parts: list[Filter | AnyOf | AllOf] = [owned(session)]
    if shared_ids:
        parts.append(AllOf((Filter("id", Op.IN, list(shared_ids)), tid_allows(session))))
    if session.is_tenant_admin:
        parts.append(of_tenant(session))
    else:
        parts.append(legacy_visible(session, shared_ids))
    return AnyOf(tuple(parts))


def in_tenant(session: Session) -> AnyOf:
    """Every workspace document that may be this tenant's, whoever can see it (names are unique
    per tenant, and a name check must look past what the user sees): positively the tenant's,
    the user's own, and the tid-less documents a console of this tenant wrote before rel-T11 are
    not knowable here (``loom migrate`` stamps them)."""
    return AnyOf((of_tenant(session), owned(session)))


def direct_grant(session: Session) -> tuple[Filter, ...]:
    """A ``workspace-roles`` grant that lists a workspace for the user: theirs, not a group's
    (the console: ``principalId = @p AND principalType != 'Group'``; a grant without a
    ``principalType`` is not listed there either)."""
    return (eq("principalId", session.user_oid), Filter("principalType", Op.NE, "Group"))

