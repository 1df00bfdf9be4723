"""``loom audit [--workspace W] [--user U] [--action A] [--since D] [--limit N] [-o FORMAT]``.

The tenant's trail (tenant admins) or one workspace's (its members), newest first, filtered as
the Audit pane filters it, read page by page past any size (``--limit 0`` = all)."""

from __future__ import annotations

import argparse

from .common import fail
from .output import Column, add_output_args, emit

PAGE = 500
PUBLIC = ("id", "at", "upn", "action", "workspaceId", "workspace", "itemId", "itemType", "summary", "diff")


def _minute(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


COLUMNS = [
    Column("at", "When", lambda r: _minute(r.get("at"))),
    Column("upn", "Who"),
    Column("action", "Action"),
    Column("workspace", "Workspace"),
    Column("summary", "Summary"),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="the audit trail: the tenant's (tenant admins) or one workspace's")
    p.add_argument("--workspace", help="one workspace (id or name); without it the whole tenant (tenant admins)")
    p.add_argument("--user", default="", help="part of the user principal name, any case")
    p.add_argument("--action", default="", help="an action or its start: item.update, item, member")
    p.add_argument("--since", default="", help="a day or time (2026-11-01, 2026-11-01T09:30) or a span back (7d, 12h)")
    p.add_argument("--limit", type=int, default=100, help="at most this many, newest first (default 100, 0 = all)")
    add_output_args(p)
    p.set_defaults(handler=do_audit)


async def do_audit(args: argparse.Namespace) -> int:
    from loom_tui.services.audit_filter import AuditFilter, since_iso
    from loom_tui.services.context import context_from_args

    if args.limit < 0:
        return fail("--limit must not be negative")
    flt = AuditFilter(user=args.user, action=args.action, since=args.since)
    since_iso(args.since)  # a bad --since is refused before anything is read
    ctx = await context_from_args(args)
    try:
        if args.workspace:
            ws = await ctx.workspaces.find(args.workspace)

            async def page(token):
                return await ctx.audit.workspace_page(ws["id"], flt, max_items=PAGE, continuation=token)

            total = await ctx.audit.workspace_count(ws["id"], flt)
        else:
            async def page(token):
                return await ctx.audit.tenant_page(flt, max_items=PAGE, continuation=token)

            total = await ctx.audit.tenant_count(flt)
        rows: list[dict] = []
        token = None
        while True:
            got = await page(token)
            rows += got.items
            token = got.continuation
            if not token or (args.limit and len(rows) >= args.limit):
                break
        if args.limit:
            rows = rows[: args.limit]
        names = await ctx.workspaces.names({r.get("workspaceId") for r in rows})
    finally:
        await ctx.close()
    rows = [{**r, "workspace": names.get(r.get("workspaceId") or "", r.get("workspaceId") or "")} for r in rows]
    public = [{k: r.get(k) for k in PUBLIC} for r in rows]
    emit(args, rows, COLUMNS, json={"total": total, "filter": {"user": flt.user, "action": flt.action, "since": flt.since},
                                    "events": public}, footer=f"{len(rows)} of {total} events")
    return 0
