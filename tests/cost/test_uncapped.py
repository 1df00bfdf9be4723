"""Issue 24 defect 4: nothing machine-read is capped without a word — the Capacity area's cost
column (and ``loom capacity list -o json``'s ``monthToDateCost``) reads every billed resource, not
the 500 most expensive."""

from __future__ import annotations

from datetime import date, timedelta

from loom_tui.services.capacity.costs import StoreCost

from .conftest import TODAY


async def test_month_to_date_cost_covers_every_billed_resource(ctx, tmp_path):
    day = date.fromisoformat(TODAY) - timedelta(days=1)
    lines = ["ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ResourceId"]
    for i in range(650):
        rid = f"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st{i:04d}"
        lines.append(f"{day.isoformat()}T00:00:00Z,{1 + i / 100},{1 + i / 100},USD,{rid}")
    f = tmp_path / "many.csv"
    f.write_text("\n".join(lines) + "\n")
    await ctx.cost.import_paths([str(f)])
    billed = await StoreCost(ctx.cost).month_to_date([])
    assert len(billed) == 650
    assert billed["/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/st0000"] == (1.0, "USD")
