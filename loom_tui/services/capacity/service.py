"""``CapacityService``: what the Capacity screen and ``loom capacity`` ask for.

Reads (inventory, detail, metrics, DR posture, auto-pause candidates) need only the signed-in
identity's Azure roles.  Changes (pause, resume, scale, pause a DLZ, pause-idle) are for tenant
admins only, refused in read-only mode, and each runs as an Operation (``actions.py``).
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable

from loom_tui.domain.capability import PAUSE, RESUME
from loom_tui.domain.capacity import FABRIC, Resource, portal_link
from loom_tui.domain.metric_clouds import MetricUnavailable

from . import autopause, inventory, posture
from .failures import Failure, describe
from loom_tui.services.errors import ServiceError
from .scope import Scope, StoredDlz

if TYPE_CHECKING:
    from loom_tui.config import Profile
    from loom_tui.services.operations import OperationService
    from loom_tui.services.roles import Gate
    from loom_tui.store.scoped import ScopedStore

    from .dr import Check
    from .idle import IdleRun, PauseResult
    from .impact import Impact
    from .metrics import Series
    from .prices import SkuPrices



@dataclass(frozen=True)
class Outcome:
    """How a change ended (from the Operation's result)."""

    operation_id: str
    name: str
    changed: bool
    message: str
    result: dict[str, Any]


class ActionFailed(ServiceError):
    """The operation failed: ARM's code and message, in full (untrusted text: show it literally)."""

    code = "failed"

    def __init__(self, op: Any, arm_code: str, message: str, status: int | None = None) -> None:
        self.operation = op
        self.arm_code = arm_code
        self.message = message
        self.status = status
        super().__init__(f"{arm_code}: {message}" if arm_code else message)


@dataclass(frozen=True)
class Detail:
    resource: Resource
    arm: dict[str, Any]  # the provider's document (the listing's where the type has no GET here)
    arm_note: str = ""  # why ``arm`` is only the listing's


class CapacityService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate", azure: Callable[[], Awaitable[Any]], operations: "OperationService",
                 estate: "Profile", cost: Callable[[], Any], *, clock: Callable[[], datetime] | None = None) -> None:
        self.scoped = scoped
        self.gate = gate
        self.azure = azure  # the run's Azure clients, made on first use
        self.operations = operations  # pause, resume and scale run as Operations
        self.estate = estate  # the profile: subscriptions, Admin Plane and DLZ groups (filled in once Azure is reached)
        self.cost = cost  # the cost service (month-to-date cost, prices), asked for when needed
        # "now" for the inventory's time and the metric windows (tests pin it)
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.last_inventory: inventory.Inventory | None = None

    # ------------------------------------------------------------ plumbing

    async def clients(self) -> Any:
        return await self.azure()

    async def portal(self) -> str:
        clients = await self.clients()
        return clients.cloud.portal

    def link(self, portal: str, r: Resource) -> str:
        return portal_link(portal, r.id, self.scoped.session.tenant_id)

    async def subscriptions(self) -> list[str]:
        subs = list(self.estate.subscriptions)
        if subs:
            return subs
        clients = await self.clients()
        from loom_tui.azure.api_versions import pick

        api = await pick(clients, "Microsoft.Resources/subscriptions")
        return [s["subscriptionId"] async for s in clients.pages("/subscriptions", api) if s.get("subscriptionId")]

    async def recorded_dlzs(self) -> list[StoredDlz]:
        """The landing zones the DLZ wizard recorded (``DlzRegistry``: deployed, deploying or
        failed — a half-deployed one's group is still worth seeing)."""
        from loom_tui.services.dlz.registry import DlzRegistry

        records = await DlzRegistry(self.scoped, self.gate.require_writable).list()
        return [StoredDlz(r.domain, r.resource_group, r.subscription_id or None) for r in records if r.domain and r.resource_group]

    async def scope(self) -> Scope:
        p = self.estate
        return Scope.build(p.admin_plane_rg, list(p.dlz_rgs), await self.recorded_dlzs())

    def cost_source(self) -> tuple[Any, str]:
        """The month-to-date cost source, or None and why there is none."""
        if not self.scoped.session.is_tenant_admin:
            return None, "cost is tenant-wide: only tenant admins see it"
        from .costs import StoreCost

        return StoreCost(self.cost()), ""

    async def cost_per_day(self, r: Resource) -> tuple[list[tuple[str, list]], str]:
        """This month's cost of ``r`` per day and currency, or ``([], why not)``."""
        source, why = self.cost_source()
        if source is None:
            return [], why
        try:
            return await source.per_day(r.id), ""
        except LookupError as exc:
            return [], str(exc)

    async def sku_prices(self, r: Resource) -> "SkuPrices":
        """The monthly price of every F SKU from what Fabric capacity ``r`` was billed per CU-hour
        while active (the one estimator, :mod:`.prices`), or none and why."""
        from .prices import SkuPrices, estimate

        source, why = self.cost_source()
        if source is None:
            return SkuPrices(why_not=why)
        try:
            await source.ready()
            return await estimate(self.cost(), r)
        except LookupError as exc:
            return SkuPrices(why_not=str(exc))

    async def monthly_prices(self, r: Resource) -> tuple[dict[str, float], str, str]:
        """:meth:`sku_prices` as ``({sku: price}, currency, basis)``, or ``({}, "", why not)``."""
        p = await self.sku_prices(r)
        if not p.prices:
            return {}, "", p.why_not
        return {k: float(v) for k, v in p.prices.items()}, p.currency, f"estimated at {p.basis}"

    def check_scale(self, r: Resource, sku: str) -> str:
        """The F SKU ``sku`` names, for a Fabric capacity, when this session may scale it (the one
        admin check of a scale); a bad one is refused before anything else."""
        from loom_tui.domain.capability import SCALE
        from loom_tui.services.errors import ValidationError

        from . import actions

        self.require_admin(f"scale {r.name}")
        why = r.can(SCALE)
        if why:
            raise ValidationError("resource", why)
        try:
            return actions.check_sku(sku)
        except ValueError as exc:
            raise ValidationError("sku", str(exc)) from None

    # ------------------------------------------------------------ reads

    async def scan(self, *, timeout: float = inventory.DEFAULT_TIMEOUT) -> AsyncIterator[inventory.Inventory]:
        clients = await self.clients()
        subs, failed = await self._subscriptions_or_recorded()
        scope = await self.scope()
        cost, why = self.cost_source()
        async for inv in inventory.scan(clients, subs, scope, cost=cost, cost_unavailable=why, timeout=timeout, now=self.clock):
            if failed is not None:
                inv.failures.insert(0, failed)
            self.last_inventory = inv  # what `:` jumps to by name, until the next read
            yield inv

    async def _subscriptions_or_recorded(self) -> tuple[list[str], Failure | None]:
        """The profile's subscriptions; when listing them fails (a 503, a reset connection, a
        malformed answer), the subscriptions the landing-zone records name, with a warning line
        that says so.  Signing in again is not something a fallback can hide: that still raises."""
        from loom_tui.azure.errors import SignInError

        try:
            return await self.subscriptions(), None
        except (SignInError, asyncio.CancelledError):
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the listing: said on the warning line
            recorded = sorted({d.subscription_id for d in await self.recorded_dlzs() if d.subscription_id})
            f = describe("subscriptions (GET /subscriptions)", exc, reads="list subscriptions")
            return recorded, dataclasses.replace(
                f, reason=f"{f.reason}; listed the {len(recorded)} subscription(s) the landing-zone records name instead")

    async def inventory(self, **kw: Any) -> inventory.Inventory:
        last = None
        async for inv in self.scan(**kw):
            last = inv
        assert last is not None
        return last

    async def detail(self, r: Resource) -> Detail:
        clients = await self.clients()
        try:
            return Detail(r, await inventory.provider_get(clients, r))
        except Exception as exc:  # noqa: BLE001
            return Detail(r, r.arm, f"the provider's document could not be read: {describe(r.name, exc).reason}")

    async def series(self, r: Resource, hours: float, *, end: datetime | None = None) -> "Series | None":
        return await inventory.metric_series(await self.clients(), r, hours=hours, end=end or self.clock())

    async def dr(self, rows: list[Resource] | None = None) -> list["Check"]:
        if rows is None:
            rows = (await self.inventory()).rows
        return await posture.check(await self.clients(), rows)

    async def decisions(self, rows: list[Resource], *, idle_for: timedelta, threshold: float = autopause.DEFAULT_THRESHOLD,
                        now: datetime | None = None) -> list[autopause.Decision]:
        """The auto-pause decision for every pausable row: from Azure Monitor's load metric, and
        for Fabric capacities (which have none) from the store's workspace activity and, where the
        profile names it, the Capacity Metrics model (``fabric_idle.py``)."""
        import asyncio

        from . import fabric_idle

        clients = await self.clients()
        end = now or self.clock()
        hours = max(idle_for.total_seconds() / 3600, 1.0)
        fabric = [r for r in rows if r.type_key == FABRIC and r.is_running]
        got = await fabric_idle.inputs(self.scoped, self.estate, clients, now=end, idle_for=idle_for) if fabric else None

        async def one(r: Resource) -> autopause.Decision:
            if r.type_key == FABRIC:
                if got is None:
                    return autopause.decide(r, None, now=end, idle_for=idle_for, threshold=threshold)
                return fabric_idle.decide_with(r, got, now=end, idle_for=idle_for, threshold=threshold, profile=self.estate)
            series, error = None, ""
            if r.is_running:
                try:
                    series = await inventory.metric_series(clients, r, hours=hours, end=end, interval="PT5M")
                except MetricUnavailable as exc:
                    error = str(exc)
                except Exception as exc:  # noqa: BLE001 — the decision says why it kept it running
                    error = describe("metrics", exc).reason
            return autopause.decide(r, series, now=end, idle_for=idle_for, threshold=threshold, metric_error=error)

        return list(await asyncio.gather(*(one(r) for r in rows if r.pausable)))

    # ------------------------------------------------------------ changes

    def require_admin(self, what: str) -> None:
        """Read-only refuses; only tenant admins change capacity (Azure's own RBAC applies too)."""
        from loom_tui.services.errors import Forbidden

        self.gate.require_writable(what)
        if not self.scoped.session.is_tenant_admin:
            raise Forbidden(f"only tenant admins may {what}; {self.scoped.session.upn} is not one")

    async def start_set_running(self, r: Resource, run: bool) -> Any:
        """Start pause / resume of ``r`` as an Operation; returns it at once (running)."""
        from . import actions

        verb = RESUME if run else PAUSE
        self.require_admin(f"{verb} {r.name}")
        why = r.can(verb)
        if why:
            from loom_tui.services.errors import ValidationError

            raise ValidationError("resource", why)
        clients = await self.clients()
        return await self.operations.start(f"capacity.{verb}", r.id, steps=actions.steps(verb),
                                           run=lambda h: actions.set_running(h, clients, r, run))

    async def start_scale(self, r: Resource, sku: str) -> Any:
        from . import actions

        sku = self.check_scale(r, sku)
        clients = await self.clients()
        return await self.operations.start("capacity.scale", r.id, steps=actions.steps(f"scale to {sku}"), params={"sku": sku},
                                           run=lambda h: actions.scale(h, clients, r, sku))

    async def finish(self, op: Any, progress=None) -> "Outcome":
        """Wait for an operation; each change of a step goes to ``progress(text)``.  A failed
        operation raises :class:`ActionFailed` with ARM's error in full."""
        import asyncio

        from loom_tui.services.operation_events import Finished

        final = op
        async for ev in self.operations.events(op.id, interval=0.5):
            if isinstance(ev, Finished):
                final = ev.op
            elif progress is not None:
                res = progress(f"{ev.step.name}: {ev.step.state}" + (f" — {ev.step.message}" if ev.step.message else ""))
                if asyncio.iscoroutine(res):
                    await res
        if final.state != "succeeded":
            err = final.error
            raise ActionFailed(final, err.code if err else final.state, err.message if err else f"the operation ended {final.state}",
                               err.status if err else None)
        res = final.result or {}
        return Outcome(final.id, res.get("name") or op.target, bool(res.get("changed")), res.get("message") or "done", res)

    async def set_running(self, r: Resource, run: bool, progress=None) -> "Outcome":
        return await self.finish(await self.start_set_running(r, run), progress)

    async def scale(self, r: Resource, sku: str, progress=None) -> "Outcome":
        return await self.finish(await self.start_scale(r, sku), progress)

    async def pause_many(self, rows: list[Resource], progress=None, *, run: bool = False) -> list["PauseResult"]:
        """Pause (``run``: resume) each, concurrently; one failure does not stop the others."""
        import asyncio

        from .idle import PauseResult

        async def one(r: Resource) -> PauseResult:
            async def say(text: str) -> None:
                if progress is not None:
                    res = progress(f"{r.name}: {text}")
                    if asyncio.iscoroutine(res):
                        await res
            try:
                out = await self.set_running(r, run, say)
            except Exception as exc:  # noqa: BLE001 — reported per resource
                await say(f"failed: {exc}")
                return PauseResult(r.id, r.name, False, str(exc))
            await say(out.message)
            return PauseResult(r.id, r.name, True, out.message)

        return list(await asyncio.gather(*(one(r) for r in rows)))

    async def pause_impact(self, r: Resource) -> "Impact":
        """What pausing ``r`` would stop (``impact.py``), to say before the pause is confirmed."""
        from .impact import pause_impact

        return await pause_impact(self.scoped, r, now=self.clock(), profile=self.estate)

    async def pause_picked(self, decisions: list[autopause.Decision], progress=None) -> list["PauseResult"]:
        """Pause what auto-pause picked (the operator confirmed the list): tenant admins only."""
        self.require_admin("pause idle capacity")
        return await self.pause_many([d.resource for d in decisions if d.pause and not d.resource.is_paused], progress)

    async def pause_dlz(self, dlz: str, rows: list[Resource] | None = None, progress=None) -> list["PauseResult"]:
        self.require_admin(f"pause the landing zone {dlz}")
        if rows is None:
            rows = (await self.inventory()).rows
        targets = [r for r in rows if r.dlz.lower() == dlz.lower() and r.pausable and not r.is_paused]
        return await self.pause_many(targets, progress)

    async def pause_idle(self, *, idle_for: timedelta, threshold: float = autopause.DEFAULT_THRESHOLD, dry_run: bool = False,
                         now: datetime | None = None) -> "IdleRun":
        import logging

        from .idle import IdleRun

        if not dry_run:
            self.require_admin("pause idle capacity")
        log = logging.getLogger("loom.capacity.autopause")
        inv = await self.inventory()
        run = IdleRun(idle_for=idle_for, threshold=threshold, dry_run=dry_run, warnings=[f.line() for f in inv.failures])
        run.decisions = await self.decisions(inv.rows, idle_for=idle_for, threshold=threshold, now=now)
        for d in run.decisions:
            log.info("auto-pause %s %s: %s", d.verdict, d.resource.id, d.reason)
        if not dry_run and run.picked:
            run.results = await self.pause_many([d.resource for d in run.picked])
            for res in run.results:
                log.info("auto-pause %s %s: %s", "paused" if res.ok else "FAILED", res.resource_id, res.message)
        if not self.gate.read_only:
            await self._notify_idle(run)
        return run

    async def _notify_idle(self, run: "IdleRun") -> None:
        import uuid

        from loom_tui.domain.clock import now_iso

        picked = ", ".join(d.resource.name for d in run.picked) or "none"
        await self.scoped.notify(self.scoped.session.user_oid, {
            "id": str(uuid.uuid4()),
            "title": "Auto-pause" + (" (dry run)" if run.dry_run else ""),
            "body": f"{run.summary()}. Picked: {picked}." + (" Some pauses failed: see the log." if run.failed else ""),
            "severity": "warning" if run.failed else "info",
            "link": "/admin/capacity",
            "read": False,
            "createdAt": now_iso(),
        })

    async def recent_operations(self, r: Resource, limit: int = 10) -> list[str]:
        """Operations loom started on this resource, newest first, one line each."""
        ops = [op for op in await self.operations.recent() if op.target.lower() == r.id.lower()][:limit]
        out = []
        for op in ops:
            line = f"{op.started_at[:19].replace('T', ' ')}Z  {op.kind}  {op.state}  by {op.started_by}"
            if op.error is not None:
                line += f"  ({op.error.code}: {op.error.message})"
            out.append(line)
        return out
