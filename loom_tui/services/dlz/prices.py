"""The monthly price of each Fabric F SKU for the DLZ wizard's capacity step, from the one estimator
(:mod:`loom_tui.services.capacity.prices`: a capacity's billed cost per CU-hour while active, the
same figure Capacity's scale shows).

The DLZ wizard has no capacity of its own yet, so it asks about the estate's Fabric capacities billed in the
last 30 days, most billed first, and uses the first that gives a rate.  Without one, or for a
user who may not see cost (cost is tenant-wide), the answer is no prices and why — never a guessed
number.
"""

from __future__ import annotations

from typing import Any

from loom_tui.services.capacity.prices import SkuPrices

FABRIC = "/providers/microsoft.fabric/capacities/"
FABRIC_TYPE = "Microsoft.Fabric/capacities"  # api-version picked per cloud (api_versions.py)

__all__ = ["SkuPrices", "sku_prices"]


async def sku_prices(ctx: Any) -> SkuPrices:
    from loom_tui.domain.capacity import Resource

    capacity = ctx.capacity
    source, why = capacity.cost_source()
    if source is None:
        return SkuPrices(why_not=why)
    try:
        billed = await source.month_to_date([])
    except LookupError as exc:
        return SkuPrices(why_not=str(exc))
    fabric = sorted(((cost, rid) for rid, (cost, _) in billed.items() if FABRIC in rid and cost), reverse=True)
    if not fabric:
        return SkuPrices(why_not="no Fabric capacity of the estate was billed this month, so the Cost service knows no price")
    clients = await ctx.azure()
    last = ""
    for _, rid in fabric:
        try:
            from loom_tui.azure.api_versions import pick

            body = (await clients.send("GET", rid, await pick(clients, FABRIC_TYPE, path=rid))).body or {}
        except Exception as exc:  # noqa: BLE001 — gone or unreadable: try the next one
            last = f"{rid.rsplit('/', 1)[-1]}: {exc}"
            continue
        name = str(body.get("name") or rid.rsplit("/", 1)[-1])
        r = Resource(id=str(body.get("id") or rid), name=name, type="Microsoft.Fabric/capacities", location=str(body.get("location") or ""),
                     resource_group="", subscription_id="", sku=str((body.get("sku") or {}).get("name") or "") or None)
        prices = await capacity.sku_prices(r)
        if prices.prices:
            return prices
        last = prices.why_not
    return SkuPrices(why_not=f"no billed Fabric capacity gives a price ({last})")
