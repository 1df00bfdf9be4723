"""``loom items list|create|delete WORKSPACE ...`` on the same service as the TUI."""

from __future__ import annotations

import argparse
import sys

from loom_tui.domain.text import visible
from loom_tui.domain.words import count

from .common import ask, fail
from .output import Column, add_limit_alias, add_output_args, emit, emit_pages, output_format

PAGE = 500  # items read per round trip while a list streams

SORTS = ("name", "created", "updated", "type")
PUBLIC = ("id", "workspaceId", "itemType", "displayName", "description", "folderId", "state", "createdBy", "createdAt", "updatedAt")


def public(doc: dict) -> dict:
    return {k: doc.get(k) for k in PUBLIC}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("items", help="list, create or delete the items of a workspace")
    isub = p.add_subparsers(dest="items_command", metavar="ACTION", required=True)

    ls = isub.add_parser("list", help="list a workspace's items")
    ls.add_argument("workspace", help="workspace id or name")
    ls.add_argument("--search", default="", help="text in the item name")
    ls.add_argument("--type", dest="item_type", help="only this item type (e.g. lakehouse)")
    ls.add_argument("--folder", help="folder id or name; 'root' for the top level (default: every folder)")
    ls.add_argument("--sort", choices=SORTS, default="name")
    ls.add_argument("--desc", action="store_true", help="descending order (default: ascending)")
    add_output_args(ls)
    add_limit_alias(ls)
    ls.set_defaults(handler=do_list)

    c = isub.add_parser("create", help="create an item (a lakehouse also gets its SQL endpoint)")
    c.add_argument("workspace", help="workspace id or name")
    c.add_argument("--type", dest="item_type", required=True, help="item type from the catalog (e.g. notebook, lakehouse)")
    c.add_argument("--name", required=True)
    c.add_argument("--description", default="")
    c.add_argument("--folder", help="folder id or name (default: the root)")
    add_output_args(c)
    c.set_defaults(handler=do_create)

    d = isub.add_parser("delete", help="delete an item (a lakehouse with its SQL endpoint)")
    d.add_argument("workspace", help="workspace id or name")
    d.add_argument("item", help="item id or name")
    d.add_argument("--yes", action="store_true", help="do not ask; required when not on a terminal")
    add_output_args(d)
    d.set_defaults(handler=do_delete)


async def _ctx(args: argparse.Namespace):
    from loom_tui.wiring import context_from_args

    return await context_from_args(args)


async def _folder_id(ctx, workspace_id: str, folder: str | None) -> str | None:
    """A folder given by id or (case-insensitive, unambiguous) name."""
    from loom_tui.errors import ValidationError

    if folder is None:
        return None
    folders = await ctx.folders.list(workspace_id)
    if any(f.id == folder for f in folders):
        return folder
    named = [f for f in folders if f.name.lower() == folder.strip().lower()]
    if len(named) != 1:
        raise ValidationError("folder", f"no folder named {folder!r}" if not named else f"more than one folder is named {folder!r}; use its id")
    return named[0].id


async def do_list(args: argparse.Namespace) -> int:
    from loom_tui.services.workspaces.items import ALL_FOLDERS, ItemSort, ItemView

    ctx = await _ctx(args)
    try:
        ws = await ctx.workspaces.find(args.workspace)
        if args.folder is None:
            folder = ALL_FOLDERS
        elif args.folder.lower() == "root":
            folder = None
        else:
            folder = await _folder_id(ctx, ws.id, args.folder)
        view = ItemView(search=args.search, folder=folder, item_type=args.item_type,
                        sort={"name": ItemSort.NAME, "created": ItemSort.CREATED, "updated": ItemSort.UPDATED, "type": ItemSort.TYPE}[args.sort],
                        descending=args.desc)
        total = await ctx.items.count(ws.id, view) if output_format(args) == "table" else None
        names = {f.id: f.name for f in await ctx.folders.list(ws.id)}
        columns = [
            Column("displayName", "Name"),
            Column("itemType", "Type"),
            Column("folder", "Folder", lambda r: names.get(r.get("folderId") or "", "")),
            Column("updatedAt", "Updated", show=lambda r: (r.get("updatedAt") or "")[:16].replace("T", " ")),
            Column("id", "Id"),
        ]

        async def pages():
            offset = 0
            while True:
                rows = [item.doc for item in await ctx.items.window(ws.id, view, offset, PAGE, total=total)]
                yield rows
                offset += len(rows)
                if len(rows) < PAGE:
                    return

        await emit_pages(args, pages(), columns, doc=public, total=total, noun="items")
    finally:
        await ctx.close()
    return 0


async def do_create(args: argparse.Namespace) -> int:
    from loom_tui.services.workspaces.items import ItemInput

    ctx = await _ctx(args)
    try:
        ctx.require_writable("creating an item")
        ws = await ctx.workspaces.find(args.workspace)
        folder = await _folder_id(ctx, ws.id, args.folder)
        item = await ctx.items.create(ws.id, ItemInput(item_type=args.item_type, display_name=args.name,
                                                       description=args.description, folder_id=folder))
    finally:
        await ctx.close()
    emit(args, public(item.doc), message=f"created {item.item_type} {item.id}")
    return 0


async def do_delete(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        ctx.require_writable("deleting an item")
        ws = await ctx.workspaces.find(args.workspace)
        item = await ctx.items.find(ws.id, args.item)
        if not args.yes:
            if not sys.stdin.isatty():
                return fail("refusing to delete without --yes when not on a terminal")
            typed = ask(f"Type the item name to delete it ({item.display_name}): ")
            if typed not in (item.display_name, visible(item.display_name)):
                return fail("the name did not match; nothing was deleted", 1)
        removed = await ctx.items.delete(ws.id, item.id)
    finally:
        await ctx.close()
    emit(args, {"deleted": item.id, "items_removed": removed}, message=f"deleted {item.item_type} {item.id} ({count(removed, 'item')} removed)")
    return 0
