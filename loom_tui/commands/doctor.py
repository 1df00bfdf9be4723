"""``loom doctor``: check the terminal, config, files, sign-in cache, proxy/CA and cloud endpoints,
and (when the store opens without asking anything) the data: the web console v1's tenant ids.

Exit code 0 when nothing failed (warnings allowed), 1 when any check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from loom_tui.domain.text import visible

from .output import Column, add_output_args, emit, output_format, structured


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="diagnose the terminal, config, files, proxy/CA and cloud endpoints (offline-safe)")
    p.add_argument("--timeout", type=float, default=3.0, metavar="S", help="seconds allowed for each network step (default 3)")
    add_output_args(p)
    p.set_defaults(handler=handle)


async def handle(args: argparse.Namespace) -> int:
    from loom_tui.services.doctor import FAIL, run_doctor

    fd = sys.stdout.fileno() if hasattr(sys.stdout, "fileno") else None
    report = await run_doctor(profile=args.profile, data_dir=args.data_dir, terminal_fd=fd, timeout=max(0.1, args.timeout))
    if report.worst != FAIL:
        await data_checks(report, args, timeout=max(1.0, 4 * args.timeout))
    fmt = output_format(args)
    if fmt != "table" or structured(args):
        emit(args, [c.to_dict() for c in report.checks], [Column(k) for k in ("status", "area", "name", "detail", "fix")], json=report.to_dict())
    else:
        width = max(len(f"{c.area}: {c.name}") for c in report.checks)
        for c in report.checks:
            label = f"{c.area}: {c.name}".ljust(width)
            print(f"{c.status:<4}  {visible(label)}  {visible(c.detail)}")
            if c.fix:
                print(f"{'':<4}  {'':<{width}}  fix: {visible(c.fix)}")
        counts = {s: sum(1 for c in report.checks if c.status == s) for s in ("OK", "WARN", "FAIL")}
        print(f"\n{counts['OK']} ok, {counts['WARN']} warning(s), {counts['FAIL']} failure(s) in {report.elapsed_s:.1f} s")
    return 1 if report.worst == FAIL else 0


async def data_checks(report, args: argparse.Namespace, *, timeout: float) -> None:
    """Checks that read the store: opened read-only, never seeded, bounded in time."""
    from loom_tui.wiring import context_from_args
    from loom_tui.services.doctor import WARN
    from loom_tui.services.v1tenant import doctor_check

    ctx = None
    try:
        ctx = await asyncio.wait_for(context_from_args(argparse.Namespace(**{**vars(args), "read_only": True}), seed_demo=False), timeout)
        await asyncio.wait_for(doctor_check(report, ctx.v1tenant), timeout)
    except Exception as exc:  # the store may be unreachable or need a sign-in: say so, do not fail the run
        report.add("data", "v1 tenant ids", WARN, f"not checked: {exc or type(exc).__name__}",
                   "sign in (loom login) and check that the store is reachable, then run loom doctor again")
    finally:
        if ctx is not None:
            await ctx.close()
