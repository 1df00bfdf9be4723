"""``loom repair``: find and finish half-done work (see :mod:`loom_tui.services.repair`)."""

from __future__ import annotations

import argparse

from loom_tui.domain.text import visible

from .output import add_output_args, emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("repair", help="finish writes a crash, a full disk or a lost link left half done (idempotent)")
    p.add_argument("--quick", action="store_true", help="only unfinished intents and workspaces stuck in Deleting (what every start does)")
    p.add_argument("--min-age", type=float, default=5.0, metavar="S",
                   help="leave work younger than S seconds alone: another loom may still be doing it (default 5)")
    add_output_args(p)
    p.set_defaults(handler=handle)


async def handle(args: argparse.Namespace) -> int:
    from loom_tui.wiring import context_from_args

    ctx = await context_from_args(args, repair=False)
    try:
        report = await ctx.repair.run(min_age_s=max(0.0, args.min_age), full=not args.quick)
    finally:
        await ctx.close()
    lines = ([f"fixed    {visible(line)}" for line in report.fixed] + [f"skipped  {visible(line)}" for line in report.skipped]
             + [f"left     {visible(line)}" for line in report.left])
    if report.fixed or report.skipped or report.left:
        lines.append(f"{len(report.fixed)} fixed, {len(report.skipped)} skipped, {len(report.left)} left to a live writer"
                     + (" (run again once it is older than --min-age, or with a lower --min-age if no loom is running)"
                        if report.left else ""))
    else:
        lines.append("nothing to repair")
    emit(args, report.to_dict(), message="\n".join(lines))
    # exit 1 while anything is unfinished: skipped on an error, or left to a writer that may be gone
    return 0 if not (report.skipped or report.left) else 1
