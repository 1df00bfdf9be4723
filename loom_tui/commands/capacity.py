"""``loom capacity list|show|pause|resume|scale|pause-dlz|pause-idle|dr`` on the Capacity service.

Exit codes: 0 ok, 1 something failed (``dr``: a red line; an action: the operation failed), 2 bad
input, 3 not found, 4 refused (read-only or role).  Warnings about partial results go to stderr, so
the JSON on stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import fail
from .output import Column, add_output_args, emit, output_format, report_warning, say, structured


def _output(p: argparse.ArgumentParser) -> None:
    add_output_args(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("capacity", help="the Loom estate's Azure resources: list, show, pause, resume, scale, auto-pause, DR posture")
    c = p.add_subparsers(dest="capacity_command", metavar="ACTION", required=True)

    ls = c.add_parser("list", help="every resource of the Admin Plane and DLZ resource groups")
    ls.add_argument("--dlz", help="only this landing zone (domain name; '(admin plane)' for the Admin Plane)")
    ls.add_argument("--type", help="only this resource type: full, its last part (capacities, sqlPools, clusters) or its provider (fabric, synapse)")
    ls.add_argument("--sort", default="name", help="name, type, dlz, group, location, sku, state, cost, utilization, ...")
    ls.add_argument("--desc", action="store_true", help="descending order (default: ascending, as every loom list)")
    _output(ls)
    ls.set_defaults(handler=do_list)

    show = c.add_parser("show", help="one resource: the ARM document, tags, state, cost, utilization")
    show.add_argument("resource", help="resource id or name")
    _output(show)
    show.set_defaults(handler=do_show)

    for verb, helptext in (("pause", "pause a Fabric capacity, Synapse SQL pool or ADX cluster"),
                           ("resume", "resume a Fabric capacity, Synapse SQL pool or ADX cluster")):
        a = c.add_parser(verb, help=helptext)
        a.add_argument("resource", help="resource id or name")
        _wait_args(a)
        a.set_defaults(handler=do_pause if verb == "pause" else do_resume)

    sc = c.add_parser("scale", help="scale a Fabric capacity to another F SKU (F2 ... F2048)")
    sc.add_argument("resource", help="resource id or name")
    sc.add_argument("--sku", required=True, help="F2, F4, F8, F16, F32, F64, F128, F256, F512, F1024 or F2048")
    _wait_args(sc)
    sc.set_defaults(handler=do_scale)

    pd = c.add_parser("pause-dlz", help="pause every running capacity of one landing zone (one failure does not stop the others)")
    pd.add_argument("dlz", help="the landing zone's name (its domain)")
    pd.add_argument("--yes", action="store_true", help="do not ask; required when not on a terminal")
    _output(pd)
    pd.set_defaults(handler=do_pause_dlz)

    dr = c.add_parser("dr", help="DR posture checked live; exit 1 when anything is red")
    _output(dr)
    dr.set_defaults(handler=do_dr)

    idle = c.add_parser("pause-idle", help="pause capacities whose utilization stayed under the threshold (for cron)")
    idle.add_argument("--idle-for", required=True, metavar="DURATION", help="how long under the threshold: 30m, 2h, 1d")
    idle.add_argument("--threshold", type=float, default=5.0, metavar="PERCENT", help="utilization in percent (default 5)")
    idle.add_argument("--dry-run", action="store_true", help="decide and log, pause nothing")
    _output(idle)
    idle.set_defaults(handler=do_pause_idle)


def _wait_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-wait", action="store_true", help="print the operation id and return (follow it with `loom operations`)")
    _output(p)


async def _ctx(args: argparse.Namespace):
    from loom_tui.wiring import context_from_args

    return await context_from_args(args)


def _warn(args: argparse.Namespace, inv: Any) -> None:
    for f in inv.failures:
        report_warning(output_format(args), f"partial results: {f.line()}", code=f"partial-{f.kind}")


def _pct(v: float | None) -> str:
    return "" if v is None else f"{v:.1f}%"


LIST_COLUMNS = [
    Column("name", "name"), Column("type", "type"), Column("dlz", "DLZ"), Column("resourceGroup", "group"),
    Column("location", "location"), Column("sku", "SKU"),
    Column("state", "state", show=lambda row: row["state"] or row["provisioningState"] or ""),
    Column("monthToDateCost", "cost MTD", show=lambda row: "" if row["monthToDateCost"] is None else f"{row['monthToDateCost']:,.2f} {row['currency'] or ''}".strip()),
    Column("utilization24h", "util 24h", show=lambda row: _pct(row["utilization24h"])),
]
DR_COLUMNS = [Column("status", "status"), Column("kind", "kind"), Column("resource", "resource"), Column("check", "check"),
              Column("detail", "found"), Column("fix", "fix")]


async def do_list(args: argparse.Namespace) -> int:
    from loom_tui.domain.capacity import public
    from loom_tui.services.capacity.view import SORTS, CapacityView, apply

    if args.sort not in SORTS:
        return fail(f"--sort must be one of {', '.join(SORTS)}")
    ctx = await _ctx(args)
    try:
        inv = await ctx.capacity.inventory()
        portal = await ctx.capacity.portal()
        rows = apply(inv.rows, CapacityView(dlz=args.dlz, type=args.type, sort=args.sort, descending=args.desc))
        _warn(args, inv)
        if not rows and inv.rows:
            _why_empty(args, inv.rows)
        data = [public(r, ctx.capacity.link(portal, r) if portal else None) for r in rows]
        emit(args, data, LIST_COLUMNS if output_format(args) in ("table", "markdown") else None,
             footer=f"{len(rows)} resources · as of {inv.as_of:%Y-%m-%d %H:%M:%S}Z" + (" · PARTIAL" if inv.partial else ""))
    finally:
        await ctx.close()
    return 0


def _why_empty(args: argparse.Namespace, rows: list) -> None:
    """No row passed the filters: name what there is, so a wrong ``--type`` or ``--dlz`` shows."""
    from loom_tui.services.capacity.view import type_names

    if args.type:
        report_warning(output_format(args), f"no resource of type {args.type!r}"
                       + (f" in {args.dlz!r}" if args.dlz else "") + f"; the types here: {', '.join(type_names(rows))}", "no-match")
    if args.dlz:
        dlzs = sorted({r.dlz for r in rows if r.dlz}, key=str.lower)
        report_warning(output_format(args), f"the landing zones here: {', '.join(dlzs)}", "no-match")


async def do_show(args: argparse.Namespace) -> int:
    from loom_tui.domain.capacity import public

    ctx = await _ctx(args)
    try:
        r = await _one(ctx, args.resource)
        detail = await ctx.capacity.detail(r)
        portal = await ctx.capacity.portal()
        row = {**public(r, ctx.capacity.link(portal, r) if portal else None), "tags": r.tags, "arm": detail.arm}
        if detail.arm_note:
            row["armNote"] = detail.arm_note
        if structured(args):
            emit(args, row)
        else:
            import json

            flat = {k: v for k, v in row.items() if k not in ("arm", "tags")}
            flat["tags"] = ", ".join(f"{k}={v}" for k, v in sorted(r.tags.items())) or "(none)"
            flat["arm"] = json.dumps(detail.arm, ensure_ascii=True, sort_keys=True)
            emit(args, flat)
    finally:
        await ctx.close()
    return 0


async def do_dr(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        inv = await ctx.capacity.inventory()
        _warn(args, inv)
        checks = await ctx.capacity.dr(inv.rows)
    finally:
        await ctx.close()
    red = sum(1 for c in checks if not c.ok)
    emit(args, [{"resourceId": c.resource_id, "resource": c.resource, "kind": c.kind, "check": c.check, "status": c.status,
                 "detail": c.detail, "fix": c.fix or None} for c in checks], DR_COLUMNS if output_format(args) != "json" else None,
         footer=f"{len(checks)} checks · {red} FAIL" if checks else "no Cosmos DB account, storage account or Key Vault found")
    return 1 if any(not c.ok for c in checks) or inv.partial else 0


async def do_pause_idle(args: argparse.Namespace) -> int:
    from loom_tui.services.capacity.autopause import parse_duration

    try:
        idle_for = parse_duration(args.idle_for)
    except ValueError as exc:
        return fail(f"--idle-for: {exc}")
    if not 0 < args.threshold <= 100:
        return fail("--threshold must be a percentage above 0 and at most 100")
    ctx = await _ctx(args)
    try:
        result = await ctx.capacity.pause_idle(idle_for=idle_for, threshold=args.threshold, dry_run=args.dry_run)
    finally:
        await ctx.close()
    fmt = output_format(args)
    if structured(args):
        emit(args, result.to_json())
    elif fmt == "table":
        emit(args, {}, message="\n".join(result.lines()))
    else:  # csv / tsv / markdown: one row per decision
        emit(args, result.to_json()["decisions"], [Column("decision"), Column("name"), Column("type"), Column("reason"), Column("id")])
    return 1 if result.failed else 0


async def _one(ctx: Any, key: str):
    from loom_tui.errors import NotFoundError

    inv = await ctx.capacity.inventory()
    r = inv.find(key)
    if r is None:
        raise NotFoundError(f"no resource {key!r} in the Loom resource groups" + (" (the inventory is partial)" if inv.partial else ""))
    return r


def _progress(line: str) -> None:
    say(None, f"loom: {line}")


async def _change(args: argparse.Namespace, start) -> int:
    ctx = await _ctx(args)
    try:
        r = await _one(ctx, args.resource)
        op = await start(ctx, r)
        if args.no_wait:
            # the operation goes on in Azure; `loom operations wait ID` takes it over in a later process
            op = await ctx.operations.until_polling(op.id)
            emit(args, {"operationId": op.id, "state": op.state}, message=op.id)
            return 0
        out = await ctx.capacity.finish(op, _progress)
    finally:
        await ctx.close()
    emit(args, {"operationId": out.operation_id, **out.result}, message=out.message)
    return 0


async def do_pause(args: argparse.Namespace) -> int:
    return await _change(args, lambda ctx, r: ctx.capacity.start_set_running(r, False))


async def do_resume(args: argparse.Namespace) -> int:
    return await _change(args, lambda ctx, r: ctx.capacity.start_set_running(r, True))


async def do_scale(args: argparse.Namespace) -> int:
    async def start(ctx: Any, r: Any):
        sku = ctx.capacity.check_scale(r, args.sku)  # refused (not an admin, not Fabric, a bad SKU) before any price is asked
        try:
            prices = await ctx.capacity.sku_prices(r)
            line = prices.change(r.sku or "", sku)
        except Exception as exc:  # noqa: BLE001 — the price is a help, not a condition
            line = f"monthly price difference not known: {exc}"
        _progress(line)
        return await ctx.capacity.start_scale(r, sku)

    return await _change(args, start)


async def do_pause_dlz(args: argparse.Namespace) -> int:
    from loom_tui.domain.text import visible
    from loom_tui.errors import NotFoundError

    if not args.yes:
        if not sys.stdin.isatty():
            return fail("pause-dlz changes Azure: pass --yes when not on a terminal")
        typed = input(f"Pause every running capacity of {visible(args.dlz)}? Type the DLZ name to confirm: ")
        if typed.strip() != args.dlz:
            return fail("not confirmed; nothing paused", 1)
    ctx = await _ctx(args)
    try:
        inv = await ctx.capacity.inventory()
        if not any(r.dlz.lower() == args.dlz.lower() for r in inv.rows):
            raise NotFoundError(f"no landing zone {args.dlz!r} (have: {', '.join(sorted({r.dlz for r in inv.rows if r.dlz}))})")
        results = await ctx.capacity.pause_dlz(args.dlz, inv.rows, _progress)
    finally:
        await ctx.close()
    emit(args, [{"id": r.resource_id, "name": r.name, "result": "PAUSED" if r.ok else "FAILED", "ok": r.ok, "message": r.message}
                for r in results], [Column("result"), Column("name"), Column("message")] if output_format(args) != "json" else None,
         footer=f"{sum(r.ok for r in results)} of {len(results)} paused" if results else f"nothing running in {args.dlz}")
    return 1 if any(not r.ok for r in results) else 0
