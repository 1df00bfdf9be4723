"""``loom cost import|show|daily|anomalies|movers|forecast|idle`` on the same services as the Cost screen."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from .common import fail, print_table
from .output import Column, add_output_args, emit


def _output_args(p: argparse.ArgumentParser) -> None:
    add_output_args(p)


def _view_args(p: argparse.ArgumentParser, *, by: bool = True) -> None:
    if by:
        p.add_argument("--by", default="workspace", metavar="DIM",
                       help="workspace|domain|tenant|resource-group|service|resource-type|subscription|tag:KEY (default workspace)")
    p.add_argument("--timeframe", choices=("mtd", "last-month", "7d", "30d"), help="default mtd")
    p.add_argument("--from", dest="start", type=date.fromisoformat, metavar="YYYY-MM-DD", help="first day (with --to)")
    p.add_argument("--to", dest="end", type=date.fromisoformat, metavar="YYYY-MM-DD", help="last day, included")
    p.add_argument("--source", choices=("live", "exports"), default="exports", help="exports (imported files, default) or live")
    p.add_argument("--type", dest="kind", choices=("actual", "amortized"), default="actual", help="cost type (default actual)")
    p.add_argument("--where", metavar="DIM=KEY", help="only the cost of one key, e.g. workspace=<id> (empty KEY: the unallocated)")
    _output_args(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cost", help="cost and chargeback: import exports, show, daily, anomalies, idle")
    csub = p.add_subparsers(dest="cost_command", metavar="ACTION", required=True)

    imp = csub.add_parser("import", help="import Cost Management exports (FOCUS, EA/MCA; CSV, .gz, Parquet; files or folders)")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--type", dest="kind", choices=("actual", "amortized"), help="for EA/MCA files whose name does not say")
    _output_args(imp)
    imp.set_defaults(handler=do_import)

    for name, helptext, handler, by in (
        ("show", "chargeback: cost by workspace, domain, tenant, resource group, service, type or tag", do_show, True),
        ("daily", "cost per day", do_daily, False),
        ("anomalies", "new and stopped services, spikes, steady growth", do_anomalies, False),
        ("movers", "what changed most against the previous period", do_movers, True),
        ("forecast", "month to date and the month's forecast", do_forecast, False),
        ("idle", "idle workspaces and what bills while they sit idle, with the monthly saving", do_idle, False),
    ):
        c = csub.add_parser(name, help=helptext)
        _view_args(c, by=by)
        c.set_defaults(handler=handler)


def query(args: argparse.Namespace, today: date, by: str | None = None):
    from loom_tui.services.cost.model import Query
    from loom_tui.services.cost.periods import resolve

    period = resolve(args.timeframe, today, args.start, args.end)
    filter_by = filter_key = None
    filtered = False
    if getattr(args, "where", None):
        if "=" not in args.where:
            raise ValueError("--where must be DIM=KEY")
        filter_by, filter_key = args.where.split("=", 1)
        filter_key = filter_key or None
        filtered = True
    return Query(by or getattr(args, "by", "service"), period, args.kind, args.source, filter_by, filter_key, filtered)


async def _run(args: argparse.Namespace, fn) -> Any:
    from loom_tui.services.context import context_from_args

    ctx = await context_from_args(args)
    try:
        await ctx.cost.ensure_demo()
        return await fn(ctx.cost)
    finally:
        await ctx.close()


def _emit(args: argparse.Namespace, view: Any, table: tuple[list[str], list[list[Any]]] | None = None) -> None:
    import json

    from loom_tui.services.cost.export import render, table as as_table

    # the one formatter (loom_tui/commands/output.py): escapes, csv/tsv/markdown, JSON as \uXXXX
    cols, rows = table or as_table(view)
    body = json.loads(render(view, "json")) if args.output == "json" else None
    emit(args, [dict(zip(cols, r)) for r in rows], [Column(c, c) for c in cols], json=body)


async def do_import(args: argparse.Namespace) -> int:
    from loom_tui.services.context import context_from_args

    ctx = await context_from_args(args)
    try:
        res = await ctx.cost.import_paths(args.paths, kind=args.kind)
    finally:
        await ctx.close()
    if args.output == "json":
        from loom_tui.commands.common import print_json

        print_json({"imported": res.imported, "rows": res.rows,
                    "files": [{"path": f.path, "format": f.format, "rows": f.rows, "skipped": f.skipped, "reason": f.reason, "sha256": f.sha256}
                              for f in res.files]})
    else:
        print_table(["FILE", "FORMAT", "ROWS", "NOTE"], [[f.path, f.format, f.rows, f.reason] for f in res.files])
        print(f"imported {res.rows} rows from {res.imported} file(s)")
    return 0


def _today() -> date:
    from loom_tui.services.cost.service import _today as today

    return today()


async def _view(args: argparse.Namespace, method: str, by: str | None = None) -> tuple[int, Any]:
    try:
        q = query(args, _today(), by)
    except ValueError as exc:
        return fail(str(exc)), None
    return 0, await _run(args, lambda cost: getattr(cost, method)(q))


async def do_show(args: argparse.Namespace) -> int:
    code, results = await _view(args, "chargeback")
    if code:
        return code
    if args.output != "table":
        _emit(args, results)
        return 0
    if not results:
        print("no cost in this period (import exports with `loom cost import PATH`)")
    from loom_tui.services.cost.export import money

    for cb in results:
        print(f"{cb.currency}  {cb.period.start}..{cb.period.last}  by {cb.by}  ({cb.kind})")
        rows = [[r.name, money(r.cost), _share(r.cost, cb.total), r.key or ""] for r in cb.rows]
        rows.append(["(unallocated)", money(cb.unallocated), _share(cb.unallocated, cb.total), ""])
        rows.append(["(total)", money(cb.total), "100%", ""])
        print_table(["NAME", "COST", "SHARE", "KEY"], rows)
        if cb.unallocated_top:
            print("top unallocated resources:")
            print_table(["NAME", "TYPE", "RESOURCE GROUP", "COST"], [[r.name, r.resource_type, r.resource_group, money(r.cost)] for r in cb.unallocated_top])
        print()
    return 0


def _share(part: Any, total: Any) -> str:
    return f"{(part / total * 100):.1f}%" if total else "-"


async def do_daily(args: argparse.Namespace) -> int:
    code, results = await _view(args, "daily", "service")
    if not code:
        _emit(args, results)
    return code


async def do_anomalies(args: argparse.Namespace) -> int:
    code, results = await _view(args, "anomalies", "service")
    if not code:
        _emit(args, results) if results or args.output != "table" else print("no anomalies in this period")
    return code


async def do_movers(args: argparse.Namespace) -> int:
    code, results = await _view(args, "movers")
    if not code:
        _emit(args, results)
    return code


async def do_forecast(args: argparse.Namespace) -> int:
    code, results = await _view(args, "forecast", "service")
    if not code:
        _emit(args, results)
    return code


async def do_idle(args: argparse.Namespace) -> int:
    code, report = await _view(args, "idle", "workspace")
    if code:
        return code
    if args.output == "json":
        from loom_tui.commands.common import print_json
        from loom_tui.services.cost.export import plain

        print_json({"findings": plain(report.findings), "notChecked": report.not_checked})
        return 0
    _emit(args, report.findings)
    if args.output == "table":
        for note in report.not_checked:
            print(f"not checked: {note}")
    return 0
