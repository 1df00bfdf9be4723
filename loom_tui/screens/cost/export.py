"""Write the Cost screen's current view to a file (CSV, JSON or Markdown), named by view and time:
the page as the service's typed rows, written by the cost export (:mod:`loom_tui.services.cost.export`,
through the one formatter: the same escapes, CSV formula rule and full precision as ``loom cost ...
-o csv|json``)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from loom_tui.services.cost.export import export_view
from loom_tui.services.cost.model import ResourceCost

from .model import CostPage


def page_view(page: CostPage) -> list:
    """The page's rows as the service's typed rows (so export shares one formatter)."""
    from loom_tui.services.cost.model import Chargeback, DayCost, Daily, Line

    q = page.query
    assert q.period is not None
    if page.columns == "chargeback":
        lines = [Line(r["key"], r["name"], r["cost"]) for r in page.rows if not r.get("unallocated") and not r.get("total")]
        un = next((r["cost"] for r in page.rows if r.get("unallocated")), 0)
        total = next((r["cost"] for r in page.rows if r.get("total")), 0)
        return [Chargeback(page.currency or "", q.period, q.by, q.kind, total, un, lines)] if page.currency else []
    if page.columns == "resources":
        return [ResourceCost(r["key"], r["name"], r["type"], r["rg"], r["cost"]) for r in page.rows]
    from datetime import date

    return [Daily(page.currency or "", q.period, [DayCost(date.fromisoformat(r["name"]), r["cost"]) for r in page.rows])]


def export_page(page: CostPage, fmt: str, folder: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    by = page.state.by.replace(":", "-").replace("/", "-")
    return export_view(page_view(page), fmt, folder, f"cost-{page.columns}-{by}-{stamp}")
