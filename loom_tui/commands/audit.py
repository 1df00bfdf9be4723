"""``loom audit [--workspace W] [--user U] [--action A] [--since D] [--limit N] [-o FORMAT]``.

The tenant's trail (tenant admins) or one workspace's (its members), newest first, filtered as
the Audit pane filters it, read and printed page by page past any size (machine formats: every
event; a table: one page; ``--top N`` limits both).  ``-o json`` is a bare array of events."""

from __future__ import annotations

import argparse

from .output import Column, add_limit_alias, add_output_args, emit_pages, output_format

PAGE = 500
PUBLIC = ("id", "at", "upn", "action", "workspaceId", "workspace", "itemId", "itemType", "summary", "diff")


def _minute(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


COLUMNS = [
    Column("at", "When", show=lambda r: _minute(r.get("at"))),
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
    add_output_args(p)
    add_limit_alias(p)
    p.set_defaults(handler=do_audit)


async def do_audit(args: argparse.Namespace) -> int:
    from loom_tui.services.audit_filter import AuditFilter, since_iso
    from loom_tui.wiring import context_from_args

    flt = AuditFilter(user=args.user, action=args.action, since=args.since)
    since_iso(args.since)  # a bad --since is refused before anything is read
    table = output_format(args) == "table"  # only a table names the total
    ctx = await context_from_args(args)
    try:
        if args.workspace:
            ws = await ctx.workspaces.find(args.workspace)

            async def page(token):
                return await ctx.audit.workspace_page(ws.id, flt, max_items=PAGE, continuation=token)

            total = await ctx.audit.workspace_count(ws.id, flt) if table else None
        else:
            async def page(token):
                return await ctx.audit.tenant_page(flt, max_items=PAGE, continuation=token)

            total = await ctx.audit.tenant_count(flt) if table else None

        async def pages():
            token = None
            while True:
                got = await page(token)
                names = await ctx.workspaces.names({r.get("workspaceId") for r in got.items})
                yield [{**r, "workspace": names.get(r.get("workspaceId") or "", r.get("workspaceId") or "")} for r in got.items]
                token = got.continuation
                if not token:
                    return

        await emit_pages(args, pages(), COLUMNS, doc=lambda r: {k: r.get(k) for k in PUBLIC},
                         total=total, noun="events")
    finally:
        await ctx.close()
    return 0
