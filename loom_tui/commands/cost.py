"""``loom cost import|show|daily|anomalies|movers|forecast|idle`` on the same services as the Cost screen."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from .common import fail, print_table
from .output import Column, add_output_args, emit, output_format, structured


# the cost and budget services name the field a bad value was given for; these are their flags
# (a view's period is --from/--to, a budget's --start/--end)
FIELD_FLAGS = {"by": "--by", "kind": "--type", "source": "--source", "scope": "--scope", "amount": "--amount",
               "time_grain": "--grain", "thresholds": "--threshold", "contact_emails": "--email", "contact_groups": "--group",
               "start": "--start", "end": "--end"}
VIEW_FLAGS = {**FIELD_FLAGS, "start": "--from", "end": "--to", "timeframe": "--timeframe"}


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
    p.set_defaults(field_flags=VIEW_FLAGS)
    _output_args(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cost", help="cost and chargeback: import exports, show, daily, anomalies, idle")
    p.set_defaults(field_flags=FIELD_FLAGS)
    csub = p.add_subparsers(dest="cost_command", metavar="ACTION", required=True)

    imp = csub.add_parser("import", help="import Cost Management exports (FOCUS, EA/MCA; CSV, .gz, Parquet; files or folders)")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--type", dest="kind", choices=("actual", "amortized"), help="for EA/MCA files whose name does not say")
    _output_args(imp)
    imp.set_defaults(handler=do_import)

    b = csub.add_parser("budgets", help="budgets per subscription or resource group, and their alerts")
    bsub = b.add_subparsers(dest="budget_command", metavar="ACTION", required=True)
    bl = bsub.add_parser("list", help="budgets of the profile's subscriptions and resource groups")
    bl.add_argument("--scope", help="/subscriptions/<id>[/resourceGroups/<name>] (default: all of the profile's)")
    _output_args(bl)
    bl.set_defaults(handler=do_budgets_list)
    for verb in ("create", "update"):
        bc = bsub.add_parser(verb, help=f"{verb} a budget" + (" (with the ETag read: a stale one is refused)" if verb == "update" else ""))
        bc.add_argument("name")
        bc.add_argument("--scope", required=True, help="/subscriptions/<id>[/resourceGroups/<name>] or a resource group of the profile")
        bc.add_argument("--amount", type=_decimal, required=verb == "create", help="amount per period, in the billing currency")
        bc.add_argument("--threshold", action="append", default=[], metavar="PCT[:actual|forecasted]",
                        help="alert at this %% of the amount (repeat; default 80 and 100:forecasted on create)")
        bc.add_argument("--email", action="append", default=[], help="contact email for the thresholds (repeat; Azure needs one, or --group)")
        bc.add_argument("--group", action="append", default=[], metavar="ACTION_GROUP_ID",
                        help="action group (resource id) alerted at the thresholds (repeat; subscription and resource group budgets)")
        if verb == "create":
            bc.add_argument("--grain", default="Monthly", choices=("Monthly", "Quarterly", "Annually"))
            bc.add_argument("--start", type=date.fromisoformat, help="first day (default: the first of this month)")
            bc.add_argument("--end", type=date.fromisoformat, help="last day (default: none)")
        else:
            bc.add_argument("--etag", help="the ETag you read (loom cost budgets list --json); default: the current one")
            bc.add_argument("--end", type=date.fromisoformat, help="new last day")
        _output_args(bc)
        bc.set_defaults(handler=do_budgets_write, verb=verb)
    bd = bsub.add_parser("delete", help="delete a budget")
    bd.add_argument("name")
    bd.add_argument("--scope", required=True)
    bd.add_argument("--yes", action="store_true", help="do not ask; required when not on a terminal")
    _output_args(bd)
    bd.set_defaults(handler=do_budgets_delete)
    bk = bsub.add_parser("check", help="evaluate every budget: one notification per budget x threshold x period (for cron)")
    _output_args(bk)
    bk.set_defaults(handler=do_budgets_check)

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
    from loom_tui.services.cost.model import Query, check_dimension
    from loom_tui.services.cost.periods import resolve

    period = resolve(args.timeframe, today, args.start, args.end)
    filter_by = filter_key = None
    filtered = False
    if getattr(args, "where", None):
        if "=" not in args.where:
            raise ValueError("--where must be DIM=KEY")
        filter_by, filter_key = args.where.split("=", 1)
        try:
            check_dimension(filter_by)
        except ValueError as exc:
            raise ValueError(f"--where: {exc}") from None
        filter_key = filter_key or None
        filtered = True
    return Query(by or getattr(args, "by", "service"), period, args.kind, args.source, filter_by, filter_key, filtered)


async def _run(args: argparse.Namespace, fn) -> Any:
    from loom_tui.wiring import context_from_args

    ctx = await context_from_args(args)
    try:
        await ctx.cost.ensure_seeded()
        return await fn(ctx.cost)
    finally:
        await ctx.close()


def _emit(args: argparse.Namespace, view: Any, json: Any = None, empty: str = "no cost in this period") -> None:
    """A view through the one formatter: money as the Decimals the service computed (two decimals
    in a table, every digit in json/yaml/csv/tsv, so rows sum exactly to the total)."""
    from loom_tui.services.cost.records import document, rows_of

    cols, rows = rows_of(view)
    if not rows and output_format(args) == "table" and not getattr(args, "query", None):
        print(empty)
        return
    emit(args, rows, [Column(c) for c in cols], json=document(view) if json is None else json)


async def do_import(args: argparse.Namespace) -> int:
    from loom_tui.wiring import context_from_args

    ctx = await context_from_args(args)
    try:
        res = await ctx.cost.import_paths(args.paths, kind=args.kind)
    finally:
        await ctx.close()
    if output_format(args) != "table" or structured(args):
        emit(args, {"imported": res.imported, "rows": res.rows,
                    "files": [{"path": f.path, "format": f.format, "rows": f.rows, "skipped": f.skipped, "reason": f.reason,
                               "sha256": f.sha256, "dataset_basis": f.dataset_basis, "run_basis": f.run_basis,
                               "superseded": f.superseded, "superseded_by": f.superseded_by}
                              for f in res.files]})
    else:
        print_table(["FILE", "FORMAT", "ROWS", "NOTE"], [[f.path, f.format, f.rows, _note(f)] for f in res.files])
        print(f"imported {res.rows} rows from {res.imported} file(s)")
        for f in res.files:  # said in full: a table cell cuts long paths
            for gone in f.superseded:
                print(f"{f.path} supersedes {gone}, an earlier run of the same export: its rows no longer count")
            if f.superseded_by:
                print(f"{f.path} is an earlier run than {f.superseded_by}: not counted")
    return 0


def _note(f: Any) -> str:
    """The NOTE cell of an imported file: why it was skipped, else how its dataset was told."""
    if f.reason:
        return f.reason
    note = f.dataset_basis if f.dataset_basis.startswith(("--type", "manifest", "content", "file name", "nothing")) else ""
    if f.superseded:
        note = f"supersedes {len(f.superseded)} earlier run file(s)" + (f"; {note}" if note else "")
    return note


def _today() -> date:
    from loom_tui.wiring import clock

    return clock().today()


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
    if args.output != "table" or args.query:
        _emit(args, results)
        return 0
    if not results:
        print("no cost in this period (import exports with `loom cost import PATH`)")
    for cb in results:
        print(f"{cb.currency}  {cb.period.start}..{cb.period.last}  by {cb.by}  ({cb.kind})")
        rows = [[r.name, r.cost, _share(r.cost, cb.total), r.key or ""] for r in cb.rows]
        rows.append(["(unallocated)", cb.unallocated, _share(cb.unallocated, cb.total), ""])
        rows.append(["(total)", cb.total, "100%", ""])
        print_table(["NAME", "COST", "SHARE", "KEY"], rows)
        if cb.unallocated_top:
            print("top unallocated resources:")
            print_table(["NAME", "TYPE", "RESOURCE GROUP", "COST"], [[r.name, r.resource_type, r.resource_group, r.cost] for r in cb.unallocated_top])
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
        _emit(args, results, empty="no anomalies in this period")
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
    _emit(args, report.findings, json={"findings": report.findings, "notChecked": report.not_checked},
          empty="nothing idle found")
    if args.output == "table" and not args.query:
        for note in report.not_checked:
            print(f"not checked: {note}")
    return 0


def _decimal(text: str):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _budget_json(b) -> dict:
    return {"id": b.id, "name": b.name, "scope": b.scope, "amount": b.amount, "timeGrain": b.time_grain,
            "startDate": b.start.isoformat() if b.start else None, "endDate": b.end.isoformat() if b.end else None,
            "eTag": b.etag, "currentSpend": b.current_spend, "forecastSpend": b.forecast_spend, "unit": b.unit,
            "thresholds": [{"key": t.key, "threshold": t.threshold, "type": t.threshold_type, "contactEmails": list(t.contact_emails),
                            "contactGroups": list(t.contact_groups), "enabled": t.enabled} for t in b.thresholds],
            "brokenRules": _broken(b)}


def _broken(b) -> list[str]:
    """The Azure budget rules a budget read from Azure breaks (it is shown as it is, rules named)."""
    from datetime import datetime, timezone

    from loom_tui.services.cost.budgets import broken_rules

    return broken_rules(b, datetime.now(timezone.utc).date())


async def _budget_ctx(args: argparse.Namespace, fn) -> Any:
    from loom_tui.wiring import context_from_args

    ctx = await context_from_args(args)
    try:
        return await fn(ctx.budgets)
    finally:
        await ctx.close()


def _print_budgets(budgets: list) -> None:
    print_table(["NAME", "SCOPE", "AMOUNT", "SPENT", "FORECAST", "GRAIN", "THRESHOLDS", "BREAKS"],
                [[b.name, b.scope, b.amount, b.current_spend, b.forecast_spend, b.time_grain,
                  ", ".join(f"{t.threshold.normalize():f}% {t.threshold_type.lower()}" for t in b.thresholds),
                  ", ".join(_broken(b))] for b in budgets])


async def do_budgets_list(args: argparse.Namespace) -> int:
    budgets = await _budget_ctx(args, lambda svc: svc.list(args.scope))
    if output_format(args) != "table" or args.query:
        emit(args, [_budget_json(b) for b in budgets])
    else:
        _print_budgets(budgets)
    return 0


async def do_budgets_write(args: argparse.Namespace) -> int:
    from loom_tui.services.cost.budgets import parse_thresholds

    specs = args.threshold or (["80", "100:forecasted"] if args.verb == "create" else [])
    thresholds = parse_thresholds(specs, args.email, args.group) if specs else None

    async def run(svc):
        if args.verb == "create":
            return await svc.create(args.scope, args.name, args.amount, time_grain=args.grain, start=args.start, end=args.end,
                                    thresholds=thresholds)
        return await svc.update(args.scope, args.name, etag=args.etag, amount=args.amount, thresholds=thresholds, end=args.end)

    b = await _budget_ctx(args, run)
    if output_format(args) != "table" or args.query:
        emit(args, _budget_json(b))
    else:
        print(f"{'created' if args.verb == 'create' else 'updated'} budget {b.name} at {b.scope} (ETag {b.etag})")
    return 0


async def do_budgets_delete(args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            return fail("refusing to delete without --yes when not on a terminal")
        if input(f"Type the budget name to delete it ({args.name}): ") != args.name:
            return fail("the name did not match; nothing was deleted", 1)
    await _budget_ctx(args, lambda svc: svc.delete(args.scope, args.name))
    emit(args, {"deleted": args.name, "scope": args.scope}, message=f"deleted budget {args.name}")
    return 0


async def do_budgets_check(args: argparse.Namespace) -> int:
    result = await _budget_ctx(args, lambda svc: svc.check())
    if output_format(args) != "table" or args.query:
        emit(args, {"budgets": result.budgets, "notificationsWritten": result.written,
                    "crossings": [{"budget": c.budget, "name": c.name, "key": c.key, "type": c.threshold_type,
                                   "threshold": c.threshold, "value": c.value, "amount": c.amount,
                                   "periodStart": c.period_start.isoformat(), "notified": c.notified} for c in result.crossings]})
    else:
        for c in result.crossings:
            state = f"notified {c.notified}" if c.notified else "already notified"
            print(f"{c.name}: {c.threshold_type.lower()} {c.value:,.2f} of {c.amount:,.2f} >= {c.threshold.normalize():f}% ({state})")
        print(f"{result.budgets} budget(s) checked, {result.written} notification(s) written")
    return 0
