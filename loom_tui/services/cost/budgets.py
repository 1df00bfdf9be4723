"""Budgets and their alerts (issue 10, "Budgets and alerts").

* list / create / update / delete ``Microsoft.Consumption/budgets`` at the profile's subscriptions
  and resource groups (the Admin Plane and DLZ groups); updates carry the ETag read (a stale one:
  :class:`ConflictError`, nothing changed); writes need a writable profile and a tenant admin.
* ``check`` evaluates every budget of those scopes for the current period of its time grain:
  spend and forecast as Azure reports them on the budget (``currentSpend`` / ``forecastSpend``);
  a threshold is crossed when ``spend`` (Actual) or ``forecast`` (Forecasted) reaches ``threshold``
  % of the amount.  Each crossing writes ONE notification per budget x threshold x period (its id
  is derived from the three), to the operator running the check and to every contact email the
  tenant's directory knows; running the check again (cron) writes nothing new.
"""

from __future__ import annotations

import builtins
import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from loom_tui.domain.text import is_hostile
from loom_tui.services.errors import ConflictError, Forbidden, NotFoundError, ServiceError, ValidationError

if TYPE_CHECKING:
    from loom_tui.azure.budgets import Budget, Threshold
    from loom_tui.config import Profile
    from loom_tui.services.directory import Directory
    from loom_tui.services.roles import Gate
    from loom_tui.store.scoped import ScopedStore

NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


@dataclass(frozen=True)
class Crossing:
    budget: str  # the budget's id
    name: str
    key: str  # the notification key of the threshold
    threshold_type: str
    threshold: Decimal
    value: Decimal  # spend or forecast
    amount: Decimal
    period_start: date
    notified: int  # notifications written now (0: written by an earlier run)


@dataclass
class CheckResult:
    budgets: int = 0
    crossings: list[Crossing] = field(default_factory=list)

    @property
    def written(self) -> int:
        return sum(c.notified for c in self.crossings)


def period_start(grain: str, today: date, start: date | None) -> date:
    if grain == "Quarterly":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    if grain == "Annually":
        anchor = start or date(today.year, 1, 1)
        return date(today.year if (today.month, today.day) >= (anchor.month, anchor.day) else today.year - 1, anchor.month, 1)
    return today.replace(day=1)


def notification_id(budget_id: str, key: str, start: date) -> str:
    digest = hashlib.sha256(f"{budget_id.lower()}|{key}|{start.isoformat()}".encode()).hexdigest()[:24]
    return f"budget-{digest}"


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 63 or not set(name) <= NAME_CHARS:
        raise ValidationError("name", "1-63 letters, digits, '-' or '_'")
    return name


def parse_thresholds(specs: list[str], emails: list[str], groups: list[str] | None = None) -> list["Threshold"]:
    """``80`` (actual), ``100:forecasted`` ... -> thresholds keyed like the portal's."""
    from loom_tui.azure.budgets import Threshold

    out = []
    for spec in specs:
        pct, _, typed = spec.partition(":")
        kind = {"": "Actual", "actual": "Actual", "forecast": "Forecasted", "forecasted": "Forecasted"}.get(typed.strip().lower())
        if kind is None:
            raise ValidationError("thresholds", f"{spec!r}: the type after ':' is actual or forecasted")
        try:
            value = Decimal(pct.strip())
        except InvalidOperation:
            raise ValidationError("thresholds", f"{spec!r} is not a percentage") from None
        if not (0 < value <= 1000):
            raise ValidationError("thresholds", f"{spec!r}: threshold-0-1000: a threshold is a percentage between 0 and 1000")
        out.append(Threshold(f"{kind}_GreaterThanOrEqualTo_{value.normalize():f}_Percent", value, kind, tuple(emails),
                             contact_groups=tuple(groups or ())))
    for e in emails:
        if "@" not in e or any(is_hostile(ch) or ch.isspace() for ch in e):
            raise ValidationError("contact_emails", f"{e!r} is not an email address")
    for g in groups or ():
        if not g.lower().startswith("/subscriptions/") or "/providers/microsoft.insights/actiongroups/" not in g.lower():
            raise ValidationError("contact_groups", f"{g!r} is not an action group's resource id (/subscriptions/.../providers/"
                                             "Microsoft.Insights/actionGroups/<name>)")
    return out


class BudgetService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate", azure: Callable[[], Awaitable[Any]], estate: "Profile",
                 directory: "Directory", today: Callable[[], date]) -> None:
        self.scoped = scoped
        self.gate = gate
        self.azure = azure  # the run's Azure clients, made on first use
        self.estate = estate  # the profile: its subscriptions and resource groups (filled in once Azure is reached)
        self.directory = directory
        self.today = today

    def require_admin(self) -> None:
        if not self.scoped.session.is_tenant_admin:
            raise Forbidden("budgets are tenant-wide: only tenant admins can see or change them")

    async def clients(self) -> Any:
        return await self.azure()

    def scopes(self) -> list[str]:
        p = self.estate
        subs = [f"/subscriptions/{s}" for s in p.subscriptions]
        out = list(subs)
        for g in [p.admin_plane_rg, *p.dlz_rgs]:
            if not g:
                continue
            if g.lower().startswith("/subscriptions/"):
                out.append(g)
            elif len(subs) == 1:
                out.append(f"{subs[0]}/resourceGroups/{g}")
        return out

    def scope_of(self, scope: str) -> str:
        """``/subscriptions/<id>[/resourceGroups/<rg>]``; a bare group name is looked for among the
        profile's scopes."""
        if scope.lower().startswith("/subscriptions/"):
            return scope.rstrip("/")
        for s in self.scopes():
            if s.lower().endswith(f"/resourcegroups/{scope.lower()}") or s.lower() == f"/subscriptions/{scope.lower()}":
                return s
        raise ValidationError("scope", f"{scope!r}: give /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>")

    async def list(self, scope: str | None = None) -> list["Budget"]:
        from loom_tui.azure.budgets import list_budgets

        self.require_admin()
        clients = await self.clients()
        out: list = []
        seen: set[str] = set()
        for s in [self.scope_of(scope)] if scope else self.scopes():
            for b in await list_budgets(clients, s):
                if b.id.lower() not in seen:
                    seen.add(b.id.lower())
                    out.append(b)
        return out

    async def get(self, scope: str, name: str) -> "Budget":
        from loom_tui.azure.budgets import get_budget

        self.require_admin()
        try:
            return await get_budget(await self.clients(), self.scope_of(scope), check_name(name))
        except Exception as exc:
            raise _mapped(exc) from None

    async def create(self, scope: str, name: str, amount: Decimal, *, time_grain: str = "Monthly", start: date | None = None,
                     end: date | None = None, thresholds: builtins.list["Threshold"] | None = None) -> "Budget":
        from loom_tui.azure.budgets import GRAINS, Budget, put_budget

        self.gate.require_writable("creating a budget")
        self.require_admin()
        if amount is None or amount <= 0:
            raise ValidationError("amount", "must be more than 0")
        if time_grain not in GRAINS:
            raise ValidationError("time_grain", f"one of {', '.join(GRAINS)}")
        start = start or self.today().replace(day=1)
        b = Budget(self.scope_of(scope), check_name(name), Decimal(amount), time_grain, start, end, tuple(thresholds or ()))
        refuse_broken(b, self.today(), new=True)
        try:
            return await put_budget(await self.clients(), b)
        except Exception as exc:
            raise _mapped(exc) from None

    async def update(self, scope: str, name: str, *, etag: str | None = None, amount: Decimal | None = None,
                     thresholds: builtins.list["Threshold"] | None = None, end: date | None = None) -> "Budget":
        from loom_tui.azure.budgets import put_budget

        self.gate.require_writable("changing a budget")
        current = await self.get(scope, name)
        if etag is not None and etag != current.etag:
            raise ConflictError(f"budget {name!r} changed since it was read (ETag {etag} is not {current.etag}); read it again")
        if amount is not None and amount <= 0:
            raise ValidationError("amount", "must be more than 0")
        changed = replace(current, amount=Decimal(amount) if amount is not None else current.amount,
                          thresholds=tuple(thresholds) if thresholds is not None else current.thresholds, end=end or current.end,
                          etag=etag or current.etag)
        refuse_broken(changed, self.today(), new=False)
        try:
            return await put_budget(await self.clients(), changed)
        except Exception as exc:
            raise _mapped(exc) from None

    async def delete(self, scope: str, name: str) -> None:
        from loom_tui.azure.budgets import delete_budget

        self.gate.require_writable("deleting a budget")
        self.require_admin()
        try:
            await delete_budget(await self.clients(), self.scope_of(scope), check_name(name))
        except Exception as exc:
            raise _mapped(exc) from None

    async def check(self) -> CheckResult:
        """Evaluate every budget; one notification per budget x threshold x period."""
        from loom_tui.domain.clock import now_iso

        from .directory_lookup import recipients

        self.gate.require_writable("writing budget alerts")
        budgets = await self.list()
        today = self.today()
        result = CheckResult(budgets=len(budgets))
        for b in budgets:
            start = period_start(b.time_grain, today, b.start)
            for t in b.thresholds:
                if not t.enabled or not b.amount:
                    continue
                value = b.current_spend if t.threshold_type == "Actual" else b.forecast_spend
                if value is None or value * 100 < t.threshold * b.amount:
                    continue
                nid = notification_id(b.id, t.key, start)
                word = "spent" if t.threshold_type == "Actual" else "forecast to spend"
                doc = {
                    "id": nid, "title": f"Budget {b.name} at {t.threshold.normalize():f}%",
                    "body": (f"{b.name} ({b.scope}) has {word} {value:,.2f} {b.unit} of {b.amount:,.2f} "
                             f"({value / b.amount * 100:.0f}%) in the period from {start.isoformat()}"),
                    "severity": "warning" if t.threshold < 100 else "error", "link": "/cost/budgets", "read": False,
                    "createdAt": now_iso(), "budgetId": b.id, "thresholdKey": t.key, "periodStart": start.isoformat(),
                }
                written = 0
                for oid in await recipients(self.scoped.session.user_oid, self.directory, t.contact_emails):
                    written += 1 if await self.scoped.notify_once(oid, doc) else 0
                result.crossings.append(Crossing(b.id, b.name, t.key, t.threshold_type, t.threshold, value, b.amount, start, written))
        return result


def refuse_broken(b: "Budget", today: date, *, new: bool) -> None:
    """Azure's budget rules (``domain/budget_rules.py``) before anything is sent: every rule the
    budget breaks, one per line; nothing is sent when one is broken.  An update keeps the start
    date Azure accepted (its start-date rules apply when a start is set)."""
    from loom_tui.domain.budget_rules import check

    broken = check(b, today, new=new)
    if broken:
        raise ValidationError("budget", f"{b.name!r} breaks Azure's budget rules; nothing was sent:\n"
                              + "\n".join(f"  {x.line()}" for x in broken))


def broken_rules(b: "Budget", today: date) -> list[str]:
    """The rules an existing budget breaks (shown with it, as it is)."""
    from loom_tui.domain.budget_rules import check

    return [x.rule for x in check(b, today, new=False)]


def _mapped(exc: Exception) -> Exception:
    """ARM's answers as the service's errors (412 → conflict, 404 → not found), message kept."""
    status = getattr(exc, "status", None) or getattr(exc, "status_code", None)
    if status == 412:
        return ConflictError(f"the budget changed since it was read: {exc}")
    if status == 404:
        return NotFoundError(str(exc))
    if isinstance(exc, ServiceError):
        return exc
    return ServiceError(str(exc)) if status else exc
