"""The monthly price of each Fabric F SKU, where the Cost service knows it.

There is no retail price list in the house: what loom knows is what the tenant was billed.  Fabric
prices are linear in capacity units, so a Fabric capacity of the estate billed this month gives the
price of every F SKU (:meth:`loom_tui.services.capacity.service.CapacityService.monthly_prices`, the
same estimate the Capacity area's scale shows).  Without such a capacity, or for a user who may not
see cost (cost is tenant-wide), the answer is no prices and why — never a guessed number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FABRIC = "/providers/microsoft.fabric/capacities/"
FABRIC_TYPE = "Microsoft.Fabric/capacities"  # api-version picked per cloud (api_versions.py)


@dataclass(frozen=True)
class SkuPrices:
    prices: dict[str, float] = field(default_factory=dict)  # F SKU -> estimated monthly price
    currency: str = ""
    basis: str = ""  # where the estimate comes from
    why_not: str = ""  # why there are no prices

    def label(self, sku: str) -> str:
        price = self.prices.get(sku)
        return f"≈ {price:,.2f} {self.currency}/month" if price is not None else ""

    @property
    def headline(self) -> str:
        if self.prices:
            return f"Monthly prices {self.basis}; prices differ by region and agreement."
        return f"Monthly prices not shown: {self.why_not}."


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
        prices, currency, basis = await capacity.monthly_prices(r)
        if prices:
            where = f" ({r.location})" if r.location else ""
            basis = basis.removeprefix("estimated from its ")
            return SkuPrices(prices, currency, f"estimated from what capacity {name}{where} was billed on its {basis}")
        last = f"{name}: {basis}"
    return SkuPrices(why_not=f"no billed Fabric capacity gives a price ({last})")
