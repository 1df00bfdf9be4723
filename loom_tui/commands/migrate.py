"""``loom migrate [--apply]``: adopt the web console v1's workspaces into the tenant.

v1 stored a workspace creator's object id in ``tenantId``; see :mod:`loom_tui.services.v1tenant`.
A dry run (lists what would be adopted) unless ``--apply``; tenant admins only; ``--apply`` is
refused in read-only mode; every adoption is audited; running it again changes nothing.
"""

from __future__ import annotations

import argparse

from .output import Column, add_output_args, emit

COLUMNS = [
    Column("id", "Id"),
    Column("name", "Name"),
    Column("ownerOid", "Owner object id"),
    Column("createdBy", "Created by"),
    Column("why", "Why this tenant"),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="adopt workspaces the web console v1 filed under a user's object id (dry run unless --apply)")
    p.add_argument("--apply", action="store_true", help="adopt them (default: only list what would be adopted)")
    add_output_args(p)
    p.set_defaults(handler=handle)


async def handle(args: argparse.Namespace) -> int:
    from loom_tui.services.context import context_from_args
    from loom_tui.services.v1tenant import V1TenantService

    ctx = await context_from_args(args)
    try:
        result = await V1TenantService(ctx).migrate(apply=args.apply)
    finally:
        await ctx.close()
    rows = [{"id": w.id, "name": w.name, "ownerOid": w.owner_oid, "createdBy": w.created_by, "why": w.why} for w in result.adopted]
    skipped = [{"id": w.id, "name": w.name, "reason": why} for w, why in result.skipped]
    verb = "adopted" if result.applied else "would adopt"
    footer = f"{verb} {len(rows)} workspace(s); {result.unrecognised} with an unrecognised owner left alone"
    footer += "".join(f"\nskipped {s['id']} ({s['name']}): {s['reason']}" for s in skipped)
    if not result.applied and rows:
        footer += "\ndry run: nothing was changed; run `loom migrate --apply` to adopt them"
    emit(args, rows, COLUMNS, footer=footer,
         json={"applied": result.applied, "adopted" if result.applied else "wouldAdopt": rows, "skipped": skipped,
               "unrecognised": result.unrecognised})
    return 0
