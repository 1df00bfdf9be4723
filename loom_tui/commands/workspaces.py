"""``loom workspaces list|show|create|update|delete`` on the same service as the TUI."""

from __future__ import annotations

import argparse

from loom_tui.domain.workspace import CapacityKind, SortKey, WorkspaceView

from loom_tui.domain.text import visible

from .common import ask, fail
from .output import Column, add_output_args, emit

SORTS = {"name": SortKey.NAME, "created": SortKey.CREATED, "accessed": SortKey.LAST_ACCESSED, "items": SortKey.ITEMS,
         "domain": SortKey.DOMAIN, "capacity": SortKey.CAPACITY, "state": SortKey.STATE}  # every column, as the console's sort picker
PUBLIC = ("id", "name", "description", "domain", "capacity", "itemCount", "state", "createdBy", "createdAt",
          "updatedAt", "lastAccessedAt", "ownerOid", "tenantId", "capacityAssignment", "domainRegistration")


def public(doc: dict) -> dict:
    return {k: doc.get(k) for k in PUBLIC}


def _minute(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


COLUMNS = [
    Column("name", "Name"),
    Column("domain", "Domain"),
    Column("capacity", "Capacity"),
    Column("itemCount", "Items", lambda r: r.get("itemCount", 0)),
    Column("state", "State", lambda r: r.get("state") or "Active"),
    Column("lastAccessedAt", "Last accessed", lambda r: _minute(r.get("lastAccessedAt"))),
    Column("id", "Id"),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("workspaces", help="list, show, create, update or delete workspaces")
    wsub = p.add_subparsers(dest="ws_command", metavar="ACTION", required=True)

    ls = wsub.add_parser("list", help="list workspaces")
    ls.add_argument("--search", default="", help="text in name or description")
    ls.add_argument("--sort", choices=sorted(SORTS), default="accessed")
    ls.add_argument("--asc", action="store_true", help="ascending order (default: descending)")
    ls.add_argument("--capacity", choices=[k.value for k in CapacityKind], help="capacity kind")
    ls.add_argument("--domain")
    ls.add_argument("--mine", action="store_true", help="only workspaces I own")
    ls.add_argument("--limit", type=int, default=100, help="at most this many (default 100, 0 = all)")
    add_output_args(ls)
    ls.set_defaults(handler=do_list)

    show = wsub.add_parser("show", help="show one workspace (by id or name)")
    show.add_argument("workspace")
    add_output_args(show)
    show.set_defaults(handler=do_show)

    for name, helptext in (("create", "create a workspace"), ("update", "edit a workspace")):
        c = wsub.add_parser(name, help=helptext)
        if name == "update":
            c.add_argument("workspace", help="id or name")
        c.add_argument("--name", default=None if name == "update" else None, required=name == "create")
        c.add_argument("--description", default=None)
        c.add_argument("--capacity", default=None, help="a capacity SKU: F2 … F2048 or P1 … P5 (empty = none)")
        c.add_argument("--domain", default=None, help="one of the tenant's domains")
        c.add_argument("--new-domain", action="store_true",
                       help="--domain names a new domain (added to the tenant's domains); without it an unknown domain is refused")
        add_output_args(c)
        c.set_defaults(handler=do_create if name == "create" else do_update)

    d = wsub.add_parser("delete", help="delete a workspace with its items, folders, members and git config")
    d.add_argument("workspace", help="id or name")
    d.add_argument("--yes", action="store_true", help="do not ask; required when not on a terminal")
    add_output_args(d)
    d.set_defaults(handler=do_delete)


async def _ctx(args: argparse.Namespace):
    from loom_tui.services.context import context_from_args

    return await context_from_args(args)


async def do_list(args: argparse.Namespace) -> int:
    if args.limit < 0:
        return fail("--limit must not be negative")
    view = WorkspaceView(search=args.search, sort=SORTS[args.sort], descending=not args.asc,
                         capacity=CapacityKind(args.capacity) if args.capacity else None, domain=args.domain, mine=args.mine)
    ctx = await _ctx(args)
    try:
        total = await ctx.workspaces.count(view)
        rows = await ctx.workspaces.window(view, 0, args.limit or total)
    finally:
        await ctx.close()
    emit(args, rows, COLUMNS, json={"total": total, "workspaces": [public(r) for r in rows]}, footer=f"{len(rows)} of {total} workspaces")
    return 0


async def do_show(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        doc = await ctx.workspaces.find(args.workspace)
    finally:
        await ctx.close()
    emit(args, public(doc))
    return 0


async def do_create(args: argparse.Namespace) -> int:
    from loom_tui.services.workspaces import WorkspaceInput

    ctx = await _ctx(args)
    try:
        doc = await ctx.workspaces.create(WorkspaceInput(name=args.name, description=args.description or "",
                                                         capacity=args.capacity or "", domain=args.domain or "",
                                                         new_domain=args.new_domain))
    finally:
        await ctx.close()
    emit(args, public(doc), message=f"created workspace {doc['id']}")
    return 0


async def do_update(args: argparse.Namespace) -> int:
    changes = {k: getattr(args, k) for k in ("name", "description", "capacity", "domain") if getattr(args, k) is not None}
    if not changes:
        return fail("nothing to change: give --name, --description, --capacity or --domain")
    ctx = await _ctx(args)
    try:
        current = await ctx.workspaces.find(args.workspace)
        doc = await ctx.workspaces.update(current["id"], changes, etag=current["_etag"], new_domain=args.new_domain)
    finally:
        await ctx.close()
    emit(args, public(doc), message=f"updated workspace {doc['id']}")
    return 0


async def do_delete(args: argparse.Namespace) -> int:
    import sys

    ctx = await _ctx(args)
    try:
        ctx.require_writable("deleting a workspace")
        doc = await ctx.workspaces.find(args.workspace)
        if not args.yes:
            if not sys.stdin.isatty():
                return fail("refusing to delete without --yes when not on a terminal")
            typed = ask(f"Type the workspace name to delete it ({doc['name']}): ")
            if typed not in (doc["name"], visible(doc["name"])):
                return fail("the name did not match; nothing was deleted", 1)
        removed = await ctx.workspaces.delete(doc["id"])
    finally:
        await ctx.close()
    emit(args, {"deleted": doc["id"], "children_removed": removed}, message=f"deleted workspace {doc['id']} and {removed} documents in it")
    return 0
