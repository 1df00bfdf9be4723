"""Issue 22 item 2 in the TUI: the Cost screen's CSV export goes through the one formatter, so a
name a spreadsheet would run as a formula is neutralised there too (negative costs stay numbers),
and its JSON keeps every digit (issue 21 item 9)."""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal

from loom_tui.screens.cost.export import export_page
from loom_tui.screens.cost.model import CostPage, ViewState
from loom_tui.services.cost.model import Period, Query


def _page() -> CostPage:
    q = Query("workspace", Period(date(2026, 11, 1), date(2026, 11, 21), "mtd"))
    rows = [{"key": "w1", "name": "=HYPERLINK(\"http://x\",\"y\")", "cost": Decimal("12.345678")},
            {"key": "w2", "name": "@SUM(1)", "cost": Decimal("-3.5")},
            {"key": None, "name": "(unallocated)", "cost": Decimal("0.000015"), "unallocated": True},
            {"key": None, "name": "(total)", "cost": Decimal("8.845693"), "total": True}]
    return CostPage(ViewState(), q, "by workspace", "chargeback", rows, ["USD"], "USD")


def test_the_tui_csv_export_neutralises_formulas(tmp_path):
    path = export_page(_page(), "csv", tmp_path)
    lines = list(csv.DictReader(path.open(encoding="utf-8")))
    names = [r["name"] for r in lines]
    assert names[0] == "'=HYPERLINK(\"http://x\",\"y\")" and names[1] == "'@SUM(1)"
    assert [r["cost"] for r in lines] == ["12.345678", "-3.5", "0.000015", "8.845693"]


def test_the_tui_json_export_keeps_every_digit(tmp_path):
    body = json.loads(export_page(_page(), "json", tmp_path).read_text(encoding="utf-8"), parse_float=Decimal)
    assert body["total"] == Decimal("8.845693") and body["rows"][0]["name"].startswith("=HYPERLINK")
    assert sum((r["cost"] for r in body["rows"]), Decimal(0)) + body["unallocated"] == body["total"]
