"""The rules Azure's Consumption API sets for a budget (Microsoft.Consumption 2024-08-01,
``BudgetProperties`` / ``BudgetTimePeriod`` / ``Notification``), each with a name and one line.

loom checks a budget against them before it sends it (a broken rule is refused with its line and
nothing is sent); a budget read from Azure that breaks one is shown as it is, with the rule named.

From the spec's own words:

* ``start-first-of-month``: "The start date must be first of the month".
* ``start-after-june-2017``: "Budget start date must be on or after June 1, 2017".
* ``start-within-12-months``: "Future start date should not be more than twelve months".
* ``start-in-current-period``: "Past start date should be selected within the timegrain period".
* ``start-before-end``: the start "should be less than the end date".
* ``at-most-5-notifications``: "Budget can have up to five notifications".
* ``contact-needed``: "Must have at least one contact email or contact group specified at the
  Subscription or Resource Group scopes. All other scopes must have at least one contact email".
* ``contact-groups-scope``: contact groups are "Only supported at Subscription or Resource Group
  scopes".
* ``at-most-50-contacts``: contactEmails and contactGroups hold at most 50 each.
* ``threshold-0-1000``: the threshold "is always percent and has to be between 0 and 1000".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loom_tui.azure.budgets import Budget

EARLIEST_START = date(2017, 6, 1)
MAX_NOTIFICATIONS = 5
MAX_CONTACTS = 50

RULES = {
    "start-first-of-month": "the start date must be the first of a month",
    "start-after-june-2017": "the start date must be on or after 2017-06-01",
    "start-within-12-months": "the start date may be at most twelve months ahead",
    "start-in-current-period": "a start date in the past must fall within the current period of the time grain",
    "start-before-end": "the start date must be before the end date",
    "at-most-5-notifications": "a budget has at most five notifications",
    "contact-needed": "every notification needs at least one contact email (or, at a subscription or resource group, an action group)",
    "contact-groups-scope": "action groups (contact groups) are only allowed at a subscription or resource group",
    "at-most-50-contacts": "a notification has at most 50 contact emails and 50 action groups",
    "threshold-0-1000": "a threshold is a percentage between 0 and 1000",
}


@dataclass(frozen=True)
class Broken:
    rule: str
    detail: str = ""

    def line(self) -> str:
        return f"{self.rule}: {RULES[self.rule]}" + (f" ({self.detail})" if self.detail else "")


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def period_start(grain: str, today: date) -> date:
    if grain == "Quarterly":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    if grain == "Annually":
        return today.replace(month=1, day=1)
    return today.replace(day=1)


def arm_scope(scope: str) -> bool:
    """A subscription or resource group scope (where action groups are allowed)."""
    parts = [p.lower() for p in scope.strip("/").split("/")]
    return len(parts) in (2, 4) and parts[0] == "subscriptions" and (len(parts) == 2 or parts[2] == "resourcegroups")


def check(b: "Budget", today: date, *, new: bool = True) -> list[Broken]:
    """Every rule ``b`` breaks.  ``new``: the start date is being set now (the rules on a start
    date in the past or far ahead apply when it is sent, not to one Azure accepted long ago)."""
    out: list[Broken] = []
    start, end = b.start, b.end
    if start is not None:
        if start.day != 1:
            out.append(Broken("start-first-of-month", f"{start.isoformat()}"))
        if start < EARLIEST_START:
            out.append(Broken("start-after-june-2017", f"{start.isoformat()}"))
        if new and start > _add_months(today.replace(day=1), 12):
            out.append(Broken("start-within-12-months", f"{start.isoformat()} is after {_add_months(today.replace(day=1), 12).isoformat()}"))
        if new and start < period_start(b.time_grain, today):
            out.append(Broken("start-in-current-period", f"{start.isoformat()} is before {period_start(b.time_grain, today).isoformat()}"))
        if end is not None and end <= start:
            out.append(Broken("start-before-end", f"{start.isoformat()} .. {end.isoformat()}"))
    if len(b.thresholds) > MAX_NOTIFICATIONS:
        out.append(Broken("at-most-5-notifications", f"{len(b.thresholds)} given"))
    wide = arm_scope(b.scope)
    for t in b.thresholds:
        groups = tuple(getattr(t, "contact_groups", ()) or ())
        if not t.contact_emails and not (groups and wide):
            out.append(Broken("contact-needed", f"notification {t.key}"))
        if groups and not wide:
            out.append(Broken("contact-groups-scope", f"notification {t.key}"))
        if len(t.contact_emails) > MAX_CONTACTS or len(groups) > MAX_CONTACTS:
            out.append(Broken("at-most-50-contacts", f"notification {t.key}"))
        if not (Decimal(0) < t.threshold <= Decimal(1000)):
            out.append(Broken("threshold-0-1000", f"notification {t.key}: {t.threshold}"))
    return list(dict.fromkeys(out))  # in order, each once
