"""Usage at scale: the Usage report over 10,000 workspaces and 1,000,000 audit events (embedded
store), against the startup baseline measured in the same run.

A child process seeds a temporary store: the demo tenant, 9,960 generated workspaces (10,000 in
all) with 2 items each, and 1,000,000 audit events over the last 60 days (about half inside the
30-day window, the rest older; every 10th workspace gets none, so some are idle).  It then times
``UsageService.report()`` — cards, items by type and by workspace, activity per day, most active
items, idle workspaces — the median of ``ROUNDS`` runs (``usage_s``).  The baseline is
``usage_startup_baseline_s``: a bare Textual app (header, table, footer) to its first frame on an
80x24 pty (``_baseline_app.py``, as ``startup.py`` measures it), median of the same rounds, in the
same run.  The events are written 250,000 at a time (``upsert_many``: one transaction per 50,000,
in key order).  ``LOOM_BENCH_USAGE_EVENTS`` / ``LOOM_BENCH_USAGE_WORKSPACES`` shrink it for a quick look.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _firstframe import first_frame_s  # noqa: E402

ROUNDS = 3
BASELINES = {"usage_s": "usage_startup_baseline_s"}

CHILD = r"""
import asyncio, json, os, random, statistics, sys, time, uuid
from datetime import datetime, timedelta, timezone

sys.path.insert(0, sys.argv[1])
from loom_tui.config import Profile
from loom_tui.domain.clock import iso
from loom_tui.local.demo import DEMO_SESSION, DEMO_TENANT, DEMO_USERS, seed_scale
from loom_tui.services.context import AppContext
from loom_tui.wiring import open_context

EVENTS = int(os.environ.get("LOOM_BENCH_USAGE_EVENTS", "1000000"))
WORKSPACES = int(os.environ.get("LOOM_BENCH_USAGE_WORKSPACES", "10000"))
ROUNDS = int(sys.argv[3])


async def main(data_dir):
    ctx = await open_context(Profile(), data_dir=data_dir)  # seeds the demo tenant (40 workspaces)
    store = ctx.store
    t0 = time.perf_counter()
    await seed_scale(store, workspaces=WORKSPACES - 40, items_per_workspace=2, audit_days=0, seed=7)
    items = [d async for d in store.iterate_cross_partition("items")]
    busy = [d for d in items if int(d["workspaceId"][:8], 16) % 10]  # about every 10th workspace stays idle (by its id)
    rng = random.Random(5)
    now = datetime.now(timezone.utc)
    batch = []
    actions = ["item.update", "item.run", "item.share", "item.refresh"]
    for n in range(EVENTS):
        it = busy[rng.randrange(len(busy))]
        u = DEMO_USERS[rng.randrange(len(DEMO_USERS))]
        at = now - timedelta(seconds=rng.randrange(60 * 86400))
        batch.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "itemId": it["id"], "itemType": it["itemType"],
                      "workspaceId": it["workspaceId"], "tenantId": DEMO_TENANT, "userId": u[0], "upn": u[1],
                      "action": actions[n % 4], "summary": "bench", "diff": {}, "at": iso(at)})
        if len(batch) >= 250000:  # upsert_many: one transaction per 50,000, in key order
            await store.upsert_many("audit-log", batch)
            batch = []
    if batch:
        await store.upsert_many("audit-log", batch)
    seeded = time.perf_counter() - t0
    service = ctx.usage
    times, report = [], None
    for _ in range(ROUNDS):
        t = time.perf_counter()
        report = await service.report()
        times.append(time.perf_counter() - t)
    await ctx.close()
    print(json.dumps({"usage_s": statistics.median(times), "usage_seed_s": seeded,
                      "usage_workspaces": report.cards.workspaces, "usage_events_30d": report.cards.audit_events,
                      "usage_idle_workspaces": len(report.idle), "usage_items": report.cards.items}))


asyncio.run(main(sys.argv[2]))
"""


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="loom-bench-usage-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NO_COLOR", "TEXTUAL_"))}
        env.update(TERM="xterm-256color", LOOM_DATA_DIR=f"{tmp}/data", LOOM_CONFIG=f"{tmp}/config.toml", LOOM_STATE_DIR=f"{tmp}/state")
        out = subprocess.run([sys.executable, "-c", CHILD, str(HERE.parent), f"{tmp}/data", str(ROUNDS)], env=env,
                             capture_output=True, text=True, check=True, timeout=3600)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        base = [first_frame_s([sys.executable, str(HERE / "_baseline_app.py")], env) for _ in range(ROUNDS)]
    result["usage_startup_baseline_s"] = statistics.median(base)
    return {k: float(v) for k, v in result.items()}


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k}: {v:.4f}")
