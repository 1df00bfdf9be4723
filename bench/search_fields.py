"""Search per keystroke on the web console's own fields vs loom's old lower-cased shadow fields.

Issue 14 moved search from ``nameLower`` / ``descriptionLower`` / ``displayNameLower`` (a
case-sensitive CONTAINS on fields only loom writes) to a case-insensitive CONTAINS on ``name`` /
``description`` / ``displayName`` (the web console's fields).  This measures, on the embedded
store, in one process and one run, what one keystroke of a search costs the list — the count and
the first window of 50 rows, as the Workspaces screen and the Items pane ask for them — both ways:

* ``ws_search_s``: 10,000 workspaces, the service's query (visibility, not-deleting, the
  case-insensitive search, newest access first), median over every prefix of ``scale-0999``;
  baseline ``ws_search_old_s``: the same with the old CONTAINS on ``nameLower``/``descriptionLower``;
* ``items_search_s``: 100,000 items in one workspace, the service's item query, every prefix of
  ``orders_gold_0``; baseline ``items_search_old_s``: CONTAINS on ``displayNameLower``.

The seed (``seed_scale``) still writes the shadow fields, so both queries run on the same data,
and the store is opened with the old schema's indexes on the shadow fields added back (the
baselines run as they did before, with their index and its ``INDEXED BY`` hint).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time

BASELINES = {"ws_search_s": "ws_search_old_s", "items_search_s": "items_search_old_s"}
ROUNDS = 4
WS_TERM = "scale-0999"
ITEM_TERM = "orders_gold_0"


async def _measure() -> dict[str, float]:
    """Open the store with the old shadow-field indexes added back, for the baselines."""
    import dataclasses

    from loom_tui.domain import containers

    old_indexes = {"workspaces": ("nameLower",), "items": ("displayNameLower",)}
    saved = {name: containers.CONTAINERS[name] for name in old_indexes}
    for name, fields in old_indexes.items():
        containers.CONTAINERS[name] = dataclasses.replace(saved[name], indexed=saved[name].indexed + fields)
    try:
        return await _run()
    finally:
        containers.CONTAINERS.update(saved)


async def _run() -> dict[str, float]:
    from loom_tui.config import Profile
    from loom_tui.domain.workspace import WorkspaceView
    from loom_tui.local.demo import DEMO_SESSION, ensure_demo, seed_scale
    from loom_tui.wiring import context as make_context
    from loom_tui.services.workspaces.items import ItemView, view_query as item_query
    from loom_tui.services.workspaces.service import not_deleting, view_query as ws_query
    from loom_tui.store.query import AnyOf, Filter, Op, Query, eq
    from loom_tui.store.sqlite import SqliteStore

    out: dict[str, list[float]] = {k: [] for k in ("ws_search_s", "ws_search_old_s", "items_search_s", "items_search_old_s")}
    with tempfile.TemporaryDirectory(prefix="loom-search-") as tmp:
        store = SqliteStore(tmp)
        await store.open()
        try:
            await ensure_demo(store)
            await seed_scale(store, workspaces=9959, items_per_workspace=0, prefix="scale")
            await seed_scale(store, workspaces=1, items_per_workspace=100_000, prefix="big", seed=2)
            ctx = make_context(profile=Profile(), store=store, session=DEMO_SESSION)
            tid = DEMO_SESSION.tenant_id
            big = (await store.query("workspaces", tid, Query((eq("name", "big-00001"),)), max_items=1)).items[0]["id"]

            async def keystroke(container: str, pk: str, q: Query) -> float:
                t0 = time.perf_counter()
                await store.count(container, pk, q)
                await store.window(container, pk, q, 0, 50)
                return time.perf_counter() - t0

            async def pair(container: str, pk: str, new: Query, old: Query, flip: bool) -> tuple[float, float]:
                # which one runs first alternates, so neither always finds the pages the other warmed
                if flip:
                    o = await keystroke(container, pk, old)
                    return await keystroke(container, pk, new), o
                n = await keystroke(container, pk, new)
                return n, await keystroke(container, pk, old)

            for r in range(ROUNDS):
                for i in range(1, len(WS_TERM) + 1):
                    term = WS_TERM[:i]
                    new = ws_query(WorkspaceView(search=term), await ctx.scoped.visibility(), DEMO_SESSION)
                    old = Query((not_deleting(), AnyOf((Filter("nameLower", Op.CONTAINS, term.lower()),
                                                         Filter("descriptionLower", Op.CONTAINS, term.lower())))), new.order_by)
                    n, o = await pair("workspaces", tid, new, old, (r + i) % 2 == 1)
                    out["ws_search_s"].append(n)
                    out["ws_search_old_s"].append(o)
                for i in range(1, len(ITEM_TERM) + 1):
                    term = ITEM_TERM[:i]
                    new = item_query(ItemView(search=term))
                    old = Query((Filter("displayNameLower", Op.CONTAINS, term.lower()),), new.order_by)
                    n, o = await pair("items", big, new, old, (r + i) % 2 == 1)
                    out["items_search_s"].append(n)
                    out["items_search_old_s"].append(o)
        finally:
            await store.close()
    return {k: statistics.median(v) for k, v in out.items()}


def run() -> dict[str, float]:
    return asyncio.run(_measure())


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
