"""``loom members list|add|remove WORKSPACE ...`` on the same service as the TUI."""

from __future__ import annotations

import argparse

from loom_tui.services.roles import MEMBER_ROLES

from loom_tui.domain.words import count

from .output import Column, add_output_args, emit

PUBLIC = ("upn", "name", "role", "implicit", "creator", "addedBy", "addedAt")


def public(doc: dict) -> dict:
    return {k: doc.get(k) for k in PUBLIC}


COLUMNS = [
    Column("upn", "UPN"),
    Column("name", "Name"),
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

    a = msub.add_parser("add", help="add a member by UPN (or change an existing member's role)")
    a.add_argument("workspace", help="workspace id or name")
    a.add_argument("upn", help="user principal name, e.g. dana@contoso.com")
    a.add_argument("--role", choices=MEMBER_ROLES, default="viewer")
    add_output_args(a)
    a.set_defaults(handler=do_add)

    r = msub.add_parser("remove", help="remove a member (the workspace's creator cannot be removed)")
    r.add_argument("workspace", help="workspace id or name")
    r.add_argument("upn")
    add_output_args(r)
    r.set_defaults(handler=do_remove)


async def _ctx(args: argparse.Namespace):
    from loom_tui.services.context import context_from_args

    return await context_from_args(args)


async def do_list(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        ws = await ctx.workspaces.find(args.workspace)
        rows = await ctx.members.list(ws["id"])
    finally:
        await ctx.close()
    emit(args, rows, COLUMNS, json=[public(r) for r in rows], footer=count(len(rows), "member"))
    return 0


async def do_add(args: argparse.Namespace) -> int:
    from loom_tui.services.members import clean_upn

    ctx = await _ctx(args)
    try:
        ctx.require_writable("adding a member")
        ws = await ctx.workspaces.find(args.workspace)
        upn = clean_upn(args.upn)
        if any(m.get("upn") == upn for m in await ctx.members.list(ws["id"])):
            doc, verb = await ctx.members.set_role(ws["id"], upn, args.role), "set the role of"
        else:
            doc, verb = await ctx.members.add(ws["id"], upn, args.role), "added"
    finally:
        await ctx.close()
    emit(args, public(doc), message=f"{verb} {doc['upn']} as {doc['role']}")
    return 0


async def do_remove(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        ctx.require_writable("removing a member")
        ws = await ctx.workspaces.find(args.workspace)
        await ctx.members.remove(ws["id"], args.upn)
    finally:
        await ctx.close()
    emit(args, {"removed": args.upn.strip().lower(), "workspace": ws["id"]}, message=f"removed {args.upn.strip().lower()}")
    return 0
