"""``loom usage [--view cards|types|workspaces|activity|active|idle] [-o FORMAT]``: the Usage area's
numbers (tenant admins), from the same service.  ``-o json`` prints the whole report."""

from __future__ import annotations

import argparse

from loom_tui.domain.words import count

from .output import Column, add_output_args, emit

VIEWS = ("cards", "types", "workspaces", "activity", "active", "idle")

COLUMNS = {
    "types": [Column("type", "Type"), Column("items", "Items")],
    "workspaces": [Column("workspace", "Workspace"), Column("items", "Items"), Column("id", "Id")],
    "activity": [Column("day", "Day"), Column("events", "Events")],
    "active": [Column("item", "Item"), Column("type", "Type"), Column("workspace", "Workspace"), Column("events", "Events")],
    "idle": [Column("workspace", "Workspace"), Column("lastAccessedAt", "Last opened", show=lambda r: (r.get("lastAccessedAt") or "never")[:16].replace("T", " ")),
             Column("items", "Items"), Column("id", "Id")],
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("usage", help="the tenant's usage: workspaces, items, activity, idle workspaces (tenant admins)")
    p.add_argument("--view", choices=VIEWS, default="cards",
                   help="cards (default), types, workspaces (top 20), activity (per day), active (top items), idle (every idle workspace)")
    add_output_args(p)
    p.set_defaults(handler=do_usage)


def views(r) -> dict:
    return {
        "cards": {"workspaces": r.cards.workspaces, "items": r.cards.items, "itemTypes": r.cards.item_types,
                  "auditEvents30d": r.cards.audit_events, "idleWorkspaces30d": len(r.idle),
                  "since": r.since.isoformat(), "until": r.until.isoformat(), "computedAt": r.computed_at.isoformat()},
        "types": [{"type": b.label, "items": b.count} for b in r.items_by_type],
        "workspaces": [{"workspace": b.label, "items": b.count, "id": b.key} for b in r.items_by_workspace],
        "activity": [{"day": d.day.isoformat(), "events": d.count} for d in r.activity],
        "active": [{"item": a.name, "type": a.item_type, "workspace": a.workspace, "events": a.events, "itemId": a.item_id,
                    "workspaceId": a.workspace_id} for a in r.most_active],
        "idle": [{"workspace": w.name, "lastAccessedAt": w.last_accessed, "items": w.items, "id": w.workspace_id} for w in r.idle],
    }


async def do_usage(args: argparse.Namespace) -> int:
    from loom_tui.wiring import context_from_args

    ctx = await context_from_args(args)
    try:
        report = await ctx.usage.report()
    finally:
        await ctx.close()
    data = views(report)
    if args.view == "cards":
        emit(args, data["cards"], json=data)
    else:
        rows = data[args.view]
        emit(args, rows, COLUMNS[args.view], json=rows, footer=count(len(rows), "row"))
    return 0
