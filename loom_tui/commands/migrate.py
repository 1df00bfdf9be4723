"""``loom migrate [--apply]``: the web console's backfill of ``tid`` and ``ownerOid``.

Workspaces the console filed under their owner's object id (their partition) before rel-T11 lack
``tid``/``ownerOid``; see :mod:`loom_tui.services.v1tenant`.  The fields are added in place — a
document never moves between partitions.  A dry run (lists what would be filled) unless
``--apply``; tenant admins only; ``--apply`` is refused in read-only mode; every document written
is audited; running it again changes nothing.
"""

from __future__ import annotations

import argparse

from .output import Column, add_output_args, emit

COLUMNS = [
    Column("id", "Id"),
    Column("name", "Name"),
    Column("ownerOid", "Owner object id (partition)"),
    Column("fills", "Adds"),
    Column("createdBy", "Created by"),
    Column("why", "Why this tenant"),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="backfill tid and ownerOid on workspaces filed under their owner's object id, in place "
                                       "(the web console's backfill; dry run unless --apply)")
    p.add_argument("--apply", action="store_true", help="write them (default: only list what would be filled)")
    add_output_args(p)
    p.set_defaults(handler=handle)


async def handle(args: argparse.Namespace) -> int:
    from loom_tui.wiring import context_from_args

    ctx = await context_from_args(args)
    try:
        result = await ctx.v1tenant.migrate(apply=args.apply)
    finally:
        await ctx.close()
    rows = [{"id": w.id, "name": w.name, "ownerOid": w.owner_oid, "fills": ", ".join(w.fills), "createdBy": w.created_by,
             "why": w.why} for w in result.adopted]
    skipped = [{"id": w.id, "name": w.name, "reason": why} for w, why in result.skipped]
    verb = "filled" if result.applied else "would fill"
    footer = f"{verb} tid/ownerOid on {len(rows)} workspace(s), each in its owner's partition; " \
             f"{result.unrecognised} with an unrecognised owner left alone"
    footer += "".join(f"\nskipped {s['id']} ({s['name']}): {s['reason']}" for s in skipped)
    if not result.applied and rows:
        footer += "\ndry run: nothing was changed; run `loom migrate --apply` to write them"
    emit(args, rows, COLUMNS, footer=footer,
         json={"applied": result.applied, "filled" if result.applied else "wouldFill": rows, "skipped": skipped,
               "unrecognised": result.unrecognised})
    return 0
