"""Month-to-date cost per resource, and a resource's cost per day, from the Cost service (the cost
table of imported exports, or the demo tenant's generated one).  Cost is tenant-wide, so only
tenant admins see it; without data the column stays blank and says why (never a guessed number)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from loom_tui.errors import LoomError

if TYPE_CHECKING:
    from loom_tui.services.cost.service import CostService


class CostUnavailable(LoomError, LookupError):
    """No cost to show, for a reason that is not a failure (no data imported, not an admin); a
    sentence for the operator (a LoomError: the screens show it on the flash line, not as a bug)."""


class StoreCost:
    def __init__(self, cost: "CostService") -> None:
        self.cost = cost

    async def ready(self) -> None:
        """Raises :class:`CostUnavailable` (why) when there is no cost data to read."""
        await self.cost.ensure_seeded()
        status = await self.cost.status()
        if not status.files:
            raise CostUnavailable("no cost data yet: import a Cost Management export with `loom cost import PATH`")

    async def month_to_date(self, scopes: list[str]) -> dict[str, tuple[float | None, str]]:
        """resource id (lower case) -> (cost, currency) for this month so far; a resource billed in
        more than one currency -> (None, why): currencies are never summed."""
        from loom_tui.services.cost.model import Query

        await self.ready()
        out: dict[str, tuple[float | None, str]] = {}
        for currency, rows in (await self.cost.resources(Query(by="resource"), limit=None)).items():  # every one: never capped
            for rc in rows:
                if not rc.resource_id:
                    continue
                key = rc.resource_id.lower()
                if key in out and out[key][1] != currency:
                    out[key] = (None, "billed in more than one currency: see `loom cost show --by resource`")
                elif key not in out:
                    out[key] = (float(rc.cost), currency)
        return out

    async def per_day(self, resource_id: str) -> list[tuple[str, list[tuple[date, Decimal]]]]:
        """[(currency, [(day, cost), ...])] for this month so far (every day, zero-filled)."""
        from loom_tui.services.cost.model import Query

        await self.ready()
        daily = await self.cost.daily(Query(by="resource", filter_by="resource", filter_key=resource_id.lower(), filtered=True))
        return [(d.currency, [(x.day, x.cost) for x in d.days]) for d in daily]
