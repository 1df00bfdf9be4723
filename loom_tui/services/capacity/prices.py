"""The one price estimator of Fabric F SKUs: the DLZ wizard's capacity step and Capacity's scale (the
dialog and ``loom capacity scale``) both ask it.

There is no retail price list in the house: what loom knows is what the tenant was billed.  Fabric
prices are linear in capacity units and billed per CU hour while a capacity is active (nothing
while it is paused), so the basis is a capacity's **billed cost per CU-hour while active**:

* from the export's usage quantity (the compute meter's CU hours) over the last 30 days with
  data: hour-metered cost / CU hours.  Days it was paused bill nothing and add no hours; a scale
  in the window is counted at each SKU's hours;
* without quantities (a live Cost Management answer, an export without them): the cost divided
  by (CUs of its SKU x 24 h x the days it was billed), each billed day taken as a whole day at its
  present SKU; the basis says so.

A month is 730 hours (Azure's pricing convention).  Every figure says its basis; without a billed
capacity, or for someone who may not see cost (it is tenant-wide), there is no price and why —
never a guessed number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from loom_tui.domain.capacity import F_SKUS, Resource, fabric_cus

MONTH_HOURS = Decimal(730)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SkuPrices:
    prices: dict[str, Decimal] = field(default_factory=dict)  # F SKU -> estimated monthly price
    currency: str = ""
    basis: str = ""  # where the estimate comes from ("0.18 USD per CU-hour active, from ...")
    why_not: str = ""  # why there are no prices
    per_cu_hour: Decimal | None = None

    def label(self, sku: str) -> str:
        price = self.prices.get(sku.upper())
        return f"≈ {price:,.2f} {self.currency}/month" if price is not None else ""

    @property
    def headline(self) -> str:
        if self.prices:
            return f"Monthly prices estimated at {self.basis}; prices differ by region and agreement."
        return f"Monthly prices not shown: {self.why_not}."

    def change(self, old: str, new: str) -> str:
        """One line on what going from ``old`` to ``new`` does to the monthly bill, with its basis."""
        old, new = (old or "").upper(), (new or "").upper()
        if not self.prices:
            return f"monthly price difference not known: {self.why_not}"
        if old not in self.prices or new not in self.prices:
            return f"monthly price difference not known: {old or 'the present SKU'} is not an F SKU"
        diff = self.prices[new] - self.prices[old]
        return f"{old} -> {new}: about {diff:+,.0f} {self.currency}/month ({self.prices[new]:,.0f} instead of " \
               f"{self.prices[old]:,.0f}), estimated at {self.basis}"


def _prices(per_cu_hour: Decimal) -> dict[str, Decimal]:
    return {sku: (per_cu_hour * (fabric_cus(sku) or 0) * MONTH_HOURS).quantize(CENT, ROUND_HALF_UP) for sku in F_SKUS}


def _rate(rate: Decimal) -> str:
    return f"{rate.quantize(Decimal('0.0001'), ROUND_HALF_UP).normalize():f}"


async def estimate(cost: Any, r: Resource) -> SkuPrices:
    """The monthly price of every F SKU from what Fabric capacity ``r`` was billed (``cost``: the
    Cost service).  ``LookupError`` and ``Forbidden`` become the reason there are none."""
    cus = fabric_cus(r.sku)
    if cus is None:
        return SkuPrices(why_not=f"{r.name} is not on a Fabric F SKU ({r.sku or 'no SKU'})")
    metered = await cost.metered(r.id)
    if not metered:
        return SkuPrices(why_not=f"{r.name} was not billed in the cost data")
    if len(metered) > 1:
        return SkuPrices(why_not=f"{r.name} was billed in more than one currency ({', '.join(m.currency for m in metered)})")
    m = metered[0]
    where = f"{r.name} ({r.location})" if r.location else r.name
    span = f"{m.first.isoformat()}..{m.last.isoformat()}"
    if m.hours > 0 and m.hour_cost > 0:
        per = m.hour_cost / m.hours
        basis = (f"{_rate(per)} {m.currency} per CU-hour active: what {where} was billed {span} "
                 f"({m.hour_cost:,.2f} {m.currency} for {m.hours:,.0f} CU-hours); a month is 730 hours")
        return SkuPrices(_prices(per), m.currency, basis, per_cu_hour=per)
    if m.cost <= 0 or m.billed_days <= 0:
        return SkuPrices(why_not=f"{r.name} billed nothing {span}")
    per = m.cost / (Decimal(cus) * 24 * m.billed_days)
    basis = (f"{_rate(per)} {m.currency} per CU-hour active: what {where} was billed {span} "
             f"({m.cost:,.2f} {m.currency} over {m.billed_days} billed days, each taken as a whole day at {r.sku}: "
             "the cost data has no usage hours); a month is 730 hours")
    return SkuPrices(_prices(per), m.currency, basis, per_cu_hour=per)
