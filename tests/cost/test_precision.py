"""Issue 21 item 9: costs in ``-o json|csv|tsv`` carry the source's precision, so rows sum exactly
to ``total`` — on every cost fixture in ../shared/fixtures/cost (real exports); tables keep two
decimals.  The real ``loom`` in a subprocess; the oracle is an independent csv + Decimal sum."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from tests.conftest import SHARED

FIXTURES = sorted(p for p in (SHARED / "fixtures" / "cost").rglob("*.csv")) if (SHARED / "fixtures" / "cost").exists() else []
COST_COLUMNS = {"focus": ("BilledCost", "EffectiveCost"), "ea": ("Cost",)}
STORED = Decimal("1e-12")  # the cost table's DECIMAL(38,12)
WIDE = ("--from", "2000-01-01", "--to", "2030-12-31")


def loom(*args: str) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "loom_tui.cli", *args], capture_output=True, text=True, env=os.environ.copy(), timeout=180)
    assert r.returncode == 0, (args, r.stderr)
    return r


def _cost_exports():
    out = []
    for path in FIXTURES:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh))
        if "BilledCost" in header:
            out.append((path, "focus"))
        elif "Cost" in header and "Date" in header:
            out.append((path, "ea"))
    return out


EXPORTS = _cost_exports()


def _oracle(path, family: str, kind: str) -> dict[str, Decimal]:
    """Per currency, the file's cost summed with Decimal (each value as the cost table stores it)."""
    column = {"focus": {"actual": "BilledCost", "amortized": "EffectiveCost"}[kind], "ea": "Cost"}[family]
    total: dict[str, Decimal] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            value = (row.get(column) or "").strip()
            if value in ("", "NULL"):
                continue
            cur = (row.get("BillingCurrency") or row.get("BillingCurrencyCode") or "").upper()
            total[cur] = total.get(cur, Decimal(0)) + Decimal(value).quantize(STORED, ROUND_HALF_EVEN)
    return total


def test_the_fixtures_are_there():
    assert len(EXPORTS) >= 4, [str(p) for p, _ in EXPORTS]


@pytest.mark.parametrize("path, family", EXPORTS, ids=[p.name for p, _ in EXPORTS])
def test_json_rows_sum_exactly_to_the_total_on_every_fixture(path, family):
    kind = "amortized" if "amortized" in path.name.lower() else "actual"
    loom("cost", "import", str(path), *(("--type", kind) if family == "ea" else ()))
    oracle = _oracle(path, family, kind)
    for by in ("service", "resource-group", "workspace", "subscription", "resource-type"):
        body = json.loads(loom("cost", "show", "--by", by, "--type", kind, *WIDE, "-o", "json").stdout, parse_float=Decimal)
        shows = body if isinstance(body, list) else [body]
        assert {s["currency"] for s in shows} == set(oracle)
        for s in shows:
            rows = sum((Decimal(r["cost"]) for r in s["rows"]), Decimal(0)) + Decimal(s["unallocated"])
            assert rows == Decimal(s["total"]), (by, s["currency"], rows, s["total"])  # exactly
            assert Decimal(s["total"]) == oracle[s["currency"]], (by, s["total"], oracle)
    # csv and tsv: the rows of each currency sum exactly to its "(total)" line
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        out = loom("cost", "show", "--by", "service", "--type", kind, *WIDE, "-o", fmt).stdout
        lines = list(csv.DictReader(io.StringIO(out), delimiter=sep))
        for cur in oracle:
            mine = [r for r in lines if r["currency"] == cur]
            total = next(Decimal(r["cost"]) for r in mine if r["name"] == "(total)")
            assert sum((Decimal(r["cost"]) for r in mine if r["name"] != "(total)"), Decimal(0)) == total == oracle[cur]


def test_small_unit_costs_do_not_vanish_and_a_table_keeps_two_decimals(tmp_path):
    f = tmp_path / "tiny.csv"
    f.write_text("ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ServiceName\n"
                 "2026-11-02T00:00:00Z,0.00001500000,0.00001500000,USD,Storage\n"
                 "2026-11-02T00:00:00Z,20.05,20.05,USD,Compute\n")
    loom("cost", "import", str(f))
    body = json.loads(loom("cost", "show", "--by", "service", *WIDE, "-o", "json").stdout, parse_float=Decimal)
    assert {r["name"]: r["cost"] for r in body["rows"]} == {"Storage": Decimal("0.000015"), "Compute": Decimal("20.05")}
    assert body["total"] == Decimal("20.050015")
    table = loom("cost", "show", "--by", "service", *WIDE).stdout
    assert "20.05" in table and "0.00" in table and "20.050015" not in table
