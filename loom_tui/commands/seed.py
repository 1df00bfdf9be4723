"""``loom seed``: create the demo tenant, or add generated data for scale work."""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict

from .common import fail
from .output import add_output_args, emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("seed", help="seed the embedded store's demo tenant (or add generated data for scale work)")
    p.add_argument("--workspaces", type=int, default=0, metavar="N", help="add N generated workspaces")
    p.add_argument("--items-per-workspace", type=int, default=0, metavar="M", help="items in each generated workspace")
    p.add_argument("--audit-days", type=int, default=0, metavar="D", help="days of audit events for generated workspaces")
    p.add_argument("--seed", type=int, default=1, help="random seed of generated data (same seed, same documents)")
    add_output_args(p)
    p.set_defaults(handler=handle)


async def handle(args: argparse.Namespace) -> int:
    from loom_tui.wiring import context_from_args, seed

    for flag in ("workspaces", "items_per_workspace", "audit_days"):
        if getattr(args, flag) < 0:
            return fail(f"--{flag.replace('_', '-')} must not be negative")
    if args.workspaces and args.workspaces > 1_000_000:
        return fail("--workspaces is limited to 1,000,000")
    ctx = await context_from_args(args, seed_demo=False)
    try:
        if not ctx.personas:
            return fail("loom seed writes demo data into the embedded store only; this profile uses Azure")
        ctx.require_writable("seeding")
        t0 = time.perf_counter()
        result, demo_azure = await seed(ctx, workspaces=args.workspaces, items_per_workspace=args.items_per_workspace,
                                        audit_days=args.audit_days, seed=args.seed)
        took = time.perf_counter() - t0
    finally:
        await ctx.close()
    summary = {**asdict(result), "demo_azure_reset": demo_azure, "seconds": round(took, 2)}
    message = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in asdict(result).items()) + f" written in {took:.1f} s"
    if demo_azure:
        message += "\ndemo Azure estate reset (capacities, pools, clusters, peerings and role assignments as seeded)"
    emit(args, summary, message=message)
    return 0
