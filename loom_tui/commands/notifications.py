"""``loom notifications [--unread] [-o FORMAT]``: the signed-in user's newest 50 (the bell)."""

from __future__ import annotations

import argparse

from .output import Column, add_output_args, emit

PUBLIC = ("id", "createdAt", "read", "severity", "title", "body", "link")
COLUMNS = [
    Column("read", "State", show=lambda r: "read" if r.get("read") else "unread"),
    Column("createdAt", "When", show=lambda r: (r.get("createdAt") or "")[:16].replace("T", " ")),
    Column("severity", "Severity", lambda r: r.get("severity") or "info"),
    Column("title", "Title"),
    Column("body", "Message"),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("notifications", help="your newest 50 notifications and the unread count")
    p.add_argument("--unread", action="store_true", help="only the unread ones")
    add_output_args(p)
    p.set_defaults(handler=do_notifications)


async def do_notifications(args: argparse.Namespace) -> int:
    from loom_tui.wiring import context_from_args

    ctx = await context_from_args(args)
    try:
        rows = await ctx.notifications.newest(unread=args.unread)
        unread = await ctx.notifications.unread_count()
    finally:
        await ctx.close()
    emit(args, rows, COLUMNS, json=[{k: r.get(k) for k in PUBLIC} for r in rows],
         footer=f"{len(rows)} shown · {unread} unread")
    return 0
