"""``loom members list|add|remove WORKSPACE ...`` on the same services as the TUI.

``add`` and ``remove`` write the web console's ``workspace-roles`` grants (services/grants.py): the
member is a UPN, an object id, or a group / service principal display name, resolved through
Microsoft Graph.  ``list`` shows both the grants and the legacy ``workspace-permissions`` bindings;
``remove`` takes away a legacy binding when the member has no grant."""

from __future__ import annotations

import argparse

from loom_tui.domain.principal import PRINCIPAL_TYPES
from loom_tui.services.roles import MEMBER_ROLES

from loom_tui.domain.text import visible
from loom_tui.domain.words import count

from .output import Column, add_output_args, emit

PUBLIC = ("upn", "name", "role", "implicit", "creator", "addedBy", "addedAt", "principalId", "principalType", "source")
ROLE_CHOICES = ("Admin", "Member", "Contributor", "Viewer", *MEMBER_ROLES)


def public(doc: dict) -> dict:
    return {k: doc.get(k) for k in PUBLIC}


COLUMNS = [
    Column("upn", "UPN or object id", show=lambda r: r.get("upn") or r.get("principalId") or ""),
    Column("name", "Name"),
    Column("principalType", "Type", show=lambda r: r.get("principalType") or "User"),
    Column("role", "Role", show=lambda r: (r.get("role") or "") + (" (creator)" if r.get("creator") or r.get("implicit") else "")),
    Column("addedBy", "Added by"),
    Column("addedAt", "Added", show=lambda r: (r.get("addedAt") or "")[:16].replace("T", " ")),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("members", help="list, add or remove the members of a workspace")
    msub = p.add_subparsers(dest="members_command", metavar="ACTION", required=True)

    ls = msub.add_parser("list", help="list a workspace's members and their roles")
    ls.add_argument("workspace", help="workspace id or name")
    add_output_args(ls)
    ls.set_defaults(handler=do_list)

    a = msub.add_parser("add", help="grant a user, group or service principal a role (again: change the role), as the web console does")
    a.add_argument("workspace", help="workspace id or name")
    a.add_argument("upn", metavar="member", help="a UPN (dana@contoso.com), an object id, or a group / service principal display name")
    a.add_argument("--role", choices=ROLE_CHOICES, default="Viewer",
                   help="the console's role (admin = Admin, contributor = Member, viewer = Viewer)")
    a.add_argument("--type", dest="principal_type", choices=PRINCIPAL_TYPES,
                   help="the member's principal type (needed for an object id when the cloud has no Microsoft Graph)")
    add_output_args(a)
    a.set_defaults(handler=do_add)

    r = msub.add_parser("remove", help="remove a member (the workspace's creator cannot be removed)")
    r.add_argument("workspace", help="workspace id or name")
    r.add_argument("upn", metavar="member", help="a UPN, an object id, or a group / service principal display name")
    r.add_argument("--type", dest="principal_type", choices=PRINCIPAL_TYPES)
    add_output_args(r)
    r.set_defaults(handler=do_remove)


async def _ctx(args: argparse.Namespace):
    from loom_tui.wiring import context_from_args

    return await context_from_args(args)


async def do_list(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        ws = await ctx.workspaces.find(args.workspace)
        rows = [m.row() for m in await ctx.grants.rows(ws.id)]
    finally:
        await ctx.close()
    emit(args, rows, COLUMNS, json=[public(r) for r in rows], footer=count(len(rows), "member"))
    return 0


async def do_add(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        ctx.require_writable("adding a member")
        ws = await ctx.workspaces.find(args.workspace)
        member = await ctx.grants.grant(ws.id, args.upn, args.role, principal_type=args.principal_type)
    finally:
        await ctx.close()
    row = member.row()
    emit(args, public(row), message=f"granted {visible(row['name'])} ({row['principalType']} {row['principalId']}) {row['role']}")
    return 0


async def do_remove(args: argparse.Namespace) -> int:
    from loom_tui.errors import NotFoundError
    from loom_tui.services.principals import GraphUnavailable

    ctx = await _ctx(args)
    try:
        ctx.require_writable("removing a member")
        ws = await ctx.workspaces.find(args.workspace)
        try:
            await ctx.grants.revoke(ws.id, args.upn, principal_type=args.principal_type)
        except (NotFoundError, GraphUnavailable):
            if "@" not in args.upn:
                raise
            await ctx.members.remove(ws.id, args.upn)  # a legacy binding by UPN
    finally:
        await ctx.close()
    who = args.upn.strip()
    emit(args, {"removed": who, "workspace": ws.id}, message=f"removed {visible(who)}")
    return 0
