"""``loom workspaces list|show|create|update|delete`` on the same service as the TUI."""

from __future__ import annotations

import argparse

from loom_tui.domain.workspace import CapacityKind, SortKey, WorkspaceView

from loom_tui.domain.text import visible
from loom_tui.domain.words import count

from .common import ask, fail, warn_deprecated
from .output import Column, add_limit_alias, add_output_args, emit, emit_pages, output_format

SORTS = {"name": SortKey.NAME, "created": SortKey.CREATED, "accessed": SortKey.LAST_ACCESSED, "items": SortKey.ITEMS,
         "domain": SortKey.DOMAIN, "capacity": SortKey.CAPACITY, "state": SortKey.STATE}  # every column, as the console's sort picker
PUBLIC = ("id", "name", "description", "domain", "domainName", "capacity", "itemCount", "state", "createdBy", "createdAt",
          "updatedAt", "lastAccessedAt", "ownerOid", "tenantId", "tid", "capacityAssignment", "domainRegistration")


def public(doc: dict) -> dict:
    return {k: doc.get(k) for k in PUBLIC}


def named(doc: dict, names: dict[str, str]) -> dict:
    """``doc`` with ``domainName``: the name of the domain whose id it stores."""
    return {**doc, "domainName": names.get(doc.get("domain") or "", doc.get("domain"))}


def _minute(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


COLUMNS = [
    Column("name", "Name"),
    Column("domain", "Domain", show=lambda r: r.get("domainName") or r.get("domain") or ""),
    Column("capacity", "Capacity"),
    Column("itemCount", "Items", lambda r: r.get("itemCount", 0)),
    Column("state", "State", lambda r: r.get("state") or "Active"),
    Column("lastAccessedAt", "Last accessed", show=lambda r: _minute(r.get("lastAccessedAt"))),
    Column("id", "Id"),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("workspaces", help="list, show, create, update or delete workspaces")
    wsub = p.add_subparsers(dest="ws_command", metavar="ACTION", required=True)

    ls = wsub.add_parser("list", help="list workspaces")
    ls.add_argument("--search", default="", help="text in name or description")
    ls.add_argument("--sort", choices=sorted(SORTS), help="sort column (default: accessed, with --desc: newest first)")
    ls.add_argument("--desc", action="store_true", help="descending order (default: ascending, as every loom list)")
    ls.add_argument("--asc", action="store_true", help=argparse.SUPPRESS)  # deprecated: ascending is the default
    ls.add_argument("--capacity", choices=[k.value for k in CapacityKind], help="capacity kind")
    ls.add_argument("--domain")
    ls.add_argument("--mine", action="store_true", help="only workspaces I own")
    add_output_args(ls)
    add_limit_alias(ls)
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
    from loom_tui.wiring import context_from_args

    return await context_from_args(args)


PAGE = 500  # workspaces read per round trip while a list streams


def descending(args: argparse.Namespace) -> bool:
    """Lists are ascending unless ``--desc``; without ``--sort`` the list is the console's (last
    accessed, newest first).  ``--asc`` is the old spelling of the default order, still accepted."""
    if args.asc:
        warn_deprecated(args, "--asc", "lists are ascending unless --desc")
        return False
    return bool(args.desc) or args.sort is None


async def do_list(args: argparse.Namespace) -> int:
    view = WorkspaceView(search=args.search, sort=SORTS[args.sort or "accessed"], descending=descending(args),
                         capacity=CapacityKind(args.capacity) if args.capacity else None, domain=args.domain, mine=args.mine)
    ctx = await _ctx(args)
    try:
        # a table names the total; machine formats stream every row without counting first
        total = await ctx.workspaces.count(view) if output_format(args) == "table" else None

        async def pages():
            token = None
            names = await ctx.workspaces.domain_names()
            while True:
                page = await ctx.workspaces.page(view, max_items=PAGE, continuation=token)
                yield [named(ws.doc, names) for ws in page.items]
                token = page.continuation
                if not token:
                    return

        await emit_pages(args, pages(), COLUMNS, doc=public, total=total, noun="workspaces")
    finally:
        await ctx.close()
    return 0


async def do_show(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        doc = named((await ctx.workspaces.find(args.workspace)).doc, await ctx.workspaces.domain_names())
    finally:
        await ctx.close()
    emit(args, public(doc))
    return 0


async def do_create(args: argparse.Namespace) -> int:
    from loom_tui.services.workspaces.service import WorkspaceInput

    ctx = await _ctx(args)
    try:
        ws = await ctx.workspaces.create(WorkspaceInput(name=args.name, description=args.description or "",
                                                        capacity=args.capacity or "", domain=args.domain or "",
                                                        new_domain=args.new_domain))
    finally:
        await ctx.close()
    emit(args, public(ws.doc), message=f"created workspace {ws.id}")
    return 0


async def do_update(args: argparse.Namespace) -> int:
    changes = {k: getattr(args, k) for k in ("name", "description", "capacity", "domain") if getattr(args, k) is not None}
    if not changes:
        return fail("nothing to change: give --name, --description, --capacity or --domain")
    ctx = await _ctx(args)
    try:
        current = await ctx.workspaces.find(args.workspace)
        ws = await ctx.workspaces.update(current.id, changes, etag=current.etag, new_domain=args.new_domain)
    finally:
        await ctx.close()
    emit(args, public(ws.doc), message=f"updated workspace {ws.id}")
    return 0


async def do_delete(args: argparse.Namespace) -> int:
    import sys

    ctx = await _ctx(args)
    try:
        ctx.require_writable("deleting a workspace")
        ws = await ctx.workspaces.find(args.workspace)
        if not args.yes:
            if not sys.stdin.isatty():
                return fail("refusing to delete without --yes when not on a terminal")
            typed = ask(f"Type the workspace name to delete it ({ws.name}): ")
            if typed not in (ws.name, visible(ws.name)):
                return fail("the name did not match; nothing was deleted", 1)
        removed = await ctx.workspaces.delete(ws.id)
    finally:
        await ctx.close()
    emit(args, {"deleted": ws.id, "children_removed": removed}, message=f"deleted workspace {ws.id} and {count(removed, 'document')} in it")
    return 0
