"""Cost exports on DuckDB: import and group 1M FOCUS rows through loom, against DuckDB alone.

* ``cost_1m_rows_s``: ``loom_tui.local.cost.importer.import_paths`` (hash, header detection,
  typed insert with every normalisation: dates, decimals, tags JSON, lower-cased Azure ids,
  tag-key index, one transaction) of a generated 1,000,000-row FOCUS 1.0 CSV into a new cost
  database file, then the cost by workspace tag x day (``services.cost.views.daily_by``).
* ``cost_duckdb_raw_s`` (its baseline, same run, same file): DuckDB alone doing the same work the
  plain way: ``CREATE TABLE AS SELECT * FROM read_csv(file)`` into a new database file, then
  ``GROUP BY json_extract_string(Tags, '$.loomWorkspaceId'), day`` with ``sum(BilledCost)``.
* ``cost_1m_peak_rss_mb`` / ``cost_duckdb_raw_peak_rss_mb``: peak resident memory of each (each
  runs in its own process, best of ``LOOM_BENCH_ROUNDS`` rounds, default 2).
``LOOM_BENCH_COST_ROWS`` changes the row count (the metric names keep "1m").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

BASELINES = {"cost_1m_rows_s": "cost_duckdb_raw_s", "cost_1m_peak_rss_mb": "cost_duckdb_raw_peak_rss_mb"}
WORKSPACES = 200


def generate(path: Path, rows: int) -> None:
    """A FOCUS 1.0 file with the demo export's columns: 90 days, 200 workspaces, 10 % untagged."""
    import duckdb

    from loom_tui.local.cost.demo_data import FOCUS_COLUMNS

    exprs = {
        "BilledCost": "round(((i * 7919) % 100000) / 1000.0 + 0.01, 6)",
        "BillingAccountId": "'/providers/Microsoft.Billing/billingAccounts/bench'",
        "BillingAccountName": "'bench'", "BillingCurrency": "'USD'",
        "BillingPeriodEnd": "'2026-12-01T00:00:00Z'", "BillingPeriodStart": "'2026-11-01T00:00:00Z'",
        "ChargeCategory": "'Usage'", "ChargeClass": "NULL", "ChargeDescription": "'usage'", "ChargeFrequency": "'Usage-Based'",
        "ChargePeriodEnd": "strftime(DATE '2026-08-01' + CAST(i % 90 + 1 AS INTEGER), '%Y-%m-%dT00:00:00Z')",
        "ChargePeriodStart": "strftime(DATE '2026-08-01' + CAST(i % 90 AS INTEGER), '%Y-%m-%dT00:00:00Z')",
        "ContractedCost": "round(((i * 7919) % 100000) / 1000.0 + 0.01, 6)",
        "EffectiveCost": "round(((i * 7919) % 100000) / 1000.0 + 0.01, 6)",
        "InvoiceIssuerName": "'Microsoft'", "ListCost": "round(((i * 7919) % 100000) / 1000.0 + 0.01, 6)",
        "PricingQuantity": "1", "PricingUnit": "'Hours'", "ProviderName": "'Microsoft'", "PublisherName": "'Microsoft'",
        "RegionId": "'eastus2'", "RegionName": "'East US 2'",
        "ResourceId": "'/subscriptions/de700000-0000-4000-8000-0000000000d1/resourceGroups/RG-Bench-' || (i % 7) || "
                      "'/providers/Microsoft.Storage/storageAccounts/st' || (i % 5000)",
        "ResourceName": "'st' || (i % 5000)", "ResourceType": "'storageAccounts'", "ServiceCategory": "'Storage'",
        "ServiceName": "'Storage'", "SubAccountId": "'/subscriptions/de700000-0000-4000-8000-0000000000d1'",
        "SubAccountName": "'bench'",
        "Tags": "CASE WHEN i % 10 = 0 THEN NULL ELSE '{\"loomTenantId\": \"t1\", \"loomDomain\": \"d' || (i % 6) || "
                "'\", \"loomWorkspaceId\": \"ws-' || lpad(CAST(i % 200 AS VARCHAR), 4, '0') || '\"}' END",
        "x_ResourceGroupName": "'rg-bench-' || (i % 7)", "x_ResourceType": "'microsoft.storage/storageaccounts'",
    }
    select = ", ".join(f"{exprs[c]} AS \"{c}\"" for c in FOCUS_COLUMNS)
    duckdb.connect().execute(f"COPY (SELECT {select} FROM range({rows}) t(i)) TO '{path}' (HEADER, DELIMITER ',')")


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _loom(csv_path: str, db_path: str) -> dict:
    from datetime import date

    from loom_tui.local.cost import db
    from loom_tui.local.cost.importer import import_paths
    from loom_tui.services.cost import views
    from loom_tui.services.cost.model import Period, Query

    t0 = time.perf_counter()
    res = import_paths(db_path, [csv_path])
    period = Period(date(2026, 8, 1), date(2026, 11, 1))
    with db.connect(db_path) as con:
        out = views.daily_by(con, Query("workspace", period), views.TagKeys(), period)
    elapsed = time.perf_counter() - t0
    groups = sum(len(k) for k in out["USD"].values())
    total = float(sum(sum(d.values()) for d in out["USD"].values()))
    return {"s": elapsed, "rows": res.rows, "groups": groups, "total": total, "rss": _rss_mb()}


def _raw(csv_path: str, db_path: str) -> dict:
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect(db_path)
    con.execute(f"CREATE TABLE focus AS SELECT * FROM read_csv('{csv_path}')")
    rows = con.execute(
        "SELECT json_extract_string(Tags, '$.loomWorkspaceId') AS ws, CAST(ChargePeriodStart AS DATE) AS day, sum(BilledCost) "
        "FROM focus GROUP BY ALL").fetchall()
    con.close()
    elapsed = time.perf_counter() - t0
    return {"s": elapsed, "rows": None, "groups": len(rows), "total": float(sum(r[2] for r in rows)), "rss": _rss_mb()}


def _child(kind: str, csv_path: Path, tmp: Path) -> dict:
    db_path = tmp / f"{kind}-{time.monotonic_ns()}.duckdb"
    r = subprocess.run([sys.executable, __file__, kind, str(csv_path), str(db_path)], capture_output=True, text=True, check=True)
    db_path.unlink(missing_ok=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def run() -> dict[str, float]:
    rows = int(os.environ.get("LOOM_BENCH_COST_ROWS", "1000000"))
    rounds = max(1, int(os.environ.get("LOOM_BENCH_ROUNDS", "2")))
    with tempfile.TemporaryDirectory(prefix="loom-bench-cost-") as d:
        tmp = Path(d)
        csv_path = tmp / "focus-bench.csv"
        generate(csv_path, rows)
        loom, raw = [], []
        for _ in range(rounds):  # interleaved, so machine load hits both alike
            loom.append(_child("loom", csv_path, tmp))
            raw.append(_child("raw", csv_path, tmp))
    best_loom, best_raw = min(loom, key=lambda r: r["s"]), min(raw, key=lambda r: r["s"])
    if best_loom["groups"] != best_raw["groups"] or abs(best_loom["total"] - best_raw["total"]) > 0.01 * max(1, rows / 1000):
        raise AssertionError(f"loom and DuckDB disagree: {best_loom} vs {best_raw}")
    return {"cost_1m_rows_s": best_loom["s"], "cost_duckdb_raw_s": best_raw["s"],
            "cost_1m_peak_rss_mb": max(r["rss"] for r in loom), "cost_duckdb_raw_peak_rss_mb": max(r["rss"] for r in raw)}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] in ("loom", "raw"):
        print(json.dumps((_loom if sys.argv[1] == "loom" else _raw)(sys.argv[2], sys.argv[3])))
    else:
        print(json.dumps(run(), indent=2))
