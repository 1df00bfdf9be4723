"""What one resource was billed, and for how much use, over a window: the basis of a price per
unit of use (a Fabric capacity's price per CU-hour while active, ``services/capacity/prices.py``).

Cost Management's exports carry what was used beside what it cost: FOCUS ``ConsumedQuantity`` /
``ConsumedUnit`` (else ``PricingQuantity`` / ``PricingUnit``), EA/MCA ``Quantity`` /
``UnitOfMeasure``.  Fabric's compute meter is billed per CU hour (``1 Hour``, ``10 Hours``: the
number in the unit multiplies the quantity).  Rows whose unit is not in hours (OneLake storage
billed to the same capacity, ``1 GB/Month``) are not use in hours and are left out of the rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Metered:
    currency: str
    cost: Decimal  # everything billed to the resource in the window
    hour_cost: Decimal  # the part billed by the hour (its compute)
    hours: Decimal  # the hours of use behind ``hour_cost`` (CU hours for a Fabric capacity); 0: not in the data
    billed_days: int  # days with a cost above zero
    first: date
    last: date


HOURS = "regexp_matches(lower(coalesce(unit, '')), 'hour')"
# "10 Hours" -> 10; "Hours", "1/Hour", "CU Hours" -> 1
MULTIPLIER = "coalesce(TRY_CAST(nullif(regexp_extract(unit, '^\\s*([0-9]+)', 1), '') AS DECIMAL(38,12)), 1)"


def metered(con: Any, source: str, resource_id: str, since: date, until: date) -> list[Metered]:
    """Per currency, what ``resource_id`` (any case) was billed (actual cost) in [since, until)."""
    rows = con.execute(
        f"SELECT currency, sum(actual), coalesce(sum(actual) FILTER (WHERE {HOURS} AND quantity > 0), 0), "
        f"coalesce(sum(quantity * {MULTIPLIER}) FILTER (WHERE {HOURS} AND quantity > 0), 0), "
        "count(DISTINCT date) FILTER (WHERE actual > 0), min(date), max(date) "
        "FROM cost WHERE source = ? AND lower(resource_id) = ? AND date >= ? AND date < ? AND actual IS NOT NULL "
        "GROUP BY currency ORDER BY currency", [source, resource_id.lower(), since, until]).fetchall()
    return [Metered(cur, Decimal(cost), Decimal(hour_cost), Decimal(hours), days, first, last)
            for cur, cost, hour_cost, hours, days, first, last in rows]
